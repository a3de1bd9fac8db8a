//! A missing or broken translation model fails at start-up, naming the folder and the fault.

mod support;

use std::path::{Path, PathBuf};

use newsextract::stages::translate::{TranslateOptions, TranslateStage};
use support::marian::*;
use tch::Tensor;

fn opts() -> TranslateOptions {
    TranslateOptions {
        beam_size: 1,
        max_length: 8,
        batch_size: 4,
        source_language: None,
        min_length: 0,
        ..Default::default()
    }
}

fn load_err(dir: &Path) -> String {
    let cache = dir.parent().unwrap().join("cache");
    match TranslateStage::load(dir, opts(), &cache) {
        Ok(_) => panic!("{} loaded", dir.display()),
        Err(e) => format!("{e:#}"),
    }
}

fn good(tmp: &Path, name: &str) -> PathBuf {
    write_tiny_marian(tmp, name, 1)
}

fn edit_config(dir: &Path, f: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) {
    let p = dir.join("config.json");
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    f(v.as_object_mut().unwrap());
    std::fs::write(&p, serde_json::to_string(&v).unwrap()).unwrap();
}

#[test]
fn a_good_folder_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = good(tmp.path(), "ok");
    TranslateStage::load(&dir, opts(), &tmp.path().join("cache")).unwrap();
}

#[test]
fn missing_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("models/opus-mt-de-en");
    let e = load_err(&dir);
    assert!(
        e.contains(&dir.display().to_string()) && e.contains("does not exist"),
        "{e}"
    );
}

#[test]
fn missing_files_are_all_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = good(tmp.path(), "m");
    std::fs::remove_file(dir.join("config.json")).unwrap();
    std::fs::remove_file(dir.join("model.safetensors")).unwrap();
    std::fs::remove_file(dir.join("source.spm")).unwrap();
    let e = load_err(&dir);
    assert!(e.contains(&dir.display().to_string()), "{e}");
    assert!(e.contains("config.json is missing"), "{e}");
    assert!(e.contains("weights are missing"), "{e}");
    assert!(
        e.contains("model.safetensors, pytorch_model.bin, rust_model.ot"),
        "{e}"
    );
    assert!(e.contains("missing: source.spm"), "{e}");
    assert!(!e.contains("missing: vocab.json"), "{e}");
}

#[test]
fn transformers_layout_points_to_the_script() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = good(tmp.path(), "hf");
    edit_config(&dir, |c| {
        c.remove("normalize_embedding");
    });
    let e = load_err(&dir);
    assert!(
        e.contains("lacks normalize_embedding") && e.contains("scripts/prepare-marian.py"),
        "{e}"
    );

    let dir = good(tmp.path(), "hf2");
    let w = dir.join("model.safetensors");
    let kept: Vec<(String, Tensor)> = Tensor::read_safetensors(&w)
        .unwrap()
        .into_iter()
        .filter(|(n, _)| !n.contains("embed_positions"))
        .collect();
    Tensor::write_safetensors(&kept, &w).unwrap();
    let e = load_err(&dir);
    assert!(e.contains("model.encoder.embed_positions.weight"), "{e}");
    assert!(e.contains("model.decoder.embed_positions.weight"), "{e}");
    assert!(e.contains("scripts/prepare-marian.py"), "{e}");
}

#[test]
fn wrong_or_broken_config() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = good(tmp.path(), "bert");
    edit_config(&dir, |c| {
        c.insert("model_type".into(), "bert".into());
    });
    let e = load_err(&dir);
    assert!(e.contains("\"bert\" model") && e.contains("Marian"), "{e}");

    let dir = good(tmp.path(), "broken");
    std::fs::write(dir.join("config.json"), "{\"d_model\": 16,").unwrap();
    let e = load_err(&dir);
    assert!(e.contains("config.json is not valid JSON"), "{e}");

    let dir = good(tmp.path(), "fields");
    edit_config(&dir, |c| {
        c.remove("d_model");
    });
    let e = load_err(&dir);
    assert!(
        e.contains("config.json does not have the fields") && e.contains("d_model"),
        "{e}"
    );

    let dir = good(tmp.path(), "vocab");
    edit_config(&dir, |c| {
        c.insert("vocab_size".into(), 20.into());
    });
    let e = load_err(&dir);
    assert!(
        e.contains("vocab.json has id") && e.contains("vocab_size is 20"),
        "{e}"
    );
}

#[test]
fn broken_weights() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = good(tmp.path(), "trunc");
    std::fs::write(dir.join("model.safetensors"), b"\x10\x00").unwrap();
    let e = load_err(&dir);
    assert!(
        e.contains(&dir.display().to_string()) && e.contains("safetensors"),
        "{e}"
    );

    // Weights of another size than config.json says: rust-bert's load fails, and the
    // message still names the folder.
    let dir = good(tmp.path(), "shape");
    edit_config(&dir, |c| {
        c.insert("encoder_ffn_dim".into(), 24.into());
    });
    let e = load_err(&dir);
    assert!(
        e.contains(&dir.display().to_string()) && e.contains("loading"),
        "{e}"
    );
}

#[test]
fn bad_options_fail_before_loading() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = good(tmp.path(), "ok");
    let cache = tmp.path().join("cache");
    for bad in [
        TranslateOptions {
            beam_size: 0,
            ..opts()
        },
        TranslateOptions {
            batch_size: 0,
            ..opts()
        },
        TranslateOptions {
            max_length: 1,
            ..opts()
        },
        TranslateOptions {
            min_length: 9,
            ..opts()
        },
    ] {
        assert!(TranslateStage::load(&dir, bad, &cache).is_err());
    }
}
