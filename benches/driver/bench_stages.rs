//! newsextract's side of the peer benchmarks (`benches/run.py` runs it next to the Python
//! peers and prints the ratios). Each subcommand loads what it needs, times only the work
//! (model loading is reported apart) and prints one JSON line.
//!
//! ```text
//! bench_stages ner --model DIR --sentences FILE [--workers W] [--intra-op-threads T]
//!     [--precision f32|bf16]
//! bench_stages translate --model DIR --sentences FILE --beam B --length L [--batch-size N]
//!     [--workers W] [--intra-op-threads T] [--precision f32|bf16]
//! bench_stages rules --seeds DIR [--megabytes M]
//! ```
//!
//! - `ner`: every line of FILE as a one-sentence article through the entities stage, in
//!   batches of 64 articles as `newsextract run` makes them.
//! - `translate`: every line of FILE through the translation stage (empty cache), with beam
//!   size B and exactly L output tokens (minimum and maximum length both L), on W models
//!   (default 1) of T libtorch threads each (default: the cores divided among them).
//! - `rules`: sentence segmentation and claims extraction, on one thread, over the seed
//!   articles repeated to M megabytes (default 4): MB/s per core.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};
use newsextract::document::{Document, Source, Span};
use newsextract::stage::Stage;
use newsextract::stages::claims::extract_claims;
use newsextract::stages::entities::{EntitiesOptions, EntitiesStage};
use newsextract::stages::segment::split_sentences;
use newsextract::stages::translate::{Precision, TranslateOptions, TranslateStage};
use serde_json::json;

const ARTICLES_PER_BATCH: usize = 64;

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Ner {
        #[arg(long)]
        model: PathBuf,
        #[arg(long)]
        sentences: PathBuf,
        #[arg(long, default_value_t = EntitiesOptions::default().workers)]
        workers: usize,
        #[arg(long, default_value_t = 1)]
        intra_op_threads: i32,
        #[arg(long, default_value = "f32")]
        precision: Precision,
    },
    Translate {
        #[arg(long)]
        model: PathBuf,
        #[arg(long)]
        sentences: PathBuf,
        #[arg(long)]
        beam: usize,
        #[arg(long)]
        length: usize,
        #[arg(long, default_value_t = 16)]
        batch_size: usize,
        #[arg(long, default_value_t = 1)]
        workers: usize,
        #[arg(long, default_value_t = 0)]
        intra_op_threads: usize,
        #[arg(long, default_value = "f32")]
        precision: Precision,
    },
    Rules {
        #[arg(long)]
        seeds: PathBuf,
        #[arg(long, default_value_t = 4.0)]
        megabytes: f64,
    },
}

fn main() -> Result<()> {
    let line = match Cli::parse().command {
        Command::Ner {
            model,
            sentences,
            workers,
            intra_op_threads,
            precision,
        } => ner(&model, &sentences, workers, intra_op_threads, precision)?,
        Command::Translate {
            model,
            sentences,
            beam,
            length,
            batch_size,
            workers,
            intra_op_threads,
            precision,
        } => {
            // The stage's lengths mean what rust-bert's do: they count the decoder start
            // token, and the end token is forced at the last position. On libtorch length + 1
            // gives `length` tokens as transformers counts them; the CTranslate2 backend maps
            // the limits to CTranslate2's (at most max - 2 text tokens, the end token no
            // earlier than min - 1), so length + 2 and length + 1 make it generate exactly
            // `length` tokens, as the CTranslate2 peer is asked to.
            let ctranslate2 = newsextract::models::is_ctranslate2_folder(&model);
            let options = TranslateOptions {
                beam_size: beam,
                max_length: length + if ctranslate2 { 2 } else { 1 },
                min_length: length + 1,
                batch_size,
                source_language: Some("de".into()),
                precision,
                workers,
                intra_op_threads,
            };
            translate(&model, &sentences, options)?
        }
        Command::Rules { seeds, megabytes } => rules(&seeds, megabytes)?,
    };
    println!("{line}");
    Ok(())
}

fn read_sentences(path: &Path) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

