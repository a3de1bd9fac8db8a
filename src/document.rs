//! The record that flows through every stage and is written, one per line, to `articles.jsonl`.
//!
//! Each stage reads what earlier stages filled in and adds its own layer; nothing flows back.
//! All offsets are Unicode scalar (char) offsets into [`Document::text`], the article exactly
//! as decoded, and every span carries its `text` so a consumer can check it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::stages::claims::Claim;

/// Bumped whenever a field is added, removed or changes meaning; `docs/schema.md` says how.
pub const SCHEMA_VERSION: &str = "4";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Document {
    pub schema_version: String,
    pub id: String,
    pub source: Source,
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub published: Option<String>,
    pub language: Option<Language>,
    pub text: String,
    /// HTML and Markdown remnants decoded out of `text`: each `{start, end, was, kind}` says
    /// that `text[start..end]` replaced `was` in the input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub markup: Vec<crate::ingest::markup::MarkupEdit>,
    /// The page around the article: headline, furniture spans, authors, dateline and a
    /// publication date written in the text (`docs/page.md`); null until the page stage ran.
    #[serde(default)]
    pub page: Option<crate::stages::page::PageLayout>,
    pub sentences: Vec<Span>,
    /// Word tokens; only written when the run asks for them (`--tokens`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tokens: Option<Vec<Span>>,
    pub entities: Vec<Entity>,
    pub entity_summary: Vec<EntitySummary>,
    pub claims: Vec<Claim>,
    /// Which rules read the numbers (`docs/claims.md`): null until the claims stage ran.
    #[serde(default)]
    pub claims_coverage: Option<ClaimsCoverage>,
    pub translation: Option<Translation>,
    pub summary: Option<Summary>,
    pub stages: BTreeMap<String, StageRun>,
    pub provenance: Provenance,
}

/// The rule set that read an article's numbers, and for which language.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaimsCoverage {
    /// `full` (German, English, French, Spanish, Italian, Dutch), `digits_only` (any other
    /// language: digits, signs and scale words) or `none` (digits in another script).
    pub rules: crate::stages::claims::Coverage,
    /// The language code the rules were chosen by.
    pub language: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Source {
    /// The input file, as given on the command line joined with the path below it.
    pub path: String,
    /// 1-based line number for articles read from a `.jsonl` file.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub line: Option<usize>,
    /// sha256 of the article's bytes as read (the file for `.txt`, the `text` for `.jsonl`).
    pub sha256: String,
    /// `utf-8` or `windows-1252`.
    pub encoding: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Language {
    /// ISO 639-1 where one exists (`de`, `en`), else ISO 639-3.
    pub code: String,
    /// 0..1; 1.0 when the input declared the language itself.
    pub confidence: f64,
    /// `detected` or `declared`.
    pub method: String,
}

/// A piece of the article text: `text == article.text.chars()[start..end]`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entity {
    pub text: String,
    /// PER, ORG, LOC or MISC.
    pub label: String,
    pub start: usize,
    pub end: usize,
    /// Mean probability of the labels that make up the span.
    pub score: f64,
    /// Index into `sentences`.
    pub sentence: usize,
    /// The longest form of this entity seen in the article.
    pub canonical: String,
    /// Inside page furniture (`page.boilerplate`): not counted in `entity_summary` or the
    /// drop-level entity table. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub boilerplate: bool,
}

