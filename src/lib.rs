//! accord: a geopolitical negotiation simulator.
//!
//! Scenario files (TOML) describe parties, issues, preferences and outside options;
//! a deterministic agent loop plays the negotiation out; the analysis says how efficient
//! and fair the result was.

pub mod analysis;
pub mod chart;
pub mod export;
pub mod interop;
pub mod model;
pub mod protocol;
pub mod report;
pub mod run;
pub mod scenario;
pub mod sensitivity;
pub mod strategy;
pub mod sweep;
pub mod text;
