//! Scheduling: reading the drop in batches, skipping unchanged articles, running the stages
//! over each batch (rayon inside the stages), writing records, counting everything.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Instant, SystemTime};

use anyhow::{Context, Result};
use rayon::prelude::*;

use crate::document::{Document, Language, Source, StageRun};
use crate::drop::FeedCounts;
use crate::ingest::{self, ArticleReader, InputError, RawArticle};
use crate::output::{write_atomically, ArticleStore, OutputNames};
use crate::run::options::{OutputConfig, RunOptions};
use crate::run::progress::Progress;
use crate::run::report::{round3, ArticleCounts, RunReport, StageTotals, Throughput};
use crate::stage::Stage;

/// A problem with the run as a whole (bad arguments, unusable output folder, broken model):
/// nothing was processed. The CLI maps it to exit status 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SetupError(pub String);

/// The stages of a run, in order, and the ones that will not run (with the reason).
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    not_run: Vec<(String, String)>,
    config: OutputConfig,
    fingerprint: String,
}

impl Pipeline {
    /// The pipeline over `stages`, in that order; an order in which a stage would run before
    /// one whose output it reads is refused ([`crate::stage::check_order`]).
    pub fn new(
        stages: Vec<Box<dyn Stage>>,
        not_run: Vec<(String, String)>,
        config: OutputConfig,
    ) -> Result<Self, SetupError> {
        crate::stage::check_order(&stages).map_err(SetupError)?;
        let fingerprint = config.fingerprint();
        Ok(Pipeline {
            stages,
            not_run,
            config,
            fingerprint,
        })
    }

