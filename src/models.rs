//! Model folders: which folder a stage uses, whether it holds a loadable model, the model's
//! identity for `provenance.models`, and `newsextract models fetch`.
//!
//! A model folder (`models/<name>/`) has the Hugging Face layout: `config.json`, one weights
//! file (`model.safetensors`, `pytorch_model.bin` or `rust_model.ot`) and tokenizer files
//! (`tokenizer.json`, or the model's native vocabulary: `vocab.txt`, `vocab.json`,
//! `sentencepiece.bpe.model`, `source.spm`, `spiece.model`). `models/models.toml` names the
//! default folder of each stage:
//!
//! ```toml
//! [entities]
//! default = "ner-de-e5small"
//! [translation]
//! default = "opus-mt-de-en"
//! ```

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rust_bert::marian::{
    MarianConfigResources, MarianModelResources, MarianSpmResources, MarianVocabResources,
};
use rust_bert::roberta::{RobertaConfigResources, RobertaModelResources, RobertaVocabResources};
use sha2::{Digest, Sha256};

use crate::document::ModelInfo;

/// The file in a models folder that names each stage's default model folder.
pub const MODELS_TOML: &str = "models.toml";

/// Weights file names, in the order they are preferred when a folder holds several.
pub const WEIGHTS_FILES: [&str; 3] = ["model.safetensors", "pytorch_model.bin", "rust_model.ot"];

/// Tokenizer files, any one of which makes a folder's tokenizer complete (`vocab.json` of a
/// byte-level BPE also needs `merges.txt`; that is checked too).
pub const TOKENIZER_FILES: [&str; 6] = [
    "tokenizer.json",
    "vocab.txt",
    "vocab.json",
    "sentencepiece.bpe.model",
    "source.spm",
    "spiece.model",
];

#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("cannot read {path}: {detail}")]
    ModelsToml { path: PathBuf, detail: String },
    #[error("{path} names no default model for stage `{stage}` (expected `[{stage}]` with `default = \"<folder>\"`); pass the model name explicitly or add it")]
    NoDefault { path: PathBuf, stage: String },
    #[error("model folder {dir} does not exist")]
    MissingFolder { dir: PathBuf },
    #[error("model folder {dir}: {what}")]
    Invalid { dir: PathBuf, what: String },
    #[error("cannot reach the model hub to download {url}: {detail}")]
    HubUnreachable { url: String, detail: String },
    #[error("download of {url} failed: {detail}")]
    Download { url: String, detail: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ModelError {
    fn invalid(dir: &Path, what: impl Into<String>) -> Self {
        ModelError::Invalid {
            dir: dir.to_path_buf(),
            what: what.into(),
        }
    }
}

/// The folder a stage's model lives in: `override_name` when given (a folder name under
/// `models_dir`, or a path when it contains a path separator), else the `default` of
/// `[stage]` in `models_dir/models.toml`. The folder is checked with [`validate_model_dir`].
pub fn resolve_model_dir(
    models_dir: &Path,
    stage: &str,
    override_name: Option<&str>,
) -> Result<PathBuf, ModelError> {
    let name = match override_name {
        Some(name) => name.to_string(),
        None => default_model_name(models_dir, stage)?,
    };
    let as_path = Path::new(&name);
    let dir = if as_path.is_absolute() || name.contains(std::path::MAIN_SEPARATOR) {
        as_path.to_path_buf()
    } else {
        models_dir.join(&name)
    };
    validate_model_dir(&dir)?;
    Ok(dir)
}

/// `[stage] default` of `models_dir/models.toml`.
pub fn default_model_name(models_dir: &Path, stage: &str) -> Result<String, ModelError> {
    let path = models_dir.join(MODELS_TOML);
    let text = fs::read_to_string(&path).map_err(|e| ModelError::ModelsToml {
        path: path.clone(),
        detail: e.to_string(),
    })?;
    let table: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| ModelError::ModelsToml {
            path: path.clone(),
            detail: e.message().to_string(),
        })?;
    table
        .get(stage)
        .and_then(|s| s.get("default"))
        .and_then(|d| d.as_str())
        .filter(|d| !d.trim().is_empty())
        .map(str::to_string)
        .ok_or_else(|| ModelError::NoDefault {
            path,
            stage: stage.to_string(),
        })
}

/// What a valid model folder holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelFiles {
    pub dir: PathBuf,
    /// `config.json`, parsed.
    pub config: serde_json::Value,
    pub weights: PathBuf,
    /// `tokenizer.json` when present.
    pub tokenizer_json: Option<PathBuf>,
}

impl ModelFiles {
    /// `model_type` of `config.json` (empty when absent).
    pub fn model_type(&self) -> &str {
        self.config
            .get("model_type")
            .and_then(|t| t.as_str())
            .unwrap_or("")
    }
}

