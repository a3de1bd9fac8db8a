//! Extractive summaries: a few whole sentences of each article, chosen for centrality and for
//! the facts they carry, and their English version.
//!
//! Extractive on purpose: a summary sentence is the article's own sentence, so every number in
//! it is the number in the text. The parts:
//! - [`boilerplate`]: page furniture (captions, bylines, prompts) that is never chosen;
//! - [`select`]: the ranking (`docs/summaries.md`);
//! - [`SummarizeStage`]: the pipeline stage, which also fills `summary.en` from the article's
//!   translation (`--translate`), or translates just the summary (`--translate-summaries`),
//!   or says plainly why there is no English summary.

pub mod boilerplate;
pub mod select;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use serde_json::json;

use crate::document::{Document, EnStatus, Summary};
use crate::stage::{Stage, StageCounts};
use crate::translate::{check_numbers, TranslateStage};
pub use select::{select_sentences, Selection, METHOD};

/// Key of this stage in `stages` and `provenance.models`.
pub const STAGE_NAME: &str = "summarize";

/// Sentences per summary unless the run asks otherwise.
pub const DEFAULT_SENTENCES: usize = 3;

/// Where the English summary comes from.
pub enum SummaryEnglish {
    /// The translate stage ran before (`--translate`): reuse its sentences.
    FromArticleTranslation,
    /// Translate only the summary sentences with this model (and its cache).
    TranslateSummaries(Arc<TranslateStage>),
    /// No English: every German summary gets this status and note.
    Unavailable { status: EnStatus, note: String },
}

pub struct SummarizeStage {
    pub sentences: usize,
    pub english: SummaryEnglish,
}

