//! The entities stage: named entities (PER, ORG, LOC, MISC) of every sentence, with char
//! offsets into the article, a confidence, and a canonical form per article.
//!
//! The pieces, one job each:
//! - [`backend`]: the seams — a [`SubwordTokenizer`] and a [`TokenClassifier`] — and their
//!   rust-bert implementations (the model forward is rust-bert's, nothing else).
//! - [`windows`]: sentences longer than the model's limit as overlapping windows.
//! - [`decode`]: subwords into words, the most probable valid IOB2 tag sequence (for models
//!   that declare IOB2), BIO / IOB1 / BIOES tags into spans.
//! - [`labels`]: the model's label set mapped onto PER / ORG / LOC / MISC.
//! - [`canonical`]: mentions grouped under the longest form seen in the article.
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
pub mod decode;
pub mod labels;
mod surface;
mod weights;
pub mod windows;

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;

pub use backend::{
    HfTokenizer, NativeTokenizer, RustBertClassifier, SubToken, SubwordTokenizer, TokenClassifier,
};
use decode::{Iob2Constraints, LabelledToken};
use labels::Tag;
use windows::Window;

use crate::document::{Document, Entity, ModelInfo};
use crate::models;
use crate::offsets::CharIndex;
use crate::pool::ModelPool;
use crate::precision::Precision;
use crate::stage::{Stage, StageCounts};

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
struct SentenceLabels {
    tokens: Vec<LabelledToken>,
    probs: Vec<f32>,
    windows: usize,
}

pub struct EntitiesStage {
    tokenizer: Box<dyn SubwordTokenizer>,
    pool: ModelPool<dyn TokenClassifier>,
    labels: Vec<String>,
    tags: Vec<Tag>,
    /// Set when the stage decodes with [`Decoding::Iob2Constrained`].
    constraints: Option<Iob2Constraints>,
    /// PER/ORG/LOC/MISC for each label's entity type; `None`: dropped.
    mapped: Vec<Option<&'static str>>,
    window: usize,
    overlap: usize,
    batch_size: usize,
    surface_rules: bool,
    context_rules: ContextRules,
    precision: Precision,
    model: ModelInfo,
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
        let mapped = tags.iter().map(|t| labels::map_kind(&t.kind)).collect();
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

    /// The most probable label of every subword token of `text`, taken as one sentence
    /// (windows and all): what the entities are decoded from (with
    /// [`Decoding::Iob2Constrained`], a word's tag can be its first subword's second choice).
    pub fn label_tokens(&self, text: &str) -> Result<Vec<TokenTag>> {
        let labelled = self.label_sentences(&[text])?;
        Ok(labelled
            .into_iter()
            .next()
            .map(|s| s.tokens)
            .unwrap_or_default()
            .into_iter()
            .map(|t| TokenTag {
                start: t.start,
                end: t.end,
                label: self.labels[t.label].clone(),
                score: t.prob,
            })
            .collect())
    }

