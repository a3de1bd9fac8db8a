//! newsextract's side of the peer benchmarks (`benches/run.py` runs it next to the Python
//! peers and prints the ratios). Each subcommand loads what it needs, times only the work
//! (model loading is reported apart) and prints one JSON line.
//!
//! ```text
//! bench_stages ner --model DIR --sentences FILE [--workers W] [--intra-op-threads T]
//! bench_stages translate --model DIR --sentences FILE --beam B --length L [--batch-size N]
//! bench_stages rules --seeds DIR [--megabytes M]
//! ```
//!
//! - `ner`: every line of FILE as a one-sentence article through the entities stage, in
//!   batches of 64 articles as `newsextract run` makes them.
//! - `translate`: every line of FILE through the translation stage (empty cache), with beam
//!   size B and exactly L output tokens (minimum and maximum length both L).
//! - `rules`: sentence segmentation and claims extraction, on one thread, over the seed
//!   articles repeated to M megabytes (default 4): MB/s per core.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use newsextract::claims::extract_claims;
use newsextract::document::{Document, Source, Span};
use newsextract::entities::{EntitiesOptions, EntitiesStage};
use newsextract::segment::split_sentences;
use newsextract::stage::Stage;
use newsextract::translate::{TranslateOptions, TranslateStage};
use serde_json::json;

const ARTICLES_PER_BATCH: usize = 64;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args
        .next()
        .context("a subcommand: ner, translate or rules")?;
    let flags = Flags::parse(args)?;
    let line = match command.as_str() {
        "ner" => ner(&flags)?,
        "translate" => translate(&flags)?,
        "rules" => rules(&flags)?,
        other => bail!("unknown subcommand {other:?}"),
    };
    println!("{line}");
    Ok(())
}

struct Flags(Vec<(String, String)>);

impl Flags {
    fn parse(args: impl Iterator<Item = String>) -> Result<Flags> {
        let args: Vec<String> = args.collect();
        let mut pairs = Vec::new();
        for pair in args.chunks(2) {
            match pair {
                [k, v] if k.starts_with("--") => pairs.push((k[2..].to_owned(), v.clone())),
                _ => bail!("expected --flag value pairs, got {pair:?}"),
            }
        }
        Ok(Flags(pairs))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn path(&self, name: &str) -> Result<PathBuf> {
        Ok(PathBuf::from(
            self.get(name)
                .with_context(|| format!("--{name} is needed"))?,
        ))
    }

    fn number<T: std::str::FromStr>(&self, name: &str, default: Option<T>) -> Result<T> {
        match (self.get(name), default) {
            (Some(v), _) => v
                .parse()
                .map_err(|_| anyhow::anyhow!("--{name} {v:?} is not a number")),
            (None, Some(d)) => Ok(d),
            (None, None) => bail!("--{name} is needed"),
        }
    }
}

fn read_sentences(flags: &Flags) -> Result<Vec<String>> {
    let path = flags.path("sentences")?;
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
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

fn ner(flags: &Flags) -> Result<String> {
    let sentences = read_sentences(flags)?;
    let options = EntitiesOptions {
        workers: flags.number("workers", Some(EntitiesOptions::default().workers))?,
        intra_op_threads: Some(flags.number("intra-op-threads", Some(1))?),
        ..EntitiesOptions::default()
    };
    let (workers, threads) = (options.workers, options.intra_op_threads);
    let t = Instant::now();
    let stage = EntitiesStage::load(&flags.path("model")?, options)?;
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
        "workers": workers,
        "intra_op_threads": threads,
        "sentences": sentences.len(),
        "seconds": seconds,
        "load_seconds": load,
        "entities": entities,
    })
    .to_string())
}

fn translate(flags: &Flags) -> Result<String> {
    let sentences = read_sentences(flags)?;
    let length: usize = flags.number("length", None)?;
    let options = TranslateOptions {
        beam_size: flags.number("beam", None)?,
        // The stage's lengths count the decoder start token, as transformers' do.
        max_length: length + 1,
        min_length: length + 1,
        batch_size: flags.number("batch-size", Some(16))?,
        source_language: Some("de".into()),
    };
    let cache = tempfile::tempdir()?;
    let t = Instant::now();
    let stage = TranslateStage::load(&flags.path("model")?, options, cache.path())?;
    let load = t.elapsed().as_secs_f64();
    // Warm up on sentences that are not in the input, so the cache cannot answer later.
    stage.translate_sentences(&["Ein Satz zum Aufwärmen.", "Noch einer, etwas länger."])?;
    let texts: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let t = Instant::now();
    let out = stage.translate_sentences(&texts)?;
    let seconds = t.elapsed().as_secs_f64();
    anyhow::ensure!(out.len() == texts.len(), "a translation per sentence");
    Ok(json!({
        "engine": "newsextract",
        "threads": tch::get_num_threads(),
        "sentences": sentences.len(),
        "seconds": seconds,
        "load_seconds": load,
    })
    .to_string())
}

fn rules(flags: &Flags) -> Result<String> {
    let dir = flags.path("seeds")?;
    let megabytes: f64 = flags.number("megabytes", Some(4.0))?;
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
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
