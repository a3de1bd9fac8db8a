//! [`EntitiesStage`]: the model pool, its loading and checks, what the stage contributes to
//! the fingerprint, and the stage itself over a batch of documents.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};

use super::backend::{SubwordTokenizer, TokenClassifier};
use super::label_sets::Tag;
use super::tags_to_spans::{Iob2Constraints, LabelledToken};
use super::*;
use crate::document::{Document, ModelInfo};
use crate::models;
use crate::offsets::CharIndex;
use crate::pool::ModelPool;
use crate::precision::Precision;
use crate::stage::{Stage, StageCounts};

/// One subword token's label, as [`EntitiesStage::label_tokens`] reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenTag {
    /// Char offsets into the text given.
    pub start: usize,
    pub end: usize,
    /// The model's label (`B-PER`, `O`, ...).
    pub label: String,
    pub score: f32,
}

/// Labelled tokens of one sentence, every token's label probabilities (row-major, one row
/// per token) and how many windows it took.
pub(super) struct SentenceLabels {
    pub(super) tokens: Vec<LabelledToken>,
    pub(super) probs: Vec<f32>,
    pub(super) windows: usize,
}

pub struct EntitiesStage {
    pub(super) tokenizer: Box<dyn SubwordTokenizer>,
    pub(super) pool: ModelPool<dyn TokenClassifier>,
    pub(super) labels: Vec<String>,
    pub(super) tags: Vec<Tag>,
    /// Set when the stage decodes with [`Decoding::Iob2Constrained`].
    pub(super) constraints: Option<Iob2Constraints>,
    /// PER/ORG/LOC/MISC for each label's entity type; `None`: dropped.
    pub(super) mapped: Vec<Option<&'static str>>,
    pub(super) window: usize,
    pub(super) overlap: usize,
    pub(super) batch_size: usize,
    pub(super) surface_rules: bool,
    pub(super) context_rules: ContextRules,
    pub(super) precision: Precision,
    pub(super) model: ModelInfo,
}

impl EntitiesStage {
    /// Loads the model folder `model_dir` (checked first: see [`models::validate_model_dir`])
    /// with rust-bert: `options.workers` copies of the model and the folder's tokenizer
    /// (`tokenizer.json`, else native vocabulary files). The weights are hashed once here for
    /// `provenance.models`.
    pub fn load(model_dir: &Path, mut options: EntitiesOptions) -> Result<EntitiesStage> {
        let files = models::validate_model_dir(model_dir)?;
        if options.decoding.is_none() {
            options.decoding = Some(
                Decoding::for_model(&files.config)
                    .with_context(|| format!("model folder {}", model_dir.display()))?,
            );
        }
        let workers = options.workers.max(1);
        // Set on every call, not left to libtorch's per-thread default: another stage (or a
        // thread that ran one) may have changed it.
        let threads = options.intra_op_threads.unwrap_or(1).max(1);
        // Hashing the weights and reading the tokenizer take another core while the models
        // are built (the hash alone is about a second for the default model).
        let (model, tokenizer, classifiers) = std::thread::scope(|scope| {
            let hashing = scope.spawn(|| models::model_info(model_dir));
            let tokenizing = scope.spawn(|| backend::load_tokenizer(&files));
            // One copy of the weights in memory, whatever the number of workers.
            let classifiers = RustBertClassifier::load_copies(
                &files,
                options.device,
                Some(threads),
                workers,
                options.precision,
            )
            .map(|all| {
                all.into_iter()
                    .map(|c| Box::new(c) as Box<dyn TokenClassifier>)
                    .collect()
            });
            let model = hashing
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            let tokenizer = tokenizing
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            (model, tokenizer, classifiers)
        });
        Self::from_parts(tokenizer?, classifiers?, model?, options)
    }

