//! English summaries through a real (tiny, generated) Marian model: `--translate-summaries`
//! sends only the summary sentences to the model; `--translate` reuses the article's
//! translation for them.

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use support::cli::*;
use support::marian::write_tiny_marian;

fn cache_lines(out: &Path) -> usize {
    let dir = out.join(".cache/translations");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .map(|p| std::fs::read_to_string(p).unwrap().lines().count())
        .sum()
}

/// Runs `input` without NER, translating with a tiny generated Marian (greedy, 8 tokens) as
/// `mode` asks; returns the temporary folder (kept alive) and the output folder.
fn run_with_tiny_marian(input: &Path, mode: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let model = write_tiny_marian(tmp.path(), "tiny-marian", 7);
    let out = tmp.path().join("out");
    let o = run(
        &[input],
        &out,
        &[
            "--no-entities",
            mode,
            "--translation-model",
            model.to_str().unwrap(),
            "--beam-size",
            "1",
            "--max-length",
            "8",
        ],
    );
    assert_exit(&o, 0);
    (tmp, out)
}

#[test]
fn translate_summaries_translates_only_the_summary_sentences() {
    let (_tmp, out) = run_with_tiny_marian(&repo().join("seeds"), "--translate-summaries");
    let recs = records(&out);
    let mut distinct = HashSet::new();
    for r in &recs {
        check_record(r);
        let s = &r["summary"];
        assert_eq!(s["en_status"], "translated", "{s:#}");
        assert!(!s["en"].as_str().unwrap().trim().is_empty());
        assert!(s["en_note"].as_str().unwrap().contains("tiny-marian"));
        assert_eq!(r["translation"], serde_json::Value::Null);
        assert_eq!(r["stages"]["translate"]["status"], "not_run");
        assert_eq!(
            r["provenance"]["models"]["summarize"]["name"],
            "tiny-marian"
        );
        for i in summary_sentences(r) {
            distinct.insert(r["sentences"][i]["text"].as_str().unwrap().to_string());
        }
    }
    // The model saw the summary sentences and nothing else.
    assert_eq!(cache_lines(&out), distinct.len());
}

#[test]
fn translate_reuses_the_article_translation_for_the_summary() {
    let (_tmp, out) = run_with_tiny_marian(
        &repo().join("seeds/002_656e0d23086f9a17.txt"),
        "--translate",
    );
    let r = &records(&out)[0];
    check_record(r);
    let english = r["translation"]["sentences"].as_array().unwrap();
    let expected: Vec<&str> = summary_sentences(r)
        .iter()
        .map(|&i| english[i].as_str().unwrap())
        .collect();
    assert_eq!(r["summary"]["en"].as_str().unwrap(), expected.join(" "));
    assert_eq!(r["summary"]["en_status"], "translated");
}

#[test]
fn a_missing_model_for_summaries_stops_the_run_before_any_article() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let missing = tmp.path().join("models/opus-mt-de-en");
    let o = run(
        &[&repo().join("seeds")],
        &out,
        &[
            "--no-entities",
            "--translate-summaries",
            "--translation-model",
            missing.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains(&missing.display().to_string()), "{stderr}");
    assert!(records(&out).is_empty());
}
