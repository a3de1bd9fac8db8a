//! The article store: `articles.jsonl` holding each article exactly once, updated
//! incrementally and safely against a kill at any moment.
//!
//! Design. During a run, each finished record is appended as one whole line to a journal
//! (`.journal.jsonl`) with a single `write` call; the journal is fsynced after every batch.
//! `articles.jsonl` itself is only ever replaced by rename: at the end of a run (and at the
//! start of the next one, if a run died) the journal is *compacted* into a new file holding
//! the old records that were not superseded plus the journal's records, sorted by id, which
//! is fsynced and renamed over `articles.jsonl`; only then is the journal deleted.
//!
//! Why this survives kill -9 anywhere:
//! - killed while appending: the journal may end in a torn line; compaction keeps only
//!   lines that parse as a complete record, so that article is simply processed again;
//! - killed during compaction before the rename: `articles.jsonl` is the old, intact file and
//!   the journal is still there; the next run compacts again;
//! - killed after the rename but before the journal is deleted: compacting again is
//!   idempotent (journal records replace the same ids).
//!
//! Memory stays bounded by the number of articles (an index of ids and offsets), never by
//! their size: compaction copies lines by offset.

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::names::OutputNames;
use super::{sync_dir, tmp_path};

/// What the store remembers of a record to decide whether an article must be redone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredArticle {
    pub sha256: String,
    pub fingerprint: String,
    /// Dates without a year are resolved against it, so a new date redoes the article.
    pub published: Option<String>,
}

#[derive(Deserialize)]
struct RecordKey {
    id: String,
    #[serde(default)]
    published: Option<String>,
    source: RecordSource,
    provenance: RecordProvenance,
}

#[derive(Deserialize)]
struct RecordSource {
    sha256: String,
}

#[derive(Deserialize)]
struct RecordProvenance {
    fingerprint: String,
}

pub struct ArticleStore {
    dir: PathBuf,
    names: OutputNames,
    journal: Mutex<File>,
    known: HashMap<String, StoredArticle>,
    /// Held for the store's lifetime: a second run on the same folder fails fast instead of
    /// interleaving its writes with ours.
    _lock: File,
}

impl ArticleStore {
    /// Opens (creating if needed) the output folder, finishes a previous run's compaction if it
    /// died, and indexes the records already there.
    pub fn open(dir: &Path) -> Result<Self> {
        Self::open_named(dir, OutputNames::whole())
    }

    /// [`open`](Self::open) for the files `names` gives (one shard's, say): each set of
    /// names has its own lock, so shards can share a folder.
    pub fn open_named(dir: &Path, names: OutputNames) -> Result<Self> {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create output folder {}", dir.display()))?;
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(names.lock()))
            .with_context(|| format!("cannot write to output folder {}", dir.display()))?;
        if lock.try_lock().is_err() {
            anyhow::bail!(
                "another newsextract run is writing to {} (remove nothing; wait for it to finish)",
                dir.display()
            );
        }
        compact(dir, &names)?;
        let known = index(&dir.join(names.articles()))?;
        let journal = OpenOptions::new()
            .create(true)
            .append(true)
            .open(dir.join(names.journal()))
            .with_context(|| format!("cannot write journal in {}", dir.display()))?;
        Ok(ArticleStore {
            dir: dir.to_path_buf(),
            names,
            journal: Mutex::new(journal),
            known,
            _lock: lock,
        })
    }

    /// The stored state of an article, if it has a record.
    pub fn get(&self, id: &str) -> Option<&StoredArticle> {
        self.known.get(id)
    }

    pub fn len(&self) -> usize {
        self.known.len()
    }

    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Appends one finished record (a JSON object without newline) to the journal.
    pub fn append(&self, record_json: &str) -> Result<()> {
        debug_assert!(!record_json.contains('\n'));
        let mut line = String::with_capacity(record_json.len() + 1);
        line.push_str(record_json);
        line.push('\n');
        let mut journal = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        journal
            .write_all(line.as_bytes())
            .context("cannot append to the output journal")
    }

    /// Makes everything appended so far durable.
    pub fn sync(&self) -> Result<()> {
        let journal = self.journal.lock().unwrap_or_else(|e| e.into_inner());
        journal
            .sync_data()
            .context("cannot sync the output journal")
    }

    /// Folds the journal into `articles.jsonl`; returns the number of articles it holds.
    pub fn finish(self) -> Result<usize> {
        self.finish_then(|_| Ok(())).map(|(n, ())| n)
    }

    /// [`finish`](Self::finish), then `derive` on the output folder while the lock is still
    /// held, so files derived from the finished `articles.jsonl` cannot race another run.
    pub fn finish_then<T>(self, derive: impl FnOnce(&Path) -> Result<T>) -> Result<(usize, T)> {
        self.sync()?;
        let ArticleStore {
            dir,
            names,
            journal,
            _lock: lock,
            ..
        } = self;
        drop(journal);
        compact(&dir, &names)?;
        let count = index(&dir.join(names.articles()))?.len();
        let derived = derive(&dir)?;
        drop(lock);
        Ok((count, derived))
    }
}

