//! [`SummarizeStage`]: the summary of every article, and its English: taken from the
//! article's translation (`--translate`), translated for itself (`--translate-summaries`),
//! or a status that says plainly why there is none.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use serde_json::json;

use super::{summarize, Selection, DEFAULT_SENTENCES, METHOD, STAGE_NAME};
use crate::document::{Document, EnStatus, Summary};
use crate::stage::{SentenceTranslation, Stage, StageCounts};

/// Where the English summary comes from.
pub enum SummaryEnglish {
    /// The translate stage ran before (`--translate`): reuse its sentences.
    FromArticleTranslation,
    /// Translate only the summary sentences with this translation (the translate stage's
    /// model and cache, handed over by the run's builder).
    TranslateSummaries(Arc<dyn SentenceTranslation>),
    /// No English: every German summary gets this status and note.
    Unavailable { status: EnStatus, note: String },
}

/// What the summarize stage is asked for.
#[derive(Debug, Clone)]
pub struct SummarizeOptions {
    /// Sentences per summary.
    pub sentences: usize,
}

impl Default for SummarizeOptions {
    fn default() -> Self {
        SummarizeOptions {
            sentences: DEFAULT_SENTENCES,
        }
    }
}

/// Fills `summary`: the chosen sentences and their English (or why there is none).
pub struct SummarizeStage {
    options: SummarizeOptions,
    english: SummaryEnglish,
}

impl SummarizeStage {
    pub fn new(options: SummarizeOptions, english: SummaryEnglish) -> Self {
        SummarizeStage { options, english }
    }

    /// The English of the summary of `doc` when it needs no model (or cannot get one), else
    /// `None`: the summary must be translated.
    fn english_without_model(&self, doc: &Document, summary: &Summary) -> Option<English> {
        if summary.sentences.is_empty() {
            return Some(English::none(EnStatus::Empty, "the summary is empty"));
        }
        if doc.language.as_ref().is_some_and(|l| l.code == "en") {
            return Some(English {
                text: Some(summary.text.clone()),
                status: EnStatus::SourceEnglish,
                note: "the article is in English".into(),
                warnings: Vec::new(),
            });
        }
        match &self.english {
            SummaryEnglish::Unavailable { status, note } => Some(English::none(*status, note)),
            SummaryEnglish::FromArticleTranslation => Some(from_article_translation(doc, summary)),
            SummaryEnglish::TranslateSummaries(t) => {
                let language = doc.language.as_ref().map(|l| l.code.as_str());
                (language != Some(t.source_language())).then(|| {
                    English::none(
                        EnStatus::SkippedLanguage,
                        &format!(
                            "language is {}; the model translates from {}",
                            language.unwrap_or("unknown"),
                            t.source_language()
                        ),
                    )
                })
            }
        }
    }
}

struct English {
    text: Option<String>,
    status: EnStatus,
    note: String,
    warnings: Vec<serde_json::Value>,
}

impl English {
    fn none(status: EnStatus, note: &str) -> Self {
        English {
            text: None,
            status,
            note: note.to_string(),
            warnings: Vec::new(),
        }
    }
}

/// The summary's sentences taken from the article's translation, with the translation's
/// number warnings for them.
fn from_article_translation(doc: &Document, summary: &Summary) -> English {
    let Some(t) = &doc.translation else {
        return English::none(EnStatus::Failed, "the article's translation is missing");
    };
    if let Some(reason) = &t.skipped {
        return English::none(EnStatus::SkippedLanguage, reason);
    }
    let chosen: HashSet<usize> = summary.sentences.iter().copied().collect();
    let parts: Option<Vec<&str>> = summary
        .sentences
        .iter()
        .map(|&i| t.sentences.get(i).map(String::as_str))
        .collect();
    let Some(parts) = parts else {
        return English::none(
            EnStatus::Failed,
            "the article's translation has too few sentences",
        );
    };
    English {
        text: Some(parts.join(" ")),
        status: EnStatus::Translated,
        note: format!("from the article's translation by {}", t.model),
        warnings: t
            .warnings
            .iter()
            .filter(|w| {
                w.get("sentence")
                    .and_then(|s| s.as_u64())
                    .is_some_and(|s| chosen.contains(&(s as usize)))
            })
            .cloned()
            .collect(),
    }
}

