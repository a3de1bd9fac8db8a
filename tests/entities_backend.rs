//! The stage's logic over stand-in backends (the `SubwordTokenizer` / `TokenClassifier`
//! seams): batching order, the worker pool, and errors from a model.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{bail, Result};
use newsextract::document::{Document, ModelInfo};
use newsextract::stage::Stage;
use newsextract::stages::entities::{
    Decoding, EntitiesOptions, EntitiesStage, SubToken, SubwordTokenizer, TokenClassifier,
};
use support::documents::doc;

const LABELS: [&str; 5] = ["O", "B-PER", "I-PER", "B-LOC", "B-DATE"];
const CLS: i64 = 100;
const SEP: i64 = 101;

/// One token per white-space separated word; the word decides the id (and so the label).
struct WordTokenizer;

impl SubwordTokenizer for WordTokenizer {
    fn tokenize(&self, text: &str) -> Result<Vec<SubToken>> {
        let mut out = Vec::new();
        let mut start = None;
        let chars: Vec<char> = text.chars().collect();
        for i in 0..=chars.len() {
            let space = i == chars.len() || chars[i].is_whitespace();
            match (space, start) {
                (false, None) => start = Some(i),
                (true, Some(s)) => {
                    let word: String = chars[s..i].iter().collect();
                    let id = match word.as_str() {
                        "Per" => 1,
                        "per" => 2,
                        "Loc" => 3,
                        "Date" => 4,
                        "Anna" => 5,
                        "Amt" => 6,
                        _ => 0,
                    };
                    out.push(SubToken {
                        id,
                        start: s,
                        end: i,
                    });
                    start = None;
                }
                _ => {}
            }
        }
        Ok(out)
    }

    fn prefix(&self) -> &[i64] {
        &[CLS]
    }

    fn suffix(&self) -> &[i64] {
        &[SEP]
    }
}

/// Labels each position by its id; records the lengths of every batch it is given.
struct Recorder {
    calls: Arc<Mutex<Vec<Vec<usize>>>>,
    max_len: usize,
    delay: Duration,
    fail: bool,
    short_output: bool,
    labels: Vec<String>,
}

