//! Turning command-line inputs into the ordered list of article files.

use std::path::{Path, PathBuf};

use super::{display_path, InputError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// One article per file; the first non-empty line is the title.
    Text,
    /// One article per line.
    Jsonl,
}

#[derive(Debug, Clone)]
pub struct InputFile {
    pub path: PathBuf,
    /// The path as reported in records and errors.
    pub display: String,
    /// For `.txt`: the article id (path relative to the input root, without extension).
    pub id: String,
    pub kind: InputKind,
}

fn kind_of(path: &Path) -> Option<InputKind> {
    match path.extension()?.to_str()? {
        "txt" => Some(InputKind::Text),
        "jsonl" => Some(InputKind::Jsonl),
        _ => None,
    }
}

fn id_of(relative: &Path) -> String {
    display_path(&relative.with_extension(""))
}

/// Expands directories (recursively, sorted, hidden entries skipped, links followed) into
/// `.txt`/`.jsonl` files.
///
/// An input path that does not exist is a usage error (the whole run is wrong), returned as
/// `Err`. Unreadable entries and files named directly with another extension are per-input
/// errors, returned in the second list; other files inside directories are ignored.
pub fn collect_input_files(
    inputs: &[PathBuf],
) -> Result<(Vec<InputFile>, Vec<InputError>), InputError> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let meta = std::fs::metadata(input).map_err(|e| InputError {
            input: display_path(input),
            line: None,
            id: None,
            error: format!("cannot read input: {e}"),
        })?;
        if meta.is_file() {
            match kind_of(input) {
                Some(kind) => files.push(InputFile {
                    path: input.clone(),
                    display: display_path(input),
                    id: id_of(Path::new(input.file_name().unwrap_or_default())),
                    kind,
                }),
                None => errors.push(InputError {
                    input: display_path(input),
                    line: None,
                    id: None,
                    error: "unsupported file type (expected .txt or .jsonl)".into(),
                }),
            }
            continue;
        }
        // Links are followed (a drop assembled from links is still the drop); walkdir reports
        // a loop or a dangling link as an error for that entry, and the walk goes on.
        let walker = walkdir::WalkDir::new(input)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => {
                    if let Some(kind) = kind_of(entry.path()) {
                        let relative = entry.path().strip_prefix(input).unwrap_or(entry.path());
                        files.push(InputFile {
                            path: entry.path().to_path_buf(),
                            display: display_path(entry.path()),
                            id: id_of(relative),
                            kind,
                        });
                    }
                }
                Ok(_) => {}
                Err(e) => errors.push(InputError {
                    input: e
                        .path()
                        .map(display_path)
                        .unwrap_or_else(|| display_path(input)),
                    line: None,
                    id: None,
                    error: format!("cannot read: {e}"),
                }),
            }
        }
    }
    Ok((files, errors))
}
