//! Language identification of one- and two-sentence texts (`tests/data/language/short.tsv`:
//! 250 hand-written headlines and leads in de/en/nl/af/fr, see its README).
//!
//! Prints accuracy per language and sentence count, the wrong answers, and the time per text.
//! Run with `--nocapture` to see the figures.

use std::collections::BTreeMap;
use std::time::Instant;

use newsextract::segment::detect_language;

struct Item {
    lang: String,
    sentences: u8,
    text: String,
}

fn items() -> Vec<Item> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/language/short.tsv"
    ))
    .unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("lang\tsentences\ttext"));
    lines
        .map(|line| {
            let mut cols = line.splitn(3, '\t');
            let (lang, sentences, text) = (cols.next(), cols.next(), cols.next());
            Item {
                lang: lang.unwrap().to_string(),
                sentences: sentences.unwrap().parse().unwrap(),
                text: text
                    .unwrap_or_else(|| panic!("no text in {line:?}"))
                    .to_string(),
            }
        })
        .collect()
}

/// Right answers per (language, sentence count), the wrong answers per language, the texts
/// missed, and the time.
struct Figures {
    right: BTreeMap<(String, u8), (usize, usize)>,
    wrong: BTreeMap<String, BTreeMap<String, usize>>,
    misses: Vec<(String, String, String)>,
    micros_per_text: f64,
}

impl Figures {
    fn accuracy(&self) -> f64 {
        let (r, n) = self
            .right
            .values()
            .fold((0, 0), |(r, n), (r1, n1)| (r + r1, n + n1));
        r as f64 / n as f64
    }

    fn accuracy_of(&self, lang: &str) -> f64 {
        let (r, n) = self
            .right
            .iter()
            .filter(|((l, _), _)| l == lang)
            .fold((0, 0), |(r, n), (_, (r1, n1))| (r + r1, n + n1));
        r as f64 / n as f64
    }
}

fn measure(items: &[Item], detect: impl Fn(&str) -> Option<String>) -> Figures {
    let mut right = BTreeMap::new();
    let mut wrong: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    let mut misses = Vec::new();
    let started = Instant::now();
    let answers: Vec<Option<String>> = items.iter().map(|i| detect(&i.text)).collect();
    let micros_per_text = started.elapsed().as_secs_f64() * 1e6 / items.len() as f64;
    for (item, answer) in items.iter().zip(answers) {
        let cell = right
            .entry((item.lang.clone(), item.sentences))
            .or_insert((0, 0));
        cell.1 += 1;
        if answer.as_deref() == Some(item.lang.as_str()) {
            cell.0 += 1;
        } else {
            let answer = answer.unwrap_or_else(|| "none".into());
            *wrong
                .entry(item.lang.clone())
                .or_default()
                .entry(answer.clone())
                .or_default() += 1;
            misses.push((item.lang.clone(), answer, item.text.clone()));
        }
    }
    Figures {
        right,
        wrong,
        misses,
        micros_per_text,
    }
}

fn print_misses(f: &Figures) {
    for (lang, answer, text) in &f.misses {
        println!("  {lang} as {answer}: {text}");
    }
}

fn print_table(name: &str, f: &Figures) {
    println!("\n{name}");
    println!("| lang | 1 sentence | 2 sentences | all | wrong answers |");
    println!("| --- | ---: | ---: | ---: | --- |");
    let langs: Vec<&String> = f.right.keys().map(|(l, _)| l).collect();
    let mut langs = langs;
    langs.dedup();
    let cell = |lang: &str, n: u8| {
        let (r, t) = f.right[&(lang.to_string(), n)];
        format!("{:.3} ({r}/{t})", r as f64 / t as f64)
    };
    for lang in langs {
        let wrong = f.wrong.get(lang).map_or(String::new(), |w| {
            w.iter()
                .map(|(l, n)| format!("{l} {n}"))
                .collect::<Vec<_>>()
                .join(", ")
        });
        println!(
            "| {lang} | {} | {} | {:.3} | {wrong} |",
            cell(lang, 1),
            cell(lang, 2),
            f.accuracy_of(lang)
        );
    }
    let by_count = |n: u8| {
        let (r, t) = f
            .right
            .iter()
            .filter(|((_, c), _)| *c == n)
            .fold((0, 0), |(r, t), (_, (r1, t1))| (r + r1, t + t1));
        format!("{:.3} ({r}/{t})", r as f64 / t as f64)
    };
    println!(
        "| all | {} | {} | {:.3} | |",
        by_count(1),
        by_count(2),
        f.accuracy()
    );
    println!("{:.1} µs per text", f.micros_per_text);
}

#[test]
fn short_texts() {
    let items = items();
    assert_eq!(items.len(), 250);
    let current = measure(&items, |t| detect_language(t).map(|l| l.code));
    print_table("detect_language (whatlang, every language)", &current);
    print_misses(&current);
}
