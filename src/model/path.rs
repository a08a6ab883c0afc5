//! Dotted parameter paths: the one way events (and sweeps) address a number in a scenario.
//!
//! `parties.us.reservation`, `parties.ukraine.weights.security_guarantee`,
//! `scenario.breakdown_risk`... A path is resolved once against a scenario into a
//! [`ParamPath`] (indices, not names), checked against a value with [`ParamPath::check`],
//! and applied with [`crate::model::Scenario::set`].

use std::fmt;

use crate::model::{Scenario, TimeDependentFamily};

/// A resolved parameter path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamPath {
    /// `scenario.breakdown_risk`
    BreakdownRisk,
    /// `scenario.max_rounds`
    MaxRounds,
    /// `parties.<id>.reservation`
    Reservation(usize),
    /// `parties.<id>.discount`
    Discount(usize),
    /// `parties.<id>.weights.<issue>` (weights are normalized again after the change)
    Weight(usize, usize),
    /// `parties.<id>.strategy.exponent` (boulware, conceder and time_dependent parties; the
    /// family fixes the allowed range, as in the file)
    Exponent(usize, TimeDependentFamily),
    /// `parties.<id>.strategy.factor` (tit-for-tat only)
    Factor(usize),
}

/// The settable paths, as patterns, for help texts.
pub const PATH_PATTERNS: &[&str] = &[
    "scenario.breakdown_risk",
    "scenario.max_rounds",
    "parties.<party>.reservation",
    "parties.<party>.discount",
    "parties.<party>.weights.<issue>",
    "parties.<party>.strategy.exponent",
    "parties.<party>.strategy.factor",
];

impl ParamPath {
    /// Resolves a dotted path against a scenario's parties and issues.
    ///
    /// The error is a complete message naming what is wrong and what would be valid.
    pub fn parse(text: &str, scenario: &Scenario) -> Result<ParamPath, String> {
        let names = PathNames {
            parties: scenario.parties().iter().map(|p| p.id()).collect(),
            issues: scenario.issues().iter().map(|i| i.id()).collect(),
            strategies: scenario.parties().iter().map(|p| p.strategy().kind()).collect(),
        };
        ParamPath::parse_with(text, &names)
    }

    /// Resolves a dotted path against bare names (used while a scenario is being validated).
    pub fn parse_with(text: &str, names: &PathNames<'_>) -> Result<ParamPath, String> {
        let parts: Vec<&str> = text.split('.').collect();
        let unknown = || {
            format!(
                "unknown parameter path `{text}`; settable paths are {}",
                PATH_PATTERNS.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ")
            )
        };
        match parts.as_slice() {
            ["scenario", "breakdown_risk"] => Ok(ParamPath::BreakdownRisk),
            ["scenario", "max_rounds"] => Ok(ParamPath::MaxRounds),
            ["parties", party, rest @ ..] => {
                let p = names.parties.iter().position(|id| id == party).ok_or_else(|| {
                    format!(
                        "unknown party `{party}` in `{text}`; parties are {}",
                        list(names.parties.iter().copied())
                    )
                })?;
                match rest {
                    ["reservation"] => Ok(ParamPath::Reservation(p)),
                    ["discount"] => Ok(ParamPath::Discount(p)),
                    ["weights", issue] => {
                        let i =
                            names.issues.iter().position(|id| id == issue).ok_or_else(|| {
                                format!(
                                    "unknown issue `{issue}` in `{text}`; issues are {}",
                                    list(names.issues.iter().copied())
                                )
                            })?;
                        Ok(ParamPath::Weight(p, i))
                    }
                    ["strategy", "exponent"] => match names.strategies[p] {
                        "linear" => Err(format!(
                            "`{text}`: party `{party}` plays `linear`, whose exponent is fixed at \
                             1; give it kind = \"time_dependent\" to vary the exponent"
                        )),
                        kind => match TimeDependentFamily::from_kind(kind) {
                            Some(family) => Ok(ParamPath::Exponent(p, family)),
                            None => Err(format!(
                                "`{text}`: party `{party}` plays `{kind}`, which has no exponent; \
                                 only boulware, conceder and time_dependent do"
                            )),
                        },
                    },
                    ["strategy", "factor"] => match names.strategies[p] {
                        "tit_for_tat" => Ok(ParamPath::Factor(p)),
                        other => Err(format!(
                            "`{text}`: party `{party}` plays `{other}`, which has no factor; \
                             only tit_for_tat does"
                        )),
                    },
                    _ => Err(unknown()),
                }
            }
            _ => Err(unknown()),
        }
    }

