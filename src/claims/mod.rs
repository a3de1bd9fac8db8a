//! Numeric claims (issue 3). Filled in by its own work; the type is here so the record has
//! its final shape from the start.

use serde::{Deserialize, Serialize};

/// One numeric expression of the article (see `docs/schema.md`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claim {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub sentence: usize,
}
