//! Model folders: which folder a stage uses, whether it holds a loadable model, the model's
//! identity for `provenance.models` (`resolve.rs`), and `newsextract models fetch` (`fetch.rs`).
//!
//! A model folder (`models/<name>/`) has the Hugging Face layout: `config.json`, one weights
//! file (`model.safetensors`, `pytorch_model.bin` or `rust_model.ot`) and tokenizer files
//! (`tokenizer.json`, or the model's native vocabulary: `vocab.txt`, `vocab.json`,
//! `sentencepiece.bpe.model`, `source.spm`, `spiece.model`). `models/models.toml` names the
//! default folder of each stage:
//!
//! ```toml
//! [entities]
//! default = "ner-de-e5small"
//! [translation]
//! default = "opus-mt-de-en"
//! ```
//!
//! The models folder itself is found by [`ModelsSearch`]: `--models`, else
//! `NEWSEXTRACT_MODELS`, else `./models` when it holds a `models.toml`, else the installed
//! `share/newsextract/models` beside the executable's `bin/` (what `make install` writes).

mod fetch;
mod resolve;

pub use fetch::*;
pub use resolve::*;