    /// Tokenizes every sentence, cuts windows, runs them through the models in
    /// length-sorted batches and gives every token the label of the window that owns it.
    fn label_sentences(&self, texts: &[&str]) -> Result<Vec<SentenceLabels>> {
        let tokenized: Vec<Vec<SubToken>> = texts
            .par_iter()
            .map(|t| self.tokenizer.tokenize(t))
            .collect::<Result<_>>()?;
        let plans: Vec<Vec<Window>> = tokenized
            .iter()
            .map(|t| windows::windows(t.len(), self.window, self.overlap))
            .collect();

        let (prefix, suffix) = (self.tokenizer.prefix(), self.tokenizer.suffix());
        // (sentence, window, ids with special tokens)
        let mut jobs: Vec<(usize, usize, Vec<i64>)> = Vec::new();
        for (s, (tokens, plan)) in tokenized.iter().zip(&plans).enumerate() {
            if tokens.is_empty() {
                continue;
            }
            for (w, window) in plan.iter().enumerate() {
                let mut ids = Vec::with_capacity(window.tokens.len() + prefix.len() + suffix.len());
                ids.extend_from_slice(prefix);
                ids.extend(tokens[window.tokens.clone()].iter().map(|t| t.id));
                ids.extend_from_slice(suffix);
                jobs.push((s, w, ids));
            }
        }
        let mut order: Vec<usize> = (0..jobs.len()).collect();
        order.sort_by_key(|&j| Reverse(jobs[j].2.len()));
        let batch_len = self.pool.batch_len(order.len(), self.batch_size);
        let chunks: Vec<&[usize]> = order.chunks(batch_len).collect();
        let outputs = self.run_chunks(&chunks, &jobs)?;

        let n_labels = self.labels.len();
        let mut labelled: Vec<Vec<Option<LabelledToken>>> =
            tokenized.iter().map(|t| vec![None; t.len()]).collect();
        let mut token_probs: Vec<Vec<f32>> = tokenized
            .iter()
            .map(|t| vec![0.0; t.len() * n_labels])
            .collect();
        for (chunk, probs) in chunks.iter().zip(outputs) {
            if probs.len() != chunk.len() {
                bail!(
                    "model returned {} outputs for {} sequences",
                    probs.len(),
                    chunk.len()
                );
            }
            for (&j, p) in chunk.iter().zip(probs) {
                let (s, w, ref ids) = jobs[j];
                if p.len() != ids.len() * n_labels {
                    bail!(
                        "model returned {} values for {} positions x {n_labels} labels",
                        p.len(),
                        ids.len()
                    );
                }
                let window = &plans[s][w];
                for t in window.owned.clone() {
                    let row = prefix.len() + t - window.tokens.start;
                    let row = &p[row * n_labels..(row + 1) * n_labels];
                    let label = decode::argmax(row);
                    token_probs[s][t * n_labels..(t + 1) * n_labels].copy_from_slice(row);
                    let tok = tokenized[s][t];
                    labelled[s][t] = Some(LabelledToken {
                        start: tok.start,
                        end: tok.end,
                        label,
                        prob: row[label],
                    });
                }
            }
        }
        labelled
            .into_iter()
            .zip(plans)
            .zip(token_probs)
            .enumerate()
            .map(|(s, ((tokens, plan), probs))| {
                let tokens = tokens
                    .into_iter()
                    .collect::<Option<Vec<_>>>()
                    .ok_or_else(|| anyhow!("sentence {s}: a token was left unlabelled"))?;
                Ok(SentenceLabels {
                    tokens,
                    probs,
                    windows: plan.len(),
                })
            })
            .collect()
    }

    /// Runs each chunk of jobs through a model of the pool (see [`ModelPool::map`]; chunks
    /// come longest first).
    fn run_chunks(
        &self,
        chunks: &[&[usize]],
        jobs: &[(usize, usize, Vec<i64>)],
    ) -> Result<Vec<Vec<Vec<f32>>>> {
        self.pool.map(chunks, |model, chunk| {
            let batch: Vec<&[i64]> = chunk.iter().map(|&j| jobs[j].2.as_slice()).collect();
            model.classify(&batch)
        })
    }

