//! Segmentation: sentences and word tokens with char offsets, and the article's language.

mod abbreviations;
mod language;
mod sentences;
mod stage;
mod tokenize;

pub use language::{
    detect_language, iso639_1, ExpectedLanguages, LanguageIdentifier, LanguagesError,
    DEFAULT_LANGUAGES,
};
pub use sentences::split_sentences;
pub use stage::{SegmentOptions, SegmentStage, LANGUAGE_IDENTIFICATION_VERSION, RULES_VERSION};
pub use tokenize::tokenize;

use crate::document::{Document, Span};
use crate::offsets::CharIndex;

/// Fills `sentences`, `tokens` (when `keep_tokens`) and `language` (unless the input declared
/// it) of one document.
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
