//! newsextract: news article drops in, reviewable JSONL facts out.

pub mod claims;
pub mod document;
pub mod offsets;
pub mod stage;
pub mod translate;
