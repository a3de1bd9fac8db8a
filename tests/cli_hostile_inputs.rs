//! Hostile drops and hostile machines: inputs that scrapers produce (a byte-order mark, mixed
//! line endings, HTML and Markdown remnants, JSON nested 100,000 deep, a 50 MB string, a 20 MB article, a 20 MB line
//! without a sentence end, link loops, dangling links, unreadable files and folders) and
//! outputs that cannot be written (a read-only folder, a full disk). Each problem is a clear
//! error naming the file; the rest of the drop is processed; nothing already written is lost.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output};
use std::time::Instant;

use newsextract::ingest::markup::{restore, MarkupEdit};
use support::cli::*;

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// `newsextract run` without the capabilities that let root ignore file permissions
/// (`setpriv` from util-linux), so that permissions apply as they do for any other user.
fn run_without_root_overrides(inputs: &Path, out: &Path) -> Output {
    let as_root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--bounding-set", "-dac_override,-dac_read_search", "--"]);
        c.arg(env!("CARGO_BIN_EXE_newsextract"));
        c
    } else {
        bin()
    };
    cmd.args(["run", "--no-entities", "--quiet", "--input"])
        .arg(inputs)
        .arg("--output")
        .arg(out);
    cmd.output().expect("setpriv (util-linux) runs")
}

fn error_for<'a>(errors: &'a [serde_json::Value], suffix: &str) -> &'a str {
    errors
        .iter()
        .find(|e| e["input"].as_str().unwrap().ends_with(suffix))
        .unwrap_or_else(|| panic!("no error for {suffix}: {errors:#?}"))["error"]
        .as_str()
        .unwrap()
}

