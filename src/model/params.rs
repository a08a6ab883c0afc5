//! Parameters as a value: the numbers (and strategy choices) a path can set, apart from the
//! scenario's structure, and the one place that decides whether a change is valid.
//!
//! A [`Scenario`] is a structure (ids, names, issues, value-function shapes, which issues each
//! party values, order, events) and a [`Params`] (reservations, discounts, raw weights,
//! strategies with their parameters, `max_rounds`, `breakdown_risk`): exactly what a
//! [`ParamPath`] addresses. [`Params::apply`] holds every rule about assignments; the event
//! validator, sweep axes and (later) sensitivity all call it, so a value one of them accepts
//! the others accept too.

use std::fmt;

use crate::model::kinds::{Bounds, StrategyKind, number_word};
use crate::model::{MAX_ROUNDS_LIMIT, ParamPath, Scenario, StrategySpec};

/// The settable parameters of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    /// Deadline in rounds.
    pub max_rounds: u32,
    /// Chance per round of an exogenous breakdown.
    pub breakdown_risk: f64,
    /// Per party, in file order.
    pub parties: Vec<PartyParams>,
}

/// One party's settable parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct PartyParams {
    /// Utility of walking away.
    pub reservation: f64,
    /// Per-round discount factor.
    pub discount: f64,
    /// Weights as the scenario gave them, before normalization (one per issue).
    pub raw_weights: Vec<f64>,
    /// The strategy and its parameters.
    pub strategy: StrategySpec,
}

/// A value at a path: a number, or (at `parties.<id>.strategy`) a strategy kind, which comes
/// with its default parameters.
#[derive(Clone, Copy, Debug)]
pub enum ParamValue {
    /// A number.
    Number(f64),
    /// A strategy kind (one with a default form: see [`StrategyKind::default_spec`]).
    Kind(&'static StrategyKind),
}

impl PartialEq for ParamValue {
    fn eq(&self, other: &ParamValue) -> bool {
        match (self, other) {
            (ParamValue::Number(a), ParamValue::Number(b)) => a == b,
            (ParamValue::Kind(a), ParamValue::Kind(b)) => a.name == b.name,
            _ => false,
        }
    }
}

impl From<f64> for ParamValue {
    fn from(x: f64) -> ParamValue {
        ParamValue::Number(x)
    }
}

/// The number as Rust prints it (`0.5`, `2`), or the kind's name.
impl fmt::Display for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamValue::Number(x) => write!(f, "{x}"),
            ParamValue::Kind(k) => f.write_str(k.name),
        }
    }
}

/// A change that cannot be made: the path as written and what is wrong with it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("`{path}`: {problem}")]
pub struct ParamError {
    /// The dotted path.
    pub path: String,
    /// What is wrong.
    pub problem: ParamProblem,
}

