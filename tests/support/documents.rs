//! Test documents built without the segment stage: the sentences are joined with one space
//! and each becomes a sentence span, so a test controls the sentence boundaries exactly.

use newsextract::document::{Document, Source, Span};

/// Document `id` whose text is `sentences` joined with single spaces, one span each.
pub fn doc<S: AsRef<str>>(id: &str, sentences: &[S]) -> Document {
    let text = sentences
        .iter()
        .map(|s| s.as_ref())
        .collect::<Vec<_>>()
        .join(" ");
    let mut d = Document::new(
        id.into(),
        Source {
            path: format!("{id}.txt"),
            line: None,
            sha256: "0".repeat(64),
            encoding: "utf-8".into(),
        },
        None,
        text,
    );
    let mut start = 0;
    for s in sentences {
        let len = s.as_ref().chars().count();
        d.sentences.push(Span {
            start,
            end: start + len,
            text: s.as_ref().to_string(),
        });
        start += len + 1;
    }
    d
}
