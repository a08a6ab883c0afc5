//! Dotted parameter paths: the one way events (and sweeps) address a parameter of a scenario.
//!
//! `parties.us.reservation`, `parties.ukraine.weights.security_guarantee`,
//! `scenario.breakdown_risk`, `parties.us.strategy` (a strategy kind)... A path is resolved
//! once against a scenario into a [`ParamPath`] (indices, not names); a value is read for it
//! with [`ParamPath::parse_value`] and checked and applied by [`crate::model::Params::apply`].

use std::fmt;

use crate::model::Scenario;
use crate::model::kinds::{STRATEGY_KINDS, StrategyKind};

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
    /// `parties.<id>.strategy`: the strategy kind, with its default parameters (categorical).
    Strategy(usize),
    /// `parties.<id>.strategy.<parameter>`: a settable parameter of the party's strategy kind
    /// (`exponent`, `factor`, `initial_concession`; see `crate::model::kinds`). Its range
    /// is the kind's, as in the file.
    StrategyParam(usize, &'static str),
}

/// The settable paths, as patterns, for help texts.
pub const PATH_PATTERNS: &[&str] = &[
    "scenario.breakdown_risk",
    "scenario.max_rounds",
    "parties.<party>.reservation",
    "parties.<party>.discount",
    "parties.<party>.weights.<issue>",
    "parties.<party>.strategy",
    "parties.<party>.strategy.exponent",
    "parties.<party>.strategy.factor",
    "parties.<party>.strategy.initial_concession",
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
    ///
    /// A strategy parameter must be one the party's strategy kind takes (a sweep that also
    /// switches the kind is checked again by [`crate::model::Params::apply`]).
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
                    ["strategy"] => Ok(ParamPath::Strategy(p)),
                    ["strategy", param] => {
                        // The parameter's static name, if any kind takes it.
                        let Some(name) = STRATEGY_KINDS
                            .iter()
                            .flat_map(|k| k.params)
                            .find(|q| q.name == *param && q.settable)
                            .map(|q| q.name)
                        else {
                            return Err(unknown());
                        };
                        let kind = names.strategies[p];
                        match StrategyKind::named(kind) {
                            // An unknown kind is reported where the kind is written.
                            None => Ok(ParamPath::StrategyParam(p, name)),
                            Some(k) if k.param(name).is_some_and(|q| q.settable) => {
                                Ok(ParamPath::StrategyParam(p, name))
                            }
                            Some(_) if kind == "linear" && name == "exponent" => Err(format!(
                                "`{text}`: party `{party}` plays `linear`, whose exponent is fixed \
                                 at 1; give it kind = \"time_dependent\" to vary the exponent"
                            )),
                            Some(_) => Err(format!(
                                "`{text}`: party `{party}` plays `{kind}`, which has no \
                                 {name}{}",
                                crate::model::params::takers(name)
                            )),
                        }
                    }
                    _ => Err(unknown()),
                }
            }
            _ => Err(unknown()),
        }
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
            paths.push(format!("parties.{party}.strategy"));
            if let Some(k) = StrategyKind::named(kind) {
                for param in k.params.iter().filter(|q| q.settable) {
                    paths.push(format!("parties.{party}.strategy.{}", param.name));
                }
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
            ParamPath::Strategy(p) => write!(f, "parties.{}.strategy", party(*p)),
            ParamPath::StrategyParam(p, name) => {
                write!(f, "parties.{}.strategy.{name}", party(*p))
            }
        }
    }
}

fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    names.map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
}
