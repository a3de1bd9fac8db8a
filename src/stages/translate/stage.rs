//! [`TranslateStage`]: fills `translation` and `provenance.models["translate"]`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{ensure, Result};
use serde_json::json;

use super::backend::SentenceTranslator;
use super::cache::TranslationCache;
use super::ctranslate2::{is_ctranslate2_folder, Ct2Folder, Ct2Translator};
use super::folder::MarianFolder;
use super::marian::MarianTranslator;
use super::number_check::check_numbers;
use super::TranslateOptions;
use crate::document::{Document, ModelInfo, Translation};
use crate::pool::ModelPool;
use crate::stage::{SentenceTranslation, Stage, StageCounts};
use crate::stages::claims::Claim;

/// Key of this stage in `stages` and `provenance.models`.
pub const STAGE_NAME: &str = "translate";

/// The translation stage. See the module docs of [`crate::stages::translate`] for how its models
/// are shared across rayon workers.
pub struct TranslateStage {
    /// `options.workers` models, lent one batch at a time.
    backends: ModelPool<dyn SentenceTranslator>,
    cache: TranslationCache,
    model: ModelInfo,
    source_language: String,
    options: TranslateOptions,
    /// The options as the run gave them, for the fingerprint (a source language read from
    /// the model folder is part of the model's identity already).
    requested: TranslateOptions,
    engine: Engine,
}

/// What runs the translation model; chosen by the model folder's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    /// rust-bert's Marian on libtorch, for Hugging Face folders.
    Libtorch,
    /// CTranslate2, for CTranslate2 folders.
    CTranslate2,
}

impl Engine {
    pub fn as_str(&self) -> &'static str {
        match self {
            Engine::Libtorch => "libtorch",
            Engine::CTranslate2 => "ctranslate2",
        }
    }
}

/// A model loaded by one of the backends, with what the stage needs to know of it.
struct Loaded {
    backends: Vec<Box<dyn SentenceTranslator>>,
    model: ModelInfo,
    source_language: Option<String>,
    engine: Engine,
}

/// Loads a Hugging Face Marian folder on libtorch: `options.workers` copies of the model.
fn load_marian(model_dir: &Path, options: &TranslateOptions) -> Result<Loaded> {
    let folder = MarianFolder::inspect(model_dir)?;
    load_while_hashing(&folder.weights_path, Engine::Libtorch, || {
        let loaded = MarianTranslator::load_copies(&folder, options)?;
        Ok((loaded, folder.name.clone(), folder.source_language.clone()))
    })
}

/// Loads a CTranslate2 folder: one model, `options.workers` CTranslate2 workers sharing it.
fn load_ctranslate2(model_dir: &Path, options: &TranslateOptions) -> Result<Loaded> {
    let folder = Ct2Folder::inspect(model_dir)?;
    load_while_hashing(&folder.model_path, Engine::CTranslate2, || {
        let loaded = Ct2Translator::load_workers(&folder, options)?;
        Ok((loaded, folder.name.clone(), folder.source_language.clone()))
    })
}

/// Runs `load` (backends, model name, source language) while the weights file is hashed on
/// another thread (about a second for opus-mt).
fn load_while_hashing<B: SentenceTranslator + 'static>(
    weights: &Path,
    engine: Engine,
    load: impl FnOnce() -> Result<(Vec<B>, String, Option<String>)>,
) -> Result<Loaded> {
    let (sha256, loaded) = std::thread::scope(|scope| {
        let hashing = scope.spawn(|| crate::models::sha256_file(weights));
        let loaded = load();
        let sha256 = hashing
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (sha256, loaded)
    });
    let (backends, name, source_language) = loaded?;
    Ok(Loaded {
        backends: backends
            .into_iter()
            .map(|b| Box::new(b) as Box<dyn SentenceTranslator>)
            .collect(),
        model: ModelInfo {
            name,
            sha256: sha256?,
        },
        source_language,
        engine,
    })
}

impl TranslateStage {
    /// Checks the model folder, hashes its weights, loads the model with the backend its
    /// format calls for (CTranslate2 for a CTranslate2 folder, rust-bert on libtorch for a
    /// Hugging Face one) and opens the cache under `cache_dir`. Every problem is reported
    /// here, before any article is read.
    pub fn load(
        model_dir: &Path,
        options: TranslateOptions,
        cache_dir: &Path,
    ) -> Result<TranslateStage> {
        Self::load_wrapped(model_dir, options, cache_dir, |m| m)
    }

