//! End-to-end over the seeds: every article gets an extractive summary that keeps its
//! numbers, `en_status` says why there is no English without a model, and the drop-level
//! files (`claims.jsonl`, `entities.jsonl`, `dashboard.html`) are written, valid and
//! consistent with the articles.

mod support;

/// (summary sentence, text, value, value_high, kind) of one claim.
type NumberRow = (usize, String, Option<f64>, Option<f64>, String);

use std::path::Path;

use newsextract::stages::claims::extract_claims;
use support::cli::*;

/// A models folder whose NER default is the shipped model and whose translation default is
/// absent, so the run is the one a machine without a translation model makes.
fn models_without_translation(tmp: &Path) -> std::path::PathBuf {
    let dir = tmp.join("models");
    std::fs::create_dir_all(&dir).unwrap();
    let ner = repo().join("models/ner-de-e5small");
    std::fs::write(
        dir.join("models.toml"),
        format!(
            "[entities]\ndefault = {:?}\n[translation]\ndefault = \"opus-mt-de-en\"\n",
            ner.display().to_string()
        ),
    )
    .unwrap();
    dir
}

fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn validate(schema_file: &str, items: &[serde_json::Value]) {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join(schema_file)).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for item in items {
        let problems: Vec<String> = validator
            .iter_errors(item)
            .map(|e| format!("{e} at {}", e.instance_path))
            .collect();
        assert!(
            problems.is_empty(),
            "{item} violates {schema_file}: {problems:#?}"
        );
    }
}

/// The JSON embedded in the dashboard page.
fn dashboard_data(out: &Path) -> serde_json::Value {
    let page = std::fs::read_to_string(out.join("dashboard.html")).unwrap();
    let open = r#"<script type="application/json" id="newsextract-data">"#;
    let start = page.find(open).expect("data script") + open.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("embedded data parses")
}

fn by_id<'a>(records: &'a [serde_json::Value], id: &str) -> &'a serde_json::Value {
    records.iter().find(|r| r["id"] == id).unwrap()
}