#[test]
fn scraper_debris_is_reported_and_the_rest_processed() {
    let drop = tempfile::tempdir().unwrap();
    let d = drop.path();
    std::fs::write(d.join("bom.txt"), b"\xEF\xBB\xBFMit BOM\nEs gab 3 Tote.\n").unwrap();
    std::fs::write(
        d.join("mixed.txt"),
        "Zeilenenden\r\nErster Satz mit 5 Toten.\rZweiter Satz mit 7 Toten.\nDritter Satz.\r\n",
    )
    .unwrap();
    let deep = format!(
        "{{\"id\": \"deep\", \"text\": \"x\", \"extra\": {}{}}}\n{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000),
        r#"{"id": "after-deep", "text": "Danach kamen 4 Soldaten."}"#
    );
    std::fs::write(d.join("markup-only.txt"), "<p>&nbsp;</p>\n<!-- leer -->").unwrap();
    std::fs::write(d.join("deep.jsonl"), deep).unwrap();
    std::fs::write(
        d.join("html.txt"),
        "<h1>Lieferung&nbsp;an Russland</h1>\n<p>Laut <a href=\"https://x.invalid\">Reuters</a> \
         kamen &bdquo;bis zu 10.000&ldquo; Container &amp; Granaten.</p><!-- Werbung -->",
    )
    .unwrap();
    std::fs::create_dir(d.join("links")).unwrap();
    std::os::unix::fs::symlink(d, d.join("links/loop")).unwrap();
    std::os::unix::fs::symlink(d.join("nowhere.txt"), d.join("links/dangling.txt")).unwrap();
    std::os::unix::fs::symlink(d.join("bom.txt"), d.join("links/linked.txt")).unwrap();

    let out = tempfile::tempdir().unwrap();
    let o = run(&[d], out.path(), &["--no-entities"]);
    assert_exit(&o, 1);
    let recs = records(out.path());
    for r in &recs {
        check_record(r);
    }
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["after-deep", "bom", "html", "links/linked", "mixed"]);

    // HTML is decoded for reading and every change is recorded (check_record has checked
    // each edit's span against the text); putting `was` back gives the file as read.
    let html = &recs[2];
    assert_eq!(html["title"], "Lieferung\u{a0}an Russland");
    let sentences = sentence_texts(html);
    assert_eq!(
        sentences,
        [
            "Lieferung\u{a0}an Russland",
            "Laut Reuters kamen „bis zu 10.000“ Container & Granaten."
        ]
    );
    let edits: Vec<MarkupEdit> = serde_json::from_value(html["markup"].clone()).unwrap();
    assert_eq!(
        restore(html["text"].as_str().unwrap(), &edits),
        std::fs::read_to_string(d.join("html.txt")).unwrap()
    );
    assert!(html["claims"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["value"] == 10000));

    let bom = &recs[1];
    assert_eq!(bom["title"], "Mit BOM");
    assert!(bom["text"].as_str().unwrap().starts_with("Mit BOM"));
    let mixed = &recs[4];
    let sentences = sentence_texts(mixed);
    assert_eq!(
        sentences,
        [
            "Zeilenenden",
            "Erster Satz mit 5 Toten.",
            "Zweiter Satz mit 7 Toten.",
            "Dritter Satz."
        ]
    );
    let counts: Vec<(u64, u64)> = mixed["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "count")
        .map(|c| {
            (
                c["sentence"].as_u64().unwrap(),
                c["value"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(counts, [(1, 5), (2, 7)]);

    let errs = errors(out.path());
    assert!(error_for(&errs, "deep.jsonl").contains("recursion limit"));
    assert!(error_for(&errs, "links/loop").contains("loop"));
    assert!(error_for(&errs, "links/dangling.txt").contains("cannot read"));
    assert!(error_for(&errs, "markup-only.txt").contains("nothing but HTML or Markdown"));
    assert_eq!(errs.len(), 4, "{errs:#?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("deep.jsonl:1"), "{stderr}");
}

#[test]
fn giant_inputs_are_processed_in_linear_time() {
    let drop = tempfile::tempdir().unwrap();
    let d = drop.path();
    let seed = std::fs::read_to_string(repo().join("seeds/000_13a0ca2b9b5ed249.txt")).unwrap();
    let article = seed.repeat(20_000_000 / seed.len() + 1);
    std::fs::write(d.join("giant-article.txt"), &article).unwrap();
    let one_line = seed.replace(['\n', '.', '?', '!'], " ");
    let line = format!(
        "Titel\n{}",
        one_line.repeat(20_000_000 / one_line.len() + 1)
    );
    std::fs::write(d.join("giant-line.txt"), &line).unwrap();
    let string = serde_json::json!({"id": "giant-string", "text": "Wort ".repeat(10_000_000)});
    std::fs::write(d.join("giant-string.jsonl"), string.to_string() + "\n").unwrap();

    let out = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let o = run(&[d], out.path(), &["--no-entities"]);
    // Not an assertion (timings belong in benchmarks): printed for the record.
    eprintln!(
        "20 MB article + 20 MB line + 50 MB string, no NER, test build: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    assert_exit(&o, 0);
    let recs = records(out.path());
    assert_eq!(recs.len(), 3);
    let by_id = |id: &str| recs.iter().find(|r| r["id"] == id).unwrap();
    let giant = by_id("giant-article");
    assert_eq!(giant["text"].as_str().unwrap().len(), article.len());
    assert!(giant["sentences"].as_array().unwrap().len() > 100_000);
    assert_eq!(giant["summary"]["sentences"].as_array().unwrap().len(), 3);
    // A page without sentence ends is one sentence; too long to be a summary.
    let line_rec = by_id("giant-line");
    assert_eq!(line_rec["sentences"].as_array().unwrap().len(), 2);
    assert_eq!(line_rec["summary"]["en_status"], "empty");
    assert_eq!(
        by_id("giant-string")["text"].as_str().unwrap().len(),
        50_000_000
    );
}

#[test]
fn unreadable_files_and_folders_are_errors_not_crashes() {
    let drop = tempfile::tempdir().unwrap();
    let d = drop.path();
    std::fs::write(d.join("ok.txt"), "Lesbar\nEs gab 3 Tote.").unwrap();
    std::fs::write(d.join("secret.txt"), "Geheim\nEs gab 4 Tote.").unwrap();
    chmod(&d.join("secret.txt"), 0o000);
    std::fs::create_dir(d.join("closed")).unwrap();
    std::fs::write(d.join("closed/inner.txt"), "Innen\nEs gab 5 Tote.").unwrap();
    chmod(&d.join("closed"), 0o000);
    chmod(&d.join("ok.txt"), 0o644);

    let out = tempfile::tempdir().unwrap();
    let o = run_without_root_overrides(d, &out.path().join("out"));
    chmod(&d.join("closed"), 0o755);
    assert_exit(&o, 1);
    let out = out.path().join("out");
    let ids: Vec<String> = records(&out)
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["ok"]);
    let errs = errors(&out);
    assert!(
        error_for(&errs, "secret.txt").contains("ermission denied"),
        "{errs:#?}"
    );
    assert!(
        error_for(&errs, "closed").contains("ermission denied"),
        "{errs:#?}"
    );
}

#[test]
fn an_output_folder_without_write_permission_stops_the_run_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("readonly");
    std::fs::create_dir(&out).unwrap();
    chmod(&out, 0o555);
    let o = run_without_root_overrides(&repo().join("seeds"), &out);
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("cannot write to output folder") && stderr.contains("readonly"),
        "{stderr}"
    );
}

#[test]
fn a_full_disk_stops_the_run_and_keeps_what_was_written() {
    let out = tempfile::tempdir().unwrap();
    let seeds = repo().join("seeds");
    let o = run(&[&seeds], out.path(), &["--no-entities"]);
    assert_eq!(o.status.code(), Some(0));
    let before = std::fs::read(out.path().join("articles.jsonl")).unwrap();

    // A file-size limit makes every write past 64 KiB fail as a full disk would (with the
    // signal that would otherwise kill the process ignored, the write returns an error).
    let mut cmd = bin();
    cmd.args(["run", "--no-entities", "--quiet", "--force", "--input"])
        .arg(&seeds)
        .arg("--output")
        .arg(out.path());
    unsafe {
        cmd.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 64 * 1024,
                rlim_max: 64 * 1024,
            };
            libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let o = cmd.output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(
        std::fs::read(out.path().join("articles.jsonl")).unwrap(),
        before,
        "the records of the earlier run are intact"
    );

    // With space again, the next run completes the work.
    let o = run(&[&seeds], out.path(), &["--no-entities", "--force"]);
    assert_exit(&o, 0);
    assert_eq!(records(out.path()).len(), 5);
}
