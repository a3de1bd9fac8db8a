//! Dates without a written year, end to end: resolved against the article's `published` date
//! and saying so, partial (no value) without one, and redone when `published` changes.

mod support;

use newsextract::stages::claims::{extract_claims, resolve_dates, ClaimKind, YearFrom};
use serde_json::{json, Value};
use support::cli::{check_record, records, run, run_json};

fn date_claims(record: &Value) -> Vec<&Value> {
    record["claims"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "date")
        .collect()
}

const TEXT: &str = "Am 30. Dezember letzten Jahres griff Russland an. Am 30. Dezember griff \
                    Russland erneut an. Die Sitzung am 2. Februar d. J. war kurz. Am 3. März \
                    2023 war es ruhig.";

#[test]
fn dates_take_their_year_from_published_and_say_so() {
    let drop = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let input = drop.path().join("drop.jsonl");
    let line = |id: &str, published: Option<&str>| {
        let mut v = json!({"id": id, "text": TEXT});
        if let Some(p) = published {
            v["published"] = json!(p);
        }
        v.to_string()
    };
    std::fs::write(
        &input,
        [
            line("dated", Some("2025-01-05T09:00:00Z")),
            line("undated", None),
        ]
        .join("\n"),
    )
    .unwrap();
    let o = run(&[&input], out.path(), &["--no-entities"]);
    support::cli::assert_exit(&o, 0);
    let recs = records(out.path());
    for r in &recs {
        check_record(r);
    }
    let dated = recs.iter().find(|r| r["id"] == "dated").unwrap();
    let got: Vec<(&str, Value, &str, &str, Value)> = date_claims(dated)
        .iter()
        .map(|c| {
            (
                c["text"].as_str().unwrap(),
                c["value"].clone(),
                c["date"]["start"].as_str().unwrap(),
                c["date"]["year_from"].as_str().unwrap(),
                c["date"]["relative_year"].clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "30. Dezember letzten Jahres",
                json!(20241230),
                "2024-12-30",
                "published_relative",
                json!(-1)
            ),
            (
                "30. Dezember",
                json!(20241230),
                "2024-12-30",
                "published_nearest",
                Value::Null
            ),
            (
                "2. Februar d. J.",
                json!(20250202),
                "2025-02-02",
                "published_relative",
                json!(0)
            ),
            (
                "3. März 2023",
                json!(20230303),
                "2023-03-03",
                "text",
                Value::Null
            ),
        ]
    );

    // Without `published` no number is made up: the value is null, the date partial.
    let undated = recs.iter().find(|r| r["id"] == "undated").unwrap();
    let partial: Vec<(Value, &str, Value)> = date_claims(undated)
        .iter()
        .map(|c| {
            (
                c["value"].clone(),
                c["date"]["start"].as_str().unwrap(),
                c["date"]["year_from"].clone(),
            )
        })
        .collect();
    assert_eq!(
        partial,
        [
            (Value::Null, "--12-30", Value::Null),
            (Value::Null, "--12-30", Value::Null),
            (Value::Null, "--02-02", Value::Null),
            (json!(20230303), "2023-03-03", json!("text")),
        ]
    );

    // Partial dates join no cluster in the drop-level claims file.
    let clusters = std::fs::read_to_string(out.path().join("claims.jsonl")).unwrap();
    for line in clusters.lines() {
        let c: Value = serde_json::from_str(line).unwrap();
        assert!(!c["value"].is_null(), "{line}");
    }

    // A corrected publication date redoes the article; the text alone did not change.
    std::fs::write(
        &input,
        [line("dated", Some("2026-01-07")), line("undated", None)].join("\n"),
    )
    .unwrap();
    support::cli::assert_exit(&run(&[&input], out.path(), &["--no-entities"]), 0);
    assert_eq!(run_json(out.path())["articles"]["processed"], 1);
    let recs = records(out.path());
    let dated = recs.iter().find(|r| r["id"] == "dated").unwrap();
    assert_eq!(date_claims(dated)[0]["value"], json!(20251230));
}

#[test]
fn ranges_across_new_year_resolve_both_ends() {
    let text = "Vom 30. Dezember bis 2. Januar war Pause.";
    let mut claims = extract_claims(text, &[(0, text.chars().count())], "de");
    assert_eq!(claims.len(), 1);
    assert_eq!((claims[0].value, claims[0].value_high), (None, None));
    resolve_dates(&mut claims, Some("2025-01-05"));
    let c = &claims[0];
    assert_eq!(c.kind, ClaimKind::Date);
    assert_eq!(
        (c.value, c.value_high),
        (Some(20241230.0), Some(20250102.0))
    );
    let d = c.date.as_ref().unwrap();
    assert_eq!(d.start.to_string(), "2024-12-30");
    assert_eq!(d.end.unwrap().to_string(), "2025-01-02");
    assert_eq!(d.year_from, Some(YearFrom::PublishedNearest));
}

#[test]
fn an_unreadable_published_date_leaves_dates_partial() {
    let text = "Am 30. Dezember griff Russland an.";
    for published in ["gestern", "2025-13-01", "Jan 5, 2025", ""] {
        let mut claims = extract_claims(text, &[(0, text.chars().count())], "de");
        resolve_dates(&mut claims, Some(published));
        assert_eq!(claims[0].value, None, "{published}");
        assert_eq!(claims[0].date.as_ref().unwrap().year_from, None);
    }
}
