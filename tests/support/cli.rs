//! Helpers shared by the end-to-end tests: running the binary, reading and checking records.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The binary, run from the repository folder as cargo starts tests, so its models are the
/// repository's `models/`: without a NEWSEXTRACT_MODELS from the developer's shell, which
/// would take precedence over `./models`.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_newsextract"));
    cmd.env_remove("NEWSEXTRACT_MODELS");
    cmd
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `newsextract run --input <inputs> --output <out> --quiet <extra>`.
pub fn run(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut cmd = bin();
    cmd.arg("run");
    for i in inputs {
        cmd.arg("--input").arg(i);
    }
    cmd.arg("--output").arg(out).arg("--quiet").args(extra);
    cmd.output().expect("binary runs")
}

/// Asserts the exit status, showing the run's stderr when it differs.
pub fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The texts of a record's sentences.
pub fn sentence_texts(record: &serde_json::Value) -> Vec<&str> {
    record["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect()
}

/// The indices of a record's summary sentences.
pub fn summary_sentences(record: &serde_json::Value) -> Vec<usize> {
    record["summary"]["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_u64().unwrap() as usize)
        .collect()
}

pub fn records(out: &Path) -> Vec<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("articles.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("torn or invalid line {l:?}: {e}"))
        })
        .collect()
}

pub fn errors(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("errors.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(out.join("run.json")).unwrap()).unwrap()
}

/// Validates a record against `schema/article.schema.json` and checks every span against the
/// article text (the offset contract a JSON Schema cannot express).
pub fn check_record(record: &serde_json::Value) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("schema/article.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let problems: Vec<String> = validator
        .iter_errors(record)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(
        problems.is_empty(),
        "record {} violates the schema: {problems:#?}",
        record["id"]
    );

    let text: Vec<char> = record["text"].as_str().unwrap().chars().collect();
    let check_span = |span: &serde_json::Value, what: &str| {
        let (s, e) = (
            span["start"].as_u64().unwrap() as usize,
            span["end"].as_u64().unwrap() as usize,
        );
        assert!(
            s <= e && e <= text.len(),
            "{what} span {s}..{e} outside text of {} chars",
            text.len()
        );
        let slice: String = text[s..e].iter().collect();
        assert_eq!(
            slice,
            span["text"].as_str().unwrap(),
            "{what} text does not match its offsets"
        );
    };
    for key in ["sentences", "tokens", "entities", "claims", "markup"] {
        if let Some(items) = record[key].as_array() {
            for item in items {
                check_span(item, key);
            }
        }
    }
    // A summary is whole sentences of the article, in order, joined by single spaces.
    if let Some(summary) = record["summary"].as_object() {
        let sentences = record["sentences"].as_array().unwrap();
        let chosen = summary_sentences(record);
        assert!(chosen.windows(2).all(|w| w[0] < w[1]), "{chosen:?}");
        let joined: Vec<&str> = chosen
            .iter()
            .map(|&i| sentences[i]["text"].as_str().unwrap())
            .collect();
        assert_eq!(summary["text"].as_str().unwrap(), joined.join(" "));
    }
}
