//! Scale-out: three shards of a drop (`--shard K/3`) merged with `newsextract merge` give the
//! same articles, errors and drop-level files as one unsharded run; a merge with a shard
//! missing, or with shards run under different options, refuses and names the problem.

mod support;

use std::path::{Path, PathBuf};

use support::cli::*;

/// The seeds plus 30 articles recombined from their sentences and two broken JSONL lines.
fn drop_folder(root: &Path) -> PathBuf {
    let dir = root.join("drop");
    std::fs::create_dir_all(&dir).unwrap();
    let mut sentences = Vec::new();
    for entry in std::fs::read_dir(repo().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(dir.join(path.file_name().unwrap()), &text).unwrap();
        sentences.extend(
            text.lines()
                .filter(|l| l.split_whitespace().count() > 8)
                .map(str::to_string),
        );
    }
    sentences.sort();
    let mut lines = Vec::new();
    for i in 0..30 {
        let body: Vec<&str> = (0..6)
            .map(|j| sentences[(i * 7 + j * 13) % sentences.len()].as_str())
            .collect();
        lines.push(
            serde_json::json!({"id": format!("mix-{i:02}"), "title": format!("Mischung {i}"),
                "text": body.join("\n"), "lang": "de"})
            .to_string(),
        );
    }
    lines.insert(10, r#"{"id": "torn", "text": "Nordkorea lie"#.to_string());
    lines.insert(20, r#"{"id": "no-text"}"#.to_string());
    std::fs::write(dir.join("more.jsonl"), lines.join("\n") + "\n").unwrap();
    dir
}

/// Records without the per-article stage times (wall clock, different in every run).
fn records_without_times(out: &Path) -> Vec<serde_json::Value> {
    let mut recs = records(out);
    for r in &mut recs {
        for stage in r["stages"].as_object_mut().unwrap().values_mut() {
            stage.as_object_mut().unwrap().remove("ms");
        }
    }
    recs
}

fn sorted_errors(out: &Path) -> Vec<String> {
    let mut e: Vec<String> = errors(out).iter().map(|e| e.to_string()).collect();
    e.sort();
    e
}

fn merge(shards: &[&Path], out: &Path) -> std::process::Output {
    let mut cmd = bin();
    cmd.arg("merge").args(shards).arg("--output").arg(out);
    cmd.output().unwrap()
}

#[test]
fn three_shards_merged_equal_one_run() {
    let tmp = tempfile::tempdir().unwrap();
    let drop = drop_folder(tmp.path());
    let whole = tmp.path().join("whole");
    let o = run(&[&drop], &whole, &["--no-entities"]);
    assert_exit(&o, 1);

    // All shards write into one folder: each has its own files and lock.
    let shards = tmp.path().join("shards");
    let mut processed = 0;
    for k in 0..3 {
        let o = run(
            &[&drop],
            &shards,
            &["--no-entities", "--shard", &format!("{k}/3")],
        );
        assert!(
            matches!(o.status.code(), Some(0 | 1)),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let report: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(shards.join(format!("run.shard-{k}-of-3.json"))).unwrap(),
        )
        .unwrap();
        assert_eq!(report["shard"], format!("{k}/3"));
        let n = report["articles"]["processed"].as_u64().unwrap();
        assert!(n > 0, "shard {k} got no article");
        processed += n;
    }
    assert!(!shards.join("articles.jsonl").exists());
    assert_eq!(processed, 35);

    let merged = tmp.path().join("merged");
    let o = merge(&[&shards], &merged);
    assert_exit(&o, 1);
    assert_eq!(
        records_without_times(&merged),
        records_without_times(&whole)
    );
    assert_eq!(sorted_errors(&merged), sorted_errors(&whole));
    assert_eq!(sorted_errors(&merged).len(), 2);
    for file in ["claims.jsonl", "entities.jsonl"] {
        assert_eq!(
            std::fs::read_to_string(merged.join(file)).unwrap(),
            std::fs::read_to_string(whole.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(merged.join("dashboard.html").exists());
    let (m, w) = (run_json(&merged), run_json(&whole));
    assert_eq!(m["articles"], w["articles"]);
    assert_eq!(m["fingerprint"], w["fingerprint"]);
    assert_eq!(m["merged_shards"], 3);
    assert_eq!(m["feed"], w["feed"]);
}

#[test]
fn incomplete_or_mixed_shards_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let drop = drop_folder(tmp.path());
    let dirs: Vec<PathBuf> = (0..3).map(|k| tmp.path().join(format!("s{k}"))).collect();
    for (k, dir) in dirs.iter().enumerate() {
        let sentences = if k == 1 { "2" } else { "3" };
        let shard = format!("{k}/3");
        let args = [
            "--no-entities",
            "--shard",
            &shard,
            "--summary-sentences",
            sentences,
        ];
        run(&[&drop], dir, &args);
    }
    let out = tmp.path().join("out");

    let o = merge(&[&dirs[0], &dirs[2]], &out);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("shard 1/3 is missing"), "{stderr}");
    assert!(!out.join("articles.jsonl").exists());

    let o = merge(&[&dirs[0], &dirs[1], &dirs[2]], &out);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("different configurations"), "{stderr}");
    assert!(!out.join("articles.jsonl").exists());

    let o = merge(&[&tmp.path().join("nowhere")], &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nowhere"));
}

/// `--ner-precision auto` resolves per machine, so shards of one drop can differ in it on a
/// mixed cluster; merge refuses them and says which flag to pin.
#[test]
fn shards_with_different_ner_precision_are_refused_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let drop = drop_folder(tmp.path());
    let dirs: Vec<PathBuf> = (0..2).map(|k| tmp.path().join(format!("s{k}"))).collect();
    for (k, precision) in ["f32", "bf16"].into_iter().enumerate() {
        let shard = format!("{k}/2");
        run(
            &[&drop],
            &dirs[k],
            &["--shard", &shard, "--ner-precision", precision],
        );
    }
    let out = tmp.path().join("out");
    let o = merge(&[&dirs[0], &dirs[1]], &out);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("in f32 on shard 0/2 and in bf16 on shard 1/2")
            && stderr.contains("pin --ner-precision"),
        "{stderr}"
    );
    assert!(!out.join("articles.jsonl").exists());
}

/// The same for `--translate-precision auto` with a CTranslate2 model (bf16 on one machine,
/// int8 on another).
#[test]
fn shards_with_different_translation_precision_are_refused_naming_the_flag() {
    let tmp = tempfile::tempdir().unwrap();
    let drop = tmp.path().join("drop");
    std::fs::create_dir_all(&drop).unwrap();
    for entry in std::fs::read_dir(repo().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, drop.join(path.file_name().unwrap())).unwrap();
    }
    let hf = support::marian::write_tiny_marian_with(tmp.path(), "tiny-hf", 1, true);
    let ct2 = tmp.path().join("tiny-ct2");
    newsextract::stages::translate::ctranslate2::convert_marian(
        &newsextract::stages::translate::MarianFolder::inspect(&hf).unwrap(),
        &ct2,
    )
    .unwrap();
    let ct2 = ct2.to_str().unwrap();
    let dirs: Vec<PathBuf> = (0..2).map(|k| tmp.path().join(format!("s{k}"))).collect();
    for (k, precision) in ["int8", "f32"].into_iter().enumerate() {
        let shard = format!("{k}/2");
        let o = run(
            &[&drop],
            &dirs[k],
            &[
                "--shard",
                &shard,
                "--no-entities",
                "--translate",
                "--translation-model",
                ct2,
                "--max-length",
                "6",
                "--translate-precision",
                precision,
            ],
        );
        assert_exit(&o, 0);
    }
    let o = merge(&[&dirs[0], &dirs[1]], &tmp.path().join("out"));
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("the translation model ran in int8 on shard 0/2 and in f32 on shard 1/2")
            && stderr.contains("pin --translate-precision"),
        "{stderr}"
    );
}
