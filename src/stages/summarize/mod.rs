//! Extractive summaries: a few whole sentences of each article, chosen for centrality and for
//! the facts they carry, and their English version.
//!
//! Extractive on purpose: a summary sentence is the article's own sentence, so every number in
//! it is the number in the text. The parts:
//! - [`boilerplate`]: page furniture (captions, bylines, prompts) that is never chosen;
//! - [`select`]: the ranking (`docs/summaries.md`);
//! - [`SummarizeStage`] (`stage.rs`): the pipeline stage, which also fills `summary.en` from the article's
//!   translation (`--translate`), or translates just the summary (`--translate-summaries`),
//!   or says plainly why there is no English summary.

pub mod boilerplate;
pub mod select;

mod stage;

use crate::document::{Document, EnStatus, Summary};
pub use select::{select_sentences, Selection, METHOD};
pub use stage::{SummarizeOptions, SummarizeStage, SummaryEnglish};

/// Key of this stage in `stages` and `provenance.models`.
pub const STAGE_NAME: &str = "summarize";

/// Sentences per summary unless the run asks otherwise.
pub const DEFAULT_SENTENCES: usize = 3;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Source;
    use crate::stage::Stage;

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
        d.page = Some(crate::stages::page::analyse(&d.text));
        crate::stages::segment::segment_document(
            &mut d,
            false,
            &crate::stages::segment::LanguageIdentifier::default(),
        );
        let lang = d
            .language
            .as_ref()
            .map_or("de", |l| l.code.as_str())
            .to_string();
        d.claims = crate::stages::claims::extract_claims(&d.text, &d.sentence_ranges(), &lang);
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
        let stage = SummarizeStage::new(
            SummarizeOptions { sentences: 2 },
            SummaryEnglish::Unavailable {
                status: EnStatus::NoModel,
                note: "no model".into(),
            },
        );
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