impl SummarizeStage {
    /// What the stage's configuration contributes to the run fingerprint.
    pub fn describe(&self) -> serde_json::Value {
        let english = match &self.english {
            SummaryEnglish::FromArticleTranslation => json!("article translation"),
            SummaryEnglish::TranslateSummaries(t) => json!({"model": t.model()}),
            SummaryEnglish::Unavailable { status, .. } => json!(status),
        };
        json!({"method": METHOD, "sentences": self.sentences, "english": english})
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
pub fn summarize(doc: &Document, sentences: usize) -> (Summary, Selection) {
    let selection = select_sentences(doc, sentences);
    let text = selection
        .sentences
        .iter()
        .map(|&i| doc.sentences[i].text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let summary = Summary {
        sentences: selection.sentences.clone(),
        text,
        method: METHOD.to_string(),
        en: None,
        en_status: EnStatus::Empty,
        en_note: String::new(),
        en_warnings: Vec::new(),
    };
    (summary, selection)
}

impl Stage for SummarizeStage {
    fn name(&self) -> &'static str {
        STAGE_NAME
    }

    fn process(&self, docs: &mut [Document]) -> Result<Vec<StageCounts>> {
        let built: Vec<(Summary, Selection)> =
            docs.iter().map(|d| summarize(d, self.sentences)).collect();
        let mut english: Vec<Option<English>> = docs
            .iter()
            .zip(&built)
            .map(|(d, (s, _))| self.english_without_model(d, s))
            .collect();
        if let SummaryEnglish::TranslateSummaries(translator) = &self.english {
            translate_summaries(translator, docs, &built, &mut english);
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
    translator: &TranslateStage,
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
                let warnings = check_numbers(&claims, &by_sentence)
                    .into_iter()
                    .map(|w| serde_json::to_value(w).expect("plain struct"))
                    .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Source;

    fn doc(text: &str) -> Document {
        let mut d = Document::new(
            "t".into(),
            Source {
                path: "t.txt".into(),
                line: None,
                sha256: String::new(),
                encoding: "utf-8".into(),
            },
            None,
            text.into(),
        );
        d.page = Some(crate::page::analyse(&d.text));
        crate::segment::segment_document(
            &mut d,
            false,
            &crate::segment::LanguageIdentifier::default(),
        );
        let lang = d
            .language
            .as_ref()
            .map_or("de", |l| l.code.as_str())
            .to_string();
        d.claims = crate::claims::extract_claims(&d.text, &d.sentence_ranges(), &lang);
        d
    }

    const ARTICLE: &str = "Nordkorea liefert Waffen an Russland\n\
        von Jan Schneider\n\
        Schreibe einen Kommentar\n\
        Nordkorea hat Russland nach Angaben aus Seoul bis zu drei Millionen Artilleriegeschosse geliefert.\n\
        Die Lieferungen sollen per Zug und per Schiff nach Russland gelangt sein.\n\
        Satellitenbilder zeigen, wie Container mit Waffen verladen werden. 20.06.2024 | 1:04 min\n\
        Russland liefert Nordkorea dafür Lebensmittel, Öl und möglicherweise Technik für Satelliten.\n\
        Wie geht es weiter?\n\
        Beobachter rechnen damit, dass die Zusammenarbeit zwischen Russland und Nordkorea weiter wächst.\n\
        Erhalten Sie kostenlose Updates zu Nordkorea und Russland per Newsletter.\n\
        ttn-de-58";

    #[test]
    fn summary_is_whole_statements_without_page_furniture() {
        let d = doc(ARTICLE);
        let (summary, selection) = summarize(&d, 3);
        assert_eq!(summary.sentences.len(), 3);
        assert!(summary.sentences.windows(2).all(|w| w[0] < w[1]));
        let chosen: Vec<&str> = summary
            .sentences
            .iter()
            .map(|&i| d.sentences[i].text.as_str())
            .collect();
        assert_eq!(summary.text, chosen.join(" "));
        for s in &chosen {
            assert!(
                !s.contains("Kommentar")
                    && !s.contains("Newsletter")
                    && !s.contains("Satellitenbilder")
                    && !s.ends_with('?'),
                "{chosen:#?}"
            );
        }
        // The sentence with the asserted quantity and both countries leads the summary.
        assert!(chosen[0].contains("drei Millionen"), "{chosen:#?}");
        assert!(selection.boilerplate >= 4, "{selection:?}");
    }

    #[test]
    fn short_articles_give_what_they_have() {
        let d = doc("Ein Satz mit genau sieben Wörtern hier.");
        let (summary, _) = summarize(&d, 3);
        assert_eq!(summary.sentences, [0]);
        let empty = doc("ttn-de-58");
        let (summary, _) = summarize(&empty, 3);
        assert!(summary.sentences.is_empty() && summary.text.is_empty());
        // A page without sentence ends is one giant "sentence": no summary rather than all
        // of it.
        let run_on = doc(&"Nordkorea liefert Granaten an Russland und ".repeat(500));
        let (summary, _) = summarize(&run_on, 3);
        assert!(summary.sentences.is_empty());
    }

    #[test]
    fn english_and_empty_summaries_need_no_model() {
        let stage = SummarizeStage {
            sentences: 2,
            english: SummaryEnglish::Unavailable {
                status: EnStatus::NoModel,
                note: "no model".into(),
            },
        };
        let mut docs = vec![
            doc(ARTICLE),
            doc("The government said on Monday that it had delivered two million shells to the army."),
            doc(""),
        ];
        stage.process(&mut docs).unwrap();
        let s: Vec<&Summary> = docs.iter().map(|d| d.summary.as_ref().unwrap()).collect();
        assert_eq!(
            (s[0].en_status, s[0].en.as_deref()),
            (EnStatus::NoModel, None)
        );
        assert_eq!(s[0].en_note, "no model");
        assert_eq!(s[1].en_status, EnStatus::SourceEnglish);
        assert_eq!(s[1].en.as_deref(), Some(s[1].text.as_str()));
        assert_eq!(s[2].en_status, EnStatus::Empty);
    }
}
