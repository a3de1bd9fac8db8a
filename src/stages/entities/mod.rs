//! The entities stage: named entities (PER, ORG, LOC, MISC) of every sentence, with char
//! offsets into the article, a confidence, and a canonical form per article.
//!
//! The pieces, one job each:
//! - [`backend`]: the seams — a [`SubwordTokenizer`] and a [`TokenClassifier`] — and their
//!   rust-bert implementations (the model forward is rust-bert's, nothing else).
//! - [`windows`]: sentences longer than the model's limit as overlapping windows.
//! - [`tags_to_spans`]: subwords into words, the most probable valid IOB2 tag sequence (for models
//!   that declare IOB2), BIO / IOB1 / BIOES tags into spans.
//! - [`label_sets`]: the model's label set mapped onto PER / ORG / LOC / MISC.
//! - [`canonical`]: mentions grouped under the longest form seen in the article.
//! - `stage.rs`: the stage (loading, its fingerprint entry); `inference.rs`: sentences through
//!   the model pool and back into a document's entities, through the rules below.
//! - `surface`: names inside links dropped, the first part of an elliptical compound
//!   ("Süd- und Nordkorea") given its hyphen and a completed canonical form.
//! - `casing`: all-caps datelines, headlines and runs read by the model in running-text case.
//! - `amounts`: a currency after an amount ("50 Mark") is no entity.
//! - `boundaries`: initials joined to the surname, an institution and its place joined into one
//!   organisation, a byline's "Von" trimmed.
//! - `consistency`: one label per name within an article, by a vote over the mentions' scores
//!   (off by default: measured, it did not help).
//!
//! Threads: a rust-bert model is `Send` but not `Sync`, so the stage keeps its models in a
//! pool and lends each to one thread at a time; batches (longest first) go to whichever model
//! is free. The copies of a pool share one set of weights in memory ([`weights`]), so a model
//! per core costs one network's bookkeeping, not another 470 MB. Each model runs on one
//! libtorch intra-op thread: one model on several intra-op threads was many times slower on
//! the shared 2-core machine (OpenMP's threads wait for each other at every op, and one of
//! them is always descheduled on a busy machine), while single-thread models on separate
//! cores do not wait for each other. `newsextract run` uses one model per worker thread;
//! figures in `BENCHMARKS.md` and `docs/entities.md`.

mod amounts;
pub mod backend;
mod boundaries;
pub mod canonical;
mod casing;
mod consistency;
mod inference;
pub mod int8;
pub mod label_sets;
mod stage;
mod surface;
pub mod tags_to_spans;
mod weights;
pub mod windows;

use anyhow::{bail, Result};

pub use backend::{
    HfTokenizer, NativeTokenizer, RustBertClassifier, SubToken, SubwordTokenizer, TokenClassifier,
};
pub use stage::{EntitiesStage, TokenTag};

use crate::precision::Precision;

/// The key of this stage in `stages` and `provenance.models`.
pub const STAGE_NAME: &str = "entities";

/// Version of the rules around the model (part of the run's fingerprint; what each version
/// changed is in `docs/entities.md`).
pub const RULES_VERSION: u32 = 3;

/// The rules around the model, each on by default and switchable to measure it
/// (`docs/entities.md`, "Rules around the model").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextRules {
    /// All-caps datelines, headlines and runs are given running-text case for the model.
    pub recase_caps: bool,
    /// A currency after an amount ("50 Mark", "3 Mio. Euro") is dropped.
    pub amount_units: bool,
    /// Initials joined to the surname, "Arbeitsamt" + "Kassel" one ORG, a byline's "Von" trimmed.
    pub boundaries: bool,
    /// The mentions of one text in an article agree on their label (score-weighted vote), and a
    /// person span made of names written alone elsewhere is split ("Putin Kim"). Off by
    /// default: it lost a span or two on both sets of annotated articles (`docs/entities.md`).
    pub label_vote: bool,
}