/// What is wrong with a change. Each message says what is allowed; [`ParamError::help`] says
/// how to fix it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamProblem {
    /// A number outside the path's range.
    #[error("expected {what} {bounds}, got {value}")]
    OutOfRange {
        /// What the path holds ("a utility", "a boulware exponent").
        what: String,
        /// The allowed range.
        bounds: Bounds,
        /// The value given.
        value: f64,
    },
    /// A fractional number of rounds.
    #[error("expected a whole number of rounds, got {value}")]
    NotWhole {
        /// The value given.
        value: f64,
    },
    /// Text that is not a finite number, at a numeric path.
    #[error("expected a number, got `{text}`")]
    NotANumber {
        /// The text given.
        text: String,
    },
    /// A number too close to 0 for a float: it would be read as 0.
    #[error("`{text}` is too small to tell from 0 (it would be read as 0)")]
    Underflow {
        /// The text given.
        text: String,
    },
    /// A strategy kind at a numeric path, or a number at `parties.<id>.strategy`.
    #[error("expected {expected}, got {got}")]
    WrongType {
        /// "a number" or "a strategy kind".
        expected: &'static str,
        /// The value given.
        got: String,
    },
    /// A name that is no strategy kind a path can choose.
    #[error("`{text}` is not a strategy kind a path can choose; kinds are {kinds}")]
    UnknownKind {
        /// The text given.
        text: String,
        /// The choosable kinds, quoted and comma-separated.
        kinds: String,
    },
    /// The party's current strategy has no such parameter.
    #[error("party `{party}` plays `{kind}`, which has no {param}{takers}")]
    NoSuchParameter {
        /// The party id.
        party: String,
        /// Its current kind.
        kind: &'static str,
        /// The parameter named by the path.
        param: &'static str,
        /// "; only boulware, conceder do" or empty.
        takers: String,
    },
    /// A weight given to an issue the party has no value function for.
    #[error("gives weight to `{issue}`, for which `{party}` has no ideal or value")]
    UnvaluedIssue {
        /// The party id.
        party: String,
        /// The issue id.
        issue: String,
    },
    /// A weight change that leaves every weight of the party at 0.
    #[error("leaves every weight of `{party}` at 0")]
    AllWeightsZero {
        /// The party id.
        party: String,
    },
    /// A weight change after which the party's weights sum to more than floating point
    /// holds, or to too little to divide by (normalizing would give zeros or garbage).
    #[error("makes the weights of `{party}` sum to {sum:e}, outside what can be normalized")]
    WeightSumOutOfRange {
        /// The party id.
        party: String,
        /// The sum after the change.
        sum: f64,
    },
    /// A kind defined only for another number of parties.
    #[error("`{kind}` needs exactly {} parties, the scenario has {has}", number_word(*.needs))]
    PartyCount {
        /// The kind.
        kind: &'static str,
        /// How many parties it needs.
        needs: usize,
        /// How many the scenario has.
        has: usize,
    },
}

impl ParamError {
    /// How to fix it, in one line (may be empty).
    pub fn help(&self) -> String {
        match &self.problem {
            ParamProblem::OutOfRange { .. } | ParamProblem::NotWhole { .. } => {
                "a value must lie in the same range as the field itself (see docs/scenario.md)"
                    .into()
            }
            ParamProblem::NotANumber { .. } => "write a plain number such as 0.4".into(),
            ParamProblem::Underflow { .. } => "write 0, or a number such as 1e-300".into(),
            ParamProblem::WrongType { expected, .. } if *expected == "a number" => {
                "only `parties.<id>.strategy` takes a strategy kind".into()
            }
            ParamProblem::WrongType { .. } | ParamProblem::UnknownKind { .. } => format!(
                "give a kind name: {}",
                StrategyKind::choosable().map(|k| k.name).collect::<Vec<_>>().join(", ")
            ),
            ParamProblem::NoSuchParameter { kind: "linear", param: "exponent", .. } => {
                "linear's exponent is fixed at 1; give the party kind = \"time_dependent\" \
                 to vary the exponent"
                    .into()
            }
            ParamProblem::NoSuchParameter { .. } => {
                "set the party's strategy to a kind that takes this parameter first".into()
            }
            ParamProblem::UnvaluedIssue { issue, .. } => {
                format!("add `{issue}` to the party's `ideal` (or a `value.{issue}` table)")
            }
            ParamProblem::AllWeightsZero { .. } => {
                "at least one issue must still matter to the party".into()
            }
            ParamProblem::WeightSumOutOfRange { .. } => {
                "only the weights' ratios matter: keep their sum between 1e-290 and about \
                 1.8e308, say at 1"
                    .into()
            }
            ParamProblem::PartyCount { .. } => "pick another strategy".into(),
        }
    }
}

impl Params {
    /// Applies `changes` in order and returns the new parameters, or the first change that
    /// is not allowed. Every rule about assignments lives here: the path's range (the same
    /// as the field's in a scenario file, for the party's strategy as it stands after the
    /// earlier changes), whole rounds, a weight only on an issue the party values and never
    /// all weights 0, a strategy kind only with a default form and the right party count.
    pub fn apply(
        &self,
        structure: &Scenario,
        changes: &[(ParamPath, ParamValue)],
    ) -> Result<Params, ParamError> {
        let mut next = self.clone();
        for (path, value) in changes {
            next.apply_one(structure, path, *value)?;
        }
        Ok(next)
    }

