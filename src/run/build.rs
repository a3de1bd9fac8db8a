//! Building the pipeline from run options: which stages run, in which order, with which
//! models, and what each contributes to the run's fingerprint.

use super::options::{OutputConfig, RunOptions};
use super::pipeline::{Pipeline, SetupError};
use crate::output::names;
use crate::stage::Stage;
use crate::stages::{claims, entities, page, segment, summarize, translate};
use crate::{document, models};

/// Builds the pipeline the options ask for. Model-backed stages load their models here, once,
/// so a missing model fails before any article is touched.
///
/// The order is page → segment → entities → claims → translate → summarize; each stage says
/// which others it reads ([`Stage::requires`], [`Stage::reads_if_present`]) and
/// [`Pipeline::new`] refuses an order that breaks that. Each stage's fingerprint entry is its
/// own [`Stage::describe`].
pub fn build_pipeline(opts: &RunOptions) -> anyhow::Result<Pipeline> {
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    let mut not_run: Vec<(String, String)> = Vec::new();

    stages.push(Box::new(page::PageStage));
    stages.push(Box::new(segment::SegmentStage::new(opts.segment_options())));
    let search = models::ModelsSearch::for_process(opts.models_dir.as_deref());
    if opts.entities {
        stages.push(Box::new(load_entities(opts, &search)?));
    } else {
        not_run.push(("entities".into(), "disabled with --no-entities".into()));
    }
    stages.push(Box::new(claims::ClaimsStage));
    let translator = if opts.translate || opts.translate_summaries {
        Some(load_translation(opts, &search)?)
    } else {
        None
    };
    let english = match translator {
        Some(stage) if opts.translate => {
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
    stages.push(Box::new(summarize::SummarizeStage::new(
        opts.summarize_options(),
        english,
    )));

    let config = OutputConfig {
        schema_version: document::SCHEMA_VERSION,
        version: env!("CARGO_PKG_VERSION"),
        tokens: opts.keep_tokens,
        stages: stages
            .iter()
            .map(|s| (s.name().to_string(), s.describe()))
            .collect(),
    };
    Ok(Pipeline::new(stages, not_run, config)?)
}

/// The NER model of the run: one model per worker thread, all over one copy of the weights
/// (BENCHMARKS.md: on 2 idle cores as fast as one model on 2 threads, ~3x as fast with one
/// core busy).
fn load_entities(
    opts: &RunOptions,
    search: &models::ModelsSearch,
) -> anyhow::Result<entities::EntitiesStage> {
    load_model_stage(
        search,
        "entities",
        opts.ner_model.as_deref(),
        "NER",
        |dir| {
            // Only BERT models have an int8 form (`stages::entities::int8`).
            let int8_capable = models::validate_model_dir(dir)?.model_type() == "bert";
            let options = entities::EntitiesOptions {
                workers: opts.thread_count(),
                precision: opts.ner_precision.resolve(int8_capable),
                ..entities::EntitiesOptions::default()
            };
            entities::EntitiesStage::load(dir, options)
        },
    )
}

/// The translation model of the run, with its cache in the output folder.
fn load_translation(
    opts: &RunOptions,
    search: &models::ModelsSearch,
) -> anyhow::Result<translate::TranslateStage> {
    let cache = names::translation_cache(&opts.output);
    let name = opts.translation_model.as_deref();
    load_model_stage(search, "translation", name, "translation", |dir| {
        translate::TranslateStage::load(dir, opts.translate_options_for_run(dir), &cache)
    })
}

/// A model-backed stage from its folder (`models.toml`'s `key` entry, or `name`); every
/// failure is a set-up error that names the folder.
fn load_model_stage<S>(
    search: &models::ModelsSearch,
    key: &str,
    name: Option<&str>,
    what: &str,
    load: impl FnOnce(&std::path::Path) -> anyhow::Result<S>,
) -> anyhow::Result<S> {
    let dir =
        models::resolve_stage_model(search, key, name).map_err(|e| SetupError(e.to_string()))?;
    Ok(load(&dir)
        .map_err(|e| SetupError(format!("cannot load {what} model {}: {e:#}", dir.display())))?)
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
