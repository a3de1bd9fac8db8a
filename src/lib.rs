//! newsextract: news article drops in, reviewable JSONL facts out.
//!
//! `ingest → segment → entities → claims → translate → summarize → sink`, each stage a module
//! with a narrow interface over the shared [`document::Document`].

pub mod claims;
pub mod config;
pub mod currency;
pub mod document;
pub mod entities;
pub mod ingest;
pub mod merge;
pub mod models;
pub mod offsets;
pub mod page;
pub mod pipeline;
pub mod pool;
pub mod precision;
pub mod progress;
pub mod segment;
pub mod shard;
pub mod sink;
pub mod stage;
pub mod summarize;
pub mod translate;

use config::{OutputConfig, RunOptions};
use pipeline::{Pipeline, SetupError};
use stage::Stage;

/// Builds the pipeline the options ask for. Model-backed stages load their models here, once,
/// so a missing model fails before any article is touched.
pub fn build_pipeline(opts: &RunOptions) -> anyhow::Result<Pipeline> {
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    let mut not_run: Vec<(String, String)> = Vec::new();
    let mut described = serde_json::Map::new();

    stages.push(Box::new(page::PageStage));
    described.insert(
        "page".into(),
        serde_json::json!({"rules": page::RULES_VERSION}),
    );
    stages.push(Box::new(segment::SegmentStage {
        keep_tokens: opts.keep_tokens,
        languages: segment::LanguageIdentifier::new(&opts.languages),
    }));
    // The rules' version is part of the run fingerprint: bump it when a rule change alters
    // output, so that the next run redoes the articles (2: footnote markers end sentences;
    // 3: a reference-list entry is one sentence; 4: abbreviated first names such as "Th."
    // end no sentence). Language identification likewise (2: lingua among the expected
    // languages, whatlang for the others; 1, before the key existed: whatlang alone), and the
    // expected languages change which language a short text gets.
    described.insert(
        "segment".into(),
        serde_json::json!({
            "rules": 4,
            "language": {"identification": 2, "expected": opts.languages},
        }),
    );
    let search = models::ModelsSearch::for_process(opts.models_dir.as_deref());
    if opts.entities {
        let dir = models::resolve_stage_model(&search, "entities", opts.ner_model.as_deref())
            .map_err(|e| SetupError(e.to_string()))?;
        // One model per worker thread, all over one copy of the weights (BENCHMARKS.md: on
        // 2 idle cores as fast as one model on 2 threads, ~3x as fast with one core busy).
        let options = entities::EntitiesOptions {
            workers: opts.thread_count(),
            precision: precision::resolve(opts.ner_precision),
            ..entities::EntitiesOptions::default()
        };
        let stage = entities::EntitiesStage::load(&dir, options)
            .map_err(|e| SetupError(format!("cannot load NER model {}: {e:#}", dir.display())))?;
        described.insert(
            "entities".into(),
            // bf16 can move a label, so it is part of the fingerprint; f32 adds nothing, so
            // outputs of earlier versions stay valid.
            {
                let mut described = serde_json::json!({
                    "model": stage.model_info(),
                    "decoding": stage.decoding(),
                    "rules": entities::RULES_VERSION
                });
                if !stage.precision().is_f32() {
                    described["precision"] = serde_json::json!(stage.precision());
                }
                described
            },
        );
        stages.push(Box::new(stage));
    } else {
        not_run.push(("entities".into(), "disabled with --no-entities".into()));
    }
    stages.push(Box::new(claims::ClaimsStage));
    // 2: reference apparatus judged per sentence, not per line; 3: dates carry their calendar
    // reading, "jeder dritte" is a share; 4: lists after document labels, every currency,
    // numbers inside words, ranges of number words, m:ss in minutes; 5: French, Spanish,
    // Italian and Dutch rules, digits-only reading of other languages, spaced thousands
    // (docs/claims.md).
    described.insert("claims".into(), serde_json::json!({"rules": 5}));
    let translator = if opts.translate || opts.translate_summaries {
        let dir =
            models::resolve_stage_model(&search, "translation", opts.translation_model.as_deref())
                .map_err(|e| SetupError(e.to_string()))?;
        let cache = opts.output.join(".cache").join("translations");
        let stage = translate::TranslateStage::load(&dir, opts.translate_options_for_run(), &cache)
            .map_err(|e| {
                SetupError(format!(
                    "cannot load translation model {}: {e:#}",
                    dir.display()
                ))
            })?;
        Some(stage)
    } else {
        None
    };
    let english = match translator {
        Some(stage) if opts.translate => {
            described.insert(
                "translate".into(),
                serde_json::json!({"model": stage.model(), "options": opts.translate_options}),
            );
            stages.push(Box::new(stage));
            summarize::SummaryEnglish::FromArticleTranslation
        }
        Some(stage) => {
            not_run.push((
                "translate".into(),
                "only summaries are translated (--translate-summaries)".into(),
            ));
            summarize::SummaryEnglish::TranslateSummaries(std::sync::Arc::new(stage))
        }
        None => {
            not_run.push((
                "translate".into(),
                "translation not requested (--translate)".into(),
            ));
            summary_english_unavailable(opts, &search)
        }
    };
    let summarize = summarize::SummarizeStage {
        sentences: opts.summary_sentences,
        english,
    };
    described.insert("summarize".into(), summarize.describe());
    stages.push(Box::new(summarize));

    let config = OutputConfig {
        schema_version: document::SCHEMA_VERSION,
        version: env!("CARGO_PKG_VERSION"),
        tokens: opts.keep_tokens,
        stages: described,
    };
    Ok(Pipeline::new(stages, not_run, config))
}

/// Why summaries get no English when the run translates nothing: no model installed, or a
/// model there but not asked for. Said plainly, with what to do about it.
fn summary_english_unavailable(
    opts: &RunOptions,
    search: &models::ModelsSearch,
) -> summarize::SummaryEnglish {
    use document::EnStatus;
    let (status, note) =
        match models::resolve_stage_model(search, "translation", opts.translation_model.as_deref())
        {
            Ok(dir) => (
                EnStatus::NotRequested,
                format!(
                    "not requested: the translation model {} is installed; run with \
                 --translate-summaries (or --translate) for English summaries",
                    models::model_name(&dir)
                ),
            ),
            Err(e) => (
                EnStatus::NoModel,
                format!(
                    "no translation model installed ({e}): run `newsextract models fetch` on a \
                 connected machine, then run with --translate-summaries"
                ),
            ),
        };
    summarize::SummaryEnglish::Unavailable { status, note }
}
