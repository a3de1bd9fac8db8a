//! Start-up checks of a Marian model folder, so a missing or broken model fails before any
//! article is touched, with a message that names the folder and what is wrong.
//!
//! Beside the checks every model folder gets (`models::validate_model_dir`, which stops at
//! the first problem), these read Marian's own files (vocabulary against the config, the
//! position tables current `transformers` leaves out) and report every problem at once; the
//! weight-file names are the models module's one list.
//!
//! Expected layout (Hugging Face, as `MarianMTModel.save_pretrained` writes it, after
//! `scripts/prepare-marian.py`): `config.json`; weights as `model.safetensors`,
//! `pytorch_model.bin` or `rust_model.ot` (first found wins, in that order); Marian's native
//! tokenizer files `vocab.json` + `source.spm`; optionally `tokenizer_config.json` with
//! `source_lang`.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use rust_bert::bart::BartConfig;

use crate::models;

/// Tensors that rust-bert needs and current `transformers` leaves out of Marian's weights.
const POSITION_TABLES: [&str; 2] = [
    "model.encoder.embed_positions.weight",
    "model.decoder.embed_positions.weight",
];

/// A checked Marian model folder.
#[derive(Debug, Clone)]
pub struct MarianFolder {
    pub dir: PathBuf,
    /// The folder's name, used as the model's name in the output.
    pub name: String,
    pub config_path: PathBuf,
    pub config: BartConfig,
    pub weights_path: PathBuf,
    pub vocab_path: PathBuf,
    pub spm_path: PathBuf,
    /// `source_lang` from `tokenizer_config.json` or `config.json`, when either says.
    pub source_language: Option<String>,
}

impl MarianFolder {
    /// Checks the folder without loading the weights. Every problem found is reported at
    /// once, each naming the file concerned.
    pub fn inspect(dir: &Path) -> Result<MarianFolder> {
        let shown = dir.display();
        let name = existing_folder_name(dir)?;

        let mut problems: Vec<String> = Vec::new();
        let config_path = dir.join("config.json");
        let weights_path = models::weights_file(dir).ok();
        let vocab_path = dir.join("vocab.json");
        let spm_path = dir.join("source.spm");

        if !config_path.is_file() {
            problems.push("config.json is missing".into());
        }
        if weights_path.is_none() {
            problems.push(format!(
                "weights are missing (one of {})",
                models::WEIGHTS_FILES.join(", ")
            ));
        }
        problems.extend(missing_tokenizer_files(
            dir,
            "the native vocab.json + source.spm",
        ));

        let mut config = None;
        let mut config_lang = None;
        if config_path.is_file() {
            match read_config(&config_path) {
                Ok((c, lang)) => {
                    config = Some(c);
                    config_lang = lang;
                }
                Err(e) => problems.push(format!("{e:#}")),
            }
        }
        if let (Some(config), true) = (&config, vocab_path.is_file()) {
            if let Err(e) = check_vocab(&vocab_path, config) {
                problems.push(format!("{e:#}"));
            }
        }
        if let Some(w) = &weights_path {
            if w.extension().and_then(|e| e.to_str()) == Some("safetensors") {
                if let Err(e) = check_safetensors(w) {
                    problems.push(format!("{e:#}"));
                }
            }
        }

        if !problems.is_empty() {
            bail!(
                "translation model folder {shown} is not usable: {}",
                problems.join("; ")
            );
        }
        let source_language = tokenizer_config_lang(&dir.join("tokenizer_config.json"))
            .with_context(|| format!("translation model folder {shown}"))?
            .or(config_lang);
        Ok(MarianFolder {
            dir: dir.to_path_buf(),
            name,
            config_path,
            config: config.expect("checked above"),
            weights_path: weights_path.expect("checked above"),
            vocab_path,
            spm_path,
            source_language,
        })
    }
}

/// The name a translation model folder goes by in the output (its own name, after resolving
/// links), or an error when it is not a folder.
pub(crate) fn existing_folder_name(dir: &Path) -> Result<String> {
    let shown = dir.display();
    if !dir.is_dir() {
        bail!("translation model folder {shown} does not exist or is not a folder");
    }
    Ok(dir
        .canonicalize()
        .unwrap_or_else(|_| dir.to_path_buf())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.to_string()))
}

/// Which of Marian's tokenizer files (`vocab.json`, `source.spm`) `dir` lacks, as one problem
/// line with `hint`, or `None`.
pub(crate) fn missing_tokenizer_files(dir: &Path, hint: &str) -> Option<String> {
    let missing: Vec<&str> = ["vocab.json", "source.spm"]
        .into_iter()
        .filter(|f| !dir.join(f).is_file())
        .collect();
    (!missing.is_empty()).then(|| {
        format!(
            "Marian tokenizer file(s) missing: {} ({hint})",
            missing.join(", ")
        )
    })
}

