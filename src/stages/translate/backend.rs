//! The seam between the translation stage and a model.

/// Translates a batch of sentences. The stage calls it only for sentences that are not
/// cached, already sorted by length and cut into batches of the configured size; counting
/// the calls of a wrapper therefore counts model calls.
///
/// `&mut self` because model backends are not `Sync` (see the module docs for how the stage
/// shares one across rayon workers); `Send` so the stage can live on any worker thread.
pub trait SentenceTranslator: Send {
    /// One output per input, in input order. An error fails the stage for the whole batch.
    fn translate(&mut self, sentences: &[&str]) -> anyhow::Result<Vec<String>>;
}

impl<T: SentenceTranslator + ?Sized> SentenceTranslator for Box<T> {
    fn translate(&mut self, sentences: &[&str]) -> anyhow::Result<Vec<String>> {
        (**self).translate(sentences)
    }
}