/// Indexes `articles.jsonl`: id -> (sha256, fingerprint). A line that does not parse is an
/// error: this file is only ever written whole, so a bad line means someone edited it.
fn index(path: &Path) -> Result<HashMap<String, StoredArticle>> {
    let mut known = HashMap::new();
    let Ok(file) = File::open(path) else {
        return Ok(known);
    };
    for (n, line) in BufReader::new(file).lines().enumerate() {
        let line = line.with_context(|| format!("cannot read {}", path.display()))?;
        let key: RecordKey = serde_json::from_str(&line).with_context(|| {
            format!(
                "{}:{}: not a newsextract record; move the file away to start afresh",
                path.display(),
                n + 1
            )
        })?;
        known.insert(
            key.id,
            StoredArticle {
                sha256: key.source.sha256,
                fingerprint: key.provenance.fingerprint,
                published: key.published,
            },
        );
    }
    Ok(known)
}

#[derive(Clone, Copy)]
enum From {
    Articles,
    Journal,
}

/// Complete lines of `path` that parse as records: (id, offset, length without newline).
/// A torn or unparsable line (only possible at the journal's end after a kill) is skipped.
fn scan(path: &Path, strict: bool) -> Result<Vec<(String, u64, usize)>> {
    let Ok(file) = File::open(path) else {
        return Ok(Vec::new());
    };
    let mut reader = BufReader::new(file);
    let mut out = Vec::new();
    let mut offset = 0u64;
    let mut buf = Vec::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let complete = buf.last() == Some(&b'\n');
        let body = if complete { &buf[..n - 1] } else { &buf[..] };
        match (complete, serde_json::from_slice::<RecordKey>(body)) {
            (true, Ok(key)) => out.push((key.id, offset, body.len())),
            _ if strict => anyhow::bail!(
                "{}:{line_no}: not a complete newsextract record; move the file away to start afresh",
                path.display()
            ),
            _ => {}
        }
        offset += n as u64;
    }
    Ok(out)
}

