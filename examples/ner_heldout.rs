//! Span-level exact-match F1 of the entities stage, as the pipeline runs it, on word-tagged
//! sentences (the JSONL `training/prepare_data.py` writes: `text`, `words`, `starts` (char
//! offsets of the words in `text`), IOB2 `tags` over PER/ORG/LOC/MISC).
//!
//!     cargo run --release --example ner_heldout -- \
//!         --model models/ner-de-e5small --data .deps/ner-cache/heldout.jsonl [--decoding argmax]
//!
//! `training/evaluate.py` scores the same model with Python `transformers` on GermEval's own
//! words; this scores what a user gets: rust-bert's forward, this crate's tokenisation, word
//! merging and decoding, and char spans (a predicted span counts only if it starts and ends
//! exactly where a gold entity's words do). Each sentence is one document of one sentence,
//! so sentence splitting plays no part.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use newsextract::document::{Document, Source, Span};
use newsextract::entities::{Decoding, EntitiesOptions, EntitiesStage};
use newsextract::precision::Precision;
use newsextract::stage::Stage;
use serde::Deserialize;

const TYPES: [&str; 4] = ["PER", "ORG", "LOC", "MISC"];

#[derive(Parser)]
struct Args {
    /// Model folder (config.json, weights, tokenizer).
    #[arg(long)]
    model: PathBuf,
    /// JSONL of tagged sentences.
    #[arg(long)]
    data: PathBuf,
    /// Decoding; default: what the model folder declares.
    #[arg(long, value_enum)]
    decoding: Option<DecodingArg>,
    /// Write the sentences with a missed or spurious span here (JSONL), for error analysis.
    #[arg(long)]
    errors: Option<PathBuf>,
    /// Articles (here: sentences) per stage call.
    #[arg(long, default_value_t = 64)]
    batch: usize,
    /// Score without the rules on a span's surroundings (links, elliptical compounds,
    /// connectors), to measure them.
    #[arg(long)]
    no_surface_rules: bool,
    /// Number format of the model (f32 or bf16).
    #[arg(long, default_value = "f32")]
    precision: Precision,
}

#[derive(Clone, Copy, ValueEnum)]
enum DecodingArg {
    Argmax,
    Iob2Constrained,
}

#[derive(Deserialize)]
struct Tagged {
    text: String,
    words: Vec<String>,
    starts: Vec<usize>,
    tags: Vec<String>,
}

/// (char start, char end, type) of the IOB2 spans; a stray `I-` opens a span (conlleval).
fn gold_spans(s: &Tagged) -> HashSet<(usize, usize, String)> {
    let mut out = HashSet::new();
    let mut open: Option<(usize, usize, &str)> = None;
    for (i, tag) in s.tags.iter().enumerate() {
        let end = s.starts[i] + s.words[i].chars().count();
        let (pos, kind) = tag.split_at(tag.len().min(2));
        match (pos, &mut open) {
            ("I-", Some((_, last, k))) if *k == kind => *last = end,
            _ => {
                if let Some((a, b, k)) = open.take() {
                    out.insert((a, b, k.to_string()));
                }
                if tag != "O" {
                    open = Some((s.starts[i], end, kind));
                }
            }
        }
    }
    if let Some((a, b, k)) = open {
        out.insert((a, b, k.to_string()));
    }
    out
}

fn document(i: usize, text: &str) -> Document {
    let mut d = Document::new(
        format!("s{i}"),
        Source {
            path: String::new(),
            line: Some(i + 1),
            sha256: String::new(),
            encoding: "utf-8".into(),
        },
        None,
        text.to_string(),
    );
    d.sentences.push(Span {
        start: 0,
        end: text.chars().count(),
        text: text.to_string(),
    });
    d
}

fn prf(tp: usize, predicted: usize, gold: usize) -> serde_json::Value {
    let p = if predicted > 0 {
        tp as f64 / predicted as f64
    } else {
        0.0
    };
    let r = if gold > 0 {
        tp as f64 / gold as f64
    } else {
        0.0
    };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    let round = |x: f64| (x * 1e4).round() / 1e4;
    serde_json::json!({"precision": round(p), "recall": round(r), "f1": round(f), "support": gold})
}

