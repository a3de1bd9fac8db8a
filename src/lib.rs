//! newsextract: news article drops in, reviewable JSONL facts out.
//!
//! `ingest → segment → entities → claims → translate → summarize → sink`, each stage a module
//! with a narrow interface over the shared [`document::Document`].

pub mod claims;
pub mod config;
pub mod document;
pub mod entities;
pub mod ingest;
pub mod models;
pub mod offsets;
pub mod pipeline;
pub mod progress;
pub mod segment;
pub mod sink;
pub mod stage;

use config::{OutputConfig, RunOptions};
use pipeline::Pipeline;
use stage::Stage;

/// Builds the pipeline the options ask for. Model-backed stages load their models here, once,
/// so a missing model fails before any article is touched.
pub fn build_pipeline(opts: &RunOptions) -> anyhow::Result<Pipeline> {
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    let mut not_run: Vec<(String, String)> = Vec::new();
    let mut described = serde_json::Map::new();

    stages.push(Box::new(segment::SegmentStage {
        keep_tokens: opts.keep_tokens,
    }));
    described.insert("segment".into(), serde_json::json!({"rules": 1}));
    not_run.push(("entities".into(), "no NER model in this build".into()));
    stages.push(Box::new(claims::ClaimsStage));
    described.insert("claims".into(), serde_json::json!({"rules": 1}));
    not_run.push(("translate".into(), "translation not requested".into()));
    not_run.push(("summarize".into(), "no summarizer in this version".into()));

    let config = OutputConfig {
        schema_version: document::SCHEMA_VERSION,
        version: env!("CARGO_PKG_VERSION"),
        tokens: opts.keep_tokens,
        stages: described,
    };
    Ok(Pipeline::new(stages, not_run, config))
}