#[test]
fn seeds_get_summaries_claim_clusters_entities_and_a_dashboard() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let models = models_without_translation(tmp.path());
    let o = run(
        &[&repo().join("seeds")],
        &out,
        &["--models", models.to_str().unwrap()],
    );
    assert_exit(&o, 0);
    let recs = records(&out);
    assert_eq!(recs.len(), 5);

    for r in &recs {
        check_record(r);
        let s = &r["summary"];
        assert_eq!(s["sentences"].as_array().unwrap().len(), 3, "{}", r["id"]);
        assert_eq!(s["method"], newsextract::stages::summarize::METHOD);
        assert_eq!(s["en"], serde_json::Value::Null);
        assert_eq!(s["en_status"], "no_model");
        let note = s["en_note"].as_str().unwrap();
        assert!(
            note.contains("models fetch") && note.contains("--translate-summaries"),
            "{note}"
        );
        assert_eq!(r["stages"]["summarize"]["status"], "ran");
        let text = s["text"].as_str().unwrap();
        for furniture in [
            "Kommentar",
            "ttn-de",
            " | ",
            "Erhalten Sie",
            "rund um die Uhr",
            "http",
        ] {
            assert!(
                !text.contains(furniture),
                "{}: {furniture} in {text}",
                r["id"]
            );
        }
    }

    // Extractive: reading the numbers again from the summary text gives the article's claims
    // of those sentences, value for value.
    for r in &recs {
        let sentences = r["sentences"].as_array().unwrap();
        let chosen = summary_sentences(r);
        let summary_text = r["summary"]["text"].as_str().unwrap();
        let mut ranges = Vec::new();
        let mut at = 0;
        for &i in &chosen {
            let n = sentences[i]["text"].as_str().unwrap().chars().count();
            ranges.push((at, at + n));
            at += n + 1;
        }
        let again = extract_claims(summary_text, &ranges, "de");
        let numbers = |items: Vec<NumberRow>| {
            let mut items = items;
            items.sort_by(|a, b| a.partial_cmp(b).unwrap());
            items
        };
        let from_summary = numbers(
            again
                .iter()
                .map(|c| {
                    let kind = serde_json::to_value(c.kind).unwrap();
                    (
                        chosen[c.sentence],
                        c.text.clone(),
                        c.value,
                        c.value_high,
                        kind.to_string(),
                    )
                })
                .collect(),
        );
        let from_article = numbers(
            r["claims"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| chosen.contains(&(c["sentence"].as_u64().unwrap() as usize)))
                .map(|c| {
                    (
                        c["sentence"].as_u64().unwrap() as usize,
                        c["text"].as_str().unwrap().to_string(),
                        c["value"].as_f64(),
                        c["value_high"].as_f64(),
                        c["kind"].to_string(),
                    )
                })
                .collect(),
        );
        assert_eq!(from_summary, from_article, "{}", r["id"]);
    }
    let summary_claims: usize = recs
        .iter()
        .map(|r| {
            let chosen = r["summary"]["sentences"].as_array().unwrap();
            r["claims"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|c| chosen.contains(&c["sentence"]))
                .count()
        })
        .sum();
    assert!(
        summary_claims >= 5,
        "summaries favour sentences with numbers: {summary_claims}"
    );

    // claims.jsonl: valid, every mention is where it says, "10.000 Container" from two articles.
    let clusters = jsonl(&out.join("claims.jsonl"));
    validate("schema/claim-cluster.schema.json", &clusters);
    // A date whose year is unknown (the seeds have no `published`) has no value to cluster by.
    let all_claims: usize = recs
        .iter()
        .map(|r| r["claims"].as_array().unwrap().len())
        .sum();
    // Numbers in page furniture (the seeds' video teasers) join no cluster.
    let total_claims: usize = recs
        .iter()
        .flat_map(|r| r["claims"].as_array().unwrap())
        .filter(|c| !c["value"].is_null() && c["boilerplate"] != true)
        .count();
    let in_furniture = recs
        .iter()
        .flat_map(|r| r["claims"].as_array().unwrap())
        .filter(|c| c["boilerplate"] == true)
        .count();
    assert!(in_furniture > 0, "the seeds' video teasers hold numbers");
    let mentions: usize = clusters
        .iter()
        .map(|c| c["mentions"].as_array().unwrap().len())
        .sum();
    assert_eq!(
        mentions, total_claims,
        "every claim with a value outside page furniture is in exactly one cluster"
    );
    for c in &clusters {
        for m in c["mentions"].as_array().unwrap() {
            let text: Vec<char> = by_id(&recs, m["article"].as_str().unwrap())["text"]
                .as_str()
                .unwrap()
                .chars()
                .collect();
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                text[s..e].iter().collect::<String>(),
                m["text"].as_str().unwrap()
            );
        }
    }
    let container = clusters
        .iter()
        .find(|c| c["unit"] == "Container" && c["value"] == 10000 && c["kind"] == "count")
        .expect("a 10.000 Container cluster");
    assert!(
        container["article_count"].as_u64().unwrap() >= 2,
        "{container:#}"
    );
    let forms = container["unit_forms"].as_array().unwrap();
    assert!(forms.iter().any(|f| f == "Containern"), "{container:#}");

    // entities.jsonl: valid, names merged across articles.
    let entities = jsonl(&out.join("entities.jsonl"));
    validate("schema/entity.schema.json", &entities);
    let putin = entities
        .iter()
        .find(|e| e["canonical"] == "Wladimir Putin" && e["label"] == "PER")
        .expect("Wladimir Putin");
    assert!(putin["article_count"].as_u64().unwrap() >= 4, "{putin:#}");
    assert!(putin["forms"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["text"] == "Putin"));
    assert!(!putin["cooccurring"].as_array().unwrap().is_empty());

    // The dashboard carries every article with its title and summary, and every claim.
    let data = dashboard_data(&out);
    let titles: Vec<&serde_json::Value> = data["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["title"])
        .collect();
    for r in &recs {
        assert!(titles.contains(&&r["title"]), "{} missing", r["title"]);
    }
    assert_eq!(data["claims"].as_array().unwrap().len(), all_claims);
    assert_eq!(data["clusters"].as_array().unwrap().len(), clusters.len());
    // Article cards list entities under the drop-level names of entities.jsonl, with the
    // forms the article wrote: an article that writes "Putin" counts it under "Wladimir Putin".
    let drop_names: std::collections::HashSet<(&str, &str)> = entities
        .iter()
        .map(|e| {
            (
                e["canonical"].as_str().unwrap(),
                e["label"].as_str().unwrap(),
            )
        })
        .collect();
    let mut putin_cards = 0;
    for card in data["articles"].as_array().unwrap() {
        for e in card["entities"].as_array().unwrap() {
            let name = (
                e["canonical"].as_str().unwrap(),
                e["label"].as_str().unwrap(),
            );
            assert!(
                drop_names.contains(&name),
                "{name:?} is not in entities.jsonl"
            );
            let forms: Vec<&str> = e["forms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| f.as_str().unwrap())
                .collect();
            if name == ("Wladimir Putin", "PER") && forms.contains(&"Putin") {
                putin_cards += 1;
            }
        }
    }
    assert!(
        putin_cards >= 2,
        "cards counting \"Putin\" under \"Wladimir Putin\": {putin_cards}"
    );

    let report = run_json(&out);
    assert_eq!(report["feed"]["claim_clusters"], clusters.len());
    assert_eq!(report["feed"]["entities"], entities.len());
    assert!(report["stages_not_run"].get("summarize").is_none());

    // A second run redoes nothing and leaves the drop files as they were.
    let before = std::fs::read(out.join("claims.jsonl")).unwrap();
    let o = run(
        &[&repo().join("seeds")],
        &out,
        &["--models", models.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(run_json(&out)["articles"]["unchanged"], 5);
    assert_eq!(std::fs::read(out.join("claims.jsonl")).unwrap(), before);
}

#[test]
fn summary_length_is_an_option_and_part_of_the_fingerprint() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let seeds = repo().join("seeds");
    let o = run(
        &[&seeds],
        &out,
        &["--no-entities", "--summary-sentences", "5"],
    );
    assert_exit(&o, 0);
    for r in records(&out) {
        check_record(&r);
        assert_eq!(r["summary"]["sentences"].as_array().unwrap().len(), 5);
    }
    let o = run(
        &[&seeds],
        &out,
        &["--no-entities", "--summary-sentences", "1"],
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(run_json(&out)["articles"]["processed"], 5);
    for r in records(&out) {
        assert_eq!(r["summary"]["sentences"].as_array().unwrap().len(), 1);
    }
    let o = run(&[&seeds], &out, &["--summary-sentences", "0"]);
    assert_eq!(o.status.code(), Some(2));
}
