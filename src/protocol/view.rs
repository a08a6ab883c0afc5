//! What a party may see when it is its turn (cf. NegMAS's negotiator-mechanism interface).
//!
//! A [`View`] gives a strategy its own parameters (as changed by events so far), the public
//! record of offers, and its *beliefs* about the others. Under complete information the
//! beliefs are the others' true preferences and reservations; under learned information
//! they are estimates from the offers seen (`opponent_model`), and the others' reservation
//! values and discount factors are unknown (taken as 0 and as the party's own discount).

use std::cell::RefCell;

use crate::model::{Information, Outcome, Party, Preferences, Scenario};
use crate::strategy::offering::Plan;

/// One offer in the public record.
#[derive(Clone, Debug, PartialEq)]
pub struct OfferRecord {
    /// The round it was made in (0-based).
    pub round: u32,
    /// Index of the proposing party.
    pub proposer: usize,
    /// The terms.
    pub terms: Outcome,
}

/// A party's window on the negotiation at its turn.
pub struct View<'a> {
    pub(crate) me: usize,
    pub(crate) round: u32,
    pub(crate) scenario: &'a Scenario,
    pub(crate) history: &'a [OfferRecord],
    /// This party's beliefs about every party, or `None` under complete information, where
    /// they are the true preferences (borrowed from the scenario, never copied).
    pub(crate) beliefs: Option<&'a [Preferences]>,
    /// Offers made so far by each party.
    pub(crate) offers_by: &'a [u32],
    /// This party's trade-off plan, built on first use and kept by the engine until an
    /// event or a belief update changes the preferences it was built from.
    pub(crate) plan: &'a RefCell<Option<Plan>>,
    /// Buffers of offers the engine no longer holds, for new offers to be written into.
    pub(crate) spare: &'a RefCell<Vec<Vec<f64>>>,
}

impl<'a> View<'a> {
    /// Index of the party this view belongs to.
    pub fn me(&self) -> usize {
        self.me
    }

    /// The current round (0-based).
    pub fn round(&self) -> u32 {
        self.round
    }

    /// The deadline in rounds (talks end after round `max_rounds - 1`).
    pub fn max_rounds(&self) -> u32 {
        self.scenario.max_rounds()
    }

    /// Number of parties at the table.
    pub fn n_parties(&self) -> usize {
        self.scenario.parties().len()
    }

    /// This party, with its current parameters.
    pub fn party(&self) -> &'a Party {
        &self.scenario.parties()[self.me]
    }

    /// Indices of the other parties, in file order.
    pub fn others(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.n_parties()).filter(move |q| *q != self.me)
    }

    /// Every offer made so far, oldest first (including the one being answered, if any).
    pub fn history(&self) -> &'a [OfferRecord] {
        self.history
    }

    /// The most recent offer made by party `q`, if any.
    pub fn last_offer_by(&self, q: usize) -> Option<&'a OfferRecord> {
        self.history.iter().rev().find(|o| o.proposer == q)
    }

    /// The two most recent offers by party `q` (older first), if it has made two.
    pub fn last_two_offers_by(&self, q: usize) -> Option<(&'a Outcome, &'a Outcome)> {
        let mut by_q = self.history.iter().rev().filter(|o| o.proposer == q);
        let last = by_q.next()?;
        let before = by_q.next()?;
        Some((&before.terms, &last.terms))
    }

    /// The most recent offer by anyone else: the one on the table for this party.
    pub fn standing_offer(&self) -> Option<&'a OfferRecord> {
        self.history.iter().rev().find(|o| o.proposer != self.me)
    }

    /// Number of offers this party has made so far.
    pub fn n_own_offers(&self) -> usize {
        self.offers_by[self.me] as usize
    }

    /// This party's undiscounted utility of an outcome.
    pub fn utility(&self, outcome: &Outcome) -> f64 {
        self.party().utility(outcome)
    }

    /// The best undiscounted utility any outcome can give this party.
    pub fn best_utility(&self) -> f64 {
        self.party().preferences().max_utility()
    }

    /// The lowest undiscounted utility still worth more than walking away at `round`:
    /// `reservation / discount^round`, capped at the best utility.
    pub fn floor(&self, round: u32) -> f64 {
        let party = self.party();
        (party.reservation() / party.discount_at(round)).min(self.best_utility())
    }

    /// What this party believes party `q`'s preferences are (its own are exact).
    pub fn belief(&self, q: usize) -> &'a Preferences {
        match self.beliefs {
            Some(beliefs) => &beliefs[q],
            None => self.scenario.parties()[q].preferences(),
        }
    }

    /// What this party believes party `q`'s reservation value is (0 if unknown).
    pub fn believed_reservation(&self, q: usize) -> f64 {
        match self.scenario.information() {
            Information::Complete => self.scenario.parties()[q].reservation(),
            Information::Learned if q == self.me => self.party().reservation(),
            Information::Learned => 0.0,
        }
    }

    /// What this party believes party `q`'s discount factor is (its own if unknown).
    pub fn believed_discount(&self, q: usize) -> f64 {
        match self.scenario.information() {
            Information::Complete => self.scenario.parties()[q].discount(),
            Information::Learned => self.party().discount(),
        }
    }

    /// The offer meeting `target` (own undiscounted utility) that is best for the others as
    /// this party believes them to be. See [`crate::strategy::offering::tradeoff_offer`]; the engine keeps
    /// the party's [`Plan`] between offers, so this is a search of the plan's staircase and moves.
    pub fn tradeoff_offer(&self, target: f64) -> Outcome {
        let mut slot = self.plan.borrow_mut();
        if slot.as_ref().is_none_or(Plan::is_stale) {
            let others: Vec<&Preferences> = self.others().map(|q| self.belief(q)).collect();
            let (issues, own) = (self.scenario.issues(), self.party().preferences());
            match slot.as_mut() {
                Some(plan) => plan.rebuild(issues, own, &others),
                None => *slot = Some(Plan::new(issues, own, &others)),
            }
        }
        let plan = slot.as_mut().expect("built above");
        let buffer = self.spare.borrow_mut().pop().unwrap_or_default();
        plan.offer_into(target, buffer)
    }
}
