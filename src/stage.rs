//! The stage interface: each step of the pipeline adds one layer to a batch of documents.

use crate::document::{Document, ModelInfo};
use crate::stages::claims::Claim;

/// One step of the pipeline over a batch of documents.
///
/// Stages take a batch, not one document, so model-backed stages can batch their model calls
/// across articles. A stage records nothing in `Document::stages` itself: the pipeline times
/// it and writes the entry; a stage that wants counters there returns them per document.
pub trait Stage: Send + Sync {
    /// The key under which the stage appears in `stages`.
    fn name(&self) -> &'static str;

    /// The stage's entry in the run's fingerprint: everything that changes what it writes
    /// (its rules' version, options, model identity). A change here redoes every article on
    /// the next run; what does not change output (threads, batch sizes) stays out.
    fn describe(&self) -> serde_json::Value;

    /// Stages whose layers this one reads and cannot do without: they must be in the
    /// pipeline, before this one.
    fn requires(&self) -> &'static [&'static str] {
        &[]
    }

    /// Stages whose layers this one uses when they ran: when present they must come before
    /// this one.
    fn reads_if_present(&self) -> &'static [&'static str] {
        &[]
    }

    /// Adds this stage's layer to every document of the batch. An error fails the batch; the
    /// pipeline then retries the documents one by one, so one bad article cannot take the
    /// others with it.
    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>>;
}

/// Per-document counters a stage reports (empty when it has none), in batch order.
pub type StageCounts = serde_json::Map<String, serde_json::Value>;

/// Translation as one stage offers it to another: the summarize stage translates just the
/// summary sentences through it (`--translate-summaries`) without knowing which stage or
/// engine does the work; the run's builder hands it the translate stage.
pub trait SentenceTranslation: Send + Sync {
    /// The model's identity, for `provenance.models` and the fingerprint.
    fn model(&self) -> &ModelInfo;

    /// The language the model translates from (ISO 639-1).
    fn source_language(&self) -> &str;

    /// The English of each sentence, in order.
    fn translate_sentences(&self, sentences: &[&str]) -> anyhow::Result<Vec<String>>;

    /// The claims whose numbers are missing from their sentence's English (`english` is
    /// indexed by sentence), as the records' `en_warnings` give them.
    fn number_warnings(&self, claims: &[Claim], english: &[String]) -> Vec<serde_json::Value>;
}

/// Checks that every stage finds the stages it reads before it: the order of a pipeline is
/// a fact about what each stage reads, not only about the order of the pushes that built it.
pub fn check_order(stages: &[Box<dyn Stage>]) -> Result<(), String> {
    for (i, stage) in stages.iter().enumerate() {
        let position = |name: &str| stages.iter().position(|s| s.name() == name);
        for &needed in stage.requires() {
            match position(needed) {
                Some(j) if j < i => {}
                Some(_) => {
                    return Err(format!(
                        "stage {} reads {needed}'s output, but {needed} comes after it",
                        stage.name()
                    ))
                }
                None => {
                    return Err(format!(
                        "stage {} needs stage {needed}, which is not in the pipeline",
                        stage.name()
                    ))
                }
            }
        }
        for &used in stage.reads_if_present() {
            if position(used).is_some_and(|j| j > i) {
                return Err(format!(
                    "stage {} reads {used}'s output, but {used} comes after it",
                    stage.name()
                ));
            }
        }
    }
    Ok(())
}