    /// Applies one change in place (see [`Params::apply`]); on error nothing changes.
    pub fn apply_one(
        &mut self,
        structure: &Scenario,
        path: &ParamPath,
        value: ParamValue,
    ) -> Result<(), ParamError> {
        let fail = |problem| ParamError { path: path.display(structure).to_string(), problem };
        let party_id = |p: usize| structure.parties()[p].id().to_string();
        if let ParamPath::Strategy(p) = *path {
            let ParamValue::Kind(kind) = value else {
                return Err(fail(ParamProblem::WrongType {
                    expected: "a strategy kind",
                    got: value.to_string(),
                }));
            };
            let spec = kind.default_spec().ok_or_else(|| {
                fail(ParamProblem::UnknownKind { text: kind.name.into(), kinds: choosable() })
            })?;
            let has = structure.parties().len();
            if let Some(needs) = kind.parties
                && needs != has
            {
                return Err(fail(ParamProblem::PartyCount { kind: kind.name, needs, has }));
            }
            self.parties[p].strategy = spec;
            return Ok(());
        }
        let x = match value {
            ParamValue::Number(x) => x,
            ParamValue::Kind(k) => {
                return Err(fail(ParamProblem::WrongType {
                    expected: "a number",
                    got: k.name.to_string(),
                }));
            }
        };
        let (what, bounds) = match path {
            ParamPath::StrategyParam(p, name) => {
                let spec = &self.parties[*p].strategy;
                let kind = StrategyKind::of(spec);
                match kind.param(name).filter(|k| k.settable) {
                    Some(param) => (format!("a {} {name}", kind.name), param.bounds),
                    None => {
                        return Err(fail(ParamProblem::NoSuchParameter {
                            party: party_id(*p),
                            kind: kind.name,
                            param: name,
                            takers: takers(name),
                        }));
                    }
                }
            }
            other => other.number_bounds().expect("numeric path"),
        };
        if !bounds.contains(x) {
            return Err(fail(ParamProblem::OutOfRange { what, bounds, value: x }));
        }
        match *path {
            ParamPath::BreakdownRisk => self.breakdown_risk = x,
            ParamPath::MaxRounds => {
                if x.fract() != 0.0 {
                    return Err(fail(ParamProblem::NotWhole { value: x }));
                }
                self.max_rounds = x as u32;
            }
            ParamPath::Reservation(p) => self.parties[p].reservation = x,
            ParamPath::Discount(p) => self.parties[p].discount = x,
            ParamPath::Weight(p, i) => {
                let party = &structure.parties()[p];
                if x > 0.0 && !party.values_issue(i) {
                    return Err(fail(ParamProblem::UnvaluedIssue {
                        party: party_id(p),
                        issue: structure.issues()[i].id().to_string(),
                    }));
                }
                let weights = &self.parties[p].raw_weights;
                let rest: f64 =
                    weights.iter().enumerate().filter(|(j, _)| *j != i).map(|(_, w)| w).sum();
                if rest + x <= 0.0 {
                    return Err(fail(ParamProblem::AllWeightsZero { party: party_id(p) }));
                }
                if !(1e-290..=f64::MAX).contains(&(rest + x)) {
                    let sum = rest + x;
                    return Err(fail(ParamProblem::WeightSumOutOfRange {
                        party: party_id(p),
                        sum,
                    }));
                }
                self.parties[p].raw_weights[i] = x;
            }
            ParamPath::StrategyParam(p, name) => {
                let done = self.parties[p].strategy.set_param(name, x);
                debug_assert!(done, "checked against the kind above");
            }
            ParamPath::Strategy(_) => unreachable!("handled above"),
        }
        Ok(())
    }
}

