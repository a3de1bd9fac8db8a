//! Model folders: resolution from `models.toml` and overrides, the start-up errors of a
//! missing or broken model, and `models fetch` without a network.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use newsextract::models::{self, FetchOptions, ModelError};
use newsextract::stages::entities::{EntitiesOptions, EntitiesStage};
use support::ner_model::{write_model, Arch, Spec, CONLL};

fn tiny(dir: &Path) {
    write_model(
        dir,
        &Spec::transparent(Arch::Bert, &CONLL, &[("Anna", "B-PER")]),
    );
}

fn load_err(dir: &Path) -> String {
    match EntitiesStage::load(dir, EntitiesOptions::default()) {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn resolves_default_and_overrides() {
    let tmp = tempfile::tempdir().unwrap();
    let models_dir = tmp.path();
    tiny(&models_dir.join("ner-a"));
    tiny(&models_dir.join("ner-b"));
    std::fs::write(
        models_dir.join("models.toml"),
        "[entities]\ndefault = \"ner-a\"\n[translation]\ndefault = \"opus-mt-de-en\"\n",
    )
    .unwrap();
    assert_eq!(
        models::resolve_model_dir(models_dir, "entities", None).unwrap(),
        models_dir.join("ner-a")
    );
    assert_eq!(
        models::resolve_model_dir(models_dir, "entities", Some("ner-b")).unwrap(),
        models_dir.join("ner-b")
    );
    let elsewhere = tempfile::tempdir().unwrap();
    tiny(&elsewhere.path().join("mine"));
    let path = elsewhere.path().join("mine");
    assert_eq!(
        models::resolve_model_dir(models_dir, "entities", Some(path.to_str().unwrap())).unwrap(),
        path
    );
    // The translation default names a folder that is not there.
    let err = models::resolve_model_dir(models_dir, "translation", None).unwrap_err();
    assert!(matches!(err, ModelError::MissingFolder { .. }));
    assert!(err.to_string().contains("opus-mt-de-en"), "{err}");
    let err = models::resolve_model_dir(models_dir, "summary", None).unwrap_err();
    assert!(
        err.to_string().contains("models.toml") && err.to_string().contains("summary"),
        "{err}"
    );

    let info = models::model_info(&models_dir.join("ner-a")).unwrap();
    assert_eq!(info.name, "ner-a");
    assert_eq!(info.sha256.len(), 64);
    assert_eq!(
        models::weights_file(&models_dir.join("ner-a")).unwrap(),
        models_dir.join("ner-a/model.safetensors")
    );
}

#[test]
fn missing_or_broken_models_toml() {
    let tmp = tempfile::tempdir().unwrap();
    let err = models::resolve_model_dir(tmp.path(), "entities", None).unwrap_err();
    assert!(err.to_string().contains("models.toml"), "{err}");
    std::fs::write(tmp.path().join("models.toml"), "[entities\n").unwrap();
    let err = models::resolve_model_dir(tmp.path(), "entities", None).unwrap_err();
    assert!(matches!(err, ModelError::ModelsToml { .. }), "{err}");
}

/// (name, how the folder is broken, what the error says)
type Case = (&'static str, fn(&Path), &'static str);

#[test]
fn each_missing_piece_is_named_with_its_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ner-x");
    let shown = dir.display().to_string();

    let err = load_err(&dir);
    assert!(
        err.contains(&shown) && err.contains("does not exist"),
        "{err}"
    );

    let cases: [Case; 6] = [
        (
            "config",
            |d| std::fs::remove_file(d.join("config.json")).unwrap(),
            "config.json is missing",
        ),
        (
            "json",
            |d| std::fs::write(d.join("config.json"), "{\"model_type\": ").unwrap(),
            "config.json is not valid JSON",
        ),
        (
            "weights",
            |d| std::fs::remove_file(d.join("model.safetensors")).unwrap(),
            "no weights file",
        ),
        (
            "tokenizer",
            |d| std::fs::remove_file(d.join("tokenizer.json")).unwrap(),
            "no tokenizer files",
        ),
        (
            "bpe",
            |d| {
                std::fs::remove_file(d.join("tokenizer.json")).unwrap();
                std::fs::write(d.join("vocab.json"), "{}").unwrap();
            },
            "vocab.json needs merges.txt",
        ),
        (
            "labels",
            |d| {
                let p = d.join("config.json");
                let mut c: serde_json::Value =
                    serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
                c.as_object_mut().unwrap().remove("id2label");
                std::fs::write(&p, c.to_string()).unwrap();
            },
            "no id2label",
        ),
    ];
    for (name, breaks, message) in cases {
        let _ = std::fs::remove_dir_all(&dir);
        tiny(&dir);
        breaks(&dir);
        let err = load_err(&dir);
        assert!(err.contains(&shown), "{name}: {err}");
        assert!(err.contains(message), "{name}: {err}");
    }
}

#[test]
fn weights_that_do_not_fit_the_config_fail_at_load() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ner-y");
    tiny(&dir);
    // Five labels in the config, nine in the classifier weights.
    let p = dir.join("config.json");
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    c["id2label"] =
        serde_json::json!({"0": "O", "1": "B-PER", "2": "I-PER", "3": "B-LOC", "4": "I-LOC"});
    std::fs::write(&p, c.to_string()).unwrap();
    let err = load_err(&dir);
    assert!(
        err.contains(&dir.display().to_string()) && err.contains("cannot load weights"),
        "{err}"
    );

    // A model type the stage does not build.
    let p = dir.join("config.json");
    c["model_type"] = "gpt2".into();
    std::fs::write(&p, c.to_string()).unwrap();
    let err = load_err(&dir);
    assert!(err.contains("model_type `gpt2` is not supported"), "{err}");

    // Weights that are not a weights file at all.
    tiny(&dir);
    std::fs::write(dir.join("model.safetensors"), b"not safetensors").unwrap();
    let err = load_err(&dir);
    assert!(err.contains("cannot load weights"), "{err}");
}