    /// A stage over any tokenizer and classifiers (other engines, test doubles). The
    /// classifiers must share one label set; there is one worker per classifier.
    pub fn from_parts(
        tokenizer: Box<dyn SubwordTokenizer>,
        classifiers: Vec<Box<dyn TokenClassifier>>,
        model: ModelInfo,
        options: EntitiesOptions,
    ) -> Result<EntitiesStage> {
        let first = classifiers
            .first()
            .ok_or_else(|| anyhow!("the entities stage needs at least one model"))?;
        let labels = first.labels().to_vec();
        if labels.is_empty() {
            bail!("model {} has no labels", model.name);
        }
        if classifiers.iter().any(|c| c.labels() != labels.as_slice()) {
            bail!("the models of the pool have different label sets");
        }
        let model_max = classifiers.iter().map(|c| c.max_len()).min().unwrap_or(0);
        let max_len = options.max_len.map_or(model_max, |m| m.min(model_max));
        let specials = tokenizer.prefix().len() + tokenizer.suffix().len();
        if max_len <= specials {
            bail!(
                "model {}: sequences of {max_len} tokens leave no room beside {specials} special tokens",
                model.name
            );
        }
        if options.batch_size == 0 {
            bail!("batch_size must be at least 1");
        }
        let tags: Vec<Tag> = labels.iter().map(|l| Tag::parse(l)).collect();
        let constraints = match options.decoding.unwrap_or(Decoding::Argmax) {
            Decoding::Argmax => None,
            Decoding::Iob2Constrained => Some(Iob2Constraints::new(&tags).map_err(|e| {
                anyhow!(
                    "model {}: IOB2 decoding asked for, but the label set is not IOB2: {e}",
                    model.name
                )
            })?),
        };
        let mapped = tags.iter().map(|t| label_sets::map_kind(&t.kind)).collect();
        Ok(EntitiesStage {
            tokenizer,
            pool: ModelPool::new(classifiers)?,
            labels,
            tags,
            constraints,
            mapped,
            window: max_len - specials,
            overlap: options.window_overlap,
            batch_size: options.batch_size,
            surface_rules: options.surface_rules,
            context_rules: options.context_rules,
            precision: options.precision,
            model,
        })
    }

    /// The model's name and weights hash, as written to `provenance.models["entities"]`.
    pub fn model_info(&self) -> &ModelInfo {
        &self.model
    }

    /// The number format the models run in.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// How word tags are read from the model's probabilities.
    pub fn decoding(&self) -> Decoding {
        if self.constraints.is_some() {
            Decoding::Iob2Constrained
        } else {
            Decoding::Argmax
        }
    }

    /// The model's label set, by class index.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Subword tokens per window (the model's limit less its special tokens).
    pub fn window_len(&self) -> usize {
        self.window
    }
}

impl Stage for EntitiesStage {
    fn name(&self) -> &'static str {
        STAGE_NAME
    }

    /// The model's identity, how its tags are decoded, the rules' version, and the number
    /// format when it is not f32 (bf16 can move a label; f32 adds nothing, so outputs of
    /// versions before the key existed stay valid).
    fn describe(&self) -> serde_json::Value {
        let mut described = serde_json::json!({
            "model": self.model_info(),
            "decoding": self.decoding(),
            "rules": RULES_VERSION
        });
        if !self.precision().is_f32() {
            described["precision"] = serde_json::json!(self.precision());
        }
        described
    }

    fn requires(&self) -> &'static [&'static str] {
        &["segment"]
    }

    fn process(&self, docs: &mut [Document]) -> Result<Vec<StageCounts>> {
        // Every sentence of the batch goes to the model together, so batches of windows
        // are filled across articles.
        let mut texts: Vec<std::borrow::Cow<str>> = Vec::new();
        let mut per_doc = Vec::with_capacity(docs.len());
        for doc in docs.iter() {
            let index = CharIndex::new(&doc.text);
            let len = index.len_chars();
            let case = self
                .context_rules
                .recase_caps
                .then(|| casing::ArticleCase::new(&doc.text));
            for (i, s) in doc.sentences.iter().enumerate() {
                if s.start > s.end || s.end > len {
                    bail!(
                        "document {}: sentence {i} ({}..{}) lies outside the text ({len} chars)",
                        doc.id,
                        s.start,
                        s.end
                    );
                }
                let sentence = index.slice(&doc.text, s.start, s.end);
                // The model reads all-caps text in running-text case; offsets are unchanged.
                texts.push(
                    match case.as_ref().and_then(|c| casing::model_view(sentence, c)) {
                        Some(view) => view.into(),
                        None => sentence.into(),
                    },
                );
            }
            per_doc.push(doc.sentences.len());
        }
        let texts: Vec<&str> = texts.iter().map(|t| t.as_ref()).collect();
        let mut labelled = self
            .label_sentences(&texts)
            .context("entities: labelling sentences")?
            .into_iter();
        Ok(docs
            .iter_mut()
            .zip(per_doc)
            .map(|(doc, n)| {
                let sentences: Vec<SentenceLabels> = labelled.by_ref().take(n).collect();
                self.fill(doc, sentences)
            })
            .collect())
    }
}
