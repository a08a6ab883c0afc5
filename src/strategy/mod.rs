//! How parties behave: a [`Strategy`] decides what to offer and how to answer offers.
//!
//! Execution model: the engine (`crate::protocol::engine`) owns one boxed strategy per party
//! for the length of a run. When the party proposes, the engine calls [`Strategy::propose`];
//! when it must answer an offer, [`Strategy::respond`]. Both get a [`View`]: the party's own
//! parameters, the public record of offers and its beliefs about the others, nothing more.
//! Strategies hold only their own bookkeeping (say, the last target they offered at), see no
//! clock and draw no random numbers, so a run is a pure function of the scenario and seed.
//!
//! Offering and acceptance are separate components that strategies combine: most strategies
//! only say which *target utility* to aim for at a round ([`Strategy::target`]); the default
//! `propose` turns a target into a trade-off offer ([`offering`]) and the default `respond`
//! applies the "next" acceptance rule ([`acceptance::accept_next`]). The walk-away rule is
//! the protocol's, not a strategy's (see `crate::protocol`).

pub mod acceptance;
mod hardliner;
pub mod offering;
mod rubinstein;
mod scripted;
mod time_dependent;
mod tit_for_tat;
mod zeuthen;

pub use hardliner::Hardliner;
pub use rubinstein::{Rubinstein, rubinstein_share};
pub use scripted::Scripted;
pub use time_dependent::TimeDependent;
pub use tit_for_tat::TitForTat;
pub use zeuthen::Zeuthen;

use crate::model::{Outcome, StrategySpec};
use crate::protocol::View;

/// An answer to an offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Response {
    /// Agree to the offer as it stands.
    Accept,
    /// Turn it down; the party then makes a counteroffer as the next round's proposer.
    Reject,
    /// Leave the talks for good (no deal for anyone).
    WalkAway,
}

impl Response {
    /// The word used in transcripts and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Response::Accept => "accept",
            Response::Reject => "reject",
            Response::WalkAway => "walk_away",
        }
    }
}

/// A negotiation strategy. See the module docs for when each method is called.
pub trait Strategy {
    /// The own undiscounted utility this party would aim for with an offer made at `round`,
    /// given what it has seen so far. Must not change the strategy's state: the default
    /// `respond` calls it for the next round to decide whether to accept.
    fn target(&self, view: &View<'_>, round: u32) -> f64;

    /// The offer to make now. Default: the trade-off offer at this round's target, after
    /// which [`Strategy::offered`] is told the target.
    fn propose(&mut self, view: &View<'_>) -> Outcome {
        let target = self.target(view, view.round());
        self.offered(target);
        view.tradeoff_offer(target)
    }

    /// Called by the default `propose` with the target it offered at.
    fn offered(&mut self, _target: f64) {}

    /// The answer to `offer`. Default: accept by the "next" rule against the target this
    /// party would offer at next round.
    fn respond(&mut self, view: &View<'_>, offer: &Outcome) -> Response {
        acceptance::accept_next(view, offer, self.target(view, view.round() + 1))
    }
}

/// Builds the strategy a party's spec asks for.
pub fn build(spec: &StrategySpec) -> Box<dyn Strategy> {
    match spec {
        StrategySpec::TimeDependent { .. } => Box::new(TimeDependent),
        StrategySpec::Hardliner => Box::new(Hardliner),
        StrategySpec::TitForTat { .. } => Box::new(TitForTat::default()),
        StrategySpec::Zeuthen => Box::new(Zeuthen::default()),
        StrategySpec::Rubinstein => Box::new(Rubinstein),
        StrategySpec::Scripted { offers } => Box::new(Scripted::new(offers.clone())),
    }
}
