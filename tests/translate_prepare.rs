//! scripts/prepare-marian.py turns a folder in current transformers' layout into one rust-bert
//! loads, with the same outputs as the original. Needs a Python with numpy and safetensors
//! (`NEWSEXTRACT_PYTHON`, else `python3`); skipped, with a note, when there is none.

mod support;

use std::path::Path;
use std::process::Command;

use newsextract::stages::translate::{MarianTranslator, SentenceTranslator, TranslateOptions};
use support::marian::*;
use tch::Tensor;

fn python() -> Option<String> {
    let py = std::env::var("NEWSEXTRACT_PYTHON").unwrap_or_else(|_| "python3".into());
    let ok = Command::new(&py)
        .args(["-c", "import numpy, safetensors"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if ok {
        Some(py)
    } else {
        eprintln!("skipped: no Python with numpy and safetensors ({py}); set NEWSEXTRACT_PYTHON");
        None
    }
}

fn script() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/prepare-marian.py")
}

/// Rewrites a prepared folder the way current transformers saves Marian: no position tables,
/// the embedding only under its tied names, no normalize_embedding /
/// static_position_embeddings in config.json, and (transformers 5) no num_hidden_layers.
fn to_transformers_layout(dir: &Path) {
    let w = dir.join("model.safetensors");
    let mut out: Vec<(String, Tensor)> = Vec::new();
    for (name, t) in Tensor::read_safetensors(&w).unwrap() {
        if name.contains("embed_positions") {
            continue;
        }
        if name == "model.shared.weight" {
            out.push(("model.encoder.embed_tokens.weight".into(), t.copy()));
            out.push(("lm_head.weight".into(), t));
            continue;
        }
        out.push((name, t));
    }
    Tensor::write_safetensors(&out, &w).unwrap();
    let p = dir.join("config.json");
    let mut c: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
    let c_obj = c.as_object_mut().unwrap();
    c_obj.remove("normalize_embedding");
    c_obj.remove("static_position_embeddings");
    c_obj.remove("num_hidden_layers");
    c_obj.insert("activation_function".into(), "silu".into());
    std::fs::write(&p, serde_json::to_string_pretty(&c).unwrap()).unwrap();
}

#[test]
fn prepared_folder_translates_like_the_original() {
    let Some(py) = python() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let original = write_tiny_marian(tmp.path(), "original", 21);
    let hf = write_tiny_marian(tmp.path(), "hf", 21);
    to_transformers_layout(&hf);
    let opts = TranslateOptions {
        beam_size: 2,
        max_length: 10,
        batch_size: 4,
        source_language: None,
        min_length: 0,
        ..Default::default()
    };
    let e = MarianTranslator::load_dir(&hf, &opts)
        .err()
        .expect("unprepared folder loads");
    assert!(format!("{e:#}").contains("prepare-marian.py"), "{e:#}");

    let prepared = tmp.path().join("prepared");
    let run = Command::new(&py)
        .arg(script())
        .arg(&hf)
        .arg("--out")
        .arg(&prepared)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report = String::from_utf8_lossy(&run.stdout);
    assert!(
        report.contains("model.shared.weight from model.encoder.embed_tokens.weight"),
        "{report}"
    );

    // The tables the script computed are transformers' sinusoidal tables.
    let tensors = Tensor::read_safetensors(prepared.join("model.safetensors")).unwrap();
    let want = sinusoidal(MAX_POSITIONS, D_MODEL);
    for side in ["encoder", "decoder"] {
        let name = format!("model.{side}.embed_positions.weight");
        let (_, t) = tensors
            .iter()
            .find(|(n, _)| *n == name)
            .expect("table written");
        let diff = (t - &want).abs().max().double_value(&[]);
        assert!(diff < 1e-6, "{name}: max difference {diff}");
    }

    let sentences = [
        "Die Regierung will 10.000 neue Wohnungen bauen.",
        "Ja.",
        "Drei Millionen Menschen.",
    ];
    let mut a = MarianTranslator::load_dir(&original, &opts).unwrap();
    let mut b = MarianTranslator::load_dir(&prepared, &opts).unwrap();
    assert_eq!(
        a.translate(&sentences).unwrap(),
        b.translate(&sentences).unwrap()
    );

    // In place, a second time: nothing left to add.
    let again = Command::new(&py)
        .arg(script())
        .arg(&prepared)
        .output()
        .unwrap();
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already prepared"));
}