impl ParamPath {
    /// What a numeric path holds and its range, for every path whose range does not depend
    /// on the party's strategy; `None` for `Strategy` and `StrategyParam`.
    pub fn number_bounds(&self) -> Option<(String, Bounds)> {
        let (what, bounds) = match self {
            ParamPath::BreakdownRisk => ("a probability", Bounds::closed_open(0.0, 1.0)),
            ParamPath::MaxRounds => ("a number of rounds", Bounds::closed(1.0, MAX_ROUNDS_LIMIT)),
            ParamPath::Reservation(_) => ("a utility", Bounds::closed(0.0, 1.0)),
            ParamPath::Discount(_) => ("a discount factor", Bounds::open_closed(0.0, 1.0)),
            ParamPath::Weight(..) => ("a weight", Bounds::at_least(0.0)),
            ParamPath::Strategy(_) | ParamPath::StrategyParam(..) => return None,
        };
        Some((what.to_string(), bounds))
    }

    /// Reads a value for this path from text: a number, or at `parties.<id>.strategy` a kind
    /// name. Ranges are checked by [`Params::apply`], which knows the party's strategy.
    pub fn parse_value(&self, text: &str) -> Result<ParamValue, ParamProblem> {
        let text = text.trim();
        if let ParamPath::Strategy(_) = self {
            return match StrategyKind::choosable().find(|k| k.name == text) {
                Some(kind) => Ok(ParamValue::Kind(kind)),
                None => Err(ParamProblem::UnknownKind { text: text.into(), kinds: choosable() }),
            };
        }
        parse_number(text).map(ParamValue::Number)
    }
}

/// A finite number written as `text` (surrounding blanks ignored): neither infinite, NaN,
/// out of range (`1e400`), nor so small that it would silently be read as 0 (`1e-400`).
pub fn parse_number(text: &str) -> Result<f64, ParamProblem> {
    let text = text.trim();
    match text.parse::<f64>() {
        Ok(x) if x.is_finite() => {
            let mantissa = text.split(['e', 'E']).next().unwrap_or_default();
            if x == 0.0 && mantissa.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
                Err(ParamProblem::Underflow { text: text.into() })
            } else {
                Ok(x)
            }
        }
        _ => Err(ParamProblem::NotANumber { text: text.into() }),
    }
}

/// The kinds a path can choose, quoted.
fn choosable() -> String {
    StrategyKind::choosable().map(|k| format!("`{}`", k.name)).collect::<Vec<_>>().join(", ")
}

/// "; only boulware, conceder and time_dependent do" for a parameter name.
pub(crate) fn takers(param: &str) -> String {
    let kinds: Vec<&str> = crate::model::kinds::STRATEGY_KINDS
        .iter()
        .filter(|k| k.param(param).is_some_and(|p| p.settable))
        .map(|k| k.name)
        .collect();
    match kinds.as_slice() {
        [] => String::new(),
        [one] => format!("; only {one} does"),
        [init @ .., last] => format!("; only {} and {last} do", init.join(", ")),
    }
}

impl Params {
    /// The value at `path`: a number, or at `parties.<id>.strategy` the kind (`None` for a
    /// strategy parameter the party's kind does not take).
    pub fn get(&self, path: &ParamPath) -> Option<ParamValue> {
        let number = |x: f64| Some(ParamValue::Number(x));
        match path {
            ParamPath::BreakdownRisk => number(self.breakdown_risk),
            ParamPath::MaxRounds => number(f64::from(self.max_rounds)),
            ParamPath::Reservation(p) => number(self.parties.get(*p)?.reservation),
            ParamPath::Discount(p) => number(self.parties.get(*p)?.discount),
            ParamPath::Weight(p, i) => number(*self.parties.get(*p)?.raw_weights.get(*i)?),
            ParamPath::Strategy(p) => {
                StrategyKind::named(self.parties.get(*p)?.strategy.kind()).map(ParamValue::Kind)
            }
            ParamPath::StrategyParam(p, name) => {
                self.parties.get(*p)?.strategy.param(name).and_then(number)
            }
        }
    }
}

