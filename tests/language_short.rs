//! Language identification of one- and two-sentence texts (`tests/data/language/short.tsv`:
//! 250 hand-written headlines and leads in de/en/nl/af/fr, see its README).
//!
//! Prints, for each candidate detector, accuracy per language and sentence count, the wrong
//! answers and the time per text; holds the one the pipeline uses
//! ([`LanguageIdentifier`]: lingua among the expected languages, whatlang for others) to a
//! floor a little below what it reaches. Run with `--nocapture` to see the figures
//! (`docs/language.md` keeps them).

use std::collections::BTreeMap;
use std::time::Instant;

use lingua::{Language as L, LanguageDetectorBuilder};
use newsextract::stages::segment::{iso639_1, ExpectedLanguages, LanguageIdentifier};

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
    first_pass_ms: f64,
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

    fn accuracy_with(&self, sentences: u8) -> f64 {
        let (r, n) = self
            .right
            .iter()
            .filter(|((_, c), _)| *c == sentences)
            .fold((0, 0), |(r, n), (_, (r1, n1))| (r + r1, n + n1));
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
    // The first pass also loads lingua's models (on first use of each language); the time
    // per text is taken from three more passes.
    let started = Instant::now();
    let answers: Vec<Option<String>> = items.iter().map(|i| detect(&i.text)).collect();
    let first_pass_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    for _ in 0..3 {
        for item in items {
            std::hint::black_box(detect(&item.text));
        }
    }
    let micros_per_text = started.elapsed().as_secs_f64() * 1e6 / (3 * items.len()) as f64;
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
        first_pass_ms,
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
    println!(
        "first pass {:.1} ms; then {:.1} µs per text",
        f.first_pass_ms, f.micros_per_text
    );
}

fn whatlang_code(info: whatlang::Info) -> String {
    iso639_1(info.lang().code()).to_string()
}

fn whatlang_allowing(codes: &[&str]) -> whatlang::Detector {
    let langs = codes
        .iter()
        .map(|code| {
            *whatlang::Lang::all()
                .iter()
                .find(|l| iso639_1(l.code()) == *code)
                .unwrap()
        })
        .collect();
    whatlang::Detector::with_allowlist(langs)
}

fn lingua_code(language: L) -> String {
    language.iso_code_639_1().to_string()
}

/// The five languages of the set, and every language the build lets a run expect.
const FIVE: &[&str] = &["af", "de", "en", "fr", "nl"];
const SEVEN: &[&str] = &["af", "de", "en", "es", "fr", "it", "nl"];
const LINGUA_FIVE: &[L] = &[L::Afrikaans, L::German, L::English, L::French, L::Dutch];
const LINGUA_SEVEN: &[L] = &[
    L::Afrikaans,
    L::German,
    L::English,
    L::Spanish,
    L::French,
    L::Italian,
    L::Dutch,
];

#[test]
fn short_texts() {
    let items = items();
    assert_eq!(items.len(), 250);

    let whatlang_all = measure(&items, |t| whatlang::detect(t).map(whatlang_code));
    print_table(
        "(a) whatlang, every language (the detector before)",
        &whatlang_all,
    );
    print_misses(&whatlang_all);
    let reliable: Vec<(bool, &Item)> = items
        .iter()
        .filter_map(|item| {
            let info = whatlang::detect(&item.text)?;
            info.is_reliable()
                .then(|| (whatlang_code(info) == item.lang, item))
        })
        .collect();
    println!(
        "whatlang says is_reliable on {} texts, {} of them wrong",
        reliable.len(),
        reliable.iter().filter(|(right, _)| !right).count()
    );

    for (name, codes) in [("the five", FIVE), ("the seven expectable", SEVEN)] {
        let detector = whatlang_allowing(codes);
        let f = measure(&items, |t| detector.detect(t).map(whatlang_code));
        print_table(&format!("(b) whatlang, allow-list of {name} languages"), &f);
    }
    for (name, languages) in [
        ("the five", LINGUA_FIVE),
        ("the seven expectable", LINGUA_SEVEN),
    ] {
        let detector = LanguageDetectorBuilder::from_languages(languages).build();
        let f = measure(&items, |t| detector.detect_language_of(t).map(lingua_code));
        print_table(&format!("(c) lingua, {name} languages"), &f);
        let detector = LanguageDetectorBuilder::from_languages(languages)
            .with_low_accuracy_mode()
            .build();
        let f = measure(&items, |t| detector.detect_language_of(t).map(lingua_code));
        print_table(
            &format!("(c) lingua, {name} languages, low-accuracy mode"),
            &f,
        );
        print_misses(&f);
    }

    let default = LanguageIdentifier::default();
    let f = measure(&items, |t| default.detect(t).map(|l| l.code));
    print_table(
        &format!(
            "LanguageIdentifier, default --languages {} (no af: Afrikaans counts only where whatlang is sure)",
            default.expected()
        ),
        &f,
    );

    let expected: ExpectedLanguages = FIVE.join(",").parse().unwrap();
    let chosen = LanguageIdentifier::new(&expected);
    let f = measure(&items, |t| chosen.detect(t).map(|l| l.code));
    print_table(
        &format!("LanguageIdentifier, --languages {expected} (the pipeline's detector)"),
        &f,
    );
    print_misses(&f);
    // It reached 1.000 everywhere: a floor a little below, per language and on one-sentence
    // texts, where the detector before was weakest (0.873).
    for lang in FIVE {
        assert!(
            f.accuracy_of(lang) >= 0.96,
            "{lang}: {:.3}",
            f.accuracy_of(lang)
        );
    }
    assert!(f.accuracy_with(1) >= 0.97, "{:.3}", f.accuracy_with(1));
    assert!(f.accuracy_with(2) >= 0.98, "{:.3}", f.accuracy_with(2));
}
