//! German-to-English translation (`--translate`, issue 5).
//!
//! Sentence by sentence: every entry of [`Document::sentences`](crate::document::Document) of
//! an article in the model's source language gets one English sentence in
//! [`Translation::sentences`](crate::document::Translation), in the same order. Articles in
//! any other language get `translation.skipped` with the reason instead.
//!
//! The parts, one job each:
//! - [`backend`]: the [`SentenceTranslator`] trait, the only way the stage reaches a model.
//! - [`marian`]: the rust-bert Marian backend (opus-mt-de-en family) behind that trait.
//! - [`folder`]: checks a model folder at start-up and hashes its weights.
//! - [`cache`]: the persistent translation cache, keyed by (model, options, sentence).
//! - [`numbers`]: the number faithfulness check of claims against the English sentences.
//! - [`stage`]: [`TranslateStage`], the pipeline [`Stage`](crate::stage::Stage).
//!
//! # Sharing the model across rayon workers
//! rust-bert models are `Send` but not `Sync` (the generator owns tensors, a `VarStore` and a
//! tokenizer, none of which promise shared access), while [`Stage`](crate::stage::Stage)
//! must be `Sync` because rayon workers call `process` concurrently. The stage holds **one**
//! model behind a `Mutex` and feeds it batched input: each `process` call gathers the
//! uncached sentences of all its articles, sorts them by length and sends them through the
//! model in batches of `batch_size`. One model per worker was rejected: libtorch already
//! spreads one forward pass over all cores (intra-op threads), so several model copies would
//! only compete for the same cores while multiplying memory (~300 MB per opus-mt copy).
//! Measured (`docs/performance.md`): one Marian of opus-mt's size on 2 intra-op threads is
//! 1.65x as fast as on one, so a pool of single-thread copies could gain at most 1.2x.
//! Workers that reach the stage at the same time wait on the lock; the rest of their batch
//! (cache look-ups, number checks) runs outside it.

pub mod backend;
pub mod cache;
pub mod folder;
pub mod marian;
pub mod numbers;
pub mod stage;

pub use backend::SentenceTranslator;
pub use cache::TranslationCache;
pub use marian::MarianTranslator;
pub use numbers::{check_numbers, NumberWarning};
pub use stage::TranslateStage;

use serde::{Deserialize, Serialize};

/// Options of the translation stage. `beam_size` and `max_length` change the output and are
/// part of the cache key; `batch_size` only changes speed and memory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranslateOptions {
    /// Beam search width; 1 is greedy decoding.
    pub beam_size: usize,
    /// Longest English output, in tokens (including the end-of-sentence token).
    pub max_length: usize,
    /// Shortest English output, in tokens; 0 (the default) lets the model end where it
    /// likes. Benchmarks set it equal to `max_length` so that every engine generates the
    /// same number of tokens.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_length: usize,
    /// Sentences per model call.
    pub batch_size: usize,
    /// The language the model translates from (ISO 639-1). `None`: the folder's
    /// `tokenizer_config.json` (`source_lang`) or `config.json` (`source_lang`) when present,
    /// else `"de"`.
    pub source_language: Option<String>,
}

impl Default for TranslateOptions {
    /// opus-mt's own generation settings use 4 beams; 256 tokens is far above any news
    /// sentence (rust-bert truncates the input at the model's 512 positions anyway).
    fn default() -> Self {
        TranslateOptions {
            beam_size: 4,
            max_length: 256,
            min_length: 0,
            batch_size: 16,
            source_language: None,
        }
    }
}

impl TranslateOptions {
    /// Rejects settings rust-bert would panic on, so a bad flag fails at start-up.
    pub fn validate(&self) -> anyhow::Result<()> {
        anyhow::ensure!(
            self.beam_size >= 1,
            "translation beam size must be at least 1"
        );
        anyhow::ensure!(
            self.max_length >= 2,
            "translation max length must be at least 2 tokens"
        );
        anyhow::ensure!(
            self.min_length <= self.max_length,
            "translation min length must not exceed the max length"
        );
        anyhow::ensure!(
            self.batch_size >= 1,
            "translation batch size must be at least 1"
        );
        if let Some(lang) = &self.source_language {
            anyhow::ensure!(
                !lang.trim().is_empty(),
                "translation source language must not be empty"
            );
        }
        Ok(())
    }

    /// The options that change the output, as they enter the cache key.
    pub(crate) fn output_key(&self) -> String {
        let key = format!("beam={};max_length={}", self.beam_size, self.max_length);
        match self.min_length {
            0 => key,
            n => format!("{key};min_length={n}"),
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
