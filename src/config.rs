//! Run options, and the part of them that shapes the output (the fingerprint).

use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Everything a run needs to know, as the CLI (or a library caller) gives it.
#[derive(Debug, Clone)]
pub struct RunOptions {
    pub inputs: Vec<PathBuf>,
    pub output: PathBuf,
    /// Worker threads; `None` uses one per core.
    pub threads: Option<usize>,
    /// Redo every article even when its content and configuration are unchanged.
    pub force: bool,
    pub quiet: bool,
    /// Write word tokens into each record.
    pub keep_tokens: bool,
    /// Articles processed together (model stages batch their calls across them).
    pub batch_articles: usize,
    /// Folder of model folders and `models.toml`.
    pub models_dir: PathBuf,
    /// Run named-entity recognition (needs a model).
    pub entities: bool,
    /// NER model folder name (or path) instead of `models.toml`'s default.
    pub ner_model: Option<String>,
    /// Translate German articles to English (needs a model).
    pub translate: bool,
    pub translation_model: Option<String>,
    pub translate_options: crate::translate::TranslateOptions,
    /// Sentences per extractive summary.
    pub summary_sentences: usize,
    /// Translate only the summary sentences (cheaper than `translate`, which translates
    /// whole articles and gives the summaries their English as well).
    pub translate_summaries: bool,
    /// Process only this shard of the drop, into its own files (`crate::shard`).
    pub shard: Option<crate::shard::Shard>,
}

impl RunOptions {
    pub fn new(inputs: Vec<PathBuf>, output: PathBuf) -> Self {
        RunOptions {
            inputs,
            output,
            threads: None,
            force: false,
            quiet: true,
            keep_tokens: false,
            batch_articles: 64,
            models_dir: PathBuf::from("models"),
            entities: true,
            ner_model: None,
            translate: false,
            translation_model: None,
            translate_options: Default::default(),
            summary_sentences: crate::summarize::DEFAULT_SENTENCES,
            translate_summaries: false,
            shard: None,
        }
    }
}

/// The options that change what a record contains. Its hash is stored in every record;
/// an article is redone when its content or this changes.
#[derive(Debug, Clone, Serialize)]
pub struct OutputConfig {
    pub schema_version: &'static str,
    pub version: &'static str,
    pub tokens: bool,
    /// Stage name -> its options and model identity (as JSON), for the stages that run.
    pub stages: serde_json::Map<String, serde_json::Value>,
}

impl OutputConfig {
    pub fn fingerprint(&self) -> String {
        let json = serde_json::to_vec(self).expect("config serialises");
        hex::encode(&Sha256::digest(&json)[..12])
    }
}
