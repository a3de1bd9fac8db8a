//! The rust-bert Marian backend: `MarianGenerator` over a checked model folder.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use anyhow::{anyhow, Context, Result};
use rust_bert::marian::MarianGenerator;
use rust_bert::pipelines::common::{ModelResource, ModelType, TokenizerOption};
use rust_bert::pipelines::generation_utils::{GenerateConfig, LanguageGenerator};
use rust_bert::resources::LocalResource;
use tch::Device;

use super::backend::SentenceTranslator;
use super::folder::MarianFolder;
use super::{Precision, TranslateOptions};

/// A Marian translation model (opus-mt family) loaded through rust-bert.
pub struct MarianTranslator {
    generator: MarianGenerator,
    intra_op_threads: i32,
}

impl MarianTranslator {
    /// Loads the model of a folder that [`MarianFolder::inspect`] accepted. Beam size and
    /// max length are fixed here; the generator applies them to every call.
    pub fn load(folder: &MarianFolder, options: &TranslateOptions) -> Result<MarianTranslator> {
        options.validate()?;
        let shown = folder.dir.display();
        anyhow::ensure!(
            options.precision != Precision::Int8,
            "translation model folder {shown} is a Hugging Face folder, which runs on libtorch \
             in f32 or bf16; int8 needs its CTranslate2 form (`newsextract models convert \
             {shown} <new folder>`)"
        );
        let tokenizer = marian_tokenizer(&folder.dir, &folder.vocab_path, &folder.spm_path)?;

        let config = GenerateConfig {
            model_type: ModelType::Marian,
            model_resource: ModelResource::Torch(Box::new(LocalResource::from(
                folder.weights_path.clone(),
            ))),
            config_resource: Box::new(LocalResource::from(folder.config_path.clone())),
            vocab_resource: Box::new(LocalResource::from(folder.vocab_path.clone())),
            merges_resource: Some(Box::new(LocalResource::from(folder.spm_path.clone()))),
            min_length: options.min_length as i64,
            max_length: Some(options.max_length as i64),
            do_sample: false,
            early_stopping: true,
            num_beams: options.beam_size as i64,
            temperature: 1.0,
            top_k: 50,
            top_p: 1.0,
            repetition_penalty: 1.0,
            length_penalty: 1.0,
            no_repeat_ngram_size: 0,
            num_return_sequences: 1,
            num_beam_groups: None,
            diversity_penalty: None,
            device: Device::cuda_if_available(),
            // `None`: rust-bert casts to f32 on the CPU whatever the file holds.
            kind: match options.precision {
                Precision::F32 => None,
                other => Some(other.kind()),
            },
        };
        // rust-bert reports most loading problems as errors but panics on some (shapes that
        // do not fit the config, for one); both become a start-up error naming the folder.
        let generator = catch_unwind(AssertUnwindSafe(|| {
            MarianGenerator::new_with_tokenizer(config, tokenizer)
        }))
        .map_err(|panic| {
            anyhow!(
                "translation model folder {shown}: loading {} failed: {}",
                folder.weights_path.display(),
                panic_message(&*panic)
            )
        })?
        .map_err(|e| {
            anyhow!(
                "translation model folder {shown}: loading {} failed: {e}{}",
                folder.weights_path.display(),
                if e.to_string().contains("embed_positions") {
                    " (Marian as saved by current transformers lacks the sinusoidal position tables: run scripts/prepare-marian.py)"
                } else {
                    ""
                }
            )
        })?;
        Ok(MarianTranslator {
            generator,
            intra_op_threads: i32::try_from(options.threads_per_worker()).unwrap_or(i32::MAX),
        })
    }

    /// `options.worker_count()` models of the folder, loaded one after the other: each
    /// holds its own weights (rust-bert's generator keeps its variable store private, so
    /// copies cannot share one as the NER models do), and a load briefly holds the file's
    /// tensors next to the model's, so loading them at once would add those peaks up.
    pub fn load_copies(
        folder: &MarianFolder,
        options: &TranslateOptions,
    ) -> Result<Vec<MarianTranslator>> {
        (0..options.worker_count())
            .map(|_| Self::load(folder, options))
            .collect()
    }

    /// Checks the folder, then loads it.
    pub fn load_dir(model_dir: &Path, options: &TranslateOptions) -> Result<MarianTranslator> {
        Self::load(&MarianFolder::inspect(model_dir)?, options)
    }
}

impl SentenceTranslator for MarianTranslator {
    fn translate(&mut self, sentences: &[&str]) -> Result<Vec<String>> {
        if sentences.is_empty() {
            return Ok(Vec::new());
        }
        // Per call: the thread may have run another stage's model with another setting.
        tch::set_num_threads(self.intra_op_threads);
        let out = catch_unwind(AssertUnwindSafe(|| {
            self.generator.generate(Some(sentences), None)
        }))
        .map_err(|panic| anyhow!("Marian generation panicked: {}", panic_message(&*panic)))?
        .context("Marian generation failed")?;
        anyhow::ensure!(
            out.len() == sentences.len(),
            "Marian returned {} translations for {} sentences",
            out.len(),
            sentences.len()
        );
        Ok(out.into_iter().map(|o| o.text.trim().to_owned()).collect())
    }
}

/// Marian's tokenizer from a folder's `vocab.json` and `source.spm`, as both backends use it.
pub(crate) fn marian_tokenizer(dir: &Path, vocab: &Path, spm: &Path) -> Result<TokenizerOption> {
    TokenizerOption::from_file(
        ModelType::Marian,
        path_str(vocab)?,
        Some(path_str(spm)?),
        false,
        None,
        None,
    )
    .map_err(|e| {
        anyhow!(
            "translation model folder {}: tokenizer files: {e}",
            dir.display()
        )
    })
}

fn path_str(p: &Path) -> Result<&str> {
    p.to_str()
        .ok_or_else(|| anyhow!("{} is not valid UTF-8", p.display()))
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "unknown panic".into())
}
