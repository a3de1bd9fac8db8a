//! Drop-level outputs, derived from the finished `articles.jsonl` after every run:
//! `claims.jsonl` (quantities clustered across articles, with conflicts), `entities.jsonl`
//! (each entity once across the drop) and `dashboard.html` (the page a reviewer opens).
//!
//! They cover every record in the output folder (earlier drops included) and are rewritten
//! whole, atomically, so they always match `articles.jsonl`.

pub mod claim_clusters;
pub mod dashboard;
pub mod entity_index;
pub mod feed;
pub mod unit_lemmas;

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::document::Document;
use crate::output::names;
pub use feed::{build_feed, DropFeed};

/// Reads `articles.jsonl` of `dir` and derives the drop-level data.
pub fn read_feed(dir: &Path) -> Result<DropFeed> {
    let path = dir.join(names::ARTICLES.whole());
    let mut docs = Vec::new();
    if let Ok(file) = File::open(&path) {
        for (n, line) in BufReader::new(file).lines().enumerate() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            let doc: Document = serde_json::from_str(&line).with_context(|| {
                format!("{}:{}: not a record of this version", path.display(), n + 1)
            })?;
            docs.push(doc);
        }
    }
    Ok(build_feed(docs))
}

/// What [`write_feed`] wrote.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct FeedCounts {
    pub claim_clusters: usize,
    pub multi_article_clusters: usize,
    pub conflicts: usize,
    pub entities: usize,
}

/// Derives and writes `claims.jsonl`, `entities.jsonl` and `dashboard.html` into `dir`.
pub fn write_feed(dir: &Path) -> Result<FeedCounts> {
    let feed = read_feed(dir)?;
    write_jsonl(&dir.join(names::CLAIMS.whole()), &feed.clusters)?;
    write_jsonl(&dir.join(names::ENTITIES.whole()), &feed.entities)?;
    let page = dashboard::render(&feed)?;
    crate::output::write_atomically(&dir.join(names::DASHBOARD.whole()), page.as_bytes())
        .with_context(|| {
            format!(
                "cannot write {}",
                dir.join(names::DASHBOARD.whole()).display()
            )
        })?;
    Ok(FeedCounts {
        claim_clusters: feed.clusters.len(),
        multi_article_clusters: feed.clusters.iter().filter(|c| c.article_count > 1).count(),
        conflicts: feed
            .clusters
            .iter()
            .map(|c| c.conflicts.len())
            .sum::<usize>()
            / 2,
        entities: feed.entities.len(),
    })
}

fn write_jsonl<T: Serialize>(path: &Path, items: &[T]) -> Result<()> {
    let mut out = String::new();
    for item in items {
        out.push_str(&serde_json::to_string(item)?);
        out.push('\n');
    }
    crate::output::write_atomically(path, out.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}
