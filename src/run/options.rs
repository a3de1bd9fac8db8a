//! Run options, and the part of them that shapes the output (the fingerprint).

use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// Default cap on translation models: each holds its own weights (about 300 MB in f32 for
/// opus-mt), and more, smaller workers stop paying once each still has a few threads.
pub const MAX_DEFAULT_TRANSLATE_WORKERS: usize = 4;

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
    /// The languages the drop is expected to hold (`--languages`): short texts are identified
    /// among these; others are named only when whatlang is sure.
    pub languages: crate::stages::segment::ExpectedLanguages,
    /// Articles processed together (model stages batch their calls across them).
    pub batch_articles: usize,
    /// Folder of model folders and `models.toml` (`--models`); `None` looks for one
    /// ([`crate::models::ModelsSearch`]).
    pub models_dir: Option<PathBuf>,
    /// Run named-entity recognition (needs a model).
    pub entities: bool,
    /// NER model folder name (or path) instead of `models.toml`'s default.
    pub ner_model: Option<String>,
    /// Number format of the NER model; `auto`: bf16 where the CPU computes it natively, else
    /// f32.
    pub ner_precision: crate::precision::PrecisionSetting,
    /// Translate German articles to English (needs a model).
    pub translate: bool,
    pub translation_model: Option<String>,
    pub translate_options: crate::stages::translate::TranslateOptions,
    /// Translation models in parallel; `None`: one per worker thread, at most
    /// [`MAX_DEFAULT_TRANSLATE_WORKERS`]. Each gets `threads / workers` libtorch threads.
    pub translate_workers: Option<usize>,
    /// Sentences per extractive summary.
    pub summary_sentences: usize,
    /// Translate only the summary sentences (cheaper than `translate`, which translates
    /// whole articles and gives the summaries their English as well).
    pub translate_summaries: bool,
    /// Process only this shard of the drop, into its own files (`crate::shard`).
    pub shard: Option<crate::shard::Shard>,
}

impl RunOptions {
    /// Worker threads of the run: as given, else one per core.
    pub fn thread_count(&self) -> usize {
        self.threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        })
    }

    /// The translation options with the pool filled in from the run's threads: `workers`
    /// models of `threads / workers` libtorch threads each.
    pub fn translate_options_for_run(&self) -> crate::stages::translate::TranslateOptions {
        let threads = self.thread_count().max(1);
        let workers = self
            .translate_workers
            .unwrap_or(threads.min(MAX_DEFAULT_TRANSLATE_WORKERS))
            .max(1);
        crate::stages::translate::TranslateOptions {
            workers,
            intra_op_threads: (threads / workers).max(1),
            ..self.translate_options.clone()
        }
    }

    /// The segment stage's options.
    pub fn segment_options(&self) -> crate::stages::segment::SegmentOptions {
        crate::stages::segment::SegmentOptions {
            keep_tokens: self.keep_tokens,
            languages: self.languages.clone(),
        }
    }

    /// The summarize stage's options.
    pub fn summarize_options(&self) -> crate::stages::summarize::SummarizeOptions {
        crate::stages::summarize::SummarizeOptions {
            sentences: self.summary_sentences,
        }
    }

    pub fn new(inputs: Vec<PathBuf>, output: PathBuf) -> Self {
        RunOptions {
            inputs,
            output,
            threads: None,
            force: false,
            quiet: true,
            keep_tokens: false,
            languages: Default::default(),
            batch_articles: 64,
            models_dir: None,
            entities: true,
            ner_model: None,
            ner_precision: Default::default(),
            translate: false,
            translation_model: None,
            translate_options: Default::default(),
            translate_workers: None,
            summary_sentences: crate::stages::summarize::DEFAULT_SENTENCES,
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
