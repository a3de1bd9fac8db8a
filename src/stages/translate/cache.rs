//! Persistent translation cache: a re-run, or a sentence repeated in a later drop, costs no
//! model call.
//!
//! # Design
//! - **Key** = (sha256 of the model's weights, the options that change the output — beam
//!   size and max length —, sha256 of the sentence text). The first two pick the file, the
//!   last one the line: `cache_dir/<sha256(weights sha256 + options)[..32]>.jsonl`, one
//!   `{"s": "<sentence sha256>", "t": "<translation>"}` per line. A new model or new options
//!   therefore never see old entries; deleting a file drops exactly one model's cache. A
//!   `<same name>.meta.json` next to it records the weights hash and the options for people.
//! - **Crash safety**: the file is only ever appended to, opened with `O_APPEND`, and each
//!   batch of entries goes out as whole lines in a single `write_all`. A crash can leave at
//!   most a torn last line: loading skips lines that do not parse, and opening a file whose
//!   last byte is not a newline first ends that line, so the next append starts clean. The
//!   meta file is written to a temporary name and renamed into place.
//! - **Concurrency within one process**: the map and the file handle sit behind one `Mutex`;
//!   rayon workers that finish batches at the same time append one after the other. Two
//!   processes sharing a cache folder each append whole lines with `O_APPEND` (on a local
//!   Linux file system such writes do not interleave); each only sees the other's entries
//!   on its next start.
//! - Entries are never rewritten; the same sentence translated twice (two processes racing)
//!   just appears twice with the same text, and the last line wins on load.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// One line of the cache file, as written.
#[derive(Serialize)]
struct Entry<'a> {
    /// sha256 of the sentence text.
    s: &'a str,
    /// The translation.
    t: &'a str,
}

/// One line of the cache file, as read (owned: JSON escapes cannot be borrowed).
#[derive(Deserialize)]
struct OwnedEntry {
    s: String,
    t: String,
}

struct Inner {
    map: HashMap<String, String>,
    file: File,
}

/// The on-disk cache of one model with one set of output options.
pub struct TranslationCache {
    path: PathBuf,
    inner: Mutex<Inner>,
}

/// sha256 of a sentence, the per-line key.
pub fn sentence_key(sentence: &str) -> String {
    hex::encode(Sha256::digest(sentence.as_bytes()))
}