    /// Runs over the inputs and writes `articles.jsonl`, `errors.jsonl` and `run.json`.
    /// Input problems are counted and reported, never fatal; `Err` means the run could not
    /// start or could not write its output.
    pub fn run(&self, opts: &RunOptions) -> Result<(RunReport, Vec<InputError>)> {
        let threads = opts.threads.unwrap_or(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .context("cannot start worker threads")?;
        pool.install(|| self.run_in_pool(opts))
    }

    fn run_in_pool(&self, opts: &RunOptions) -> Result<(RunReport, Vec<InputError>)> {
        let started_at = SystemTime::now();
        let started = Instant::now();
        let (files, walk_errors) =
            ingest::collect_input_files(&opts.inputs).map_err(|e| SetupError(e.to_string()))?;
        let names = OutputNames::for_shard(opts.shard);
        let store = ArticleStore::open_named(&opts.output, names)
            .map_err(|e| SetupError(format!("{e:#}")))?;
        let progress = Progress::new(ingest::count_articles(&files), opts.quiet);
        // Whether an article (or a failed input) belongs to this run's shard, if it has one.
        let error_ours = |e: &InputError| opts.shard.is_none_or(|s| s.contains(&error_key(e)));
        let ours = |item: &Result<RawArticle, InputError>| match item {
            Ok(raw) => opts.shard.is_none_or(|s| s.contains(&raw.id)),
            Err(e) => error_ours(e),
        };

        let mut counts = ArticleCounts::default();
        let mut totals: BTreeMap<String, StageTotals> = BTreeMap::new();
        let mut errors: Vec<InputError> = Vec::new();
        let mut chars_processed = 0u64;
        let report_error = |e: InputError, errors: &mut Vec<InputError>| {
            progress.println(&format!("error: {e}"));
            errors.push(e);
        };
        for e in walk_errors.into_iter().filter(error_ours) {
            counts.seen += 1;
            report_error(e, &mut errors);
        }

        let mut reader = ArticleReader::new(files);
        let batch_size = opts.batch_articles.max(1);
        loop {
            let mut batch: Vec<Document> = Vec::with_capacity(batch_size);
            let mut met = 0u64;
            let mut skipped = 0u64;
            for item in reader.by_ref() {
                if !ours(&item) {
                    skipped += 1;
                    continue;
                }
                met += 1;
                match item {
                    Err(e) => report_error(e, &mut errors),
                    Ok(raw) => {
                        let unchanged = !opts.force
                            && store.get(&raw.id).is_some_and(|s| {
                                s.sha256 == raw.sha256
                                    && s.fingerprint == self.fingerprint
                                    && s.published == raw.published
                            });
                        if unchanged {
                            counts.unchanged += 1;
                        } else {
                            batch.push(self.new_document(raw));
                        }
                    }
                }
                if batch.len() >= batch_size {
                    break;
                }
            }
            if met == 0 {
                progress.advance(skipped);
                break;
            }
            counts.seen += met;
            let docs = self.run_stages(batch, &mut totals, &mut errors, &progress);
            let lines: Vec<Result<String>> = docs
                .par_iter()
                .map(|d| serde_json::to_string(d).context("cannot serialise record"))
                .collect();
            for (doc, line) in docs.iter().zip(lines) {
                store.append(&line?)?;
                counts.processed += 1;
                chars_processed += doc.text.chars().count() as u64;
            }
            store.sync()?;
            progress.advance(met + skipped);
        }
        progress.finish();
        counts.failed = errors.len() as u64;
        // A shard writes only its own files; `newsextract merge` derives the drop-level ones.
        let (in_output, feed) = store.finish_then(|dir| match opts.shard {
            Some(_) => Ok(FeedCounts::default()),
            None => crate::drop::write_feed(dir).context("cannot write the drop-level outputs"),
        })?;
        counts.in_output = in_output as u64;

        let seconds = started.elapsed().as_secs_f64();
        let report = RunReport {
            schema_version: crate::document::SCHEMA_VERSION,
            version: env!("CARGO_PKG_VERSION"),
            started: humantime::format_rfc3339_seconds(started_at).to_string(),
            finished: humantime::format_rfc3339_seconds(SystemTime::now()).to_string(),
            seconds: round3(seconds),
            inputs: opts
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect(),
            output: opts.output.display().to_string(),
            articles: counts.clone(),
            stages: totals,
            stages_not_run: self.not_run.iter().cloned().collect(),
            throughput: Throughput {
                articles_per_second: round3(counts.processed as f64 / seconds.max(1e-9)),
                chars_per_second: round3(chars_processed as f64 / seconds.max(1e-9)),
            },
            feed,
            fingerprint: self.fingerprint.clone(),
            config: serde_json::to_value(&self.config)?,
            shard: opts.shard.map(|s| s.to_string()),
            merged_shards: None,
            merged_from: Vec::new(),
        };
        let mut error_lines = String::new();
        for e in &errors {
            error_lines.push_str(&serde_json::to_string(e)?);
            error_lines.push('\n');
        }
        write_atomically(&opts.output.join(names.errors()), error_lines.as_bytes())
            .with_context(|| format!("cannot write {}", names.errors()))?;
        write_atomically(
            &opts.output.join(names.run()),
            (serde_json::to_string_pretty(&report)? + "\n").as_bytes(),
        )
        .with_context(|| format!("cannot write {}", names.run()))?;
        Ok((report, errors))
    }

    fn new_document(&self, raw: RawArticle) -> Document {
        let RawArticle {
            id,
            path,
            line,
            sha256,
            encoding,
            title,
            text,
            lang,
            url,
            published,
            markup,
        } = raw;
        let mut doc = Document::new(
            id,
            Source {
                path,
                line,
                sha256,
                encoding: encoding.to_string(),
            },
            title,
            text,
        );
        doc.url = url;
        doc.published = published;
        doc.markup = markup;
        doc.language = lang.map(|code| Language {
            code,
            confidence: 1.0,
            method: "declared".into(),
        });
        doc.provenance.config = serde_json::to_value(&self.config).unwrap_or_default();
        doc.provenance.fingerprint = self.fingerprint.clone();
        doc.stages.insert("ingest".into(), StageRun::ran(0.0));
        for (name, reason) in &self.not_run {
            doc.stages
                .insert(name.clone(), StageRun::not_run(reason.clone()));
        }
        doc
    }

    /// Runs every stage over the batch. A stage that fails (or panics) on the batch is retried
    /// article by article so that only the articles it really fails on are dropped.
    fn run_stages(
        &self,
        mut docs: Vec<Document>,
        totals: &mut BTreeMap<String, StageTotals>,
        errors: &mut Vec<InputError>,
        progress: &Progress,
    ) -> Vec<Document> {
        for stage in &self.stages {
            if docs.is_empty() {
                break;
            }
            let t = Instant::now();
            let result = run_guarded(stage.as_ref(), &mut docs);
            let mut failed: Vec<Option<anyhow::Error>> = (0..docs.len()).map(|_| None).collect();
            let counts = match result {
                Ok(counts) => counts,
                Err(_) if docs.len() > 1 => docs
                    .iter_mut()
                    .enumerate()
                    .map(
                        |(i, doc)| match run_guarded(stage.as_ref(), std::slice::from_mut(doc)) {
                            Ok(mut c) => c.pop().unwrap_or_default(),
                            Err(e) => {
                                failed[i] = Some(e);
                                Default::default()
                            }
                        },
                    )
                    .collect(),
                Err(e) => {
                    failed[0] = Some(e);
                    vec![Default::default()]
                }
            };
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let total_len: usize = docs.iter().map(|d| d.text.len().max(1)).sum();
            let total = totals.entry(stage.name().to_string()).or_default();
            total.ms = round3(total.ms + ms);
            let mut kept = Vec::with_capacity(docs.len());
            for ((mut doc, fail), count) in docs.into_iter().zip(failed).zip(counts) {
                if let Some(e) = fail {
                    let err = InputError {
                        input: doc.source.path.clone(),
                        line: doc.source.line,
                        id: Some(doc.id.clone()),
                        error: format!("stage {} failed: {e:#}", stage.name()),
                    };
                    progress.println(&format!("error: {err}"));
                    errors.push(err);
                    continue;
                }
                let mut run =
                    StageRun::ran(round3(ms * doc.text.len().max(1) as f64 / total_len as f64));
                run.counts = count;
                doc.stages.insert(stage.name().to_string(), run);
                total.articles += 1;
                kept.push(doc);
            }
            docs = kept;
        }
        docs
    }
}

fn run_guarded(stage: &dyn Stage, docs: &mut [Document]) -> Result<Vec<crate::stage::StageCounts>> {
    let n = docs.len();
    match catch_unwind(AssertUnwindSafe(|| stage.process(docs))) {
        Ok(Ok(counts)) if counts.len() == n => Ok(counts),
        Ok(Ok(counts)) => anyhow::bail!(
            "stage {} returned {} counters for {n} articles",
            stage.name(),
            counts.len()
        ),
        Ok(Err(e)) => Err(e),
        Err(panic) => {
            let msg = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "unknown panic".into());
            anyhow::bail!("panicked: {msg}")
        }
    }
}

/// What decides the shard of a failed input: its article id when it has one, else where it is.
fn error_key(e: &InputError) -> String {
    match &e.id {
        Some(id) => id.clone(),
        None => format!("{}:{}", e.input, e.line.unwrap_or(0)),
    }
}