impl Scenario {
    /// The scenario's settable parameters as they stand.
    pub fn params(&self) -> Params {
        Params {
            max_rounds: self.max_rounds(),
            breakdown_risk: self.breakdown_risk(),
            parties: self
                .parties()
                .iter()
                .map(|p| PartyParams {
                    reservation: p.reservation(),
                    discount: p.discount(),
                    raw_weights: p.raw_weights().to_vec(),
                    strategy: p.strategy().clone(),
                })
                .collect(),
        }
    }

    /// This scenario's structure with other parameters, which must come from
    /// [`Params::apply`] on this scenario (or from [`Scenario::params`]).
    pub fn with_params(&self, params: &Params) -> Scenario {
        let mut out = self.clone();
        out.set_params(params);
        out
    }

    /// The scenario with `changes` applied in order, or the first change that is not allowed.
    /// What a sweep runs at each design point. The scenario's events must still apply on top
    /// of the new parameters (an event that sets a strategy parameter of a party whose kind a
    /// change replaced is an error), so that a run on the result cannot fail.
    pub fn with_changes(
        &self,
        changes: &[(ParamPath, ParamValue)],
    ) -> Result<Scenario, ParamError> {
        let params = self.params().apply(self, changes)?;
        let out = self.with_params(&params);
        out.check_events()?;
        Ok(out)
    }
}

