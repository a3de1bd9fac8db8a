//! Thread arrangements of the entities stage, measured on this machine.
//!
//! `cargo bench --bench entities` builds a random model with the shape of the default NER
//! model (multilingual-e5-small: a 12-layer, 384-wide BERT) — or loads the model folder in
//! `NEWSEXTRACT_BENCH_MODEL` — runs the seed articles (`seeds/*.txt`) through the stage in
//! each arrangement and prints wall times, throughput and speed-ups over one model on one
//! thread:
//!
//! - `1 model x N threads`: one model, libtorch intra-op threads on all cores;
//! - `1 model x 1 thread`: the single-thread baseline (the stage's default);
//! - `pool of N x 1 thread`: N models lent to N threads, each on one intra-op thread;
//! - `N stages x 1 thread`: one model per worker, articles split between the workers (what
//!   a pipeline that runs one stage per rayon worker would do).
//!
//! `NEWSEXTRACT_BENCH_RUNS` sets the timed runs per arrangement (default 3; the median is
//! reported). Prints, does not assert: the numbers go to `docs/entities.md`.

// The test helpers that write tiny NER models (`tests/support/`; `ner_model` finds
// `seeded_weights` beside it).
#[allow(dead_code)]
#[path = "../tests/support/ner_model.rs"]
mod ner_model;
#[allow(dead_code)]
#[path = "../tests/support/seeded_weights.rs"]
mod seeded_weights;

use std::path::{Path, PathBuf};
use std::time::Instant;

use ner_model::{write_model, Arch, Spec, CONLL};
use newsextract::document::{Document, Source, Span};
use newsextract::stage::Stage;
use newsextract::stages::entities::{EntitiesOptions, EntitiesStage};

fn split_sentences(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 0..chars.len() {
        let end_here = chars[i] == '\n'
            || (matches!(chars[i], '.' | '!' | '?')
                && chars.get(i + 1).is_some_and(|c| c.is_whitespace()));
        if end_here || i + 1 == chars.len() {
            let end = if chars[i] == '\n' { i } else { i + 1 };
            if chars[start..end].iter().any(|c| !c.is_whitespace()) {
                out.push((start, end));
            }
            start = i + 1;
        }
    }
    out
}

fn seed_docs(dir: &Path) -> Vec<Document> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            let mut d = Document::new(
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                Source {
                    path: p.display().to_string(),
                    line: None,
                    sha256: String::new(),
                    encoding: "utf-8".into(),
                },
                None,
                text.clone(),
            );
            let chars: Vec<char> = text.chars().collect();
            d.sentences = split_sentences(&text)
                .into_iter()
                .map(|(s, e)| Span {
                    start: s,
                    end: e,
                    text: chars[s..e].iter().collect(),
                })
                .collect();
            d
        })
        .collect()
}

fn e5_small_shaped(dir: &Path, docs: &[Document]) {
    let mut words: Vec<&str> = docs
        .iter()
        .flat_map(|d| d.text.split(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect();
    words.sort();
    words.dedup();
    let mut spec = Spec::random(Arch::Bert, &CONLL, &words);
    spec.hidden = 384;
    spec.heads = 12;
    spec.layers = 12;
    spec.intermediate = 1536;
    spec.max_positions = 512;
    write_model(dir, &spec);
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    xs[xs.len() / 2]
}

/// Runs `f` once to warm up, then `runs` times; the median seconds.
fn time(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let docs = seed_docs(&root.join("seeds"));
    let tmp = tempfile::tempdir().unwrap();
    let model_dir = match std::env::var_os("NEWSEXTRACT_BENCH_MODEL") {
        Some(dir) => PathBuf::from(dir),
        None => {
            e5_small_shaped(tmp.path(), &docs);
            tmp.path().to_path_buf()
        }
    };
    let runs: usize = std::env::var("NEWSEXTRACT_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let chars: usize = docs.iter().map(|d| d.text.chars().count()).sum();

    let load = |workers: usize, threads: i32| {
        EntitiesStage::load(
            &model_dir,
            EntitiesOptions {
                workers,
                intra_op_threads: Some(threads),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let tokens: usize = {
        let stage = load(1, cores as i32);
        docs.iter()
            .flat_map(|d| d.sentences.iter())
            .map(|s| stage.label_tokens(&s.text).unwrap().len())
            .sum()
    };
    println!(
        "entities bench: model {}, {} articles, {sentences} sentences, {tokens} subword tokens, {chars} chars; {cores} cores; median of {runs} runs",
        model_dir.display(),
        docs.len()
    );

    let mut results: Vec<(String, f64)> = Vec::new();
    let mut report = |name: String, secs: f64| {
        eprintln!("  timed {name}: {secs:.3} s");
        results.push((name, secs));
    };
    let all_docs = |stage: &EntitiesStage| {
        let mut batch = docs.clone();
        stage.process(&mut batch).unwrap();
    };
    {
        let stage = load(1, cores as i32);
        report(
            format!("1 model x {cores} threads"),
            time(runs, || all_docs(&stage)),
        );
    }
    {
        let stage = load(1, 1);
        report("1 model x 1 thread".into(), time(runs, || all_docs(&stage)));
    }
    if cores > 1 {
        let stage = load(cores, 1);
        report(
            format!("pool of {cores} x 1 thread"),
            time(runs, || all_docs(&stage)),
        );

        let stages: Vec<EntitiesStage> = (0..cores).map(|_| load(1, 1)).collect();
        report(
            format!("{cores} stages x 1 thread"),
            time(runs, || {
                let mut batch = docs.clone();
                let per = batch.len().div_ceil(cores);
                std::thread::scope(|s| {
                    for (stage, part) in stages.iter().zip(batch.chunks_mut(per)) {
                        s.spawn(move || stage.process(part).unwrap());
                    }
                });
            }),
        );
    }
    let base = results[1].1;
    println!(
        "{:<26} {:>9} {:>12} {:>10}",
        "arrangement", "seconds", "tokens/s", "vs 1x1"
    );
    for (name, secs) in &results {
        println!(
            "{name:<26} {secs:>9.3} {:>12.0} {:>9.2}x",
            tokens as f64 / secs,
            base / secs
        );
    }
}
