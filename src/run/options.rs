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
    /// Beam, lengths and batch of the translation stage; its `precision` is replaced by
    /// [`translate_precision`](Self::translate_precision) resolved for the model's format.
    pub translate_options: crate::stages::translate::TranslateOptions,
    /// Number format of the translation model; `auto`: for a CTranslate2 folder bf16 where
    /// the CPU computes it natively, else int8; for a Hugging Face folder (libtorch) f32.
    pub translate_precision: crate::precision::PrecisionSetting,
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

    /// The translation options for the model folder `model_dir`: the pool filled in from the
    /// run's threads (`workers` models or CTranslate2 workers of `threads / workers` threads
    /// each) and the precision resolved for the folder's format.
    pub fn translate_options_for_run(
        &self,
        model_dir: &std::path::Path,
    ) -> crate::stages::translate::TranslateOptions {
        let threads = self.thread_count().max(1);
        let workers = self
            .translate_workers
            .unwrap_or(threads.min(MAX_DEFAULT_TRANSLATE_WORKERS))
            .max(1);
        let ctranslate2 = crate::stages::translate::ctranslate2::is_ctranslate2_folder(model_dir);
        crate::stages::translate::TranslateOptions {
            workers,
            intra_op_threads: (threads / workers).max(1),
            precision: translate_precision(self.translate_precision, ctranslate2, || {
                if ctranslate2 {
                    // CTranslate2's own test: it refuses bf16 where it has no fast path, which
                    // need not match the CPU flags libtorch goes by.
                    crate::stages::translate::ctranslate2::ctranslate2_has_bf16()
                } else {
                    crate::precision::cpu_has_native_bf16()
                }
            }),
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
            translate_precision: Default::default(),
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

/// The translation precision a setting means for a model folder of either format on a CPU
/// with bf16 units or without. `auto` keeps f32 on libtorch: bf16 there is only faster on
/// bf16 units and changes translations, and users of that path keep the translations they
/// had; CTranslate2's int8 runs on any x86-64 CPU and is its fastest format there.
pub fn translate_precision(
    setting: crate::precision::PrecisionSetting,
    ctranslate2: bool,
    cpu_bf16: impl FnOnce() -> bool,
) -> crate::precision::Precision {
    use crate::precision::{Precision, PrecisionSetting};
    match (setting, ctranslate2) {
        (PrecisionSetting::Fixed(p), _) => p,
        (PrecisionSetting::Auto, true) => setting.resolve_for(cpu_bf16(), true),
        (PrecisionSetting::Auto, false) => Precision::F32,
    }
}

#[cfg(test)]
mod tests {
    use super::translate_precision;
    use crate::precision::{Precision, PrecisionSetting};

    /// The CPU-feature answer is forced both ways, so this holds on any machine.
    #[test]
    fn auto_translation_precision_is_int8_on_ctranslate2_without_bf16_units() {
        let auto = PrecisionSetting::Auto;
        assert_eq!(translate_precision(auto, true, || false), Precision::Int8);
        assert_eq!(translate_precision(auto, true, || true), Precision::Bf16);
        // libtorch keeps f32 under auto, bf16 units or not.
        assert_eq!(translate_precision(auto, false, || false), Precision::F32);
        assert_eq!(translate_precision(auto, false, || true), Precision::F32);
        for p in [Precision::F32, Precision::Bf16, Precision::Int8] {
            for (ct2, bf16) in [(true, true), (true, false), (false, true), (false, false)] {
                assert_eq!(
                    translate_precision(PrecisionSetting::Fixed(p), ct2, || bf16),
                    p
                );
            }
        }
    }
}
