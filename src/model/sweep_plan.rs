//! Sweeps declared in a scenario (`[[sweeps]]`): the questions a report answers by varying
//! parameters.

/// One `[[sweeps]]` entry, checked: every axis parses against the scenario by the rules of
/// `accord sweep --vary` (see `crate::sweep::design::Axis::parse`).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPlan {
    /// A short title.
    pub name: Option<String>,
    /// The question the sweep answers, in a sentence.
    pub question: Option<String>,
    /// The axes as `PATH=SPEC`, in order (the first varies slowest).
    pub vary: Vec<String>,
    /// Runs per design point (at least 1).
    pub replicates: u64,
}
