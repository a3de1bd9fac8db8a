//! The claims extractor as a pipeline stage.

use rayon::prelude::*;

use crate::document::Document;
use crate::stage::{Stage, StageCounts};

/// Fills `claims` from the text and its sentences (segment must have run).
pub struct ClaimsStage;

impl Stage for ClaimsStage {
    fn name(&self) -> &'static str {
        "claims"
    }

    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>> {
        docs.par_iter_mut().for_each(|doc| {
            let lang = doc
                .language
                .as_ref()
                .map_or("de", |l| l.code.as_str())
                .to_string();
            doc.claims = super::extract_claims(&doc.text, &doc.sentence_ranges(), &lang);
        });
        Ok(docs
            .iter()
            .map(|d| {
                let mut counts = StageCounts::new();
                let asserted = d.claims.iter().filter(|c| c.is_claim).count();
                counts.insert("numbers".into(), d.claims.len().into());
                counts.insert("asserted".into(), asserted.into());
                counts
            })
            .collect())
    }
}
