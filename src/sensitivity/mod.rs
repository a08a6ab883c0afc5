//! Sensitivity analysis: which of a scenario's assumptions move its outcome, and how much.
//!
//! Reads `sweep` (which runs the points) and `model` (assumptions, paths); never the CLI.
//!
//! - `design`: the designs in the unit cube (one at a time, Morris trajectories, Saltelli's
//!   design for Sobol' indices), drawn from a seeded ChaCha8 generator, each with its rule
//!   in one sentence;
//! - `estimate`: the estimators (swings, elementary effects, first-order and total Sobol'
//!   indices) and bootstrap percentile intervals;
//!
//! The estimators are written here rather than taken from the `salib` crate: it would add
//! 39 crates (nalgebra, ndarray, statrs, rustfft, two more generations of rand) for some
//! twenty lines of arithmetic (docs/sensitivity.md, "Why not a crate").

pub mod analysis;
pub mod charts;
pub mod design;
pub mod estimate;
pub mod findings;
#[cfg(test)]
mod tests;

pub use design::{Method, Plan};
pub use estimate::{Bootstrap, Estimate, MorrisEffects, SobolIndices, Swing, morris, oat, sobol};
