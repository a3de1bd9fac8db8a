//! Helpers shared by the integration tests, one module per kind of help. Every test file
//! declares `mod support;` and uses what it needs.
//! - [`cli`]: running the built binary on a drop and reading and checking its outputs.
//! - [`documents`]: documents built in code, with sentence boundaries a test controls.
//! - [`seeded_weights`]: random weights that depend on a seed alone, for tiny models.
//! - [`ner_model`]: tiny token-classification models written as Hugging Face folders.
//! - [`marian`]: a tiny Marian translation model and translation test helpers.
#![allow(dead_code)]

pub mod cli;
pub mod documents;
pub mod marian;
pub mod ner_model;
pub mod seeded_weights;
