//! Every kind of bad input becomes a clear error in errors.jsonl; good articles are kept.

mod support;

use support::cli::*;

#[test]
fn bad_inputs_are_reported_and_good_articles_kept() {
    let drop = tempfile::tempdir().unwrap();
    let d = drop.path();
    std::fs::write(d.join("good.txt"), "Gute Nachricht\nEs gab 3 Tote.").unwrap();
    std::fs::write(
        d.join("latin1.txt"),
        b"Gr\xF6\xDFte Meldung\nDie \x84Stra\xDFe\x93 kostet 5 \x80.",
    )
    .unwrap();
    std::fs::write(d.join("empty.txt"), "  \n\n").unwrap();
    std::fs::write(d.join("binary.txt"), b"PK\x03\x04\x00\x00binary").unwrap();
    std::fs::write(d.join("garbage.txt"), b"\xFF\xFE\x01\x02\x03").unwrap();
    std::fs::write(d.join("ignored.pdf"), b"%PDF").unwrap();
    let jsonl = [
        r#"{"id": "j1", "text": "Erster Artikel.", "title": "Eins", "lang": "de", "url": "https://x.invalid/1"}"#,
        r#"{"id": "j2", "text": "#,
        r#"[1, 2, 3]"#,
        r#"{"id": "j3"}"#,
        r#"{"id": "j4", "text": 42}"#,
        "",
        r#"{"id": "j1", "text": "Doppelt."}"#,
        r#"{"id": "good", "text": "Gleiche ID wie die Textdatei."}"#,
        r#"{"id": "j5", "text": ""}"#,
        r#"{"id": "j6", "text": "Zweiter Artikel.", "title": 7}"#,
        r#"{"text": "ohne id"}"#,
        r#"{"id": "j7", "text": "Dritter Artikel."}"#,
    ]
    .join("\n");
    std::fs::write(d.join("zz.jsonl"), jsonl).unwrap();

    let out = tempfile::tempdir().unwrap();
    let o = run(&[d], out.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "some inputs failed: exit 1");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("empty.txt"),
        "errors also go to stderr: {stderr}"
    );

    let recs = records(out.path());
    let mut ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort();
    assert_eq!(ids, ["good", "j1", "j7", "latin1"]);
    for r in &recs {
        check_record(r);
    }
    let latin1 = recs.iter().find(|r| r["id"] == "latin1").unwrap();
    assert_eq!(latin1["source"]["encoding"], "windows-1252");
    assert_eq!(latin1["title"], "Größte Meldung");
    assert!(latin1["text"]
        .as_str()
        .unwrap()
        .contains("„Straße“ kostet 5 €"));
    let j1 = recs.iter().find(|r| r["id"] == "j1").unwrap();
    assert_eq!(j1["language"]["method"], "declared");
    assert_eq!(j1["url"], "https://x.invalid/1");
    assert_eq!(j1["source"]["line"], 1);

    let errs = errors(out.path());
    let find = |input_suffix: &str, line: Option<u64>| {
        errs.iter()
            .find(|e| {
                e["input"].as_str().unwrap().ends_with(input_suffix) && e["line"].as_u64() == line
            })
            .unwrap_or_else(|| panic!("no error for {input_suffix}:{line:?} in {errs:#?}"))["error"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(find("empty.txt", None).contains("empty"));
    assert!(find("binary.txt", None).contains("NUL"));
    assert!(find("garbage.txt", None).contains("not valid UTF-8"));
    assert!(find("zz.jsonl", Some(2)).contains("not valid JSON"));
    assert!(find("zz.jsonl", Some(3)).contains("not a JSON object"));
    assert!(find("zz.jsonl", Some(4)).contains("missing \"text\""));
    assert!(find("zz.jsonl", Some(5)).contains("\"text\" is not a string"));
    assert!(find("zz.jsonl", Some(7)).contains("duplicate id (first seen in"));
    assert!(
        find("zz.jsonl", Some(8)).contains("duplicate id (first seen in")
            && find("zz.jsonl", Some(8)).contains("good.txt")
    );
    assert!(find("zz.jsonl", Some(9)).contains("empty"));
    assert!(find("zz.jsonl", Some(10)).contains("\"title\" is not a string"));
    assert!(find("zz.jsonl", Some(11)).contains("missing \"id\""));
    assert_eq!(errs.len(), 12, "{errs:#?}");
    let dup = errs.iter().find(|e| e["line"] == 7).unwrap();
    assert_eq!(dup["id"], "j1");

    let summary = run_json(out.path());
    assert_eq!(summary["articles"]["failed"], 12);
    assert_eq!(summary["articles"]["processed"], 4);

    // A file named directly with an unsupported type is an input error, not a crash.
    let out2 = tempfile::tempdir().unwrap();
    let o = run(
        &[&d.join("ignored.pdf"), &d.join("good.txt")],
        out2.path(),
        &[],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(errors(out2.path())[0]["error"]
        .as_str()
        .unwrap()
        .contains("unsupported file type"));
    assert_eq!(records(out2.path()).len(), 1);
}