/// Builds the German summary of a segmented document (its `en` not yet decided).
impl Stage for SummarizeStage {
    fn name(&self) -> &'static str {
        STAGE_NAME
    }

    /// The method, the summary length, and where the English comes from.
    fn describe(&self) -> serde_json::Value {
        let english = match &self.english {
            SummaryEnglish::FromArticleTranslation => json!("article translation"),
            SummaryEnglish::TranslateSummaries(t) => json!({"model": t.model()}),
            SummaryEnglish::Unavailable { status, .. } => json!(status),
        };
        json!({"method": METHOD, "sentences": self.options.sentences, "english": english})
    }

    fn requires(&self) -> &'static [&'static str] {
        &["segment"]
    }

    /// Furniture is never chosen, entities and asserted quantities weigh a sentence, and
    /// the article's translation gives the summary its English.
    fn reads_if_present(&self) -> &'static [&'static str] {
        &["page", "entities", "claims", "translate"]
    }

    fn process(&self, docs: &mut [Document]) -> Result<Vec<StageCounts>> {
        let built: Vec<(Summary, Selection)> = docs
            .iter()
            .map(|d| summarize(d, self.options.sentences))
            .collect();
        let mut english: Vec<Option<English>> = docs
            .iter()
            .zip(&built)
            .map(|(d, (s, _))| self.english_without_model(d, s))
            .collect();
        if let SummaryEnglish::TranslateSummaries(translator) = &self.english {
            translate_summaries(translator.as_ref(), docs, &built, &mut english);
        }

        let mut counts = Vec::with_capacity(docs.len());
        for ((doc, (mut summary, selection)), en) in docs.iter_mut().zip(built).zip(english) {
            let en = en.expect("every summary's English was decided above");
            summary.en = en.text;
            summary.en_status = en.status;
            summary.en_note = en.note;
            summary.en_warnings = en.warnings;
            let mut c = StageCounts::new();
            c.insert("sentences".into(), json!(summary.sentences.len()));
            c.insert("eligible".into(), json!(selection.eligible));
            c.insert("boilerplate".into(), json!(selection.boilerplate));
            c.insert("en_status".into(), json!(summary.en_status));
            doc.summary = Some(summary);
            counts.push(c);
        }
        Ok(counts)
    }
}

/// Translates the summary sentences of every document still without English, in one call
/// for the batch (the translate stage's cache makes repeats free). A model failure becomes
/// each affected summary's `failed` status; the articles themselves are kept.
fn translate_summaries(
    translator: &dyn SentenceTranslation,
    docs: &mut [Document],
    built: &[(Summary, Selection)],
    english: &mut [Option<English>],
) {
    let mut wanted: Vec<&str> = Vec::new();
    for ((doc, (summary, _)), en) in docs.iter().zip(built).zip(english.iter()) {
        if en.is_none() {
            wanted.extend(
                summary
                    .sentences
                    .iter()
                    .map(|&i| doc.sentences[i].text.as_str()),
            );
        }
    }
    if wanted.is_empty() {
        return;
    }
    let translated: Result<HashMap<String, String>> = translator
        .translate_sentences(&wanted)
        .map(|out| wanted.iter().map(|s| s.to_string()).zip(out).collect());
    for ((doc, (summary, _)), en) in docs.iter_mut().zip(built).zip(english.iter_mut()) {
        if en.is_some() {
            continue;
        }
        doc.provenance
            .models
            .insert(STAGE_NAME.into(), translator.model().clone());
        *en = Some(match &translated {
            Err(e) => English::none(EnStatus::Failed, &format!("translation failed: {e:#}")),
            Ok(map) => {
                let mut by_sentence = vec![String::new(); doc.sentences.len()];
                for &i in &summary.sentences {
                    by_sentence[i] = map[doc.sentences[i].text.as_str()].clone();
                }
                let chosen: HashSet<usize> = summary.sentences.iter().copied().collect();
                let claims: Vec<_> = doc
                    .claims
                    .iter()
                    .filter(|c| chosen.contains(&c.sentence))
                    .cloned()
                    .collect();
                let warnings = translator.number_warnings(&claims, &by_sentence);
                English {
                    text: Some(
                        summary
                            .sentences
                            .iter()
                            .map(|&i| by_sentence[i].as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    status: EnStatus::Translated,
                    note: format!(
                        "summary sentences translated by {}",
                        translator.model().name
                    ),
                    warnings,
                }
            }
        });
    }
}