/// Folds the journal (if any) into `articles.jsonl`, sorted by id. See the module docs.
fn compact(dir: &Path, names: &OutputNames) -> Result<()> {
    let journal_path = dir.join(names.journal());
    let articles_path = dir.join(names.articles());
    if !journal_path.exists() {
        return Ok(());
    }
    let journal = scan(&journal_path, false)?;
    let mut entries: Vec<(String, From, u64, usize)> = Vec::new();
    let mut latest: HashMap<&str, usize> = HashMap::new();
    for (i, (id, _, _)) in journal.iter().enumerate() {
        latest.insert(id, i);
    }
    let superseded: HashSet<&str> = latest.keys().copied().collect();
    for (id, offset, len) in scan(&articles_path, true)? {
        if !superseded.contains(id.as_str()) {
            entries.push((id, From::Articles, offset, len));
        }
    }
    for (i, (id, offset, len)) in journal.iter().enumerate() {
        if latest.get(id.as_str()) == Some(&i) {
            entries.push((id.clone(), From::Journal, *offset, *len));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));

    let tmp = tmp_path(&articles_path);
    {
        let mut out = std::io::BufWriter::new(
            File::create(&tmp).with_context(|| format!("cannot write {}", tmp.display()))?,
        );
        let mut sources = [
            File::open(&articles_path).ok(),
            File::open(&journal_path).ok(),
        ];
        let mut buf = Vec::new();
        for (_, from, offset, len) in &entries {
            let file = sources[*from as usize]
                .as_mut()
                .context("output file vanished during compaction")?;
            file.seek(SeekFrom::Start(*offset))?;
            buf.resize(*len, 0);
            file.read_exact(&mut buf)?;
            out.write_all(&buf)?;
            out.write_all(b"\n")?;
        }
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
    }
    std::fs::rename(&tmp, &articles_path)
        .with_context(|| format!("cannot replace {}", articles_path.display()))?;
    sync_dir(dir);
    std::fs::remove_file(&journal_path)
        .with_context(|| format!("cannot remove {}", journal_path.display()))?;
    sync_dir(dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::names;

    fn record(id: &str, sha: &str) -> String {
        serde_json::json!({"id": id, "source": {"sha256": sha}, "provenance": {"fingerprint": "f"}, "text": "x"})
            .to_string()
    }

    fn ids(dir: &Path) -> Vec<(String, String)> {
        std::fs::read_to_string(dir.join(names::ARTICLES.whole()))
            .unwrap()
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                (
                    v["id"].as_str().unwrap().into(),
                    v["source"]["sha256"].as_str().unwrap().into(),
                )
            })
            .collect()
    }

    #[test]
    fn replaces_records_and_keeps_others_sorted() {
        let dir = tempfile::tempdir().unwrap();
        let store = ArticleStore::open(dir.path()).unwrap();
        store.append(&record("b", "1")).unwrap();
        store.append(&record("a", "1")).unwrap();
        assert_eq!(store.finish().unwrap(), 2);
        let store = ArticleStore::open(dir.path()).unwrap();
        assert_eq!(store.get("a").unwrap().sha256, "1");
        store.append(&record("a", "2")).unwrap();
        store.append(&record("c", "1")).unwrap();
        store.finish().unwrap();
        assert_eq!(
            ids(dir.path()),
            [
                ("a".into(), "2".into()),
                ("b".into(), "1".into()),
                ("c".into(), "1".into())
            ]
        );
    }

    #[test]
    fn torn_journal_line_from_a_killed_run_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let good = record("a", "1");
        let torn = &record("b", "1")[..20];
        std::fs::write(
            dir.path().join(names::JOURNAL.whole()),
            format!("{good}\n{torn}"),
        )
        .unwrap();
        let store = ArticleStore::open(dir.path()).unwrap();
        assert!(store.get("a").is_some());
        assert!(
            store.get("b").is_none(),
            "a torn record must be redone, not kept"
        );
        assert!(
            !dir.path().join(names::JOURNAL.whole()).exists()
                || store.is_empty()
                || store.len() == 1
        );
        drop(store);
        assert_eq!(ids(dir.path()), [("a".into(), "1".into())]);
    }

    #[test]
    fn second_run_on_same_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let _first = ArticleStore::open(dir.path()).unwrap();
        let err = ArticleStore::open(dir.path()).err().unwrap().to_string();
        assert!(err.contains("another newsextract run"), "{err}");
    }

    #[test]
    fn edited_articles_file_is_reported_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(names::ARTICLES.whole()),
            format!("{}\nnot json\n", record("a", "1")),
        )
        .unwrap();
        let err = format!("{:#}", ArticleStore::open(dir.path()).err().unwrap());
        assert!(err.contains("articles.jsonl:2"), "{err}");
    }
}
