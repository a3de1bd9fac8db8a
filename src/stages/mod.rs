//! The per-article stages, in pipeline order: each adds one layer to a batch of documents.

pub mod claims;
pub mod entities;
pub mod page;
pub mod segment;
pub mod summarize;
pub mod translate;
