//! Assumptions: the judgements a scenario rests on, each with a plausible range and a source.
//!
//! An `[[assumptions]]` entry names a sweepable numeric path, the range `[low, high]` in which
//! its value is plausible, who said so (`source`) and optionally how sure the author is
//! (`confidence`). `accord sensitivity` varies the declared assumptions over their ranges;
//! reports list them with their sources.

use std::fmt;

use crate::model::{ParamPath, Params};

/// How sure the scenario's author is of an assumption.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// A guess.
    Low,
    /// Read off statements or behaviour, open to argument.
    Medium,
    /// Documented.
    High,
}

impl Confidence {
    /// The spellings in scenario files.
    pub const NAMES: [&'static str; 3] = ["low", "medium", "high"];

    /// Reads a spelling.
    pub fn parse(text: &str) -> Option<Confidence> {
        match text {
            "low" => Some(Confidence::Low),
            "medium" => Some(Confidence::Medium),
            "high" => Some(Confidence::High),
            _ => None,
        }
    }

    /// The spelling in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One declared assumption.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    /// The path as written (`parties.us.discount`).
    pub name: String,
    /// The path, resolved.
    pub path: ParamPath,
    /// The lower end of the plausible range.
    pub low: f64,
    /// The upper end of the plausible range (`low < high`).
    pub high: f64,
    /// Who said so, when: free text.
    pub source: String,
    /// How sure the author is, if said.
    pub confidence: Option<Confidence>,
}

impl Params {
    /// The number at a numeric path as these parameters stand (a weight as given, before
    /// normalization); `None` for `parties.<id>.strategy` or a parameter the party's
    /// strategy lacks.
    pub fn number_at(&self, path: &ParamPath) -> Option<f64> {
        match *path {
            ParamPath::BreakdownRisk => Some(self.breakdown_risk),
            ParamPath::MaxRounds => Some(f64::from(self.max_rounds)),
            ParamPath::Reservation(p) => Some(self.parties[p].reservation),
            ParamPath::Discount(p) => Some(self.parties[p].discount),
            ParamPath::Weight(p, i) => Some(self.parties[p].raw_weights[i]),
            ParamPath::StrategyParam(p, name) => self.parties[p].strategy.param(name),
            ParamPath::Strategy(_) => None,
        }
    }
}
