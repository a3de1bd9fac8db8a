//! Finding model folders: the models folder of the process ([`ModelsSearch`]), a stage's
//! folder in it, the checks that a folder holds a loadable model, and the model's identity.

use std::ffi::OsStr;
use std::fmt;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

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
    #[error(
        "no models folder found (looked at {}); pass --models DIR or set {MODELS_ENV}",
        list_passed_over(passed_over)
    )]
    NotFound { passed_over: Vec<PassedOver> },
    #[error(
        "no writable models folder to fetch into (looked at {}); pass --models DIR or set {MODELS_ENV}",
        list_passed_over(passed_over)
    )]
    NoWritableFolder { passed_over: Vec<PassedOver> },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl ModelError {
    pub(crate) fn invalid(dir: &Path, what: impl Into<String>) -> Self {
        ModelError::Invalid {
            dir: dir.to_path_buf(),
            what: what.into(),
        }
    }
}

/// The environment variable that names the models folder when `--models` is not given.
pub const MODELS_ENV: &str = "NEWSEXTRACT_MODELS";

/// Where an installed tree keeps its models, below the folder that holds `bin/`.
pub const INSTALLED_MODELS: &str = "share/newsextract/models";

/// Where a candidate models folder comes from; [`ModelsSearch`] tries them in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelsSource {
    /// `--models DIR`.
    Flag,
    /// [`MODELS_ENV`].
    Env,
    /// `models/` in the working directory.
    WorkingDir,
    /// [`INSTALLED_MODELS`] of the tree the executable runs from (`bin/..`).
    Installed,
}

impl ModelsSource {
    /// A place the user named (flag or variable) is taken as it is, even without a
    /// `models.toml`: falling through to another folder would silently run other models
    /// than the ones asked for.
    pub fn is_explicit(self) -> bool {
        matches!(self, ModelsSource::Flag | ModelsSource::Env)
    }
}

impl fmt::Display for ModelsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ModelsSource::Flag => "--models",
            ModelsSource::Env => MODELS_ENV,
            ModelsSource::WorkingDir => "./models",
            ModelsSource::Installed => "installed",
        })
    }
}

/// A candidate models folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelsPlace {
    pub source: ModelsSource,
    pub dir: PathBuf,
}

impl fmt::Display for ModelsPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.dir.display(), self.source)
    }
}

/// A place [`ModelsSearch`] looked at and did not take, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PassedOver {
    pub place: ModelsPlace,
    pub reason: String,
}

impl fmt::Display for PassedOver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.reason)
    }
}

