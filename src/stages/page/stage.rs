//! The page step as a pipeline stage.

use rayon::prelude::*;

use crate::document::Document;
use crate::stage::{Stage, StageCounts};

/// The rules' version, part of the run fingerprint: bump it when a rule change alters output
/// (history in `docs/page.md`).
pub const RULES_VERSION: u32 = 1;

/// Fills `page` from the text; for `.txt` inputs the headline found becomes `title` (a JSONL
/// `title` always wins).
pub struct PageStage;

impl Stage for PageStage {
    fn name(&self) -> &'static str {
        "page"
    }

    fn describe(&self) -> serde_json::Value {
        serde_json::json!({ "rules": RULES_VERSION })
    }

    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>> {
        docs.par_iter_mut().for_each(|doc| {
            let layout = super::analyse(&doc.text);
            let from_text_file = doc.source.line.is_none();
            if from_text_file {
                if let Some(h) = &layout.headline {
                    doc.title = Some(h.text.clone());
                }
            }
            doc.page = Some(layout);
        });
        Ok(docs
            .iter()
            .map(|d| {
                let mut counts = StageCounts::new();
                let page = d.page.as_ref();
                let spans = page.map_or(0, |p| p.boilerplate.len());
                counts.insert("boilerplate".into(), spans.into());
                counts.insert(
                    "headline".into(),
                    page.is_some_and(|p| p.headline.is_some()).into(),
                );
                counts
            })
            .collect())
    }
}