/// Checks that `dir` holds a model: `config.json` (a JSON object), a weights file and
/// tokenizer files. Each error names the folder and the missing or broken piece.
pub fn validate_model_dir(dir: &Path) -> Result<ModelFiles, ModelError> {
    if !dir.is_dir() {
        return Err(ModelError::MissingFolder {
            dir: dir.to_path_buf(),
        });
    }
    let config_path = dir.join("config.json");
    if !config_path.is_file() {
        return Err(ModelError::invalid(dir, "config.json is missing"));
    }
    let config_text = fs::read_to_string(&config_path)
        .map_err(|e| ModelError::invalid(dir, format!("config.json cannot be read: {e}")))?;
    let config: serde_json::Value = serde_json::from_str(&config_text)
        .map_err(|e| ModelError::invalid(dir, format!("config.json is not valid JSON: {e}")))?;
    if !config.is_object() {
        return Err(ModelError::invalid(dir, "config.json is not a JSON object"));
    }
    let weights = weights_file(dir)?;
    let tokenizer_json = dir.join("tokenizer.json");
    let tokenizer_json = tokenizer_json.is_file().then_some(tokenizer_json);
    if tokenizer_json.is_none() {
        let found = TOKENIZER_FILES.iter().find(|f| dir.join(f).is_file());
        match found {
            None => {
                return Err(ModelError::invalid(
                    dir,
                    format!(
                        "no tokenizer files (expected one of: {})",
                        TOKENIZER_FILES.join(", ")
                    ),
                ))
            }
            Some(&"vocab.json")
                if !dir.join("merges.txt").is_file() && !dir.join("source.spm").is_file() =>
            {
                return Err(ModelError::invalid(
                    dir,
                    "vocab.json needs merges.txt (BPE) or source.spm (Marian) beside it",
                ))
            }
            Some(_) => {}
        }
    }
    Ok(ModelFiles {
        dir: dir.to_path_buf(),
        config,
        weights,
        tokenizer_json,
    })
}

/// The weights file of a model folder (see [`WEIGHTS_FILES`] for the order of preference).
pub fn weights_file(dir: &Path) -> Result<PathBuf, ModelError> {
    WEIGHTS_FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            ModelError::invalid(
                dir,
                format!(
                    "no weights file (expected one of: {})",
                    WEIGHTS_FILES.join(", ")
                ),
            )
        })
}

/// The model's name (its folder's name) and the sha256 of its weights file, for
/// `provenance.models`. Reads the whole weights file: call it once per model load.
pub fn model_info(dir: &Path) -> Result<ModelInfo, ModelError> {
    let weights = weights_file(dir)?;
    let name = model_name(dir);
    Ok(ModelInfo {
        name,
        sha256: sha256_file(&weights)?,
    })
}

/// The name a model folder goes by: its last path component
/// (`models/ner-de` → `ner-de`, even when it is a link to a folder named otherwise).
pub fn model_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            let canonical = dir.canonicalize().ok()?;
            canonical
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| dir.display().to_string())
}

/// Hex sha256 of a file, streamed.
pub fn sha256_file(path: &Path) -> Result<String, ModelError> {
    let io = |source| ModelError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = fs::File::open(path).map_err(io)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// Folder name `models fetch` gives the German NER model.
pub const FETCH_NER_NAME: &str = "xlm-roberta-large-finetuned-conll03-german";
/// Folder name `models fetch` gives the German-to-English translation model.
pub const FETCH_TRANSLATION_NAME: &str = "opus-mt-de-en";

/// One file of a model to download: rust-bert's remote resource (cache sub-folder, URL) and
/// the name it gets in the model folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFile {
    pub cache_subdir: &'static str,
    pub url: &'static str,
    pub file_name: &'static str,
}

/// A model `models fetch` downloads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteModel {
    pub name: &'static str,
    /// The stage whose default it becomes in a new `models.toml`.
    pub stage: &'static str,
    pub files: Vec<RemoteFile>,
}

fn remote(resource: (&'static str, &'static str), file_name: &'static str) -> RemoteFile {
    RemoteFile {
        cache_subdir: resource.0,
        url: resource.1,
        file_name,
    }
}

/// What `models fetch` downloads: rust-bert's remote resources for XLM-R large fine-tuned on
/// CoNLL-03 German, and Marian `Helsinki-NLP/opus-mt-de-en`.
pub fn remote_models() -> Vec<RemoteModel> {
    vec![
        RemoteModel {
            name: FETCH_NER_NAME,
            stage: "entities",
            files: vec![
                remote(RobertaConfigResources::XLM_ROBERTA_NER_DE, "config.json"),
                remote(
                    RobertaVocabResources::XLM_ROBERTA_NER_DE,
                    "sentencepiece.bpe.model",
                ),
                remote(RobertaModelResources::XLM_ROBERTA_NER_DE, "rust_model.ot"),
            ],
        },
        RemoteModel {
            name: FETCH_TRANSLATION_NAME,
            stage: "translation",
            files: vec![
                remote(MarianConfigResources::GERMAN2ENGLISH, "config.json"),
                remote(MarianVocabResources::GERMAN2ENGLISH, "vocab.json"),
                remote(MarianSpmResources::GERMAN2ENGLISH, "source.spm"),
                remote(MarianModelResources::GERMAN2ENGLISH, "rust_model.ot"),
            ],
        },
    ]
}