impl Scenario {
    /// Checks that every event's changes apply, in round order, on top of the parameters
    /// as they stand (what the engine will do).
    pub(crate) fn check_events(&self) -> Result<(), ParamError> {
        let mut params = self.params();
        for event in self.events() {
            params = params.apply(self, &event.changes)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::check_str;

    const TOML: &str = r#"
[scenario]
name = "t"
max_rounds = 20

[[issues]]
id = "share"
range = [0, 100]

[[issues]]
id = "guarantee"
levels = ["none", "weak", "strong"]

[[parties]]
id = "us"
reservation = 0.2
strategy = { kind = "boulware", exponent = 0.3 }
weights = { share = 0.6, guarantee = 0.4 }
ideal = { share = 100, guarantee = "none" }

[[parties]]
id = "ua"
reservation = 0.2
strategy = { kind = "linear" }
weights = { share = 0.0, guarantee = 1.0 }
ideal = { guarantee = "strong" }
"#;

    fn scenario() -> Scenario {
        check_str("t.toml", TOML).scenario.expect("valid")
    }

    fn change(s: &Scenario, path: &str, value: &str) -> Result<Params, ParamError> {
        let path = ParamPath::parse(path, s).expect("path");
        let value = path.parse_value(value).expect("value");
        s.params().apply(s, &[(path, value)])
    }

    fn problem(s: &Scenario, path: &str, value: &str) -> String {
        change(s, path, value).unwrap_err().to_string()
    }

    #[test]
    fn numbers_in_range_are_applied() {
        let s = scenario();
        let p = change(&s, "parties.us.reservation", "0.45").unwrap();
        assert_eq!(p.parties[0].reservation, 0.45);
        let p = change(&s, "scenario.max_rounds", "30").unwrap();
        assert_eq!(p.max_rounds, 30);
        let p = change(&s, "parties.us.strategy.exponent", "0.5").unwrap();
        assert_eq!(p.parties[0].strategy.param("exponent"), Some(0.5));
        assert_eq!(s.with_params(&p).parties()[0].strategy().param("exponent"), Some(0.5));
    }

    #[test]
    fn out_of_range_values_say_what_is_allowed() {
        let s = scenario();
        assert_eq!(
            problem(&s, "parties.us.reservation", "1.5"),
            "`parties.us.reservation`: expected a utility in [0, 1], got 1.5"
        );
        assert_eq!(
            problem(&s, "parties.us.strategy.exponent", "2"),
            "`parties.us.strategy.exponent`: expected a boulware exponent in (0, 1), got 2"
        );
        assert_eq!(
            problem(&s, "scenario.max_rounds", "2.5"),
            "`scenario.max_rounds`: expected a whole number of rounds, got 2.5"
        );
        assert_eq!(
            problem(&s, "scenario.breakdown_risk", "1"),
            "`scenario.breakdown_risk`: expected a probability in [0, 1), got 1"
        );
    }

    #[test]
    fn weights_only_on_valued_issues_and_never_all_zero() {
        let s = scenario();
        let err = change(&s, "parties.ua.weights.share", "0.5").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`parties.ua.weights.share`: gives weight to `share`, for which `ua` has no ideal or value"
        );
        assert_eq!(err.help(), "add `share` to the party's `ideal` (or a `value.share` table)");
        assert!(!s.parties()[1].values_issue(0));
        assert!(s.parties()[1].values_issue(1));
        assert_eq!(
            problem(&s, "parties.ua.weights.guarantee", "0"),
            "`parties.ua.weights.guarantee`: leaves every weight of `ua` at 0"
        );
        assert!(change(&s, "parties.us.weights.share", "0").is_ok());
    }

    #[test]
    fn a_strategy_kind_comes_with_its_default_parameters() {
        let s = scenario();
        let p = change(&s, "parties.ua.strategy", "tit_for_tat").unwrap();
        assert_eq!(
            p.parties[1].strategy,
            StrategySpec::TitForTat { factor: 1.0, initial_concession: 0.05 }
        );
        let p = change(&s, "parties.us.strategy", "rubinstein").unwrap();
        assert_eq!(p.parties[0].strategy, StrategySpec::Rubinstein);
        let path = ParamPath::parse("parties.us.strategy", &s).unwrap();
        assert_eq!(
            path.parse_value("scripted").unwrap_err().to_string(),
            "`scripted` is not a strategy kind a path can choose; kinds are `boulware`, \
             `linear`, `conceder`, `hardliner`, `tit_for_tat`, `zeuthen`, `rubinstein`"
        );
        assert!(path.parse_value("0.5").is_err());
    }

    #[test]
    fn later_changes_see_the_strategy_earlier_ones_chose() {
        let s = scenario();
        let kind = ParamPath::Strategy(1);
        let exponent = ParamPath::StrategyParam(1, "exponent");
        let err = s.params().apply(&s, &[(exponent.clone(), 3.0.into())]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`parties.ua.strategy.exponent`: party `ua` plays `linear`, which has no exponent; \
             only boulware, conceder and time_dependent do"
        );
        let conceder = kind.parse_value("conceder").unwrap();
        let p = s.params().apply(&s, &[(kind, conceder), (exponent, 3.0.into())]).unwrap();
        assert_eq!(p.parties[1].strategy.param("exponent"), Some(3.0));
    }

    #[test]
    fn numbers_parse_from_text_and_kinds_do_not_go_to_numeric_paths() {
        let s = scenario();
        let path = ParamPath::parse("parties.us.discount", &s).unwrap();
        assert_eq!(path.parse_value(" 0.9 ").unwrap(), ParamValue::Number(0.9));
        assert!(path.parse_value("inf").is_err());
        assert!(path.parse_value("high").is_err());
        let boulware = ParamPath::Strategy(0).parse_value("boulware").unwrap();
        assert_eq!(
            s.params().apply(&s, &[(path, boulware)]).unwrap_err().to_string(),
            "`parties.us.discount`: expected a number, got boulware"
        );
    }

    #[test]
    fn with_changes_is_params_apply_then_with_params() {
        let s = scenario();
        let path = ParamPath::parse("parties.us.reservation", &s).unwrap();
        let changed = s.with_changes(&[(path, 0.3.into())]).unwrap();
        assert_eq!(changed.parties()[0].reservation(), 0.3);
        assert_eq!(changed.params().apply(&changed, &[]).unwrap(), changed.params());
        assert_eq!(s.with_params(&s.params()), s);
    }
}