    /// [`load`](Self::load), with each loaded backend passed through `wrap` before the stage
    /// takes it (tests count model calls this way; a caller could add logging).
    pub fn load_wrapped(
        model_dir: &Path,
        options: TranslateOptions,
        cache_dir: &Path,
        wrap: impl FnMut(Box<dyn SentenceTranslator>) -> Box<dyn SentenceTranslator>,
    ) -> Result<TranslateStage> {
        options.validate()?;
        let requested = options.clone();
        let loaded = if is_ctranslate2_folder(model_dir) {
            load_ctranslate2(model_dir, &options)?
        } else {
            load_marian(model_dir, &options)?
        };
        let source_language = options
            .source_language
            .clone()
            .or(loaded.source_language)
            .unwrap_or_else(|| "de".into());
        let mut stage = Self::with_engine(
            loaded.backends.into_iter().map(wrap).collect(),
            loaded.model,
            TranslateOptions {
                source_language: Some(source_language),
                ..options
            },
            cache_dir,
            loaded.engine,
        )?;
        stage.requested = requested;
        Ok(stage)
    }

    /// The stage around any backend (tests wrap the Marian backend to count its calls).
    /// `model.sha256` keys the cache; `options.source_language` (default `"de"`) decides
    /// which articles are translated.
    pub fn with_backend(
        backend: Box<dyn SentenceTranslator>,
        model: ModelInfo,
        options: TranslateOptions,
        cache_dir: &Path,
    ) -> Result<TranslateStage> {
        Self::with_backends(vec![backend], model, options, cache_dir)
    }

    /// [`with_backend`](Self::with_backend) over several models that translate batches in
    /// parallel (`options.workers` is not consulted: there is one worker per model).
    pub fn with_backends(
        backends: Vec<Box<dyn SentenceTranslator>>,
        model: ModelInfo,
        options: TranslateOptions,
        cache_dir: &Path,
    ) -> Result<TranslateStage> {
        Self::with_engine(backends, model, options, cache_dir, Engine::Libtorch)
    }

    fn with_engine(
        backends: Vec<Box<dyn SentenceTranslator>>,
        model: ModelInfo,
        options: TranslateOptions,
        cache_dir: &Path,
        engine: Engine,
    ) -> Result<TranslateStage> {
        options.validate()?;
        let mut key = options.output_key();
        if engine != Engine::Libtorch {
            key += &format!(";engine={}", engine.as_str());
        }
        let cache = TranslationCache::open(cache_dir, &model.sha256, &key)?;
        let source_language = options
            .source_language
            .clone()
            .unwrap_or_else(|| "de".into());
        Ok(TranslateStage {
            backends: ModelPool::new(backends)?,
            cache,
            model,
            source_language,
            requested: options.clone(),
            options,
            engine,
        })
    }

    /// The engine that runs the model.
    pub fn engine(&self) -> Engine {
        self.engine
    }

    /// The model's name and weights hash, as written to `provenance.models["translate"]`.
    pub fn model(&self) -> &ModelInfo {
        &self.model
    }

    /// The language the model translates from.
    pub fn source_language(&self) -> &str {
        &self.source_language
    }

    pub fn cache(&self) -> &TranslationCache {
        &self.cache
    }

    /// Why a document is not translated, or `None` when it is.
    fn skip_reason(&self, doc: &Document) -> Option<String> {
        match &doc.language {
            None => Some(format!(
                "language unknown; the model translates from {}",
                self.source_language
            )),
            Some(l) if l.code != self.source_language => Some(format!(
                "language is {}; the model translates from {}",
                l.code, self.source_language
            )),
            Some(_) => None,
        }
    }

    /// English for each of `texts`, in order, from the cache or the model (blank sentences
    /// give ""). The summarize stage translates just the summary sentences this way.
    pub fn translate_sentences(&self, texts: &[&str]) -> Result<Vec<String>> {
        let mut known: HashMap<String, String> = HashMap::new();
        let mut missing: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for &text in texts {
            if text.trim().is_empty() || !seen.insert(text) {
                continue;
            }
            match self.cache.get(text) {
                Some(t) => {
                    known.insert(text.to_owned(), t);
                }
                None => missing.push(text),
            }
        }
        known.extend(self.translate_missing(missing)?);
        Ok(texts
            .iter()
            .map(|t| known.get(*t).cloned().unwrap_or_default())
            .collect())
    }

    /// Translates the given unique sentences (none cached, none blank): longest first, in
    /// batches of `batch_size` (smaller when there are too few sentences for a batch per
    /// model) spread over the models, each batch written to the cache as
    /// soon as it is back.
    fn translate_missing(&self, missing: Vec<&str>) -> Result<HashMap<String, String>> {
        let mut order = missing;
        // Similar lengths in one batch waste less padding; longest first shows a memory
        // problem on the first batch instead of the last, and lets the pool's workers end
        // together.
        order.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        let batch_len = self
            .backends
            .batch_len(order.len(), self.options.batch_size);
        let batches: Vec<&[&str]> = order.chunks(batch_len).collect();
        let english = self.backends.map(&batches, |backend, batch| {
            let english = backend.translate(batch)?;
            ensure!(
                english.len() == batch.len(),
                "translation model returned {} sentences for {}",
                english.len(),
                batch.len()
            );
            let pairs: Vec<(&str, &str)> = batch
                .iter()
                .copied()
                .zip(english.iter().map(String::as_str))
                .collect();
            self.cache.insert_many(&pairs)?;
            Ok(english)
        })?;
        Ok(order
            .iter()
            .map(|s| s.to_string())
            .zip(english.into_iter().flatten())
            .collect())
    }
}