impl Recorder {
    fn new(calls: Arc<Mutex<Vec<Vec<usize>>>>, max_len: usize) -> Self {
        Recorder {
            calls,
            max_len,
            delay: Duration::ZERO,
            fail: false,
            short_output: false,
            labels: LABELS.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl TokenClassifier for Recorder {
    fn labels(&self) -> &[String] {
        &self.labels
    }

    fn max_len(&self) -> usize {
        self.max_len
    }

    fn classify(&mut self, batch: &[&[i64]]) -> Result<Vec<Vec<f32>>> {
        self.calls
            .lock()
            .unwrap()
            .push(batch.iter().map(|s| s.len()).collect());
        std::thread::sleep(self.delay);
        if self.fail {
            bail!("device lost");
        }
        let n = self.labels.len();
        Ok(batch
            .iter()
            .map(|seq| {
                assert!(seq.len() <= self.max_len);
                assert_eq!((seq[0], seq[seq.len() - 1]), (CLS, SEP));
                let mut out = vec![0.0f32; seq.len() * n];
                for (p, &id) in seq.iter().enumerate() {
                    let label = if id >= CLS { 0 } else { id as usize };
                    out[p * n..(p + 1) * n].fill(0.05);
                    out[p * n + label] = 0.8;
                }
                if self.short_output {
                    out.pop();
                }
                out
            })
            .collect())
    }
}

fn info() -> ModelInfo {
    ModelInfo {
        name: "recorder".into(),
        sha256: "00".into(),
    }
}

fn sentence(words: usize, seed: usize) -> String {
    let w = ["x", "Per", "per", "y", "Loc", "z", "Date"];
    (0..words)
        .map(|i| w[(i * 5 + seed) % w.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

fn corpus() -> Vec<Document> {
    vec![
        doc("a", &[sentence(3, 0), sentence(17, 1), sentence(8, 2)]),
        doc("b", &[sentence(1, 3), sentence(30, 4)]),
        doc(
            "c",
            &[
                sentence(12, 5),
                sentence(5, 6),
                sentence(9, 0),
                sentence(2, 1),
            ],
        ),
    ]
}

#[test]
fn windows_are_batched_longest_first_across_articles() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let stage = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(Recorder::new(calls.clone(), 12))],
        info(),
        EntitiesOptions {
            batch_size: 3,
            window_overlap: 4,
            ..Default::default()
        },
    )
    .unwrap();
    let mut docs = corpus();
    stage.process(&mut docs).unwrap();
    let calls = calls.lock().unwrap().clone();
    assert!(
        calls.iter().all(|c| !c.is_empty() && c.len() <= 3),
        "{calls:?}"
    );
    let lengths: Vec<usize> = calls.iter().flatten().copied().collect();
    assert!(
        lengths.windows(2).all(|w| w[0] >= w[1]),
        "not sorted longest first: {lengths:?}"
    );
    // 6 sentences fit one window each; 12 words → 2 windows of 10, 17 → 3, 30 → 5.
    assert_eq!(lengths.len(), 6 + 2 + 3 + 5, "{lengths:?}");
    // Sorted batches waste little on padding: only the batches that straddle two lengths pad.
    let padding: usize = calls
        .iter()
        .map(|c| c.iter().max().unwrap() * c.len() - c.iter().sum::<usize>())
        .sum();
    assert!(padding <= 20, "padding {padding} in {calls:?}");
}

/// What each document gets, decoded from the stand-in's labels, is the same whether the
/// documents run together or one by one, with one worker or a pool of three.
#[test]
fn results_do_not_depend_on_batching_or_workers() {
    let stage = |workers: usize, batch_size: usize| {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let classifiers: Vec<Box<dyn TokenClassifier>> = (0..workers)
            .map(|_| {
                let mut r = Recorder::new(calls.clone(), 12);
                r.delay = Duration::from_millis(2);
                Box::new(r) as Box<dyn TokenClassifier>
            })
            .collect();
        let s = EntitiesStage::from_parts(
            Box::new(WordTokenizer),
            classifiers,
            info(),
            EntitiesOptions {
                batch_size,
                window_overlap: 4,
                ..Default::default()
            },
        )
        .unwrap();
        (s, calls)
    };
    let (one, _) = stage(1, 1);
    let (pool, pool_calls) = stage(3, 2);
    let mut together = corpus();
    pool.process(&mut together).unwrap();
    assert!(pool_calls.lock().unwrap().len() >= 8);
    for (i, mut alone) in corpus().into_iter().enumerate() {
        let counts = one.process(std::slice::from_mut(&mut alone)).unwrap();
        assert_eq!(together[i].entities, alone.entities, "document {i}");
        assert_eq!(together[i].entity_summary, alone.entity_summary);
        assert!(counts[0]["dropped"].as_u64().unwrap() > 0);
        assert!(!alone.entities.is_empty());
        for e in &alone.entities {
            assert!(["PER", "LOC"].contains(&e.label.as_str()));
            assert!((e.score - 0.8).abs() < 1e-6);
        }
    }
}

#[test]
fn a_failing_model_fails_the_batch() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut bad = Recorder::new(calls.clone(), 12);
    bad.fail = true;
    let stage = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(bad)],
        info(),
        EntitiesOptions::default(),
    )
    .unwrap();
    let mut docs = corpus();
    let err = stage.process(&mut docs).unwrap_err();
    assert!(format!("{err:#}").contains("device lost"), "{err:#}");

    let mut short = Recorder::new(calls, 12);
    short.short_output = true;
    let stage = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(short)],
        info(),
        EntitiesOptions::default(),
    )
    .unwrap();
    let err = stage.process(&mut docs).unwrap_err();
    assert!(format!("{err:#}").contains("values for"), "{err:#}");
}

#[test]
fn sentences_outside_the_text_are_an_error() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let stage = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(Recorder::new(calls, 12))],
        info(),
        EntitiesOptions::default(),
    )
    .unwrap();
    let mut d = doc("bad", &[sentence(4, 0)]);
    d.sentences[0].end += 5;
    let err = stage.process(std::slice::from_mut(&mut d)).unwrap_err();
    assert!(err.to_string().contains("outside the text"), "{err}");
}

#[test]
fn inconsistent_parts_are_refused() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let mut other = Recorder::new(calls.clone(), 12);
    other.labels.pop();
    let err = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(Recorder::new(calls.clone(), 12)), Box::new(other)],
        info(),
        EntitiesOptions::default(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("label sets"), "{err}");
    let err = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(Recorder::new(calls, 2))],
        info(),
        EntitiesOptions::default(),
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("no room"), "{err}");
}

/// Gives each word id a fixed row of IOB2 probabilities (`O B-PER I-PER B-ORG I-ORG`).
struct Rows(Vec<String>);

impl TokenClassifier for Rows {
    fn labels(&self) -> &[String] {
        &self.0
    }

    fn max_len(&self) -> usize {
        64
    }

