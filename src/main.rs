//! The `newsextract` command: parses arguments, builds the pipeline, maps outcomes to exit
//! statuses (0: every article processed; 1: some inputs failed, the rest were written;
//! 2: usage or set-up error, nothing processed).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use newsextract::precision::{Precision, PrecisionSetting};
use newsextract::run::options::RunOptions;

#[derive(Parser)]
#[command(
    name = "newsextract",
    version,
    about = "Turn drops of news articles into reviewable JSONL: sentences, entities, numeric claims, summaries, translations, and a dashboard.",
    long_about = "Turn drops of news articles into reviewable JSONL: sentences and tokens with \
character offsets, named entities, numeric claims, extractive summaries and (optionally) English \
translations; plus drop-level claims.jsonl, entities.jsonl and dashboard.html.\n\n\
Example:\n  newsextract run --input seeds/ --output output/\n\n\
Re-running on the same output folder only processes new or changed articles."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Process article files into OUTPUT/articles.jsonl (plus errors.jsonl, run.json,
    /// claims.jsonl, entities.jsonl and dashboard.html).
    // Boxed: its options outweigh every other subcommand's many times over.
    Run(Box<RunArgs>),
    /// Combine the outputs of a drop's shards (run with --shard K/N) into OUTPUT's normal
    /// files: articles.jsonl, errors.jsonl, run.json, claims.jsonl, entities.jsonl,
    /// dashboard.html.
    Merge {
        /// Folders holding articles.shard-K-of-N.jsonl files (with their run and errors files).
        #[arg(required = true, value_name = "DIR")]
        shards: Vec<PathBuf>,
        /// Output folder; records already there are kept and updated.
        #[arg(long, short = 'o', value_name = "DIR")]
        output: PathBuf,
    },
    /// Manage model folders.
    #[command(subcommand)]
    Models(ModelsCommand),
    /// Print a completion script for SHELL to stdout, e.g.
    /// `newsextract completions bash > ~/.local/share/bash-completion/completions/newsextract`
    /// (`make install` installs them for bash, zsh and fish).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the man pages (newsextract.1 and one per subcommand) into DIR; `make install`
    /// runs it for share/man/man1.
    #[command(hide = true)]
    Man {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// Article inputs: folders (searched recursively for .txt and .jsonl files) or files.
    /// A .txt file is one article whose first non-empty line is its title; a .jsonl file has
    /// one article per line: {"id", "text", "title"?, "lang"?, "url"?, "published"?}.
    #[arg(long = "input", short = 'i', required = true, num_args = 1.., value_name = "PATH")]
    inputs: Vec<PathBuf>,
    /// Output folder; created if missing. Records already there are kept and updated.
    #[arg(long, short = 'o', value_name = "DIR")]
    output: PathBuf,
    /// Worker threads, each with its own NER model over shared weights (default: one per
    /// CPU core).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    threads: Option<usize>,
    /// Reprocess every article, even those unchanged since the last run.
    #[arg(long)]
    force: bool,
    /// No progress output (errors are still printed).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Include word tokens (with offsets) in each record.
    #[arg(long)]
    tokens: bool,
    /// Languages the drop holds, as ISO 639-1 codes (any of af, de, en, es, fr, it, nl).
    /// Short texts such as headlines are identified among these; an article in another
    /// language is named only when it is long enough for certainty. Changing the list redoes
    /// the articles.
    #[arg(long, value_name = "CODES", default_value_t = Default::default(),
          value_parser = parse_languages)]
    languages: newsextract::stages::segment::ExpectedLanguages,
    /// Folder holding model folders and models.toml (which names each stage's default).
    /// Without it: $NEWSEXTRACT_MODELS, else ./models when it holds a models.toml, else the
    /// installed share/newsextract/models beside the binary's bin/.
    #[arg(long, value_name = "DIR")]
    models: Option<PathBuf>,
    /// NER model: a folder name under --models (or a path) instead of models.toml's default.
    #[arg(long, value_name = "NAME")]
    ner_model: Option<String>,
    /// Number format of the NER model: auto (bf16 on CPUs with bf16 instructions, else int8
    /// for BERT models, else f32), f32, bf16, or int8 (the attention's matrix products in
    /// int8, any x86-64 CPU; BERT models only). Against f32 here: bf16 2.4x as fast, int8
    /// 1.35-1.5x, both within 0.003 F1 on GermEval's held-out part (docs/entities.md).
    #[arg(long, value_name = "auto|f32|bf16|int8", default_value = "auto")]
    ner_precision: PrecisionSetting,
    /// Skip named-entity recognition.
    #[arg(long)]
    no_entities: bool,
    /// Translate German sentences to English (Marian model, see docs/translation.md).
    #[arg(long)]
    translate: bool,
    /// Translation model folder name (or path) instead of models.toml's default.
    #[arg(long, value_name = "NAME")]
    translation_model: Option<String>,
    /// Beam width for translation (1 = greedy).
    #[arg(long, value_name = "N", default_value_t = 4)]
    beam_size: usize,
    /// Longest translated sentence, in tokens.
    #[arg(long, value_name = "N", default_value_t = 256)]
    max_length: usize,
    /// Number format of the translation model: f32, bf16 (half the memory, faster on CPUs
    /// with bf16 instructions, much slower on others), int8 (CTranslate2 folders only), or
    /// auto: for a CTranslate2 folder bf16 where the CPU has bf16 units, else int8; for a
    /// Hugging Face folder f32. Translations may differ slightly between formats.
    #[arg(long, value_name = "auto|f32|bf16|int8", default_value = "auto")]
    translate_precision: PrecisionSetting,
    /// Translation models working in parallel, each with its own weights and
    /// threads/N libtorch threads (default: one per worker thread, at most 4).
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    translate_workers: Option<usize>,
    /// Sentences per extractive summary.
    #[arg(long, value_name = "N", default_value_t = newsextract::stages::summarize::DEFAULT_SENTENCES,
          value_parser = at_least_one)]
    summary_sentences: usize,
    /// Translate only the summary sentences to English (much cheaper than --translate;
    /// needs the same model).
    #[arg(long)]
    translate_summaries: bool,
    /// Articles processed together: model stages batch their calls across them, and the
    /// output is made durable after each batch.
    #[arg(long, value_name = "N", default_value_t = 64, value_parser = at_least_one)]
    batch_articles: usize,
    /// Process only shard K of N (0 <= K < N) of the drop, by article id hash, into
    /// articles.shard-K-of-N.jsonl (and errors/run files); combine with `newsextract merge`.
    #[arg(long, value_name = "K/N")]
    shard: Option<newsextract::shard::Shard>,
}