fn list_passed_over(passed: &[PassedOver]) -> String {
    if passed.is_empty() {
        return "nothing: neither the working directory nor the executable's folder is known"
            .into();
    }
    passed
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The places a models folder is looked for, in order: `--models` when given (and then only
/// it), else [`MODELS_ENV`] when set (and then only it), else `./models` and the installed
/// [`INSTALLED_MODELS`], each taken only when it holds a `models.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelsSearch {
    places: Vec<ModelsPlace>,
}

impl ModelsSearch {
    /// The search of this process: `flag` is `--models`; the variable, working directory and
    /// executable are this process's own.
    pub fn for_process(flag: Option<&Path>) -> Self {
        let env = std::env::var_os(MODELS_ENV);
        let cwd = std::env::current_dir().ok();
        // current_exe resolves links (/proc/self/exe), so a link to an installed binary
        // (~/bin/newsextract -> /opt/newsextract/bin/newsextract) still finds its tree.
        let exe = std::env::current_exe().ok();
        Self::new(flag, env.as_deref(), cwd.as_deref(), exe.as_deref())
    }

    /// The search from explicit inputs: `--models`, the variable's value, the working
    /// directory and the executable's path (each `None` when unknown).
    pub fn new(
        flag: Option<&Path>,
        env: Option<&OsStr>,
        cwd: Option<&Path>,
        exe: Option<&Path>,
    ) -> Self {
        let place = |source, dir: PathBuf| ModelsPlace { source, dir };
        let places = if let Some(dir) = flag {
            vec![place(ModelsSource::Flag, dir.to_path_buf())]
        } else if let Some(dir) = env.filter(|v| !v.is_empty()) {
            vec![place(ModelsSource::Env, PathBuf::from(dir))]
        } else {
            let installed = exe
                .and_then(Path::parent)
                .and_then(Path::parent)
                .map(|root| place(ModelsSource::Installed, root.join(INSTALLED_MODELS)));
            cwd.map(|cwd| place(ModelsSource::WorkingDir, cwd.join("models")))
                .into_iter()
                .chain(installed)
                .collect()
        };
        ModelsSearch { places }
    }

    /// The candidates, in the order they are tried.
    pub fn places(&self) -> &[ModelsPlace] {
        &self.places
    }

    /// The models folder a run reads: the named one, else the first candidate holding a
    /// `models.toml`. [`ModelError::NotFound`] lists every place looked at and why it was
    /// passed over.
    pub fn locate(&self) -> Result<ModelsPlace, ModelError> {
        let mut passed_over = Vec::new();
        for place in &self.places {
            if place.source.is_explicit() {
                return Ok(place.clone());
            }
            match why_not_models_folder(&place.dir) {
                None => return Ok(place.clone()),
                Some(reason) => passed_over.push(PassedOver {
                    place: place.clone(),
                    reason,
                }),
            }
        }
        Err(ModelError::NotFound { passed_over })
    }

    /// Where `models fetch` writes: the named folder (created when missing), else the first
    /// candidate that holds a `models.toml` and can be written to (so that runs then find
    /// the fetched models), with the places passed over on the way.
    pub fn fetch_target(&self) -> Result<(ModelsPlace, Vec<PassedOver>), ModelError> {
        self.fetch_target_with(probe_writable)
    }

    /// [`Self::fetch_target`] with the writability check given (`Err` holds the reason).
    pub fn fetch_target_with(
        &self,
        writable: impl Fn(&Path) -> Result<(), String>,
    ) -> Result<(ModelsPlace, Vec<PassedOver>), ModelError> {
        let mut passed_over = Vec::new();
        for place in &self.places {
            if place.source.is_explicit() {
                return Ok((place.clone(), passed_over));
            }
            let reason = why_not_models_folder(&place.dir).or_else(|| writable(&place.dir).err());
            match reason {
                None => return Ok((place.clone(), passed_over)),
                Some(reason) => passed_over.push(PassedOver {
                    place: place.clone(),
                    reason,
                }),
            }
        }
        Err(ModelError::NoWritableFolder { passed_over })
    }
}

/// Why `dir` is not a models folder (`None` when it is one).
fn why_not_models_folder(dir: &Path) -> Option<String> {
    if !dir.exists() {
        Some("does not exist".into())
    } else if !dir.is_dir() {
        Some("is not a folder".into())
    } else if !dir.join(MODELS_TOML).is_file() {
        Some(format!("holds no {MODELS_TOML}"))
    } else {
        None
    }
}

/// Whether a file can be created in `dir`, by creating (and removing) one: permission bits
/// alone do not say it for root, read-only mounts or ACLs.
fn probe_writable(dir: &Path) -> Result<(), String> {
    let probe = dir.join(format!(".newsextract-write-probe-{}", std::process::id()));
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            Ok(())
        }
        Err(e) => Err(format!("not writable ({e})")),
    }
}

/// The folder of `stage`'s model: `override_name` when it is a path (no models folder is
/// needed then), else `override_name` or the stage's default in the models folder `search`
/// finds ([`resolve_model_dir`]).
pub fn resolve_stage_model(
    search: &ModelsSearch,
    stage: &str,
    override_name: Option<&str>,
) -> Result<PathBuf, ModelError> {
    if let Some(name) = override_name.filter(|n| is_path(n)) {
        let dir = PathBuf::from(name);
        validate_model_dir(&dir)?;
        return Ok(dir);
    }
    let place = search.locate()?;
    resolve_model_dir(&place.dir, stage, override_name).map_err(|e| match e {
        // A variable set long ago is easy to forget: say where the folder came from.
        ModelError::ModelsToml { path, detail } if place.source == ModelsSource::Env => {
            ModelError::ModelsToml {
                path,
                detail: format!("{detail} (the models folder named by {MODELS_ENV})"),
            }
        }
        e => e,
    })
}