    /// Entities of one document from its sentences' labelled tokens; returns the counts.
    fn fill(&self, doc: &mut Document, sentences: Vec<SentenceLabels>) -> StageCounts {
        let index = CharIndex::new(&doc.text);
        let mut entities = Vec::new();
        let mut dropped: BTreeMap<String, usize> = BTreeMap::new();
        let mut in_links = 0usize;
        let mut amount_units = 0usize;
        let rules = self.context_rules;
        // The completed form of each entity that is the first part of an elliptical compound.
        let mut forms: Vec<Option<String>> = Vec::new();
        let mut windowed = 0;
        for (s, labelled) in sentences.into_iter().enumerate() {
            if labelled.windows > 1 {
                windowed += 1;
            }
            let span = &doc.sentences[s];
            let chars: Vec<char> = index
                .slice(&doc.text, span.start, span.end)
                .chars()
                .collect();
            let mut words = decode::words(&chars, &labelled.tokens);
            if let Some(constraints) = &self.constraints {
                let n = self.labels.len();
                let rows: Vec<&[f32]> = words
                    .iter()
                    .map(|w| &labelled.probs[w.token * n..(w.token + 1) * n])
                    .collect();
                let path = decode::constrained_labels(&rows, constraints);
                for ((word, label), row) in words.iter_mut().zip(path).zip(&rows) {
                    word.label = label;
                    word.prob = row[label];
                }
            }
            for raw in decode::decode(&chars, &words, &self.tags) {
                let label = self
                    .tags
                    .iter()
                    .position(|t| t.kind == raw.kind)
                    .and_then(|i| self.mapped[i]);
                let Some(label) = label else {
                    *dropped.entry(raw.kind).or_default() += 1;
                    continue;
                };
                let surface_rules = self.surface_rules;
                if surface_rules && surface::inside_link(&chars, raw.start, raw.end) {
                    in_links += 1;
                    continue;
                }
                if rules.amount_units && amounts::unit_of_amount(&chars, raw.start, raw.end) {
                    amount_units += 1;
                    continue;
                }
                let elliptical = surface_rules
                    .then(|| surface::elliptical(&chars, raw.start, raw.end))
                    .flatten();
                let (end, completed) = elliptical.unwrap_or((raw.end, None));
                let mut start = raw.start;
                if rules.boundaries {
                    if label == "PER" {
                        start = boundaries::with_initials(&chars, start);
                    }
                    start = boundaries::without_byline_von(&chars, start, end);
                }
                entities.push(Entity {
                    text: chars[start..end].iter().collect(),
                    label: label.to_string(),
                    start: span.start + start,
                    end: span.start + end,
                    score: raw.score,
                    sentence: s,
                    canonical: String::new(),
                    boilerplate: false,
                });
                forms.push(completed);
            }
        }
        let mended = if self.surface_rules {
            surface::mend_connectors(&mut entities, &mut forms, |s, e| {
                index.slice(&doc.text, s, e).to_string()
            })
        } else {
            0
        };
        let joined = if rules.boundaries {
            let text: Vec<char> = doc.text.chars().collect();
            boundaries::join_institutions(&mut entities, &mut forms, &text)
        } else {
            0
        };
        let (relabelled, split) = if rules.label_vote {
            let split = consistency::split_adjacent_persons(&mut entities, &mut forms);
            (consistency::vote_labels(&mut entities), split)
        } else {
            (0, 0)
        };
        if let Some(page) = &doc.page {
            for e in entities.iter_mut() {
                e.boilerplate = page.covers(e.start, e.end);
            }
        }
        doc.entity_summary = canonical::assign_canonical_as(&mut entities, &forms);
        if entities.iter().any(|e| e.boilerplate) {
            // Names in menus, bylines and captions are not what the article is about.
            canonical::recount_without_boilerplate(&mut doc.entity_summary, &entities);
        }
        let mut counts = StageCounts::new();
        counts.insert("entities".into(), entities.len().into());
        counts.insert("dropped".into(), dropped.values().sum::<usize>().into());
        if !dropped.is_empty() {
            let map = dropped.into_iter().map(|(k, v)| (k, v.into())).collect();
            counts.insert("dropped_labels".into(), serde_json::Value::Object(map));
        }
        if windowed > 0 {
            counts.insert("windowed_sentences".into(), windowed.into());
        }
        if in_links > 0 {
            counts.insert("dropped_in_links".into(), in_links.into());
        }
        if mended > 0 {
            counts.insert("mended_at_connectors".into(), mended.into());
        }
        if amount_units > 0 {
            counts.insert("dropped_amount_units".into(), amount_units.into());
        }
        if joined > 0 {
            counts.insert("joined_institutions".into(), joined.into());
        }
        if relabelled > 0 {
            counts.insert("relabelled_by_vote".into(), relabelled.into());
        }
        if split > 0 {
            counts.insert("split_adjacent_persons".into(), split.into());
        }
        doc.entities = entities;
        doc.provenance
            .models
            .insert(STAGE_NAME.to_string(), self.model.clone());
        counts
    }
}

impl Stage for EntitiesStage {
    fn name(&self) -> &'static str {
        STAGE_NAME
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
