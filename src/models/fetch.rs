//! `newsextract models fetch`: the default models downloaded from the model hub through
//! rust-bert's remote resources into a models folder, checked like any other folder.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rust_bert::marian::{
    MarianConfigResources, MarianModelResources, MarianSpmResources, MarianVocabResources,
};
use rust_bert::roberta::{RobertaConfigResources, RobertaModelResources, RobertaVocabResources};

use super::resolve::*;
/// Folder name `models fetch` gives the German NER model.
pub const FETCH_NER_NAME: &str = "xlm-roberta-large-finetuned-conll03-german";
/// Folder name `models fetch` gives the German-to-English translation model.
pub const FETCH_TRANSLATION_NAME: &str = "opus-mt-de-en";
/// Folder name of its CTranslate2 form, which `models fetch` converts from it and names as
/// the translation default in a new `models.toml`.
pub const FETCH_TRANSLATION_CT2_NAME: &str = "opus-mt-de-en-ct2";

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
    written.push(convert_translation_model(models_dir)?);

    let toml_path = models_dir.join(MODELS_TOML);
    if !toml_path.exists() {
        let mut text = String::new();
        for model in remote_models() {
            let name = match model.name {
                FETCH_TRANSLATION_NAME => FETCH_TRANSLATION_CT2_NAME,
                other => other,
            };
            text.push_str(&format!("[{}]\ndefault = \"{}\"\n", model.stage, name));
        }
        fs::write(&toml_path, text).map_err(io(&toml_path))?;
    }
    Ok(written)
}

/// The CTranslate2 form of the fetched opus-mt-de-en, converted on this machine from the
/// weights just downloaded (no published conversion to trust) and checked like any
/// translation folder. A conversion already there is checked and kept: fetch is idempotent.
fn convert_translation_model(models_dir: &Path) -> Result<PathBuf, ModelError> {
    use crate::stages::translate::ctranslate2::{convert_marian, Ct2Folder};
    use crate::stages::translate::MarianFolder;
    let from = models_dir.join(FETCH_TRANSLATION_NAME);
    let to = models_dir.join(FETCH_TRANSLATION_CT2_NAME);
    let invalid = |dir: &Path, e: anyhow::Error| ModelError::invalid(dir, format!("{e:#}"));
    if !to.exists() {
        let folder = MarianFolder::inspect(&from).map_err(|e| invalid(&from, e))?;
        convert_marian(&folder, &to).map_err(|e| invalid(&to, e))?;
    }
    Ct2Folder::inspect(&to).map_err(|e| invalid(&to, e))?;
    Ok(to)
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