#[cfg(test)]
impl Entity {
    /// The entity `text` at its first occurrence in `full` (char offsets), score 0.9, its own
    /// canonical form: for tests of the rules that read entities in their text.
    pub(crate) fn found_in(text: &str, full: &str, label: &str) -> Entity {
        let byte = full.find(text).expect("the entity occurs in the text");
        let start = full[..byte].chars().count();
        Entity {
            text: text.into(),
            label: label.into(),
            start,
            end: start + text.chars().count(),
            score: 0.9,
            sentence: 0,
            canonical: text.into(),
            boilerplate: false,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct EntitySummary {
    pub canonical: String,
    pub label: String,
    pub mentions: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Translation {
    pub model: String,
    /// One per entry of `sentences`, in order; empty when `skipped` is set.
    pub sentences: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<serde_json::Value>,
    /// Why the article was not translated (for example, its language is not the model's).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub skipped: Option<String>,
}

/// An extractive summary: whole sentences of the article, in text order, never rewritten.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Summary {
    /// Indices into `sentences`, ascending.
    pub sentences: Vec<usize>,
    /// Those sentences' texts joined by single spaces.
    pub text: String,
    /// How the sentences were chosen (name and version of the method).
    pub method: String,
    /// The summary in English, or null; `en_status` and `en_note` say why.
    pub en: Option<String>,
    pub en_status: EnStatus,
    /// A plain sentence for the reader: where `en` came from, or why it is null.
    pub en_note: String,
    /// Number faithfulness warnings of the English summary (same form as
    /// `translation.warnings`); empty when every number of the summary's claims is there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub en_warnings: Vec<serde_json::Value>,
}

/// Where `Summary::en` came from, or why it is null.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum EnStatus {
    /// Translated by the translation model (from the article's translation or the summary's).
    Translated,
    /// The article is in English; `en` is the summary itself.
    SourceEnglish,
    /// No translation model is installed.
    NoModel,
    /// A model is installed but this run did not ask for translation.
    NotRequested,
    /// The article's language is not the one the model translates from (or is unknown).
    SkippedLanguage,
    /// The model failed on this article's sentences; `en_note` has the error.
    Failed,
    /// The summary is empty (no sentence of the article qualified).
    Empty,
}

/// What a stage did for this article.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StageRun {
    /// `ran` or `not_run`.
    pub status: String,
    /// Wall time spent on this article, in milliseconds (a batched stage's time is shared out
    /// by article length).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub reason: Option<String>,
    /// Stage-specific counters (for example labels the NER model had that were dropped).
    #[serde(skip_serializing_if = "serde_json::Map::is_empty", default)]
    pub counts: serde_json::Map<String, serde_json::Value>,
}

impl StageRun {
    pub fn ran(ms: f64) -> Self {
        StageRun {
            status: "ran".into(),
            ms: Some(ms),
            reason: None,
            counts: Default::default(),
        }
    }

    pub fn not_run(reason: impl Into<String>) -> Self {
        StageRun {
            status: "not_run".into(),
            ms: None,
            reason: Some(reason.into()),
            counts: Default::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Provenance {
    /// newsextract's version.
    pub version: String,
    /// Models used, by stage: `{"entities": {"name": ..., "sha256": ...}}`.
    pub models: BTreeMap<String, ModelInfo>,
    /// The options that shape the output; `fingerprint` is their hash and decides re-runs.
    pub config: serde_json::Value,
    pub fingerprint: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ModelInfo {
    pub name: String,
    pub sha256: String,
}

impl Document {
    /// A new document with no stage run yet.
    pub fn new(id: String, source: Source, title: Option<String>, text: String) -> Self {
        Document {
            schema_version: SCHEMA_VERSION.into(),
            id,
            source,
            title,
            url: None,
            published: None,
            language: None,
            text,
            markup: Vec::new(),
            sentences: Vec::new(),
            tokens: None,
            entities: Vec::new(),
            entity_summary: Vec::new(),
            claims: Vec::new(),
            claims_coverage: None,
            page: None,
            translation: None,
            summary: None,
            stages: BTreeMap::new(),
            provenance: Provenance {
                version: env!("CARGO_PKG_VERSION").into(),
                models: BTreeMap::new(),
                config: serde_json::Value::Null,
                fingerprint: String::new(),
            },
        }
    }

    /// Char ranges of the sentences, the form the text-level stages take.
    pub fn sentence_ranges(&self) -> Vec<(usize, usize)> {
        self.sentences.iter().map(|s| (s.start, s.end)).collect()
    }
}
