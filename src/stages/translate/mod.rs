//! German-to-English translation (`--translate`).
//!
//! Sentence by sentence: every entry of [`Document::sentences`](crate::document::Document) of
//! an article in the model's source language gets one English sentence in
//! [`Translation::sentences`](crate::document::Translation), in the same order. Articles in
//! any other language get `translation.skipped` with the reason instead.
//!
//! The parts, one job each:
//! - [`backend`]: the [`SentenceTranslator`] trait, the only way the stage reaches a model.
//! - [`marian`]: the rust-bert Marian backend (opus-mt-de-en family) behind that trait, for
//!   Hugging Face model folders.
//! - [`ctranslate2`]: the CTranslate2 backend, for CTranslate2 model folders (the stage picks
//!   the backend by the folder's format), and the converter that writes such folders.
//! - [`folder`]: checks a model folder at start-up and hashes its weights.
//! - [`cache`]: the persistent translation cache, keyed by (model, options, sentence).
//! - [`numbers`]: the number faithfulness check of claims against the English sentences.
//! - [`stage`]: [`TranslateStage`], the pipeline [`Stage`](crate::stage::Stage).
//!
//! # Sharing the models across rayon workers
//! rust-bert models are `Send` but not `Sync` (the generator owns tensors, a `VarStore` and a
//! tokenizer, none of which promise shared access), while [`Stage`](crate::stage::Stage)
//! must be `Sync` because rayon workers call `process` concurrently. The stage keeps
//! `options.workers` models in a [`ModelPool`](crate::pool::ModelPool): each `process` call
//! gathers the uncached sentences of all its articles, sorts them by length, cuts them into
//! batches of `batch_size` and spreads the batches over the models, each model call on
//! `intra_op_threads` libtorch threads (set on the calling thread before every call, since
//! the NER stage leaves its own setting on the threads it ran on). `newsextract run` uses one
//! model per worker thread, at most four, with the cores divided among them. Each copy holds
//! its own weights (~300 MB in f32, half in bf16): rust-bert keeps the generator's variable
//! store private, so copies cannot share one as the NER models do. Measured
//! (`docs/performance.md`): on 2 idle cores two single-thread models are as fast as one
//! model on two threads; the pool is there for busy machines, where OpenMP threads of one
//! call wait for each other, and the cap keeps memory bounded on many-core machines.

pub mod backend;
pub mod cache;
pub mod ctranslate2;
pub mod folder;
pub mod marian;
pub mod number_check;
pub mod stage;

pub use backend::SentenceTranslator;
pub use cache::TranslationCache;
pub use folder::MarianFolder;
pub use marian::MarianTranslator;
pub use number_check::{check_numbers, NumberWarning};
pub use stage::{Engine, TranslateStage};

use serde::{Deserialize, Serialize};

pub use crate::precision::{cpu_has_native_bf16, Precision};

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
    /// Number format of the weights and arithmetic. bf16 and int8 can change a translation,
    /// so they are part of the cache key and the output fingerprint; the default f32 adds
    /// nothing to either. int8 needs the CTranslate2 backend.
    #[serde(default, skip_serializing_if = "Precision::is_f32")]
    pub precision: Precision,
    /// Model copies translating batches in parallel (each holds its own weights); 0 or 1:
    /// one. Speed and memory only, so not part of the fingerprint.
    #[serde(skip)]
    pub workers: usize,
    /// libtorch intra-op threads of each model call, set on the calling thread before every
    /// call; 0: the cores divided among the workers (at least 1).
    #[serde(skip)]
    pub intra_op_threads: usize,
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
            precision: Precision::F32,
            workers: 1,
            intra_op_threads: 0,
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
        let mut key = format!("beam={};max_length={}", self.beam_size, self.max_length);
        if self.min_length > 0 {
            key += &format!(";min_length={}", self.min_length);
        }
        if !self.precision.is_f32() {
            key += &format!(";precision={}", self.precision.as_str());
        }
        key
    }

    /// Model copies in the pool (at least one).
    pub fn worker_count(&self) -> usize {
        self.workers.max(1)
    }

    /// Intra-op threads of each model call: as set, else the cores divided among the workers.
    pub fn threads_per_worker(&self) -> usize {
        match self.intra_op_threads {
            0 => {
                let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
                (cores / self.worker_count()).max(1)
            }
            n => n,
        }
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precision_enters_the_cache_key_except_f32() {
        let key = |precision| {
            TranslateOptions {
                precision,
                ..Default::default()
            }
            .output_key()
        };
        assert_eq!(key(Precision::F32), "beam=4;max_length=256");
        assert!(key(Precision::Int8).ends_with(";precision=int8"));
        assert!(key(Precision::Bf16).ends_with(";precision=bf16"));
    }
}
