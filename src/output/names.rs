//! Every file name a run writes into its output folder, spelled once.
//!
//! The per-run files of a shard's run (`--shard K/N`) carry `.shard-K-of-N` before their
//! extension (`articles.shard-2-of-8.jsonl`), so the shards of a drop can share one folder;
//! `newsextract merge` finds them by the same names. The drop-level tables are written only
//! for a whole drop, so they have no shard form.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::shard::Shard;

/// An output file name: a stem and an extension, with a shard's mark between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileName {
    stem: &'static str,
    ext: &'static str,
}

/// One record per article (`docs/schema.md`).
pub const ARTICLES: FileName = FileName::new("articles", ".jsonl");
/// Records written since the last compaction of `articles.jsonl` (`output::store`).
pub const JOURNAL: FileName = FileName::new(".journal", ".jsonl");
/// Held while a run writes the folder.
pub const LOCK: FileName = FileName::new(".lock", "");
/// This run's input problems.
pub const ERRORS: FileName = FileName::new("errors", ".jsonl");
/// Counts, time per stage, throughput, the configuration.
pub const RUN: FileName = FileName::new("run", ".json");
/// Quantities clustered across the drop (`drop::claim_clusters`).
pub const CLAIMS: FileName = FileName::new("claims", ".jsonl");
/// Each entity of the drop once (`drop::entity_index`).
pub const ENTITIES: FileName = FileName::new("entities", ".jsonl");
/// The reviewers' page (`drop::dashboard`).
pub const DASHBOARD: FileName = FileName::new("dashboard", ".html");

/// The translation cache, a folder inside the output folder.
pub fn translation_cache(output: &Path) -> PathBuf {
    output.join(".cache").join("translations")
}

impl FileName {
    const fn new(stem: &'static str, ext: &'static str) -> Self {
        FileName { stem, ext }
    }

    /// The name for a whole drop.
    pub fn whole(&self) -> String {
        format!("{}{}", self.stem, self.ext)
    }

    /// The name for one shard of a drop, or for the whole drop when `shard` is `None`.
    pub fn for_shard(&self, shard: Option<Shard>) -> String {
        match shard {
            None => self.whole(),
            Some(s) => format!("{}.shard-{}-of-{}{}", self.stem, s.index, s.count, self.ext),
        }
    }

    /// The shard a file of this kind belongs to (`articles.shard-2-of-8.jsonl` -> 2/8);
    /// `None` for the whole drop's file and for other files.
    pub fn shard_of(&self, file_name: &str) -> Option<Shard> {
        let rest = file_name.strip_prefix(self.stem)?.strip_prefix(".shard-")?;
        let rest = rest.strip_suffix(self.ext)?;
        let (k, n) = rest.split_once("-of-")?;
        format!("{k}/{n}").parse().ok()
    }
}

impl fmt::Display for FileName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.stem, self.ext)
    }
}

/// The names of the per-run files of one output: a whole drop's, or one shard's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OutputNames {
    shard: Option<Shard>,
}

impl OutputNames {
    pub fn whole() -> Self {
        OutputNames::default()
    }

    pub fn for_shard(shard: Option<Shard>) -> Self {
        OutputNames { shard }
    }

    pub fn articles(&self) -> String {
        ARTICLES.for_shard(self.shard)
    }

    pub fn journal(&self) -> String {
        JOURNAL.for_shard(self.shard)
    }

    pub fn lock(&self) -> String {
        LOCK.for_shard(self.shard)
    }

    pub fn errors(&self) -> String {
        ERRORS.for_shard(self.shard)
    }

    pub fn run(&self) -> String {
        RUN.for_shard(self.shard)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_a_whole_drop_and_of_a_shard() {
        let s: Shard = "2/8".parse().unwrap();
        let names = OutputNames::for_shard(Some(s));
        assert_eq!(names.articles(), "articles.shard-2-of-8.jsonl");
        assert_eq!(names.run(), "run.shard-2-of-8.json");
        assert_eq!(names.lock(), ".lock.shard-2-of-8");
        assert_eq!(names.journal(), ".journal.shard-2-of-8.jsonl");
        assert_eq!(OutputNames::whole().articles(), "articles.jsonl");
        assert_eq!(OutputNames::whole().lock(), ".lock");
        assert_eq!(DASHBOARD.to_string(), "dashboard.html");
    }

    #[test]
    fn a_shard_file_names_its_shard() {
        let s: Shard = "2/8".parse().unwrap();
        assert_eq!(ARTICLES.shard_of("articles.shard-2-of-8.jsonl"), Some(s));
        assert_eq!(ARTICLES.shard_of(&ARTICLES.for_shard(Some(s))), Some(s));
        assert_eq!(ARTICLES.shard_of("articles.jsonl"), None);
        assert_eq!(ARTICLES.shard_of("errors.shard-2-of-8.jsonl"), None);
        assert_eq!(ARTICLES.shard_of("articles.shard-8-of-8.jsonl"), None);
    }
}