impl SentenceTranslation for TranslateStage {
    fn model(&self) -> &ModelInfo {
        TranslateStage::model(self)
    }

    fn source_language(&self) -> &str {
        TranslateStage::source_language(self)
    }

    fn translate_sentences(&self, sentences: &[&str]) -> Result<Vec<String>> {
        TranslateStage::translate_sentences(self, sentences)
    }

    fn number_warnings(&self, claims: &[Claim], english: &[String]) -> Vec<serde_json::Value> {
        check_numbers(claims, english)
            .into_iter()
            .map(|w| serde_json::to_value(w).expect("plain struct"))
            .collect()
    }
}

impl Stage for TranslateStage {
    fn name(&self) -> &'static str {
        STAGE_NAME
    }

    /// The model's identity and the options that change a translation (threads and workers
    /// do not), and the engine when it is not libtorch (so fingerprints of libtorch runs stay
    /// what they were before there was a choice).
    fn describe(&self) -> serde_json::Value {
        match self.engine {
            Engine::Libtorch => json!({"model": self.model(), "options": self.requested}),
            other => json!({
                "model": self.model(),
                "options": self.requested,
                "engine": other.as_str(),
            }),
        }
    }

    fn requires(&self) -> &'static [&'static str] {
        &["segment"]
    }

    /// The number check compares each claim with its sentence's English.
    fn reads_if_present(&self) -> &'static [&'static str] {
        &["claims"]
    }

    fn process(&self, docs: &mut [Document]) -> Result<Vec<StageCounts>> {
        // 1. What each document needs, and which sentences the cache lacks (once each).
        let skips: Vec<Option<String>> = docs.iter().map(|d| self.skip_reason(d)).collect();
        let mut cached: HashMap<String, String> = HashMap::new();
        let mut missing: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (doc, skip) in docs.iter().zip(&skips) {
            if skip.is_some() {
                continue;
            }
            for s in &doc.sentences {
                let text = s.text.as_str();
                if text.trim().is_empty() || !seen.insert(text) {
                    continue;
                }
                match self.cache.get(text) {
                    Some(t) => {
                        cached.insert(text.to_owned(), t);
                    }
                    None => missing.push(text),
                }
            }
        }
        let missing_count = missing.len();
        let fresh = self.translate_missing(missing)?;
        debug_assert_eq!(fresh.len(), missing_count);

        // 2. Fill every document in its own sentence order.
        let mut counted_fresh: HashSet<&str> = HashSet::new();
        let mut all_counts = Vec::with_capacity(docs.len());
        for (doc, skip) in docs.iter_mut().zip(skips) {
            doc.provenance
                .models
                .insert(STAGE_NAME.into(), self.model.clone());
            let mut counts = StageCounts::new();
            if let Some(reason) = skip {
                counts.insert("skipped".into(), json!(true));
                doc.translation = Some(Translation {
                    model: self.model.name.clone(),
                    sentences: Vec::new(),
                    warnings: Vec::new(),
                    skipped: Some(reason),
                });
                all_counts.push(counts);
                continue;
            }
            let (mut from_model, mut from_cache) = (0usize, 0usize);
            let mut english = Vec::with_capacity(doc.sentences.len());
            for s in &doc.sentences {
                let text = s.text.as_str();
                if text.trim().is_empty() {
                    english.push(String::new());
                } else if let Some(t) = fresh.get(text) {
                    // A sentence repeated in the batch costs one model call; the first
                    // occurrence counts as translated, the others as cached.
                    if counted_fresh.insert(fresh.get_key_value(text).unwrap().0.as_str()) {
                        from_model += 1;
                    } else {
                        from_cache += 1;
                    }
                    english.push(t.clone());
                } else {
                    let t = cached
                        .get(text)
                        .expect("every sentence was looked up or translated above");
                    from_cache += 1;
                    english.push(t.clone());
                }
            }
            let warnings = check_numbers(&doc.claims, &english);
            counts.insert("sentences".into(), json!(english.len()));
            counts.insert("translated".into(), json!(from_model));
            counts.insert("cached".into(), json!(from_cache));
            counts.insert("number_warnings".into(), json!(warnings.len()));
            doc.translation = Some(Translation {
                model: self.model.name.clone(),
                sentences: english,
                warnings: warnings
                    .into_iter()
                    .map(|w| serde_json::to_value(w).expect("plain struct"))
                    .collect(),
                skipped: None,
            });
            all_counts.push(counts);
        }
        Ok(all_counts)
    }
}