#[derive(Subcommand)]
enum ModelsCommand {
    /// Download the default German NER (XLM-R large, CoNLL-03) and German-English (opus-mt)
    /// models from the model hub into the models folder (needs internet).
    Fetch {
        /// Folder to write into. Without it: $NEWSEXTRACT_MODELS, else the first of ./models
        /// and the installed share/newsextract/models that holds a models.toml and can be
        /// written to.
        #[arg(long, value_name = "DIR")]
        models: Option<PathBuf>,
    },
    /// Write the CTranslate2 form of a Hugging Face Marian folder (runs offline). A run given
    /// the new folder translates with CTranslate2: int8 on any x86-64 CPU, several times faster
    /// than libtorch (docs/translation.md).
    Convert {
        /// The Hugging Face Marian folder (as `models fetch` or scripts/prepare-marian.py
        /// leaves it).
        #[arg(value_name = "HF_DIR")]
        from: PathBuf,
        /// The CTranslate2 folder to create; must not exist.
        #[arg(value_name = "CT2_DIR")]
        to: PathBuf,
    },
}

/// `--languages`: a usage error (status 2) naming the code that is not accepted.
fn parse_languages(value: &str) -> Result<newsextract::stages::segment::ExpectedLanguages, String> {
    value.parse().map_err(|e| format!("{e}"))
}

