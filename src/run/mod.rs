//! A run from options to finished outputs: building the stages, scheduling them over the
//! drop, reporting, and merging the outputs of a drop's shards.

pub mod build;
pub mod merge;
pub mod options;
pub mod pipeline;
pub mod progress;
pub mod report;
