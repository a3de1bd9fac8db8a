//! End-to-end: the seeds drop, incremental re-runs, and the exit statuses.

mod support;

use std::path::Path;
use support::cli::*;

#[test]
fn seeds_produce_valid_records_with_sentences_and_language() {
    let out = tempfile::tempdir().unwrap();
    let seeds = repo().join("seeds");
    let o = run(&[&seeds], out.path(), &["--tokens"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    let recs = records(out.path());
    assert_eq!(recs.len(), 5);
    let mut ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids[0], "000_13a0ca2b9b5ed249");
    for r in &recs {
        check_record(r);
        assert_eq!(r["language"]["code"], "de");
        assert!(r["sentences"].as_array().unwrap().len() > 5);
        assert!(r["tokens"].as_array().unwrap().len() > 50);
        assert_eq!(r["stages"]["segment"]["status"], "ran");
        assert_eq!(r["source"]["encoding"], "utf-8");
    }
    let first = recs
        .iter()
        .find(|r| r["id"] == "000_13a0ca2b9b5ed249")
        .unwrap();
    assert_eq!(
        first["title"],
        "Putin und Kim: Was wir über die \"Waffenbrüderschaft\" wissen"
    );
    let sentences: Vec<&str> = first["sentences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert!(
        sentences.contains(&"so Sicherheitsexpertin Suh.")
            || sentences
                .iter()
                .any(|s| s.ends_with("Sicherheitsexpertin Suh."))
    );
    assert!(
        sentences.contains(&"19.06.2024 | 17:32 min"),
        "{sentences:#?}"
    );
    // The default NER model finds the protagonists.
    let entities: Vec<(&str, &str)> = first["entity_summary"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["canonical"].as_str().unwrap(),
                e["label"].as_str().unwrap(),
            )
        })
        .collect();
    assert!(
        entities.contains(&("Wladimir Putin", "PER")),
        "{entities:?}"
    );
    assert!(entities.contains(&("Nordkorea", "LOC")), "{entities:?}");
    assert_eq!(first["stages"]["entities"]["status"], "ran");
    assert!(first["provenance"]["models"]["entities"]["sha256"].is_string());
    // Numeric claims are there with their values.
    let claims = first["claims"].as_array().unwrap();
    let container = claims
        .iter()
        .find(|c| c["text"] == "bis zu 10.000")
        .expect("bis zu 10.000 Containern");
    assert_eq!(container["value"], 10000);
    assert_eq!(container["qualifier"], "upper_bound");
    let run = run_json(out.path());
    assert_eq!(run["articles"]["processed"], 5);
    assert_eq!(run["articles"]["in_output"], 5);
    assert!(run["throughput"]["articles_per_second"].as_f64().unwrap() > 0.0);
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn rerun_skips_unchanged_and_replaces_changed_articles() {
    let drop = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    write(
        &drop.path().join("a.txt"),
        "Titel A\nEs kamen 10.000 Menschen. Dann gingen sie.",
    );
    write(
        &drop.path().join("sub/b.txt"),
        "Titel B\nZweiter Text hier.",
    );
    assert_eq!(run(&[drop.path()], out.path(), &[]).status.code(), Some(0));
    let before = records(out.path());
    assert_eq!(
        before
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["a", "sub/b"]
    );

    let again = run(&[drop.path()], out.path(), &[]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(run_json(out.path())["articles"]["unchanged"], 2);
    assert_eq!(run_json(out.path())["articles"]["processed"], 0);
    assert_eq!(
        records(out.path()),
        before,
        "an unchanged re-run must not touch records"
    );

    write(
        &drop.path().join("a.txt"),
        "Titel A\nJetzt kamen 20.000 Menschen.",
    );
    write(&drop.path().join("c.txt"), "Titel C\nNeu.");
    assert_eq!(run(&[drop.path()], out.path(), &[]).status.code(), Some(0));
    let recs = records(out.path());
    assert_eq!(recs.len(), 3, "each article exactly once");
    let a = recs.iter().find(|r| r["id"] == "a").unwrap();
    assert!(a["text"].as_str().unwrap().contains("20.000"));
    assert_eq!(run_json(out.path())["articles"]["processed"], 2);

    // Articles from an earlier drop stay when a new drop is processed into the same output.
    let drop2 = tempfile::tempdir().unwrap();
    write(&drop2.path().join("d.txt"), "Titel D\nNoch einer.");
    assert_eq!(run(&[drop2.path()], out.path(), &[]).status.code(), Some(0));
    assert_eq!(records(out.path()).len(), 4);

    // --force redoes everything.
    assert_eq!(
        run(&[drop.path()], out.path(), &["--force"]).status.code(),
        Some(0)
    );
    assert_eq!(run_json(out.path())["articles"]["processed"], 3);
}

/// The NER model's number format is part of the output fingerprint: switching it redoes the
/// articles, repeating it does not. bf16 finds the same entities on a short German text;
/// an unknown format is a usage error naming the flag.
#[test]
fn ner_precision_is_part_of_the_fingerprint() {
    let drop = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    write(
        &drop.path().join("a.txt"),
        "Titel A\nBundeskanzler Olaf Scholz traf in Berlin den Präsidenten Frankreichs, \
         Emmanuel Macron, und sprach mit Vertretern der Europäischen Union.",
    );
    let entities = |dir: &Path| -> Vec<(String, String)> {
        records(dir)[0]["entities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["text"].to_string(), e["label"].to_string()))
            .collect()
    };
    let precision_of =
        |dir: &Path| run_json(dir)["config"]["stages"]["entities"]["precision"].clone();

    let f32_run = run(&[drop.path()], out.path(), &["--ner-precision", "f32"]);
    assert_eq!(f32_run.status.code(), Some(0));
    assert_eq!(precision_of(out.path()), serde_json::Value::Null);
    let found = entities(out.path());
    assert!(found.len() >= 3, "{found:?}");

    let bf16_run = run(&[drop.path()], out.path(), &["--ner-precision", "bf16"]);
    assert_eq!(bf16_run.status.code(), Some(0));
    assert_eq!(run_json(out.path())["articles"]["processed"], 1);
    assert_eq!(precision_of(out.path()), "bf16");
    assert_eq!(entities(out.path()), found);

    let again = run(&[drop.path()], out.path(), &["--ner-precision", "bf16"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(run_json(out.path())["articles"]["unchanged"], 1);

    for flag in ["--ner-precision", "--translate-precision"] {
        let o = run(&[drop.path()], out.path(), &[flag, "fp16"]);
        assert_eq!(o.status.code(), Some(2), "{flag} fp16");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains(flag) && stderr.contains("fp16"), "{stderr}");
    }
    assert_eq!(run_json(out.path())["articles"]["unchanged"], 1);
}

#[test]
fn usage_errors_exit_2_and_help_explains() {
    let out = tempfile::tempdir().unwrap();
    // A missing model fails at start-up, naming the folder, before any article is touched.
    let o = run(
        &[&repo().join("seeds")],
        &out.path().join("m"),
        &["--ner-model", "no-such-model"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("no-such-model"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.path().join("m").join("articles.jsonl").exists());
    let o = run(
        &[&repo().join("seeds")],
        &out.path().join("t"),
        &["--translate"],
    );
    assert_eq!(
        o.status.code(),
        Some(2),
        "no translation model here: a set-up error"
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("opus-mt-de-en"));
    let missing = out.path().join("no-such-folder");
    let o = run(&[&missing], &out.path().join("o"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-folder"));

    let o = bin().args(["run", "--output", "x"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "missing --input is a usage error");

    // Counts of zero are usage errors naming the flag, before anything is read or written.
    for flag in ["--threads", "--summary-sentences", "--batch-articles"] {
        let target = out.path().join("zero");
        let o = run(&[&repo().join("seeds")], &target, &[flag, "0"]);
        assert_eq!(o.status.code(), Some(2), "{flag} 0");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(flag) && stderr.contains("at least 1"),
            "{stderr}"
        );
        assert!(!target.exists(), "{flag} 0 wrote output");
    }

    let o = bin().args(["run", "--help"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let help = String::from_utf8_lossy(&o.stdout);
    for flag in ["--input", "--output", "--threads", "--force", "--quiet"] {
        assert!(help.contains(flag), "help lacks {flag}");
    }
}

/// `--languages`: short texts are identified among the expected languages, the list is part
/// of the fingerprint (changing it redoes the articles, repeating it does not), and a code
/// the build cannot expect is a usage error naming it, before anything is written.
#[test]
fn expected_languages_decide_short_texts_and_the_fingerprint() {
    let drop = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    write(
        &drop.path().join("short.jsonl"),
        "{\"id\": \"af\", \"text\": \"Regering wil aantal buitelandse studente beperk\"}\n\
         {\"id\": \"de\", \"text\": \"Inflation sinkt im Mai auf 2,4 Prozent\"}\n",
    );
    let languages = |dir: &Path| -> Vec<String> {
        records(dir)
            .iter()
            .map(|r| r["language"]["code"].as_str().unwrap().to_string())
            .collect()
    };
    let expected_of = |dir: &Path| run_json(dir)["config"]["stages"]["segment"]["language"].clone();

    let o = run(&[drop.path()], out.path(), &["--no-entities"]);
    assert_exit(&o, 0);
    // Afrikaans is not expected by default: the closest expected language.
    assert_eq!(languages(out.path()), ["nl", "de"]);
    assert_eq!(
        expected_of(out.path())["expected"],
        serde_json::json!(["de", "en", "es", "fr", "it", "nl"])
    );

    let o = run(
        &[drop.path()],
        out.path(),
        &["--no-entities", "--languages", "nl,de,af"],
    );
    assert_exit(&o, 0);
    assert_eq!(run_json(out.path())["articles"]["processed"], 2);
    assert_eq!(languages(out.path()), ["af", "de"]);
    assert_eq!(
        expected_of(out.path())["expected"],
        serde_json::json!(["af", "de", "nl"])
    );

    let o = run(
        &[drop.path()],
        out.path(),
        &["--no-entities", "--languages", "af,de,nl"],
    );
    assert_exit(&o, 0);
    assert_eq!(run_json(out.path())["articles"]["unchanged"], 2);

    for (list, named) in [("de,xx", "`xx`"), ("de,pl", "`pl`"), ("de,,en", "de,,en")] {
        let o = run(
            &[drop.path()],
            out.path(),
            &["--no-entities", "--languages", list],
        );
        assert_eq!(o.status.code(), Some(2), "--languages {list}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains("--languages") && stderr.contains(named),
            "{stderr}"
        );
    }
    assert_eq!(run_json(out.path())["articles"]["unchanged"], 2);
}
