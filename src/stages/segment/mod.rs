//! Segmentation: sentences and word tokens with char offsets, and the article's language.

mod abbreviations;
mod language;
mod sentences;
mod tokens;

pub use language::{
    detect_language, iso639_1, ExpectedLanguages, LanguageIdentifier, LanguagesError,
    DEFAULT_LANGUAGES,
};
pub use sentences::split_sentences;
pub use tokens::tokenize;

use crate::document::{Document, Span};
use crate::offsets::CharIndex;
use crate::stage::{Stage, StageCounts};
use rayon::prelude::*;

/// Fills `sentences`, `tokens` (when asked for) and `language` (unless the input declared it).
pub struct SegmentStage {
    pub keep_tokens: bool,
    pub languages: LanguageIdentifier,
}

impl Stage for SegmentStage {
    fn name(&self) -> &'static str {
        "segment"
    }

    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>> {
        docs.par_iter_mut()
            .for_each(|doc| segment_document(doc, self.keep_tokens, &self.languages));
        Ok(vec![StageCounts::new(); docs.len()])
    }
}

pub fn segment_document(doc: &mut Document, keep_tokens: bool, languages: &LanguageIdentifier) {
    let index = CharIndex::new(&doc.text);
    let span = |(start, end): (usize, usize)| Span {
        start,
        end,
        text: index.slice(&doc.text, start, end).to_string(),
    };
    doc.sentences = split_sentences(&doc.text).into_iter().map(span).collect();
    doc.tokens = keep_tokens.then(|| tokenize(&doc.text).into_iter().map(span).collect());
    if doc.language.is_none() {
        doc.language = languages.detect(&doc.text);
    }
}