fn main() {
    if let Err(e) = run(Args::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn run(args: Args) -> Result<()> {
    let raw = std::fs::read_to_string(&args.data)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    let sentences: Vec<Tagged> = raw
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            let s: Tagged = serde_json::from_str(l).with_context(|| {
                format!("{}:{}: not a tagged sentence", args.data.display(), n + 1)
            })?;
            if s.words.len() != s.tags.len() || s.words.len() != s.starts.len() {
                bail!(
                    "{}:{}: words, starts and tags differ in length",
                    args.data.display(),
                    n + 1
                );
            }
            Ok(s)
        })
        .collect::<Result<_>>()?;
    let options = EntitiesOptions {
        decoding: args.decoding.map(|d| match d {
            DecodingArg::Argmax => Decoding::Argmax,
            DecodingArg::Iob2Constrained => Decoding::Iob2Constrained,
        }),
        surface_rules: !args.no_surface_rules,
        precision: args.precision,
        ..Default::default()
    };
    let stage = EntitiesStage::load(&args.model, options)?;

    // tp, predicted, gold per type
    let mut counts: BTreeMap<&str, [usize; 3]> = TYPES.iter().map(|&t| (t, [0; 3])).collect();
    let mut errors = Vec::new();
    let started = Instant::now();
    for (b, chunk) in sentences.chunks(args.batch.max(1)).enumerate() {
        let mut docs: Vec<Document> = chunk
            .iter()
            .enumerate()
            .map(|(i, s)| document(b * args.batch + i, &s.text))
            .collect();
        stage.process(&mut docs)?;
        for (s, d) in chunk.iter().zip(&docs) {
            let gold = gold_spans(s);
            for (_, _, kind) in &gold {
                if let Some(c) = counts.get_mut(kind.as_str()) {
                    c[2] += 1;
                }
            }
            let predicted: HashSet<(usize, usize, String)> = d
                .entities
                .iter()
                .map(|e| (e.start, e.end, e.label.clone()))
                .collect();
            for span in &predicted {
                if let Some(c) = counts.get_mut(span.2.as_str()) {
                    c[1] += 1;
                    if gold.contains(span) {
                        c[0] += 1;
                    }
                }
            }
            if args.errors.is_some() && gold != predicted {
                let chars: Vec<char> = s.text.chars().collect();
                let listed = |a: &HashSet<(usize, usize, String)>,
                              b: &HashSet<(usize, usize, String)>| {
                    let mut v: Vec<_> = a.difference(b).collect();
                    v.sort();
                    v.into_iter()
                        .map(|(x, y, k)| {
                            serde_json::json!([x, y, k, chars[*x..*y].iter().collect::<String>()])
                        })
                        .collect::<Vec<_>>()
                };
                errors.push(serde_json::json!({
                    "text": s.text,
                    "missed": listed(&gold, &predicted),
                    "spurious": listed(&predicted, &gold),
                }));
            }
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    if let Some(path) = &args.errors {
        let lines: String = errors.iter().map(|e| format!("{e}\n")).collect();
        std::fs::write(path, lines).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let mut out = serde_json::Map::new();
    let mut total = [0usize; 3];
    for (kind, c) in &counts {
        out.insert(kind.to_string(), prf(c[0], c[1], c[2]));
        for k in 0..3 {
            total[k] += c[k];
        }
    }
    out.insert("micro".into(), prf(total[0], total[1], total[2]));
    out.insert("sentences".into(), sentences.len().into());
    out.insert(
        "decoding".into(),
        serde_json::to_value(stage.decoding()).expect("serialises"),
    );
    out.insert(
        "speed".into(),
        serde_json::json!({
            "sentences_per_s": (sentences.len() as f64 / seconds * 10.0).round() / 10.0,
            "seconds": (seconds * 10.0).round() / 10.0,
            "precision": args.precision.as_str(),
            "note": "entities stage only (tokenisation, forward, decoding), default options: one model, one libtorch thread"
        }),
    );
    println!("{}", serde_json::to_string_pretty(&out)?);
    Ok(())
}