fn fetch_options(cache: &Path, endpoint: &str) -> FetchOptions {
    FetchOptions {
        cache_dir: cache.to_path_buf(),
        connect_timeout: Duration::from_secs(3),
        timeout: Some(Duration::from_secs(10)),
        max_retries: 0,
        progress: false,
        endpoint: endpoint.to_string(),
    }
}

fn assert_unreachable(endpoint: &str, host: &str) {
    let models_dir = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let err = models::fetch(models_dir.path(), &fetch_options(cache.path(), endpoint)).unwrap_err();
    let elapsed = started.elapsed();
    let text = err.to_string();
    assert!(matches!(err, ModelError::HubUnreachable { .. }), "{text}");
    assert!(text.contains("cannot reach the model hub"), "{text}");
    assert!(text.contains(host), "{text}");
    assert!(elapsed < Duration::from_secs(20), "took {elapsed:?}");
    // Nothing half-written into the models folder.
    assert_eq!(std::fs::read_dir(models_dir.path()).unwrap().count(), 0);
}

/// A hub that refuses connections, on any machine.
#[test]
fn fetch_from_a_refusing_hub_says_it_cannot_reach_it() {
    assert_unreachable(
        "http://127.0.0.1:9",
        "127.0.0.1:9/xlm-roberta-large-finetuned-conll03-german",
    );
}

/// The real hub from this machine, which has no route to it. Where the hub does answer,
/// running this would download gigabytes, so it says so and stops.
#[test]
fn fetch_without_network_says_it_cannot_reach_the_hub() {
    use std::net::ToSocketAddrs;
    let reachable = ("huggingface.co", 443)
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .is_some_and(|a| std::net::TcpStream::connect_timeout(&a, Duration::from_secs(3)).is_ok());
    if reachable {
        eprintln!("skipped: huggingface.co answers here; fetch would download the models");
        return;
    }
    assert_unreachable(models::HUB, "huggingface.co");
}
