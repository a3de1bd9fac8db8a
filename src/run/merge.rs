//! `newsextract merge`: combines the outputs of a drop's shards (`--shard K/N`, see
//! [`crate::shard`]) into the normal output files: `articles.jsonl` (through the article
//! store, so records already in the output folder are kept and updated), `errors.jsonl`,
//! `run.json`, and the drop-level files.
//!
//! A merge refuses, naming what is wrong, rather than write a partial drop: every shard of
//! 0..N must be there exactly once, each must have finished (its `run.shard-K-of-N.json`
//! written, no journal left), and all must have run with the same configuration.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::drop::write_feed;
use crate::output::names::{self, OutputNames};
use crate::output::{write_atomically, ArticleStore};
use crate::run::report::{round3, ArticleCounts, RunReport, StageTotals, Throughput};
use crate::shard::Shard;

/// What merging found and wrote.
#[derive(Debug, Clone)]
pub struct Merged {
    pub report: RunReport,
    /// Lines of the merged `errors.jsonl`.
    pub errors: usize,
}

/// The part of a shard's `run.shard-K-of-N.json` a merge combines.
#[derive(Debug, Deserialize)]
struct ShardRun {
    started: String,
    finished: String,
    seconds: f64,
    inputs: Vec<String>,
    articles: ArticleCounts,
    stages: BTreeMap<String, StageTotals>,
    stages_not_run: BTreeMap<String, String>,
    throughput: Throughput,
    fingerprint: String,
    config: serde_json::Value,
}

/// Merges the shard outputs found in `inputs` (folders) into `output`.
pub fn merge(inputs: &[PathBuf], output: &Path) -> Result<Merged> {
    let started = Instant::now();
    let shards = find_shards(inputs)?;
    let count = shards.keys().next().map(|s| s.count).unwrap_or(0);
    let mut runs = Vec::with_capacity(shards.len());
    for (shard, dir) in &shards {
        let names = OutputNames::for_shard(Some(*shard));
        let run_path = dir.join(names.run());
        if dir.join(names.journal()).exists() || !run_path.exists() {
            bail!(
                "shard {shard} in {} did not finish ({} missing or its journal still there): \
                 run it again before merging",
                dir.display(),
                names.run()
            );
        }
        let text = std::fs::read_to_string(&run_path)
            .with_context(|| format!("cannot read {}", run_path.display()))?;
        let run: ShardRun = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a newsextract run report", run_path.display()))?;
        runs.push((*shard, run));
    }
    if let Some((first, run)) = runs.first() {
        for (shard, other) in &runs[1..] {
            if other.fingerprint != run.fingerprint {
                // `auto` precisions follow each machine's CPU: the likeliest cause on a mixed
                // cluster, so name the flag to pin.
                let precision = |r: &ShardRun, stage: &str| {
                    let stage = &r.config["stages"][stage];
                    let p = if stage["precision"].is_null() {
                        &stage["options"]["precision"]
                    } else {
                        &stage["precision"]
                    };
                    p.as_str().unwrap_or("f32").to_owned()
                };
                let hint: String = [
                    ("entities", "the NER model", "--ner-precision"),
                    (
                        "translate",
                        "the translation model",
                        "--translate-precision",
                    ),
                ]
                .into_iter()
                .filter_map(|(stage, what, flag)| {
                    let (a, b) = (precision(run, stage), precision(other, stage));
                    (a != b).then(|| {
                        format!(
                            "; {what} ran in {a} on shard {first} and in {b} on shard \
                             {shard} ({flag} auto follows each machine's CPU): pin {flag} on \
                             every shard"
                        )
                    })
                })
                .collect();
                bail!(
                    "shards {first} and {shard} ran with different configurations \
                     (fingerprints {} and {}): run every shard with the same options and \
                     models{hint}",
                    run.fingerprint,
                    other.fingerprint
                );
            }
        }
    }

    let store = ArticleStore::open(output)?;
    let mut merged_from = Vec::new();
    for (shard, dir) in &shards {
        let path = dir.join(OutputNames::for_shard(Some(*shard)).articles());
        let file = File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        for line in BufReader::new(file).lines() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            if !line.trim().is_empty() {
                store.append(&line)?;
            }
        }
        store.sync()?;
        merged_from.push(path.display().to_string());
    }
    let (in_output, feed) =
        store.finish_then(|dir| write_feed(dir).context("cannot write the drop-level outputs"))?;

    let mut error_lines = String::new();
    let mut errors = 0;
    for (shard, dir) in &shards {
        let path = dir.join(OutputNames::for_shard(Some(*shard)).errors());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            error_lines.push_str(line);
            error_lines.push('\n');
            errors += 1;
        }
    }
    write_atomically(&output.join(names::ERRORS.whole()), error_lines.as_bytes())
        .context("cannot write errors.jsonl")?;

    let report = combine(&runs, count, in_output, feed, output, merged_from, started);
    write_atomically(
        &output.join(names::RUN.whole()),
        (serde_json::to_string_pretty(&report)? + "\n").as_bytes(),
    )
    .context("cannot write run.json")?;
    Ok(Merged { report, errors })
}

