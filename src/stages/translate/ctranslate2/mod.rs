//! The CTranslate2 translation backend: OpenNMT's inference engine for Marian models, with
//! int8 matrix products on any x86-64 CPU (its PyPI wheel's library, built with oneDNN and
//! MKL) and bf16 where the CPU has bf16 units.
//!
//! - [`convert`]: writes the CTranslate2 form of a Hugging Face Marian folder from the weights
//!   the libtorch path loads (`newsextract models convert`, and `models fetch`).
//! - [`folder`]: checks a CTranslate2 folder at start-up; [`is_ctranslate2_folder`] is how the
//!   stage picks this backend.
//! - [`library`]: opens `libnewsextract_ct2.so` (the C shim, `shim.cpp`) on first use.
//! - [`translator`]: [`Ct2Translator`], the [`SentenceTranslator`](super::SentenceTranslator).
//!
//! Tokenisation stays on the Rust side with the tokenizer the libtorch path uses, and the
//! length limits are translated to rust-bert's meaning, so with greedy decoding in f32 the
//! two backends give the same translations (`tests/translate_ctranslate2.rs`).

pub mod convert;
pub mod folder;
pub mod library;
pub mod translator;

pub use convert::convert_marian;
pub use folder::{is_ctranslate2_folder, Ct2Folder};
pub use translator::{compute_type, ctranslate2_has_bf16, Ct2Model, Ct2Translator};