const PREPARE_HINT: &str =
    "prepare the folder with scripts/prepare-marian.py (see docs/translation.md)";

/// Parses config.json as rust-bert will (rust-bert's own reader panics on a bad file) and
/// checks the keys whose absence makes rust-bert build the wrong network.
fn read_config(path: &Path) -> Result<(BartConfig, Option<String>)> {
    let text = std::fs::read_to_string(path).context("config.json cannot be read")?;
    let value: serde_json::Value =
        serde_json::from_str(&text).context("config.json is not valid JSON")?;
    if let Some(kind) = value.get("model_type").and_then(|v| v.as_str()) {
        if kind != "marian" {
            bail!("config.json describes a {kind:?} model; translation needs a Marian model");
        }
    }
    // Without these rust-bert silently builds learned positions with an offset of 2 and an
    // embedding layer norm, neither of which Marian has.
    if value.get("normalize_embedding").is_none() {
        bail!("config.json lacks normalize_embedding (a folder saved by current transformers): {PREPARE_HINT}");
    }
    if value
        .get("static_position_embeddings")
        .and_then(|v| v.as_bool())
        != Some(true)
    {
        bail!("config.json lacks static_position_embeddings: true (Marian's positions are sinusoidal): {PREPARE_HINT}");
    }
    let config: BartConfig = serde_json::from_value(value.clone())
        .context("config.json does not have the fields of a Marian/BART config")?;
    let lang = value
        .get("source_lang")
        .and_then(|v| v.as_str())
        .map(str::to_owned);
    Ok((config, lang))
}

/// Every id of vocab.json must be an embedding row, and the special tokens must exist.
fn check_vocab(path: &Path, config: &BartConfig) -> Result<()> {
    let text = std::fs::read_to_string(path).context("vocab.json cannot be read")?;
    let vocab: std::collections::HashMap<String, i64> =
        serde_json::from_str(&text).context("vocab.json is not a JSON map of token to id")?;
    let max_id = vocab.values().copied().max().unwrap_or(-1);
    if max_id >= config.vocab_size {
        bail!(
            "vocab.json has id {max_id} but config.json's vocab_size is {}",
            config.vocab_size
        );
    }
    let missing: Vec<&str> = ["</s>", "<unk>", "<pad>"]
        .into_iter()
        .filter(|t| !vocab.contains_key(*t))
        .collect();
    if !missing.is_empty() {
        bail!(
            "vocab.json lacks the special token(s) {}",
            missing.join(", ")
        );
    }
    Ok(())
}

/// Reads the tensor names from a safetensors header (8-byte little-endian length, then a
/// JSON object) without loading the tensors.
fn safetensors_names(path: &Path) -> Result<BTreeSet<String>> {
    let mut f = File::open(path).with_context(|| format!("{} cannot be opened", path.display()))?;
    let mut len = [0u8; 8];
    f.read_exact(&mut len)
        .context("model.safetensors is too short to be a safetensors file")?;
    let len = u64::from_le_bytes(len);
    let file_len = f.metadata()?.len();
    if len > file_len.saturating_sub(8) || len > 100 << 20 {
        bail!("model.safetensors has a broken header (header length {len}, file {file_len} bytes)");
    }
    let mut header = vec![0u8; len as usize];
    f.read_exact(&mut header)?;
    let header: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(&header).context("model.safetensors has a broken JSON header")?;
    Ok(header
        .into_iter()
        .map(|(k, _)| k)
        .filter(|k| k != "__metadata__")
        .collect())
}

fn check_safetensors(path: &Path) -> Result<()> {
    let names = safetensors_names(path)?;
    let missing: Vec<&str> = POSITION_TABLES
        .into_iter()
        .chain(["model.shared.weight"])
        .filter(|n| !names.contains(*n))
        .collect();
    if !missing.is_empty() {
        bail!(
            "model.safetensors lacks {} (Marian as saved by current transformers): {PREPARE_HINT}",
            missing.join(", ")
        );
    }
    Ok(())
}

/// `source_lang` of a `tokenizer_config.json`; `None` when the file is absent or says nothing.
pub(crate) fn tokenizer_config_lang(path: &Path) -> Result<Option<String>> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{} cannot be read", path.display()))?;
    let value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| anyhow!("tokenizer_config.json is not valid JSON: {e}"))?;
    Ok(value
        .get("source_lang")
        .and_then(|v| v.as_str())
        .map(str::to_owned))
}
