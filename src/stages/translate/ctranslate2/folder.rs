//! Start-up checks of a CTranslate2 model folder, reported all at once and naming the folder.
//!
//! Expected layout: CTranslate2's `model.bin`, `config.json` and `shared_vocabulary.json`, and
//! Marian's tokenizer files `vocab.json` + `source.spm` (the same ones the libtorch path
//! reads, so both backends cut sentences into the same pieces); optionally
//! `tokenizer_config.json` with `source_lang` and the converter's
//! [`CONVERSION_FILE`](super::convert::CONVERSION_FILE).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use super::super::folder::{existing_folder_name, missing_tokenizer_files, tokenizer_config_lang};
use super::convert::CONVERSION_FILE;

/// Longest input, in tokens, when the folder does not say (opus-mt's 512 positions).
pub const DEFAULT_MAX_POSITIONS: usize = 512;

pub use crate::models::is_ctranslate2_folder;

/// A checked CTranslate2 Marian folder.
#[derive(Debug, Clone)]
pub struct Ct2Folder {
    pub dir: PathBuf,
    /// The folder's name, used as the model's name in the output.
    pub name: String,
    pub model_path: PathBuf,
    pub vocab_path: PathBuf,
    pub spm_path: PathBuf,
    /// CTranslate2's vocabulary: the token of every id the model knows.
    pub tokens: Vec<String>,
    /// Longest input in tokens; longer sentences are cut, as rust-bert cuts them.
    pub max_positions: usize,
    /// `source_lang` from `tokenizer_config.json`, when it says.
    pub source_language: Option<String>,
}

impl Ct2Folder {
    /// Checks the folder without loading the model.
    pub fn inspect(dir: &Path) -> Result<Ct2Folder> {
        let shown = dir.display();
        let name = existing_folder_name(dir)?;
        let mut problems: Vec<String> = Vec::new();
        let model_path = dir.join("model.bin");
        let vocab_path = dir.join("vocab.json");
        let spm_path = dir.join("source.spm");
        if !model_path.is_file() {
            problems.push("model.bin is missing".into());
        }
        match std::fs::read_to_string(dir.join("config.json")) {
            Err(_) => problems.push("config.json is missing or unreadable".into()),
            Ok(text) => {
                if serde_json::from_str::<serde_json::Value>(&text).is_err() {
                    problems.push("config.json is not valid JSON".into());
                }
            }
        }
        let tokens = if dir.join("shared_vocabulary.json").is_file() {
            match read_json::<Vec<String>>(&dir.join("shared_vocabulary.json")) {
                Ok(t) => Some(t),
                Err(e) => {
                    problems.push(format!("{e:#}"));
                    None
                }
            }
        } else {
            problems.push(
                "shared_vocabulary.json is missing (Marian models share one vocabulary between \
                 source and target; separate vocabularies are not supported)"
                    .into(),
            );
            None
        };
        let missing_tokenizer = missing_tokenizer_files(
            dir,
            "copy them from the Hugging Face folder the model was converted from",
        );
        if let Some(problem) = missing_tokenizer {
            problems.push(problem);
        } else if let Some(tokens) = &tokens {
            if let Err(e) = check_same_vocabulary(&vocab_path, tokens) {
                problems.push(format!("{e:#}"));
            }
        }
        let max_positions = match read_json::<serde_json::Value>(&dir.join(CONVERSION_FILE)) {
            Ok(v) => v
                .get("max_positions")
                .and_then(|m| m.as_u64())
                .map_or(DEFAULT_MAX_POSITIONS, |m| m as usize),
            Err(_) => DEFAULT_MAX_POSITIONS,
        };
        let source_language = match tokenizer_config_lang(&dir.join("tokenizer_config.json")) {
            Ok(lang) => lang,
            Err(e) => {
                problems.push(format!("{e:#}"));
                None
            }
        };
        if !problems.is_empty() {
            bail!(
                "translation model folder {shown} (CTranslate2) is not usable: {}",
                problems.join("; ")
            );
        }
        Ok(Ct2Folder {
            dir: dir.to_path_buf(),
            name,
            model_path,
            vocab_path,
            spm_path,
            tokens: tokens.expect("checked above"),
            max_positions,
            source_language,
        })
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T> {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let text = std::fs::read_to_string(path).with_context(|| format!("{name} cannot be read"))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{name} is not valid JSON of the expected shape"))
}

/// vocab.json (what the tokenizer produces) and CTranslate2's vocabulary must give every id
/// the same token, or the model would read other words than the tokenizer meant.
fn check_same_vocabulary(vocab_path: &Path, tokens: &[String]) -> Result<()> {
    let vocab: HashMap<String, i64> = read_json(vocab_path)?;
    let mut mismatches = Vec::new();
    for (token, id) in &vocab {
        let Ok(i) = usize::try_from(*id) else {
            continue;
        };
        match tokens.get(i) {
            Some(t) if t == token => {}
            // Marian's <pad> is the one token CTranslate2 drops (it starts the decoder from a
            // zero vector instead).
            None if token == "<pad>" && i == tokens.len() => {}
            other => mismatches.push(format!("id {i}: vocab.json {token:?}, model {other:?}")),
        }
    }
    if !mismatches.is_empty() {
        mismatches.sort();
        bail!(
            "vocab.json does not match shared_vocabulary.json ({} ids differ, first: {})",
            mismatches.len(),
            mismatches[0]
        );
    }
    Ok(())
}