    fn classify(&mut self, batch: &[&[i64]]) -> Result<Vec<Vec<f32>>> {
        Ok(batch
            .iter()
            .map(|seq| {
                seq.iter()
                    .flat_map(|&id| match id {
                        // "Anna": a first name.
                        5 => [0.04, 0.9, 0.03, 0.02, 0.01],
                        // "Amt": most likely I-ORG, a close second I-PER, hardly B-ORG.
                        6 => [0.1, 0.05, 0.35, 0.05, 0.45],
                        _ => [0.96, 0.01, 0.01, 0.01, 0.01],
                    })
                    .collect()
            })
            .collect())
    }
}

fn decoded(decoding: Decoding, text: &str) -> Vec<(String, String, f64)> {
    let labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG"];
    let stage = EntitiesStage::from_parts(
        Box::new(WordTokenizer),
        vec![Box::new(Rows(
            labels.iter().map(|s| s.to_string()).collect(),
        ))],
        info(),
        EntitiesOptions {
            decoding: Some(decoding),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(stage.decoding(), decoding);
    let mut d = doc("a", &[text.to_string()]);
    stage.process(std::slice::from_mut(&mut d)).unwrap();
    d.entities
        .iter()
        .map(|e| (e.text.clone(), e.label.clone(), e.score))
        .collect()
}

#[test]
fn constrained_decoding_repairs_what_argmax_reads_as_stray_inside_tags() {
    // Argmax: B-PER I-ORG, read as a person and then an organisation.
    let argmax = decoded(Decoding::Argmax, "Anna Amt");
    let names: Vec<(&str, &str)> = argmax
        .iter()
        .map(|(t, l, _)| (t.as_str(), l.as_str()))
        .collect();
    assert_eq!(names, [("Anna", "PER"), ("Amt", "ORG")]);
    // Constrained: B-PER I-PER (0.9 x 0.35) beats B-PER B-ORG, B-PER O and B-ORG I-ORG; the
    // score is the mean probability of the tags taken.
    let constrained = decoded(Decoding::Iob2Constrained, "Anna Amt");
    assert_eq!(constrained.len(), 1, "{constrained:?}");
    assert_eq!(
        (constrained[0].0.as_str(), constrained[0].1.as_str()),
        ("Anna Amt", "PER")
    );
    assert!((constrained[0].2 - 0.625).abs() < 1e-6, "{constrained:?}");
    // At the start of a sentence I-ORG cannot open an entity; O (0.1) beats B-ORG (0.05).
    assert_eq!(decoded(Decoding::Argmax, "Amt x").len(), 1);
    assert!(decoded(Decoding::Iob2Constrained, "Amt x").is_empty());
}

/// Words and single punctuation chars as tokens (as a subword tokenizer cuts "Süd-" and a
/// URL); "Loc" is a location wherever it stands.
struct PieceTokenizer;

impl SubwordTokenizer for PieceTokenizer {
    fn tokenize(&self, text: &str) -> Result<Vec<SubToken>> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if chars[i].is_whitespace() {
                i += 1;
                continue;
            }
            let s = i;
            if chars[i].is_alphanumeric() {
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
            } else {
                i += 1;
            }
            let word: String = chars[s..i].iter().collect();
            out.push(SubToken {
                id: if word == "Loc" { 3 } else { 0 },
                start: s,
                end: i,
            });
        }
        Ok(out)
    }

    fn prefix(&self) -> &[i64] {
        &[CLS]
    }

    fn suffix(&self) -> &[i64] {
        &[SEP]
    }
}

#[test]
fn names_in_links_are_dropped_and_elliptical_compounds_keep_their_hyphen() {
    let calls = Arc::new(Mutex::new(Vec::new()));
    let stage = EntitiesStage::from_parts(
        Box::new(PieceTokenizer),
        vec![Box::new(Recorder::new(calls, 64))],
        info(),
        EntitiesOptions::default(),
    )
    .unwrap();
    let mut d = doc(
        "a",
        &[
            "Loc- und Nordkorea verhandeln in Loc.",
            "Quelle: https://www.Loc.com/world/Loc.html und Loc.de/Loc, Mail an presse@Loc.de.",
        ],
    );
    stage.process(std::slice::from_mut(&mut d)).unwrap();
    let got: Vec<(&str, &str, usize)> = d
        .entities
        .iter()
        .map(|e| (e.text.as_str(), e.canonical.as_str(), e.sentence))
        .collect();
    // Every "Loc" of the second sentence is inside a link or an address.
    assert_eq!(got, [("Loc-", "Lockorea", 0), ("Loc", "Loc", 0)]);
    let text: Vec<char> = d.text.chars().collect();
    let first = &d.entities[0];
    assert_eq!(
        text[first.start..first.end].iter().collect::<String>(),
        "Loc-"
    );
    let summary: Vec<&str> = d
        .entity_summary
        .iter()
        .map(|s| s.canonical.as_str())
        .collect();
    assert_eq!(summary, ["Lockorea", "Loc"]);
}
