//! The stage interface: each step of the pipeline adds one layer to a batch of documents.

use crate::document::Document;

/// One step of the pipeline over a batch of documents.
///
/// Stages take a batch, not one document, so model-backed stages can batch their model calls
/// across articles. A stage records nothing in `Document::stages` itself: the pipeline times
/// it and writes the entry; a stage that wants counters there returns them per document.
pub trait Stage: Send + Sync {
    /// The key under which the stage appears in `stages`.
    fn name(&self) -> &'static str;

    /// Adds this stage's layer to every document of the batch. An error fails the batch; the
    /// pipeline then retries the documents one by one, so one bad article cannot take the
    /// others with it.
    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>>;
}

/// Per-document counters a stage reports (empty when it has none), in batch order.
pub type StageCounts = serde_json::Map<String, serde_json::Value>;
