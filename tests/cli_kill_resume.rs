//! A run killed at any moment (SIGKILL) leaves no torn line and loses no article: the next
//! run completes the output, which then holds every article exactly once.

mod common;

use common::*;
use std::collections::HashSet;
use std::time::{Duration, Instant};

#[test]
fn killed_runs_resume_without_torn_lines_or_duplicates() {
    let drop = tempfile::tempdir().unwrap();
    let seeds: Vec<String> = std::fs::read_dir(repo().join("seeds"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    // Enough work that a kill lands mid-run: 600 articles of seed text (about 4 MB).
    let n = 600;
    let mut jsonl = String::new();
    for i in 0..n {
        let text = format!("Artikel {i}\n{}", seeds[i % seeds.len()]);
        jsonl.push_str(&serde_json::json!({"id": format!("a{i:04}"), "text": text}).to_string());
        jsonl.push('\n');
    }
    std::fs::write(drop.path().join("drop.jsonl"), jsonl).unwrap();
    let out = tempfile::tempdir().unwrap();

    let mut killed_mid_run = 0;
    let mut killed_with_partial_output = 0;
    let mut delay = Duration::from_millis(20);
    for _ in 0..12 {
        let mut child = bin()
            .args([
                "run",
                "--quiet",
                "--no-entities",
                "--threads",
                "1",
                "--input",
            ])
            .arg(drop.path())
            .arg("--output")
            .arg(out.path())
            .spawn()
            .unwrap();
        let t = Instant::now();
        while t.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        let was_killed = child.try_wait().unwrap().is_none();
        if was_killed {
            child.kill().unwrap(); // SIGKILL
            killed_mid_run += 1;
        }
        child.wait().unwrap();
        let journal =
            std::fs::read_to_string(out.path().join(".journal.jsonl")).unwrap_or_default();
        let done = records(out.path()).len() + journal.matches('\n').count();
        if was_killed && done > 0 && done < n {
            killed_with_partial_output += 1;
        }
        // After any kill: every line of articles.jsonl is whole and no id appears twice.
        let recs = records(out.path());
        let ids: HashSet<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), recs.len(), "duplicate records after a kill");
        delay = delay.mul_f64(1.6);
    }
    assert!(killed_mid_run >= 2, "the test never managed to kill a run");
    assert!(
        killed_with_partial_output >= 1,
        "no kill landed while articles were being written"
    );

    let o = run(&[drop.path()], out.path(), &["--no-entities"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let recs = records(out.path());
    assert_eq!(recs.len(), n, "every article exactly once after resuming");
    let ids: HashSet<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), n);
    for r in recs.iter().step_by(97) {
        check_record(r);
    }
    assert!(!out.path().join(".journal.jsonl").exists());
}