impl TranslationCache {
    /// Opens (creating if needed) the cache file for this model and these options under
    /// `cache_dir`, and loads its entries.
    pub fn open(cache_dir: &Path, model_sha256: &str, output_options: &str) -> Result<Self> {
        fs::create_dir_all(cache_dir)
            .with_context(|| format!("cannot create cache folder {}", cache_dir.display()))?;
        let id = hex::encode(Sha256::digest(
            format!("{model_sha256}\n{output_options}").as_bytes(),
        ));
        let stem = &id[..32];
        let path = cache_dir.join(format!("{stem}.jsonl"));
        write_meta(
            &cache_dir.join(format!("{stem}.meta.json")),
            model_sha256,
            output_options,
        )?;

        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&path)
            .with_context(|| format!("cannot open translation cache {}", path.display()))?;
        let map = load_entries(&mut file)
            .with_context(|| format!("cannot read translation cache {}", path.display()))?;
        Ok(TranslationCache {
            path,
            inner: Mutex::new(Inner { map, file }),
        })
    }

    /// The cache file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Number of cached sentences.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cached translation of a sentence.
    pub fn get(&self, sentence: &str) -> Option<String> {
        self.lock().map.get(&sentence_key(sentence)).cloned()
    }

    /// Adds translations and appends them to the file in one write (see the module docs).
    pub fn insert_many(&self, entries: &[(&str, &str)]) -> Result<()> {
        if entries.is_empty() {
            return Ok(());
        }
        let mut buf = Vec::new();
        let mut keyed = Vec::with_capacity(entries.len());
        for (sentence, translation) in entries {
            let key = sentence_key(sentence);
            serde_json::to_writer(
                &mut buf,
                &Entry {
                    s: &key,
                    t: translation,
                },
            )?;
            buf.push(b'\n');
            keyed.push((key, translation.to_string()));
        }
        let mut inner = self.lock();
        inner
            .file
            .write_all(&buf)
            .and_then(|_| inner.file.flush())
            .with_context(|| {
                format!("cannot append to translation cache {}", self.path.display())
            })?;
        inner.map.extend(keyed);
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A worker that panicked mid-insert leaves the map and file consistent (the map is
        // only extended after the write), so a poisoned lock is safe to take over.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Reads every whole, parseable line; ends a torn last line so the next append is clean.
fn load_entries(file: &mut File) -> Result<HashMap<String, String>> {
    let len = file.metadata()?.len();
    let mut map = HashMap::new();
    if len == 0 {
        return Ok(map);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    file.seek(SeekFrom::Start(0))?;
    for line in BufReader::new(&mut *file).split(b'\n') {
        let line = line?;
        if let Ok(entry) = serde_json::from_slice::<OwnedEntry>(&line) {
            if entry.s.len() == 64 {
                map.insert(entry.s, entry.t);
            }
        }
    }
    if last[0] != b'\n' {
        // O_APPEND: this goes to the end whatever the read position.
        file.write_all(b"\n")?;
    }
    Ok(map)
}

fn write_meta(path: &Path, model_sha256: &str, output_options: &str) -> Result<()> {
    if path.is_file() {
        return Ok(());
    }
    let meta = serde_json::json!({
        "model_sha256": model_sha256,
        "options": output_options,
        "format": "one {\"s\": sha256 of the sentence, \"t\": translation} per line",
    });
    let tmp = path.with_extension(format!("tmp.{}", std::process::id()));
    fs::write(&tmp, serde_json::to_vec_pretty(&meta)?)
        .with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_survive_reopen_and_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TranslationCache::open(dir.path(), "abc", "beam=1").unwrap();
        cache
            .insert_many(&[
                ("Hallo Welt.", "Hello world."),
                ("Ja.", "\"Yes\", he said\\ – ü."),
            ])
            .unwrap();
        let path = cache.path().to_path_buf();
        drop(cache);
        // A crash in the middle of a write.
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(br#"{"s": "0123"#).unwrap();
        drop(f);

        let cache = TranslationCache::open(dir.path(), "abc", "beam=1").unwrap();
        assert_eq!(cache.len(), 2);
        assert_eq!(cache.get("Hallo Welt.").as_deref(), Some("Hello world."));
        assert_eq!(cache.get("Ja.").as_deref(), Some("\"Yes\", he said\\ – ü."));
        cache.insert_many(&[("Nein.", "No.")]).unwrap();
        drop(cache);
        let cache = TranslationCache::open(dir.path(), "abc", "beam=1").unwrap();
        assert_eq!(cache.get("Nein.").as_deref(), Some("No."));
        assert_eq!(cache.len(), 3);
        let text = fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 4, "{text}");
    }

    #[test]
    fn other_model_or_options_do_not_share_entries() {
        let dir = tempfile::tempdir().unwrap();
        let a = TranslationCache::open(dir.path(), "abc", "beam=1").unwrap();
        a.insert_many(&[("Hallo.", "Hello.")]).unwrap();
        let b = TranslationCache::open(dir.path(), "abc", "beam=4").unwrap();
        let c = TranslationCache::open(dir.path(), "abd", "beam=1").unwrap();
        assert_eq!(b.get("Hallo."), None);
        assert_eq!(c.get("Hallo."), None);
        assert_ne!(a.path(), b.path());
    }

    #[test]
    fn concurrent_writers_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let cache = TranslationCache::open(dir.path(), "abc", "beam=1").unwrap();
        std::thread::scope(|s| {
            for t in 0..8 {
                let cache = &cache;
                s.spawn(move || {
                    for i in 0..50 {
                        let src = format!("Satz {t} {i}");
                        let dst = format!("Sentence {t} {i} {}", "x".repeat(i * 40));
                        cache.insert_many(&[(&src, &dst)]).unwrap();
                    }
                });
            }
        });
        drop(cache);
        let cache = TranslationCache::open(dir.path(), "abc", "beam=1").unwrap();
        assert_eq!(cache.len(), 400);
        assert_eq!(
            cache.get("Satz 7 49").unwrap(),
            format!("Sentence 7 49 {}", "x".repeat(49 * 40))
        );
    }
}
