//! Reading article drops: walking inputs, decoding, JSONL lines, ids and hashes.
//!
//! Inputs are read lazily, one file (or one JSONL line) at a time, so memory stays bounded by
//! the articles in flight rather than by the size of the drop. Every problem with one article
//! becomes an [`InputError`] for that article; it never stops the others.

mod charset;
pub mod markup;
mod walk;

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

pub use charset::{decode_text, DecodeError, Decoded};
pub use walk::{collect_input_files, InputFile, InputKind};

const MARKUP_ONLY: &str = "empty article (nothing but HTML or Markdown markup)";

/// One article as read from the drop, before any stage ran.
#[derive(Debug, Clone)]
pub struct RawArticle {
    pub id: String,
    pub path: String,
    /// 1-based line for JSONL inputs.
    pub line: Option<usize>,
    pub sha256: String,
    pub encoding: &'static str,
    pub title: Option<String>,
    pub text: String,
    pub lang: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// HTML and Markdown decoded out of `text` ([`markup`]).
    pub markup: Vec<markup::MarkupEdit>,
}

/// A problem with one input (a file, or one line of a JSONL file); written to `errors.jsonl`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InputError {
    pub input: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub error: String,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.input)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.error)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Lazily yields every article of the given input files, in order.
///
/// Duplicate ids are detected across the whole drop: the first article with an id wins and
/// every later one is an error naming where the id was first seen. Only ids are remembered.
pub struct ArticleReader {
    files: std::vec::IntoIter<InputFile>,
    current: Option<JsonlLines>,
    seen: HashMap<String, String>,
}

struct JsonlLines {
    path: String,
    lines: std::io::Split<BufReader<File>>,
    line_no: usize,
}

impl ArticleReader {
    pub fn new(files: Vec<InputFile>) -> Self {
        ArticleReader {
            files: files.into_iter(),
            current: None,
            seen: HashMap::new(),
        }
    }

    fn check_duplicate(&mut self, article: RawArticle) -> Result<RawArticle, InputError> {
        let place = match article.line {
            Some(line) => format!("{}:{line}", article.path),
            None => article.path.clone(),
        };
        if let Some(first) = self.seen.get(&article.id) {
            return Err(InputError {
                input: article.path,
                line: article.line,
                id: Some(article.id),
                error: format!("duplicate id (first seen in {first})"),
            });
        }
        self.seen.insert(article.id.clone(), place);
        Ok(article)
    }
}

impl Iterator for ArticleReader {
    type Item = Result<RawArticle, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(jsonl) = &mut self.current {
                match jsonl.lines.next() {
                    Some(Ok(bytes)) => {
                        jsonl.line_no += 1;
                        let (path, line_no) = (jsonl.path.clone(), jsonl.line_no);
                        if bytes.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        let parsed = parse_jsonl_line(&path, line_no, &bytes);
                        return Some(parsed.and_then(|a| self.check_duplicate(a)));
                    }
                    Some(Err(e)) => {
                        let err = InputError {
                            input: jsonl.path.clone(),
                            line: Some(jsonl.line_no + 1),
                            id: None,
                            error: format!("read failed: {e}"),
                        };
                        self.current = None;
                        return Some(Err(err));
                    }
                    None => self.current = None,
                }
            }
            let file = self.files.next()?;
            match file.kind {
                InputKind::Text => {
                    let read = read_text_file(&file);
                    return Some(read.and_then(|a| self.check_duplicate(a)));
                }
                InputKind::Jsonl => match File::open(&file.path) {
                    Ok(f) => {
                        self.current = Some(JsonlLines {
                            path: file.display.clone(),
                            lines: BufReader::new(f).split(b'\n'),
                            line_no: 0,
                        })
                    }
                    Err(e) => {
                        return Some(Err(InputError {
                            input: file.display,
                            line: None,
                            id: None,
                            error: format!("cannot open: {e}"),
                        }))
                    }
                },
            }
        }
    }
}

fn read_text_file(file: &InputFile) -> Result<RawArticle, InputError> {
    let fail = |error: String| InputError {
        input: file.display.clone(),
        line: None,
        id: Some(file.id.clone()),
        error,
    };
    let bytes = std::fs::read(&file.path).map_err(|e| fail(format!("cannot read: {e}")))?;
    let decoded = decode_text(&bytes).map_err(|e| fail(e.to_string()))?;
    let (text, markup) = markup::decode_markup(&decoded.text);
    if text.trim().is_empty() {
        return Err(fail(MARKUP_ONLY.into()));
    }
    let title = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string);
    Ok(RawArticle {
        id: file.id.clone(),
        path: file.display.clone(),
        line: None,
        sha256: sha256_hex(&bytes),
        encoding: decoded.encoding,
        title,
        text,
        lang: None,
        url: None,
        published: None,
        markup,
    })
}

/// Parses one JSONL line: `{"id": str, "text": str, "title"?, "lang"?, "url"?, "published"?}`.
pub fn parse_jsonl_line(path: &str, line: usize, bytes: &[u8]) -> Result<RawArticle, InputError> {
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let fail = |id: Option<String>, error: String| InputError {
        input: path.to_string(),
        line: Some(line),
        id,
        error,
    };
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| fail(None, format!("not valid JSON: {e}")))?;
    let serde_json::Value::Object(obj) = value else {
        return Err(fail(None, "not a JSON object".into()));
    };
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(serde_json::Value::String(_)) => return Err(fail(None, "\"id\" is empty".into())),
        Some(_) => return Err(fail(None, "\"id\" is not a string".into())),
        None => return Err(fail(None, "missing \"id\"".into())),
    };
    let text = match obj.get("text") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(_) => return Err(fail(Some(id), "\"text\" is not a string".into())),
        None => return Err(fail(Some(id), "missing \"text\"".into())),
    };
    charset::check_text(&text).map_err(|e| fail(Some(id.clone()), e.to_string()))?;
    let optional = |key: &str| -> Result<Option<String>, InputError> {
        match obj.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(fail(Some(id.clone()), format!("\"{key}\" is not a string"))),
        }
    };
    let (text, markup) = markup::decode_markup(&text);
    if text.trim().is_empty() {
        return Err(fail(Some(id), MARKUP_ONLY.into()));
    }
    Ok(RawArticle {
        title: optional("title")?.map(|t| markup::decode_markup(&t).0),
        lang: optional("lang")?,
        url: optional("url")?,
        published: optional("published")?,
        id: id.clone(),
        path: path.to_string(),
        line: Some(line),
        sha256: sha256_hex(bytes),
        encoding: "utf-8",
        text,
        markup,
    })
}

/// Counts the articles the inputs will yield at most (files, non-blank JSONL lines), for the
/// progress bar. Reads JSONL files once without parsing them.
pub fn count_articles(files: &[InputFile]) -> u64 {
    files
        .iter()
        .map(|f| match f.kind {
            InputKind::Text => 1,
            InputKind::Jsonl => File::open(&f.path)
                .map(|file| {
                    BufReader::new(file)
                        .split(b'\n')
                        .filter_map(Result::ok)
                        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
                        .count() as u64
                })
                .unwrap_or(0),
        })
        .sum()
}

/// The display form of a path: as given, with `/` separators.
pub(crate) fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// Resolves one command-line input to a file list (shared with tests).
pub fn input_files(inputs: &[PathBuf]) -> Result<(Vec<InputFile>, Vec<InputError>), InputError> {
    collect_input_files(inputs)
}