/// How `models fetch` talks to the hub.
#[derive(Debug, Clone)]
pub struct FetchOptions {
    /// Download cache, laid out as rust-bert's (`RUSTBERT_CACHE`, else `~/.cache/.rustbert`), so
    /// files rust-bert already downloaded are reused.
    pub cache_dir: PathBuf,
    /// Limit for establishing each connection.
    pub connect_timeout: Duration,
    /// Limit for each whole request (weights are hundreds of MB: keep it generous).
    pub timeout: Option<Duration>,
    /// Retries after timeouts and 502/503/504 answers.
    pub max_retries: u32,
    /// Show a progress bar per file.
    pub progress: bool,
    /// Where the hub is: rust-bert's URLs start with [`HUB`]; a mirror replaces that part
    /// (default: `HF_ENDPOINT` when set, as for the Hugging Face tools).
    pub endpoint: String,
}

/// The Hugging Face hub, as rust-bert's resource URLs name it.
pub const HUB: &str = "https://huggingface.co";

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            cache_dir: rustbert_cache_dir(),
            connect_timeout: Duration::from_secs(15),
            timeout: None,
            max_retries: 3,
            progress: true,
            endpoint: std::env::var("HF_ENDPOINT").unwrap_or_else(|_| HUB.to_string()),
        }
    }
}

/// rust-bert's cache folder: `RUSTBERT_CACHE`, else `<user cache dir>/.rustbert`.
pub fn rustbert_cache_dir() -> PathBuf {
    match std::env::var_os("RUSTBERT_CACHE") {
        Some(dir) => PathBuf::from(dir),
        None => std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .unwrap_or_else(std::env::temp_dir)
            .join(".rustbert"),
    }
}

/// Downloads [`remote_models`] into `models_dir/<name>/` (Hugging Face layout) through
/// rust-bert's remote resources and cache, and writes `models_dir/models.toml` naming them
/// when it does not exist yet. Returns the folders written. A network failure becomes
/// [`ModelError::HubUnreachable`]; nothing is written to `models_dir` until every file of a
/// model has been downloaded.
pub fn fetch(models_dir: &Path, options: &FetchOptions) -> Result<Vec<PathBuf>, ModelError> {
    let mut builder = cached_path::Cache::builder()
        .dir(options.cache_dir.clone())
        .connect_timeout(options.connect_timeout)
        .max_retries(options.max_retries)
        .progress_bar(if options.progress {
            Some(cached_path::ProgressBar::Light)
        } else {
            None
        });
    if let Some(timeout) = options.timeout {
        builder = builder.timeout(timeout);
    }
    let cache = builder.build().map_err(|e| ModelError::Io {
        path: options.cache_dir.clone(),
        source: std::io::Error::other(e.to_string()),
    })?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ModelError::Io { path, source }
    };

    let mut written = Vec::new();
    for model in remote_models() {
        let mut cached = Vec::new();
        for file in &model.files {
            let opts = cached_path::Options::default().subdir(file.cache_subdir);
            let url = match file.url.strip_prefix(HUB) {
                Some(rest) => format!("{}{rest}", options.endpoint.trim_end_matches('/')),
                None => file.url.to_string(),
            };
            let path = cache
                .cached_path_with_options(&url, &opts)
                .map_err(|e| fetch_error(&url, e))?;
            cached.push((path, file.file_name));
        }
        let dir = models_dir.join(model.name);
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        for (from, name) in cached {
            let to = dir.join(name);
            fs::copy(&from, &to).map_err(io(&to))?;
        }
        validate_model_dir(&dir)?;
        written.push(dir);
    }

    let toml_path = models_dir.join(MODELS_TOML);
    if !toml_path.exists() {
        let mut text = String::new();
        for model in remote_models() {
            text.push_str(&format!(
                "[{}]\ndefault = \"{}\"\n",
                model.stage, model.name
            ));
        }
        fs::write(&toml_path, text).map_err(io(&toml_path))?;
    }
    Ok(written)
}

fn fetch_error(url: &str, error: cached_path::Error) -> ModelError {
    let detail = error_chain(&error);
    let unreachable = match &error {
        cached_path::Error::HttpError(e) => e.is_connect() || e.is_timeout() || e.is_request(),
        _ => false,
    };
    if unreachable {
        ModelError::HubUnreachable {
            url: url.to_string(),
            detail,
        }
    } else {
        ModelError::Download {
            url: url.to_string(),
            detail,
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        let s = e.to_string();
        if !text.contains(&s) {
            text.push_str(": ");
            text.push_str(&s);
        }
        source = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remote_models_use_rust_bert_resources() {
        let models = remote_models();
        assert_eq!(models.len(), 2);
        let ner = &models[0];
        assert!(ner
            .files
            .iter()
            .any(|f| f.url.contains("conll03-german") && f.file_name == "rust_model.ot"));
        let mt = &models[1];
        assert!(mt
            .files
            .iter()
            .any(|f| f.url.contains("opus-mt-de-en") && f.file_name == "source.spm"));
    }
}