    /// Checks that `value` is allowed at this path; the error says what range is allowed.
    pub fn check(&self, value: f64) -> Result<(), String> {
        let ok = value.is_finite()
            && match self {
                ParamPath::BreakdownRisk => (0.0..1.0).contains(&value),
                ParamPath::MaxRounds => {
                    (1.0..=MAX_ROUNDS_LIMIT).contains(&value) && value.fract() == 0.0
                }
                ParamPath::Reservation(_) => (0.0..=1.0).contains(&value),
                ParamPath::Discount(_) => value > 0.0 && value <= 1.0,
                ParamPath::Weight(..) => value >= 0.0,
                ParamPath::Exponent(_, TimeDependentFamily::Boulware) => value > 0.0 && value < 1.0,
                ParamPath::Exponent(_, TimeDependentFamily::Conceder) => value > 1.0,
                ParamPath::Exponent(_, TimeDependentFamily::Linear) => value == 1.0,
                ParamPath::Exponent(_, TimeDependentFamily::TimeDependent)
                | ParamPath::Factor(_) => value > 0.0,
            };
        if ok {
            return Ok(());
        }
        let allowed = match self {
            ParamPath::BreakdownRisk => "a probability in [0, 1)".to_string(),
            ParamPath::MaxRounds => format!("a whole number of rounds in 1..={MAX_ROUNDS_LIMIT}"),
            ParamPath::Reservation(_) => "a utility in [0, 1]".to_string(),
            ParamPath::Discount(_) => "a discount factor in (0, 1]".to_string(),
            ParamPath::Weight(..) => "a weight >= 0".to_string(),
            ParamPath::Exponent(_, family) => match family {
                TimeDependentFamily::Boulware => "a boulware exponent in (0, 1)".to_string(),
                TimeDependentFamily::Conceder => "a conceder exponent > 1".to_string(),
                TimeDependentFamily::Linear => "the linear exponent 1".to_string(),
                TimeDependentFamily::TimeDependent => "an exponent > 0".to_string(),
            },
            ParamPath::Factor(_) => "a factor > 0".to_string(),
        };
        Err(format!("expected {allowed}, got {value}"))
    }

    /// The dotted form of this path for the given scenario.
    pub fn display<'a>(&'a self, scenario: &'a Scenario) -> PathDisplay<'a> {
        PathDisplay { path: self, scenario }
    }
}

/// The names a path can refer to, by index: party ids, issue ids and each party's strategy kind.
pub struct PathNames<'a> {
    /// Party ids, in file order.
    pub parties: Vec<&'a str>,
    /// Issue ids, in file order.
    pub issues: Vec<&'a str>,
    /// Each party's strategy `kind` (as in the file), in party order.
    pub strategies: Vec<&'a str>,
}

impl PathNames<'_> {
    /// Every settable path of this scenario, spelled out (for suggestions and help).
    pub fn concrete_paths(&self) -> Vec<String> {
        let mut paths =
            vec!["scenario.breakdown_risk".to_string(), "scenario.max_rounds".to_string()];
        for (party, kind) in self.parties.iter().zip(&self.strategies) {
            paths.push(format!("parties.{party}.reservation"));
            paths.push(format!("parties.{party}.discount"));
            paths
                .extend(self.issues.iter().map(|issue| format!("parties.{party}.weights.{issue}")));
            match *kind {
                "boulware" | "conceder" | "time_dependent" => {
                    paths.push(format!("parties.{party}.strategy.exponent"));
                }
                "tit_for_tat" => paths.push(format!("parties.{party}.strategy.factor")),
                _ => {}
            }
        }
        paths
    }
}

/// The largest deadline accepted, to refuse absurd inputs up front.
pub const MAX_ROUNDS_LIMIT: f64 = 1_000_000.0;

/// Displays a [`ParamPath`] with the scenario's names.
pub struct PathDisplay<'a> {
    path: &'a ParamPath,
    scenario: &'a Scenario,
}

impl fmt::Display for PathDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let party = |p: usize| self.scenario.parties()[p].id();
        match self.path {
            ParamPath::BreakdownRisk => write!(f, "scenario.breakdown_risk"),
            ParamPath::MaxRounds => write!(f, "scenario.max_rounds"),
            ParamPath::Reservation(p) => write!(f, "parties.{}.reservation", party(*p)),
            ParamPath::Discount(p) => write!(f, "parties.{}.discount", party(*p)),
            ParamPath::Weight(p, i) => {
                write!(f, "parties.{}.weights.{}", party(*p), self.scenario.issues()[*i].id())
            }
            ParamPath::Exponent(p, _) => write!(f, "parties.{}.strategy.exponent", party(*p)),
            ParamPath::Factor(p) => write!(f, "parties.{}.strategy.factor", party(*p)),
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