fn one_sentence_article(n: usize, text: &str) -> Document {
    let mut doc = Document::new(
        format!("s{n}"),
        Source {
            path: String::new(),
            line: None,
            sha256: String::new(),
            encoding: "utf-8".into(),
        },
        None,
        text.to_owned(),
    );
    doc.sentences = vec![Span {
        start: 0,
        end: text.chars().count(),
        text: text.to_owned(),
    }];
    doc
}

fn ner(
    model: &Path,
    sentences: &Path,
    workers: usize,
    threads: i32,
    precision: Precision,
) -> Result<String> {
    let sentences = read_sentences(sentences)?;
    let options = EntitiesOptions {
        workers,
        intra_op_threads: Some(threads),
        precision,
        ..EntitiesOptions::default()
    };
    let t = Instant::now();
    let stage = EntitiesStage::load(model, options)?;
    let load = t.elapsed().as_secs_f64();
    let mut docs: Vec<Document> = sentences
        .iter()
        .enumerate()
        .map(|(n, s)| one_sentence_article(n, s))
        .collect();
    // One warm-up batch, as the peer has.
    stage.process(&mut docs[..8.min(sentences.len())].to_vec())?;
    let t = Instant::now();
    for batch in docs.chunks_mut(ARTICLES_PER_BATCH) {
        stage.process(batch)?;
    }
    let seconds = t.elapsed().as_secs_f64();
    let entities: usize = docs.iter().map(|d| d.entities.len()).sum();
    Ok(json!({
        "engine": "newsextract",
        "precision": precision.as_str(),
        "workers": workers,
        "intra_op_threads": threads,
        "sentences": sentences.len(),
        "seconds": seconds,
        "load_seconds": load,
        "entities": entities,
    })
    .to_string())
}

fn translate(model: &Path, sentences: &Path, options: TranslateOptions) -> Result<String> {
    let sentences = read_sentences(sentences)?;
    let (workers, threads, precision, batch_size) = (
        options.worker_count(),
        options.threads_per_worker(),
        options.precision,
        options.batch_size,
    );
    let cache = tempfile::tempdir()?;
    let t = Instant::now();
    let stage = TranslateStage::load(model, options, cache.path())?;
    let load = t.elapsed().as_secs_f64();
    // Warm up every model (a batch each) on sentences that are not in the input, so the
    // cache cannot answer later.
    let warm_up: Vec<String> = (0..workers * batch_size)
        .map(|i| format!("Satz {i} zum Aufwärmen."))
        .collect();
    stage.translate_sentences(&warm_up.iter().map(String::as_str).collect::<Vec<_>>())?;
    let texts: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let t = Instant::now();
    let out = stage.translate_sentences(&texts)?;
    let seconds = t.elapsed().as_secs_f64();
    anyhow::ensure!(out.len() == texts.len(), "a translation per sentence");
    Ok(json!({
        "engine": "newsextract",
        "workers": workers,
        "threads": threads,
        "precision": precision.as_str(),
        "sentences": sentences.len(),
        "seconds": seconds,
        "load_seconds": load,
    })
    .to_string())
}

fn rules(dir: &Path, megabytes: f64) -> Result<String> {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    names.retain(|p| p.extension().is_some_and(|e| e == "txt"));
    names.sort();
    let mut one = String::new();
    for p in &names {
        one.push_str(&std::fs::read_to_string(p)?);
        one.push('\n');
    }
    anyhow::ensure!(
        !one.trim().is_empty(),
        "no .txt articles in {}",
        dir.display()
    );
    let target = (megabytes * 1e6) as usize;
    let text = one.repeat(target / one.len() + 1);
    let mb = text.len() as f64 / 1e6;

    let t = Instant::now();
    let sentences = split_sentences(&text);
    let segment = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let claims = extract_claims(&text, &sentences, "de");
    let claims_seconds = t.elapsed().as_secs_f64();
    Ok(json!({
        "engine": "newsextract",
        "megabytes": mb,
        "sentences": sentences.len(),
        "claims": claims.len(),
        "segment_mb_per_s": mb / segment,
        "claims_mb_per_s": mb / claims_seconds,
    })
    .to_string())
}
