//! newsextract: news article drops in, reviewable JSONL facts out.
//!
//! `ingest → page → segment → entities → claims → translate → summarize → output`, each stage
//! a module under [`stages`] with a narrow interface over the shared [`document::Document`];
//! the drop-level tables ([`drop`]) are built from the finished records. [`run`] puts it
//! together.

pub mod currency;
pub mod document;
pub mod drop;
pub mod ingest;
pub mod models;
pub mod offsets;
pub mod output;
pub mod pool;
pub mod precision;
pub mod run;
pub mod shard;
pub mod stage;
pub mod stages;

pub use run::build::build_pipeline;