/// A count flag that must be 1 or more (a usage error, status 2, otherwise).
fn at_least_one(value: &str) -> Result<usize, String> {
    match value.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        Ok(_) => Err("must be at least 1".into()),
        Err(e) => Err(format!("not a count: {e}")),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(*args),
        Command::Merge { shards, output } => outcome(
            newsextract::run::merge::merge(&shards, &output).map(|merged| {
                eprintln!(
                    "merged {} shards: {} articles in {}, {} errors",
                    merged.report.merged_shards.unwrap_or(0),
                    merged.report.articles.in_output,
                    output
                        .join(newsextract::output::names::ARTICLES.whole())
                        .display(),
                    merged.errors
                );
                merged.errors
            }),
        ),
        Command::Models(ModelsCommand::Fetch { models }) => {
            let search = newsextract::models::ModelsSearch::for_process(models.as_deref());
            let target = match search.fetch_target() {
                Ok((target, passed_over)) => {
                    for p in passed_over {
                        eprintln!("not fetching into {p}");
                    }
                    eprintln!("fetching into {target}");
                    target.dir
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(2);
                }
            };
            let options = newsextract::models::FetchOptions::default();
            match newsextract::models::fetch(&target, &options) {
                Ok(dirs) => {
                    for d in dirs {
                        eprintln!("fetched {}", d.display());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Models(ModelsCommand::Convert { from, to }) => {
            let converted =
                newsextract::stages::translate::MarianFolder::inspect(&from).and_then(|folder| {
                    newsextract::stages::translate::ctranslate2::convert_marian(&folder, &to)
                });
            match converted {
                Ok(()) => {
                    eprintln!("converted {} into {}", from.display(), to.display());
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e:#}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Completions { shell } => {
            // Into a buffer first: clap_complete panics on a failed write, and a closed pipe
            // (`... | head`) is no error worth a panic.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "newsextract", &mut script);
            match std::io::Write::write_all(&mut std::io::stdout(), &script) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the completion script: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::Man { dir } => {
            let written = std::fs::create_dir_all(&dir)
                .and_then(|()| clap_mangen::generate_to(Cli::command(), &dir));
            match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write man pages into {}: {e}", dir.display());
                    ExitCode::from(2)
                }
            }
        }
    }
}

impl From<RunArgs> for RunOptions {
    fn from(args: RunArgs) -> Self {
        RunOptions {
            threads: args.threads,
            force: args.force,
            quiet: args.quiet,
            keep_tokens: args.tokens,
            languages: args.languages,
            batch_articles: args.batch_articles,
            models_dir: args.models,
            entities: !args.no_entities,
            ner_model: args.ner_model,
            ner_precision: args.ner_precision,
            translate: args.translate,
            translation_model: args.translation_model,
            translate_options: newsextract::stages::translate::TranslateOptions {
                beam_size: args.beam_size,
                max_length: args.max_length,
                ..Default::default()
            },
            translate_precision: args.translate_precision,
            translate_workers: args.translate_workers,
            summary_sentences: args.summary_sentences,
            translate_summaries: args.translate_summaries,
            shard: args.shard,
            ..RunOptions::new(args.inputs, args.output)
        }
    }
}

fn run(args: RunArgs) -> ExitCode {
    let opts = RunOptions::from(args);
    let translating = opts.translate || opts.translate_summaries;
    for (flag, asked) in [
        (
            "--ner-precision",
            opts.entities && opts.ner_precision == PrecisionSetting::Fixed(Precision::Bf16),
        ),
        (
            "--translate-precision",
            translating && opts.translate_precision == PrecisionSetting::Fixed(Precision::Bf16),
        ),
    ] {
        if asked && !newsextract::precision::cpu_has_native_bf16() {
            eprintln!(
                "warning: this CPU has no bf16 instructions (avx512_bf16, amx_bf16); \
                 {flag} bf16 will be slower than f32 here"
            );
        }
    }
    if let Err(e) = opts.translate_options.validate() {
        eprintln!("error: {e:#}");
        return ExitCode::from(2);
    }
    let result = newsextract::build_pipeline(&opts).and_then(|pipeline| {
        let result = pipeline.run(&opts);
        // The process ends next: freeing the models (hundreds of MB of tensors) one by one
        // would add about 0.4 s to every run for nothing; the outputs are already durable.
        std::mem::forget(pipeline);
        result
    });
    outcome(result.map(|(report, errors)| {
        if !opts.quiet {
            eprintln!(
                "done: {} processed, {} unchanged, {} failed, {} in {} ({:.1}s)",
                report.articles.processed,
                report.articles.unchanged,
                report.articles.failed,
                report.articles.in_output,
                opts.output
                    .join(newsextract::output::names::ARTICLES.for_shard(opts.shard))
                    .display(),
                report.seconds
            );
        }
        errors.len()
    }))
}

/// The exit status of a run or merge that reports `failed` inputs: 0 none, 1 some (the rest
/// was written); 2 when it could not be done at all (a set-up problem, or an output folder
/// that stops accepting writes), with the error on stderr.
fn outcome(result: anyhow::Result<usize>) -> ExitCode {
    match result {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
