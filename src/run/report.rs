//! What `run.json` holds: the counts of a run (or of a merge of shards), time per stage,
//! throughput, and the configuration the records were made with.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::drop::FeedCounts;

/// What `run.json` holds.
#[derive(Debug, Clone, Serialize)]
pub struct RunReport {
    pub schema_version: &'static str,
    pub version: &'static str,
    pub started: String,
    pub finished: String,
    pub seconds: f64,
    pub inputs: Vec<String>,
    pub output: String,
    pub articles: ArticleCounts,
    /// Stage name -> total milliseconds over the run and articles it ran on.
    pub stages: BTreeMap<String, StageTotals>,
    pub stages_not_run: BTreeMap<String, String>,
    pub throughput: Throughput,
    /// What the drop-level outputs (`claims.jsonl`, `entities.jsonl`, `dashboard.html`) hold.
    pub feed: FeedCounts,
    pub fingerprint: String,
    pub config: serde_json::Value,
    /// `K/N` when this run was one shard of a drop.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// For `newsextract merge`: the number of shards merged and their article files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_shards: Option<usize>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub merged_from: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct ArticleCounts {
    /// Articles (or broken inputs) met in the drop.
    pub seen: u64,
    /// Processed and written in this run.
    pub processed: u64,
    /// Left as they were: same content, same configuration.
    pub unchanged: u64,
    /// Inputs that failed (see `errors.jsonl`).
    pub failed: u64,
    /// Records in `articles.jsonl` after the run (earlier drops included).
    pub in_output: u64,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct StageTotals {
    pub ms: f64,
    pub articles: u64,
}

#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct Throughput {
    pub articles_per_second: f64,
    pub chars_per_second: f64,
}

/// Rounded to three decimals, as `run.json` gives times.
pub(crate) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