/// A model name that is a path rather than a folder name under the models folder.
fn is_path(name: &str) -> bool {
    Path::new(name).is_absolute() || name.contains(std::path::MAIN_SEPARATOR)
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
    let dir = if is_path(&name) {
        PathBuf::from(&name)
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

/// Whether `dir` holds a CTranslate2 model (its `model.bin` and a vocabulary file) rather than
/// a Hugging Face one.
pub fn is_ctranslate2_folder(dir: &Path) -> bool {
    dir.join(CTRANSLATE2_WEIGHTS).is_file()
        && ["shared_vocabulary.json", "source_vocabulary.json"]
            .iter()
            .any(|f| dir.join(f).is_file())
}

/// The weights file of a CTranslate2 model folder.
pub const CTRANSLATE2_WEIGHTS: &str = "model.bin";

/// The weights file of a model folder (see [`WEIGHTS_FILES`] for the order of preference;
/// `model.bin` in a CTranslate2 folder).
pub fn weights_file(dir: &Path) -> Result<PathBuf, ModelError> {
    WEIGHTS_FILES
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_file())
        .or_else(|| is_ctranslate2_folder(dir).then(|| dir.join(CTRANSLATE2_WEIGHTS)))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A working directory and an installed tree (`root/bin/newsextract`), both empty.
    struct Places {
        _tmp: tempfile::TempDir,
        cwd: PathBuf,
        exe: PathBuf,
        installed: PathBuf,
        other: PathBuf,
    }

    fn places() -> Places {
        let tmp = tempfile::tempdir().unwrap();
        let cwd = tmp.path().join("work");
        let root = tmp.path().join("opt/newsextract");
        fs::create_dir_all(&cwd).unwrap();
        fs::create_dir_all(root.join("bin")).unwrap();
        let other = tmp.path().join("other");
        Places {
            cwd,
            exe: root.join("bin/newsextract"),
            installed: root.join("share/newsextract/models"),
            other,
            _tmp: tmp,
        }
    }

    fn models_folder(dir: &Path) {
        fs::create_dir_all(dir).unwrap();
        fs::write(dir.join(MODELS_TOML), "[entities]\ndefault = \"ner\"\n").unwrap();
    }

    impl Places {
        fn search(&self, flag: Option<&Path>, env: Option<&str>) -> ModelsSearch {
            ModelsSearch::new(flag, env.map(OsStr::new), Some(&self.cwd), Some(&self.exe))
        }
    }

    #[test]
    fn the_flag_then_the_variable_are_taken_as_given() {
        let p = places();
        models_folder(&p.cwd.join("models"));
        models_folder(&p.installed);
        // Neither the flag's nor the variable's folder exists: still theirs, so that a typo
        // fails loudly instead of running other models.
        let env = p.other.join("from-env");
        let found = p
            .search(Some(&p.other), Some(env.to_str().unwrap()))
            .locate()
            .unwrap();
        assert_eq!(found.source, ModelsSource::Flag);
        assert_eq!(found.dir, p.other);
        let found = p
            .search(None, Some(env.to_str().unwrap()))
            .locate()
            .unwrap();
        assert_eq!((found.source, found.dir), (ModelsSource::Env, env));
        // An empty variable counts as unset.
        let found = p.search(None, Some("")).locate().unwrap();
        assert_eq!(found.source, ModelsSource::WorkingDir);
    }

    #[test]
    fn working_directory_models_only_with_a_models_toml_then_the_installed_ones() {
        let p = places();
        models_folder(&p.installed);
        fs::create_dir_all(p.cwd.join("models")).unwrap();
        let search = p.search(None, None);
        assert_eq!(
            search.places(),
            [
                ModelsPlace {
                    source: ModelsSource::WorkingDir,
                    dir: p.cwd.join("models")
                },
                ModelsPlace {
                    source: ModelsSource::Installed,
                    dir: p.installed.clone()
                }
            ]
        );
        let found = search.locate().unwrap();
        assert_eq!(
            (found.source, &found.dir),
            (ModelsSource::Installed, &p.installed)
        );
        models_folder(&p.cwd.join("models"));
        let found = search.locate().unwrap();
        assert_eq!(found.source, ModelsSource::WorkingDir);
        assert_eq!(found.dir, p.cwd.join("models"));
    }

    #[test]
    fn nothing_found_lists_each_place_and_why() {
        let p = places();
        fs::create_dir_all(&p.installed).unwrap();
        let err = p.search(None, None).locate().unwrap_err();
        let ModelError::NotFound { passed_over } = &err else {
            panic!("{err}")
        };
        let reasons: Vec<(ModelsSource, &str)> = passed_over
            .iter()
            .map(|x| (x.place.source, x.reason.as_str()))
            .collect();
        assert_eq!(
            reasons,
            [
                (ModelsSource::WorkingDir, "does not exist"),
                (ModelsSource::Installed, "holds no models.toml")
            ]
        );
        let text = err.to_string();
        for needle in [
            p.cwd.join("models").display().to_string(),
            p.installed.display().to_string(),
            "--models".into(),
            MODELS_ENV.into(),
        ] {
            assert!(text.contains(&needle), "{needle} not in: {text}");
        }
    }

    #[test]
    fn fetch_writes_to_the_first_writable_models_folder() {
        let p = places();
        let cwd_models = p.cwd.join("models");
        models_folder(&cwd_models);
        models_folder(&p.installed);
        let search = p.search(None, None);
        let (target, passed) = search.fetch_target().unwrap();
        assert_eq!((target.dir, passed.len()), (cwd_models.clone(), 0));

        let read_only = |dir: &Path| {
            if dir == cwd_models {
                Err("not writable (read-only)".to_string())
            } else {
                Ok(())
            }
        };
        let (target, passed) = search.fetch_target_with(read_only).unwrap();
        assert_eq!(target.source, ModelsSource::Installed);
        assert_eq!(passed[0].place.dir, cwd_models);

        let err = search
            .fetch_target_with(|_| Err("not writable (read-only)".into()))
            .unwrap_err();
        assert!(
            matches!(&err, ModelError::NoWritableFolder { passed_over } if passed_over.len() == 2)
        );
        assert!(err.to_string().contains("not writable"), "{err}");

        // A named folder is where fetch writes, created by it when missing.
        let (target, _) = p.search(Some(&p.other), None).fetch_target().unwrap();
        assert_eq!(target.dir, p.other);
        // The real check leaves nothing behind.
        assert_eq!(fs::read_dir(&cwd_models).unwrap().count(), 1);
    }

    #[test]
    fn a_model_given_as_a_path_needs_no_models_folder() {
        let p = places();
        let model = p.other.join("ner");
        fs::create_dir_all(&model).unwrap();
        fs::write(model.join("config.json"), "{}").unwrap();
        fs::write(model.join("model.safetensors"), "x").unwrap();
        fs::write(model.join("tokenizer.json"), "{}").unwrap();
        let search = p.search(None, None);
        assert!(search.locate().is_err());
        let dir = resolve_stage_model(&search, "entities", Some(model.to_str().unwrap())).unwrap();
        assert_eq!(dir, model);
        // A folder name needs the folder, and says where it looked.
        let err = resolve_stage_model(&search, "entities", Some("ner")).unwrap_err();
        assert!(matches!(err, ModelError::NotFound { .. }), "{err}");
    }

    #[test]
    fn a_models_folder_from_the_variable_says_so_when_broken() {
        let p = places();
        let env = p.other.to_str().unwrap();
        let err = resolve_stage_model(&p.search(None, Some(env)), "entities", None).unwrap_err();
        let text = err.to_string();
        assert!(text.contains(MODELS_ENV) && text.contains(env), "{text}");
    }
}