/// Every `articles.shard-K-of-N.jsonl` in the input folders, checked to be one complete set.
fn find_shards(inputs: &[PathBuf]) -> Result<BTreeMap<Shard, PathBuf>> {
    let mut found: BTreeMap<Shard, PathBuf> = BTreeMap::new();
    for dir in inputs {
        let entries = std::fs::read_dir(dir)
            .with_context(|| format!("cannot read shard folder {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", dir.display()))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let Some(shard) = names::ARTICLES.shard_of(&name) else {
                continue;
            };
            if let Some(other) = found.insert(shard, dir.clone()) {
                if other != *dir {
                    bail!(
                        "shard {shard} is in both {} and {}: merge one of them",
                        other.display(),
                        dir.display()
                    );
                }
            }
        }
    }
    let Some(count) = found.keys().next().map(|s| s.count) else {
        bail!(
            "no shard outputs (articles.shard-K-of-N.jsonl) in {}",
            inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    };
    if let Some(odd) = found.keys().find(|s| s.count != count) {
        bail!("shards of different splits: {odd} next to shards of {count}");
    }
    let missing: Vec<String> = (0..count)
        .filter(|&k| !found.contains_key(&Shard { index: k, count }))
        .map(|k| format!("{k}/{count}"))
        .collect();
    match missing.as_slice() {
        [] => {}
        [one] => bail!("shard {one} is missing: merging without it would drop its articles"),
        _ => bail!(
            "shards {} are missing: merging without them would drop their articles",
            missing.join(", ")
        ),
    }
    Ok(found)
}

/// The merged run report: counts and stage times summed, the span of the shards' runs.
fn combine(
    runs: &[(Shard, ShardRun)],
    count: usize,
    in_output: usize,
    feed: crate::drop::FeedCounts,
    output: &Path,
    merged_from: Vec<String>,
    started: Instant,
) -> RunReport {
    let mut articles = ArticleCounts::default();
    let mut stages: BTreeMap<String, StageTotals> = BTreeMap::new();
    let mut inputs: Vec<String> = Vec::new();
    for (_, run) in runs {
        articles.seen += run.articles.seen;
        articles.processed += run.articles.processed;
        articles.unchanged += run.articles.unchanged;
        articles.failed += run.articles.failed;
        for (name, t) in &run.stages {
            let total = stages.entry(name.clone()).or_default();
            total.ms = round3(total.ms + t.ms);
            total.articles += t.articles;
        }
        for i in &run.inputs {
            if !inputs.contains(i) {
                inputs.push(i.clone());
            }
        }
    }
    articles.in_output = in_output as u64;
    // Shards run side by side: the drop took as long as the slowest one.
    let seconds = runs.iter().map(|(_, r)| r.seconds).fold(0.0, f64::max);
    let chars: f64 = runs
        .iter()
        .map(|(_, r)| r.throughput.chars_per_second * r.seconds)
        .sum();
    let first = runs.first().map(|(_, r)| r);
    RunReport {
        schema_version: crate::document::SCHEMA_VERSION,
        version: env!("CARGO_PKG_VERSION"),
        started: runs
            .iter()
            .map(|(_, r)| r.started.clone())
            .min()
            .unwrap_or_default(),
        finished: runs
            .iter()
            .map(|(_, r)| r.finished.clone())
            .max()
            .unwrap_or_default(),
        seconds: round3(seconds + started.elapsed().as_secs_f64()),
        inputs,
        output: output.display().to_string(),
        throughput: Throughput {
            articles_per_second: round3(articles.processed as f64 / seconds.max(1e-9)),
            chars_per_second: round3(chars / seconds.max(1e-9)),
        },
        articles,
        stages,
        stages_not_run: first.map(|r| r.stages_not_run.clone()).unwrap_or_default(),
        feed,
        fingerprint: first.map(|r| r.fingerprint.clone()).unwrap_or_default(),
        config: first.map(|r| r.config.clone()).unwrap_or_default(),
        shard: None,
        merged_shards: Some(count),
        merged_from,
    }
}
