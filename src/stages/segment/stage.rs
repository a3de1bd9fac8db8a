//! The segment step as a pipeline stage, with its options and fingerprint entry.

use rayon::prelude::*;

use super::{segment_document, ExpectedLanguages, LanguageIdentifier};
use crate::document::Document;
use crate::stage::{Stage, StageCounts};

/// The sentence and token rules' version, part of the run fingerprint: bump it when a rule
/// change alters output (history in `docs/schema.md#fingerprint`).
pub const RULES_VERSION: u32 = 4;

/// The language identification's version, part of the run fingerprint (history in
/// `docs/language.md`).
pub const LANGUAGE_IDENTIFICATION_VERSION: u32 = 2;

/// What the segment stage is asked for.
#[derive(Debug, Clone, Default)]
pub struct SegmentOptions {
    /// Write word tokens into each record.
    pub keep_tokens: bool,
    /// The languages the drop is expected to hold: a short text is identified among them.
    pub languages: ExpectedLanguages,
}

/// Fills `sentences`, `tokens` (when asked for) and `language` (unless the input declared it).
pub struct SegmentStage {
    options: SegmentOptions,
    identifier: LanguageIdentifier,
}

impl SegmentStage {
    pub fn new(options: SegmentOptions) -> Self {
        let identifier = LanguageIdentifier::new(&options.languages);
        SegmentStage {
            options,
            identifier,
        }
    }
}

impl Stage for SegmentStage {
    fn name(&self) -> &'static str {
        "segment"
    }

    /// The expected languages are part of it: they change which language a short text gets.
    fn describe(&self) -> serde_json::Value {
        serde_json::json!({
            "rules": RULES_VERSION,
            "language": {
                "identification": LANGUAGE_IDENTIFICATION_VERSION,
                "expected": self.options.languages,
            },
        })
    }

    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>> {
        docs.par_iter_mut()
            .for_each(|doc| segment_document(doc, self.options.keep_tokens, &self.identifier));
        Ok(vec![StageCounts::new(); docs.len()])
    }
}