impl Default for ContextRules {
    fn default() -> Self {
        ContextRules {
            recase_caps: true,
            amount_units: true,
            boundaries: true,
            label_vote: false,
        }
    }
}

/// How word tags are read from the model's label probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decoding {
    /// Each word takes its first subword's most probable label; spans are read from those
    /// tags with the rule that serves IOB2, IOB1 and BIOES alike.
    Argmax,
    /// IOB2 only: the words of a sentence take the most probable tag sequence in which every
    /// `I-X` continues a `B-X` or `I-X` (Viterbi over the first subwords' probabilities).
    /// Measured on the shipped model's validation split: +0.4 to +1.1 points of span F1 over
    /// argmax for all five trained candidates (`training/README.md`).
    Iob2Constrained,
}

impl Decoding {
    /// The decoding a model folder asks for in `config.json`'s `tag_scheme`: `"IOB2"` →
    /// [`Decoding::Iob2Constrained`]; absent, `"IOB1"`, `"BIOES"` or `"IO"` →
    /// [`Decoding::Argmax`] (which reads them all). Most published models do not say which
    /// scheme they use, and IOB1 and IOB2 label sets look the same (`B-PER`, `I-PER`), so
    /// constrained decoding is only used when declared.
    pub fn for_model(config: &serde_json::Value) -> Result<Decoding> {
        match config.get("tag_scheme") {
            None | Some(serde_json::Value::Null) => Ok(Decoding::Argmax),
            Some(serde_json::Value::String(s)) => match s.to_ascii_uppercase().as_str() {
                "IOB2" | "BIO" => Ok(Decoding::Iob2Constrained),
                "IOB1" | "IOB" | "BIOES" | "IOBES" | "BILOU" | "IO" => Ok(Decoding::Argmax),
                _ => bail!(
                    "config.json: tag_scheme `{s}` is not one of IOB2, BIO, IOB1, BIOES, BILOU, IO"
                ),
            },
            Some(other) => bail!("config.json: tag_scheme must be a string, not {other}"),
        }
    }
}

/// How the stage runs its model.
#[derive(Debug, Clone)]
pub struct EntitiesOptions {
    /// Windows per model call. Windows of all sentences of a batch of articles are sorted by
    /// length before they are cut into model calls, so padding stays small.
    pub batch_size: usize,
    /// Longest sequence given to the model, special tokens included; `None`: the model's
    /// own limit (`max_position_embeddings`). Longer sentences are split into windows.
    pub max_len: Option<usize>,
    /// Tokens shared by consecutive windows of a long sentence (at most half a window).
    pub window_overlap: usize,
    /// Models (networks sharing one copy of the weights) that run batches in parallel;
    /// default 1 here, one per worker thread in `newsextract run` (see the module
    /// documentation).
    pub workers: usize,
    /// libtorch intra-op threads per model call; `None`: 1 (measured fastest: see the module
    /// documentation).
    pub intra_op_threads: Option<i32>,
    pub device: tch::Device,
    /// `None`: what the model folder declares ([`Decoding::for_model`]) when loaded with
    /// [`EntitiesStage::load`], [`Decoding::Argmax`] with [`EntitiesStage::from_parts`].
    pub decoding: Option<Decoding>,
    /// Number format of the model's weights and arithmetic (see [`crate::precision`]).
    pub precision: Precision,
    /// Apply the rules on a span's surroundings (names in links dropped, elliptical compounds,
    /// names cut at a connector; see `docs/entities.md`). On by default; off only to measure them.
    pub surface_rules: bool,
    /// The rules that read the article around the model's spans.
    pub context_rules: ContextRules,
}

impl Default for EntitiesOptions {
    fn default() -> Self {
        EntitiesOptions {
            batch_size: 16,
            max_len: None,
            window_overlap: 64,
            workers: 1,
            intra_op_threads: None,
            device: tch::Device::Cpu,
            decoding: None,
            surface_rules: true,
            precision: Precision::F32,
            context_rules: ContextRules::default(),
        }
    }
}
