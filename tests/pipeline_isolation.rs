//! One article's failure stays that article's: a stage that panics on one article of a batch
//! costs only that article (an error naming it), and a second run on an output folder that
//! another run holds is refused with a clear message, writing nothing.

mod support;

use newsextract::document::Document;
use newsextract::run::options::{OutputConfig, RunOptions};
use newsextract::run::pipeline::Pipeline;
use newsextract::stage::{Stage, StageCounts};
use newsextract::stages::claims::ClaimsStage;
use newsextract::stages::segment::{SegmentOptions, SegmentStage};
use support::cli::*;

/// Panics when the batch holds the article `victim` (as a bug in a stage would).
struct PanicsOn {
    victim: &'static str,
}

impl Stage for PanicsOn {
    fn name(&self) -> &'static str {
        "fragile"
    }

    fn describe(&self) -> serde_json::Value {
        serde_json::json!({ "victim": self.victim })
    }

    fn process(&self, docs: &mut [Document]) -> anyhow::Result<Vec<StageCounts>> {
        if docs.iter().any(|d| d.id == self.victim) {
            panic!("index out of bounds in article {}", self.victim);
        }
        Ok(vec![StageCounts::new(); docs.len()])
    }
}

fn test_config() -> OutputConfig {
    OutputConfig {
        schema_version: newsextract::document::SCHEMA_VERSION,
        version: "test",
        tokens: false,
        stages: Default::default(),
    }
}

#[test]
fn a_stage_before_one_it_reads_is_refused() {
    // Claims read the sentences: after segment they run, before it they cannot.
    let out_of_order: Vec<Box<dyn Stage>> = vec![
        Box::new(ClaimsStage),
        Box::new(SegmentStage::new(SegmentOptions::default())),
    ];
    let err = Pipeline::new(out_of_order, Vec::new(), test_config())
        .err()
        .expect("claims before segment is refused")
        .to_string();
    assert!(err.contains("claims") && err.contains("segment"), "{err}");

    let missing: Vec<Box<dyn Stage>> = vec![Box::new(ClaimsStage)];
    let err = Pipeline::new(missing, Vec::new(), test_config())
        .err()
        .expect("claims without segment is refused")
        .to_string();
    assert!(err.contains("not in the pipeline"), "{err}");

    // Entities are optional for claims, but when they run they run first.
    let in_order: Vec<Box<dyn Stage>> = vec![
        Box::new(SegmentStage::new(SegmentOptions::default())),
        Box::new(ClaimsStage),
    ];
    assert!(Pipeline::new(in_order, Vec::new(), test_config()).is_ok());
}

#[test]
fn a_panic_on_one_article_fails_only_that_article() {
    let drop = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("a.txt", "Erste Meldung\nEs gab 3 Tote."),
        ("b.txt", "Zweite Meldung\nEs kamen 40 Soldaten."),
        ("c.txt", "Dritte Meldung\nEs fielen 12 Raketen."),
    ] {
        std::fs::write(drop.path().join(name), text).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let stages: Vec<Box<dyn Stage>> = vec![
        Box::new(SegmentStage::new(SegmentOptions::default())),
        Box::new(PanicsOn { victim: "b" }),
        Box::new(ClaimsStage),
    ];
    let pipeline = Pipeline::new(stages, Vec::new(), test_config()).expect("segment comes first");
    let opts = RunOptions::new(vec![drop.path().to_path_buf()], out.path().to_path_buf());
    // The panic message goes to stderr through the default hook; the run goes on.
    let (report, errors) = pipeline.run(&opts).expect("the run completes");

    assert_eq!(report.articles.processed, 2);
    assert_eq!(report.articles.failed, 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].id.as_deref(), Some("b"));
    assert!(
        errors[0].error.contains("stage fragile failed")
            && errors[0]
                .error
                .contains("panicked: index out of bounds in article b"),
        "{}",
        errors[0].error
    );
    let ids: Vec<String> = records(out.path())
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a", "c"]);
    assert_eq!(errors_file_ids(out.path()), ["b"]);
}

fn errors_file_ids(out: &std::path::Path) -> Vec<String> {
    errors(out)
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_second_run_on_a_busy_output_folder_is_refused() {
    let out = tempfile::tempdir().unwrap();
    // Hold the folder's lock as a running newsextract would.
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(out.path().join(".lock"))
        .unwrap();
    lock.try_lock().expect("lock is free");
    let o = run(&[&repo().join("seeds")], out.path(), &["--no-entities"]);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("another newsextract run is writing to")
            && stderr.contains(&out.path().display().to_string()),
        "{stderr}"
    );
    assert!(!out.path().join("articles.jsonl").exists());
    // Another shard of the same folder has its own lock and runs.
    let o = run(
        &[&repo().join("seeds")],
        out.path(),
        &["--no-entities", "--shard", "0/2"],
    );
    assert_exit(&o, 0);
    drop(lock);
    let o = run(&[&repo().join("seeds")], out.path(), &["--no-entities"]);
    assert_eq!(o.status.code(), Some(0));
}
