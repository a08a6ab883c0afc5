//! Parties: who sits at the table, what they want, and how they behave.

use crate::model::{Outcome, PartyParams, Preferences};

/// One party (a geopolitical actor) with its preferences, outside option and behaviour.
#[derive(Clone, Debug, PartialEq)]
pub struct Party {
    id: String,
    name: String,
    reservation: f64,
    discount: f64,
    strategy: StrategySpec,
    raw_weights: Vec<f64>,
    preferences: Preferences,
    /// Per issue: whether the party has a value function for it (an ideal or a value table).
    valued: Vec<bool>,
}

/// Which strategy a party plays, with its parameters (validated; see `crate::strategy`).
#[derive(Clone, Debug, PartialEq)]
pub enum StrategySpec {
    /// Faratin–Sierra–Jennings time-dependent concession from the best utility down to the
    /// reservation. `exponent < 1` concedes late (Boulware), `1` linearly, `> 1` early (Conceder).
    TimeDependent {
        /// Shape of the concession curve, > 0.
        exponent: f64,
        /// The name the scenario used: `boulware`, `linear`, `conceder` or `time_dependent`.
        family: TimeDependentFamily,
    },
    /// Always asks for its best outcome; accepts only what is (nearly) as good.
    Hardliner,
    /// Reciprocates the others' concessions, measured in its own utility.
    TitForTat {
        /// How much of the others' concession it gives back (1 = the same amount).
        factor: f64,
        /// The concession it opens with on its first counteroffer, in utility.
        initial_concession: f64,
    },
    /// Zeuthen's risk-based monotonic concession: the party less willing to risk conflict
    /// concedes, just enough to shift the risk balance.
    Zeuthen,
    /// The subgame-perfect Rubinstein (1982) strategy for two parties with discount factors.
    Rubinstein,
    /// Replays fixed offers in order (repeating the last), accepting by the "next" rule.
    Scripted {
        /// The offers to make, one per turn as proposer.
        offers: Vec<Outcome>,
    },
}

/// The four spellings of the time-dependent family in scenario files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeDependentFamily {
    /// `kind = "boulware"`: exponent below 1.
    Boulware,
    /// `kind = "linear"`: exponent exactly 1.
    Linear,
    /// `kind = "conceder"`: exponent above 1.
    Conceder,
    /// `kind = "time_dependent"`: any positive exponent.
    TimeDependent,
}

impl TimeDependentFamily {
    /// The family a scenario `kind` names, if it is one of the four.
    pub fn from_kind(kind: &str) -> Option<TimeDependentFamily> {
        match kind {
            "boulware" => Some(TimeDependentFamily::Boulware),
            "linear" => Some(TimeDependentFamily::Linear),
            "conceder" => Some(TimeDependentFamily::Conceder),
            "time_dependent" => Some(TimeDependentFamily::TimeDependent),
            _ => None,
        }
    }

    /// The `kind` string used in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeDependentFamily::Boulware => "boulware",
            TimeDependentFamily::Linear => "linear",
            TimeDependentFamily::Conceder => "conceder",
            TimeDependentFamily::TimeDependent => "time_dependent",
        }
    }
}

impl StrategySpec {
    /// The `kind` string used in scenario files.
    pub fn kind(&self) -> &'static str {
        match self {
            StrategySpec::TimeDependent { family, .. } => family.as_str(),
            StrategySpec::Hardliner => "hardliner",
            StrategySpec::TitForTat { .. } => "tit_for_tat",
            StrategySpec::Zeuthen => "zeuthen",
            StrategySpec::Rubinstein => "rubinstein",
            StrategySpec::Scripted { .. } => "scripted",
        }
    }
}

impl Party {
    /// Builds a party; scenario validation has checked every value.
    pub fn new(
        id: String,
        name: String,
        reservation: f64,
        discount: f64,
        strategy: StrategySpec,
        raw_weights: Vec<f64>,
        preferences: Preferences,
    ) -> Party {
        let valued = vec![true; raw_weights.len()];
        Party { id, name, reservation, discount, strategy, raw_weights, preferences, valued }
    }

    /// Marks the issues the party has no value function for (`valued[i]` false): they must
    /// keep weight 0, and their value function is the constant 0 (they count for nothing).
    pub fn valuing(mut self, valued: Vec<bool>) -> Party {
        assert_eq!(valued.len(), self.raw_weights.len(), "one flag per issue");
        self.valued = valued;
        self
    }

    /// Whether the party has a value function (an ideal or a value table) for issue `i`; a
    /// weight may go above 0 only on such an issue.
    pub fn values_issue(&self, i: usize) -> bool {
        self.valued[i]
    }

    /// The identifier used in scenario files, paths and outputs.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Utility of walking away (the BATNA), in `[0, 1]`.
    pub fn reservation(&self) -> f64 {
        self.reservation
    }

    /// Per-round discount factor in `(0, 1]`: a deal at round `r` is worth `discount^r` of itself.
    pub fn discount(&self) -> f64 {
        self.discount
    }

    /// The strategy and its parameters.
    pub fn strategy(&self) -> &StrategySpec {
        &self.strategy
    }

    /// Weights as the scenario gave them (before normalization).
    pub fn raw_weights(&self) -> &[f64] {
        &self.raw_weights
    }

    /// Normalized weights and value functions.
    pub fn preferences(&self) -> &Preferences {
        &self.preferences
    }

    /// Undiscounted utility of an outcome.
    pub fn utility(&self, outcome: &Outcome) -> f64 {
        self.preferences.utility(outcome)
    }

    /// Utility of an outcome agreed at `round` (0-based): `utility * discount^round`.
    pub fn discounted_utility(&self, outcome: &Outcome, round: u32) -> f64 {
        self.utility(outcome) * self.discount_at(round)
    }

    /// `discount^round`.
    pub fn discount_at(&self, round: u32) -> f64 {
        // No discounting (the common case) needs no power: 1^r is exactly 1. The power sits
        // behind a call the optimizer cannot hoist above the test (it would compute it
        // anyway, as `powi` is free of side effects).
        if self.discount == 1.0 { 1.0 } else { powi(self.discount, round as i32) }
    }

    pub(crate) fn set_params(&mut self, params: &PartyParams) {
        self.reservation = params.reservation;
        self.discount = params.discount;
        self.strategy = params.strategy.clone();
        if self.raw_weights != params.raw_weights {
            self.raw_weights.clone_from(&params.raw_weights);
            self.preferences.set_weights(&self.raw_weights);
        }
    }
}

#[inline(never)]
fn powi(x: f64, n: i32) -> f64 {
    x.powi(n)
}
