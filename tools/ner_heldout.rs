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
//! so sentence splitting plays no part. Sentences of sets that do not annotate MISC
//! (`"misc_known": false`, `training/prepare_extra.py`) are scored on PER/ORG/LOC only.
//!
//! With `--documents`, `--data` is a folder of whole articles annotated inline
//! (`⟦surface|LABEL⟧`, `tests/data/entities/dev/README.md`): each file is segmented and labelled
//! as `newsextract run` does, so the rules that read the article (datelines, the label vote)
//! take part. `--without RULE` switches one rule off to measure it.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use newsextract::document::{Document, Source, Span};
use newsextract::precision::Precision;
use newsextract::stage::Stage;
use newsextract::stages::entities::{ContextRules, Decoding, EntitiesOptions, EntitiesStage};
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
    /// `--data` is a folder of inline-annotated articles (`*.ann`), scored as whole documents.
    #[arg(long)]
    documents: bool,
    /// Score without one of the rules around the model (repeatable).
    #[arg(long, value_enum)]
    without: Vec<RuleArg>,
    /// Score with a rule that is off by default (repeatable).
    #[arg(long, value_enum)]
    with: Vec<RuleArg>,
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum RuleArg {
    RecaseCaps,
    AmountUnits,
    Boundaries,
    LabelVote,
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
    #[serde(default = "known")]
    misc_known: bool,
}

fn known() -> bool {
    true
}

/// Gold or predicted spans: (char start, char end, label).
type Spans = HashSet<(usize, usize, String)>;

/// One scored unit: a document (a sentence, or a whole article) and its gold spans.
struct Item {
    text: String,
    sentences: Vec<(usize, usize)>,
    gold: HashSet<(usize, usize, String)>,
    misc_known: bool,
}

/// Plain text and gold spans of an article annotated inline as `⟦surface|LABEL⟧`.
fn parse_annotated(ann: &str) -> Result<(String, Spans)> {
    let mut text = String::new();
    let mut gold = HashSet::new();
    let mut rest = ann;
    let mut n = 0;
    while let Some(open) = rest.find('⟦') {
        text.push_str(&rest[..open]);
        n += rest[..open].chars().count();
        let after = &rest[open + '⟦'.len_utf8()..];
        let close = after.find('⟧').context("a ⟦ without ⟧")?;
        let (surface, label) = after[..close]
            .rsplit_once('|')
            .context("a marker without |")?;
        if !TYPES.contains(&label) {
            bail!("unknown label {label}");
        }
        let len = surface.chars().count();
        gold.insert((n, n + len, label.to_string()));
        text.push_str(surface);
        n += len;
        rest = &after[close + '⟧'.len_utf8()..];
    }
    text.push_str(rest);
    Ok((text, gold))
}

fn read_items(args: &Args) -> Result<Vec<Item>> {
    if args.documents {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&args.data)
            .with_context(|| format!("cannot read {}", args.data.display()))?
            .map(|e| e.map(|e| e.path()))
            .collect::<std::io::Result<_>>()?;
        paths.retain(|p| p.extension().is_some_and(|e| e == "ann"));
        paths.sort();
        return paths
            .iter()
            .map(|p| {
                let raw = std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read {}", p.display()))?;
                let (text, gold) =
                    parse_annotated(&raw).with_context(|| format!("{}", p.display()))?;
                Ok(Item {
                    sentences: newsextract::stages::segment::split_sentences(&text),
                    text,
                    gold,
                    misc_known: true,
                })
            })
            .collect();
    }
    let raw = std::fs::read_to_string(&args.data)
        .with_context(|| format!("cannot read {}", args.data.display()))?;
    raw.lines()
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
            Ok(Item {
                gold: gold_spans(&s),
                sentences: vec![(0, s.text.chars().count())],
                misc_known: s.misc_known,
                text: s.text,
            })
        })
        .collect()
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

fn document(i: usize, item: &Item) -> Document {
    let text = &item.text;
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
    let chars: Vec<char> = text.chars().collect();
    for &(start, end) in &item.sentences {
        d.sentences.push(Span {
            start,
            end,
            text: chars[start..end].iter().collect(),
        });
    }
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
    let sentences = read_items(&args)?;
    let defaults = ContextRules::default();
    let pick = |r: RuleArg, default: bool| {
        (default || args.with.contains(&r)) && !args.without.contains(&r)
    };
    let options = EntitiesOptions {
        decoding: args.decoding.map(|d| match d {
            DecodingArg::Argmax => Decoding::Argmax,
            DecodingArg::Iob2Constrained => Decoding::Iob2Constrained,
        }),
        surface_rules: !args.no_surface_rules,
        precision: args.precision,
        context_rules: ContextRules {
            recase_caps: pick(RuleArg::RecaseCaps, defaults.recase_caps),
            amount_units: pick(RuleArg::AmountUnits, defaults.amount_units),
            boundaries: pick(RuleArg::Boundaries, defaults.boundaries),
            label_vote: pick(RuleArg::LabelVote, defaults.label_vote),
        },
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
            .map(|(i, s)| document(b * args.batch + i, s))
            .collect();
        stage.process(&mut docs)?;
        for (s, d) in chunk.iter().zip(&docs) {
            // Sets that do not annotate MISC are scored on the other three types.
            let scored = |kind: &str| s.misc_known || kind != "MISC";
            let gold: HashSet<(usize, usize, String)> =
                s.gold.iter().filter(|g| scored(&g.2)).cloned().collect();
            for (_, _, kind) in &gold {
                if let Some(c) = counts.get_mut(kind.as_str()) {
                    c[2] += 1;
                }
            }
            let predicted: HashSet<(usize, usize, String)> = d
                .entities
                .iter()
                .filter(|e| scored(&e.label))
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
                    "text": if args.documents { d.id.clone() } else { s.text.clone() },
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
