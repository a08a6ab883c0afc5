//! The validated scenario: everything a run needs, with every name resolved to an index.

use crate::model::{Assumption, Issue, Outcome, ParamPath, ParamValue, Params, Party, SweepPlan};

/// A validated scenario. Built only by [`crate::scenario::load`] (or `from_str`), so a run on
/// it cannot fail.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    parts: ScenarioParts,
}

/// What a party knows about the others when it builds trade-off offers and weighs risks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Information {
    /// Every party knows every other party's weights, value functions and reservation.
    Complete,
    /// Parties know only their own preferences and estimate the others' from the offers they
    /// see (see `crate::protocol::opponent_model`).
    Learned,
}

impl Information {
    /// The spelling in scenario files.
    pub fn as_str(self) -> &'static str {
        match self {
            Information::Complete => "complete",
            Information::Learned => "learned",
        }
    }
}

/// An exogenous shock at a given round: parameter changes, or the end of the talks.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The round (0-based) at whose start the event applies, before the offer.
    pub round: u32,
    /// What happened, for transcripts and charts.
    pub description: String,
    /// Parameter changes, applied in file order (validated by [`Params::apply`]).
    pub changes: Vec<(ParamPath, ParamValue)>,
    /// True if the event ends the talks without a deal (after applying `changes`).
    pub ends_talks: bool,
}

/// What really happened, for comparison with the simulated deal.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The terms actually agreed.
    pub terms: Outcome,
    /// Where the figures come from, or any caveat.
    pub description: String,
    /// The round at which the real deal was struck, if the scenario says.
    pub round: Option<u32>,
}

/// The parts of a [`Scenario`], for the validator to assemble.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioParts {
    /// Display name.
    pub name: String,
    /// Free text.
    pub description: String,
    /// Deadline in rounds.
    pub max_rounds: u32,
    /// Base seed.
    pub seed: u64,
    /// Party indices in proposing/answering order (a permutation).
    pub order: Vec<usize>,
    /// Chance per round of an exogenous breakdown.
    pub breakdown_risk: f64,
    /// Information model.
    pub information: Information,
    /// Issues.
    pub issues: Vec<Issue>,
    /// Parties.
    pub parties: Vec<Party>,
    /// Events, sorted by round (stable: file order within a round).
    pub events: Vec<Event>,
    /// Observed deal, if any.
    pub observed: Option<Observed>,
    /// Declared assumptions (`[[assumptions]]`), in file order.
    pub assumptions: Vec<Assumption>,
    /// Declared sweeps (`[[sweeps]]`), in file order.
    pub sweeps: Vec<SweepPlan>,
}

impl Scenario {
    /// Assembles a scenario from validated parts.
    pub fn from_parts(parts: ScenarioParts) -> Scenario {
        Scenario { parts }
    }

    /// The parts, to assemble a changed scenario from.
    pub fn into_parts(self) -> ScenarioParts {
        self.parts
    }

    /// Display name.
    pub fn name(&self) -> &str {
        &self.parts.name
    }

    /// Free-text description (may be empty).
    pub fn description(&self) -> &str {
        &self.parts.description
    }

    /// Deadline: the talks end without a deal after this many rounds.
    pub fn max_rounds(&self) -> u32 {
        self.parts.max_rounds
    }

    /// Base seed for every random draw of a run.
    pub fn seed(&self) -> u64 {
        self.parts.seed
    }

    /// Party indices in order: the first proposes first; answers go round in this order.
    pub fn order(&self) -> &[usize] {
        &self.parts.order
    }

    /// Chance per round that outside events end the talks.
    pub fn breakdown_risk(&self) -> f64 {
        self.parts.breakdown_risk
    }

    /// Complete information or learned opponent models.
    pub fn information(&self) -> Information {
        self.parts.information
    }

    /// Issues, in file order.
    pub fn issues(&self) -> &[Issue] {
        &self.parts.issues
    }

    /// Parties, in file order.
    pub fn parties(&self) -> &[Party] {
        &self.parts.parties
    }

    /// Events, by round.
    pub fn events(&self) -> &[Event] {
        &self.parts.events
    }

    /// The real-world deal, if the scenario records one.
    pub fn observed(&self) -> Option<&Observed> {
        self.parts.observed.as_ref()
    }

    /// The declared sweeps, in file order.
    pub fn sweeps(&self) -> &[SweepPlan] {
        &self.parts.sweeps
    }

    /// The declared assumptions, in file order.
    pub fn assumptions(&self) -> &[Assumption] {
        &self.parts.assumptions
    }

    /// Index of the party with this id.
    pub fn party_index(&self, id: &str) -> Option<usize> {
        self.parts.parties.iter().position(|p| p.id() == id)
    }

    /// Index of the issue with this id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.parts.issues.iter().position(|i| i.id() == id)
    }

    /// Overrides the base seed (the `--seed` flag).
    pub fn set_seed(&mut self, seed: u64) {
        self.parts.seed = seed;
    }

    /// Replaces every settable parameter. `params` must come from [`Params::apply`] (or
    /// [`Scenario::params`]) on a scenario with this structure.
    pub(crate) fn set_params(&mut self, params: &Params) {
        debug_assert_eq!(params.parties.len(), self.parts.parties.len());
        self.parts.max_rounds = params.max_rounds;
        self.parts.breakdown_risk = params.breakdown_risk;
        for (party, p) in self.parts.parties.iter_mut().zip(&params.parties) {
            party.set_params(p);
        }
    }
}
