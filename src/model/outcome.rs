//! Outcomes: one value for every issue.

/// A full set of terms: one value per issue, in scenario order.
///
/// Continuous issues hold the number itself; ordinal issues hold the level index (an exact
/// small integer stored as `f64`), so that every outcome is one flat vector the engine and the
/// analysis can treat alike.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome(Vec<f64>);

impl Outcome {
    /// Wraps per-issue values (scenario order).
    pub fn new(values: Vec<f64>) -> Outcome {
        Outcome(values)
    }

    /// Per-issue values, in scenario order.
    pub fn values(&self) -> &[f64] {
        &self.0
    }

    /// The value of one issue.
    pub fn get(&self, issue_idx: usize) -> f64 {
        self.0[issue_idx]
    }

    /// The per-issue values, given back (a buffer to reuse).
    pub fn into_values(self) -> Vec<f64> {
        self.0
    }

    /// Sets the value of one issue.
    pub fn set(&mut self, issue_idx: usize, value: f64) {
        self.0[issue_idx] = value;
    }
}
