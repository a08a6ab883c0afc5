//! The first layer of a run's results: what happened, in numbers, by party index.
//!
//! A [`RunSummary`] is computed once from the engine's result. It is typed and serde-free, so
//! that a sweep can turn millions of runs into rows without building records, and every
//! renderer (run.json, the transcript, a sweep row) reads the same numbers.

use crate::model::Scenario;
use crate::protocol::End;

/// What a run ended with: how, when, the terms and what each party got.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSummary {
    /// How the talks ended, with the round and the terms of a deal.
    pub end: End,
    /// Each party's undiscounted utility of the deal (parameters at the end); `None` without a deal.
    pub utilities: Option<Vec<f64>>,
    /// Each party's utility of the deal discounted to its round; `None` without a deal.
    pub discounted_utilities: Option<Vec<f64>>,
    /// Each party's reservation value when the talks ended (events may have moved it).
    pub reservations: Vec<f64>,
    /// What each party ends with: the discounted utility of the deal, or its reservation value.
    pub payoffs: Vec<f64>,
}

impl RunSummary {
    /// Summarizes a run that ended with `end`, with `state` the scenario's parameters as they
    /// stood at the end (the engine's final state).
    pub fn new(end: End, state: &Scenario) -> RunSummary {
        let parties = state.parties();
        let utilities: Option<Vec<f64>> =
            end.terms().map(|t| parties.iter().map(|p| p.utility(t)).collect());
        let discounted_utilities: Option<Vec<f64>> = utilities
            .as_ref()
            .map(|u| u.iter().zip(parties).map(|(u, p)| u * p.discount_at(end.round())).collect());
        let reservations: Vec<f64> = parties.iter().map(|p| p.reservation()).collect();
        let payoffs = match &discounted_utilities {
            Some(d) => d.clone(),
            None => reservations.clone(),
        };
        RunSummary { end, utilities, discounted_utilities, reservations, payoffs }
    }

    /// True if the talks ended in a deal.
    pub fn agreed(&self) -> bool {
        self.utilities.is_some()
    }

    /// Party `p`'s gain over walking away: payoff minus reservation value.
    pub fn gain(&self, p: usize) -> f64 {
        self.payoffs[p] - self.reservations[p]
    }

    /// The sum of payoffs.
    pub fn total_payoff(&self) -> f64 {
        self.payoffs.iter().sum()
    }

    /// The sum of undiscounted utilities of the deal; `None` without a deal.
    pub fn total_utility(&self) -> Option<f64> {
        self.utilities.as_ref().map(|u| u.iter().sum())
    }
}
