//! The negotiation loop: stacked alternating offers for two or more parties.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{Information, Outcome, ParamPath, Preferences, Scenario};
use crate::protocol::opponent_model;
use crate::protocol::{Observer, OfferRecord, View};
use crate::strategy::{self, Response, Strategy, acceptance::TOLERANCE};

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    /// Every party accepted `terms`, offered by `proposer` at `round`.
    Agreement {
        /// The round of the accepted offer (0-based).
        round: u32,
        /// Who made the accepted offer.
        proposer: usize,
        /// The agreed terms.
        terms: Outcome,
    },
    /// No deal by the deadline.
    Deadline {
        /// The number of rounds played.
        rounds: u32,
    },
    /// `party` left the talks at `round`.
    WalkOut {
        /// The round of the walk-out.
        round: u32,
        /// Who walked out.
        party: usize,
    },
    /// Outside events ended the talks at the start of `round`.
    Breakdown {
        /// The round that did not happen.
        round: u32,
        /// The scheduled event that ended the talks (its index in [`Scenario::events`]), or
        /// `None` for a random breakdown drawn from `breakdown_risk`.
        event: Option<usize>,
    },
}

impl End {
    /// The agreed terms, if any.
    pub fn terms(&self) -> Option<&Outcome> {
        match self {
            End::Agreement { terms, .. } => Some(terms),
            _ => None,
        }
    }

    /// The round at which the talks ended (for a deadline: the number of rounds played).
    pub fn round(&self) -> u32 {
        match self {
            End::Agreement { round, .. }
            | End::WalkOut { round, .. }
            | End::Breakdown { round, .. } => *round,
            End::Deadline { rounds } => *rounds,
        }
    }

    /// A one-word name: `agreement`, `deadline`, `walk_out` or `breakdown`.
    pub fn kind(&self) -> &'static str {
        match self {
            End::Agreement { .. } => "agreement",
            End::Deadline { .. } => "deadline",
            End::WalkOut { .. } => "walk_out",
            End::Breakdown { .. } => "breakdown",
        }
    }
}

/// The result of one run.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// How the talks ended.
    pub end: End,
    /// The scenario's parameters as they stood at the end (after every event applied).
    /// This is the bargaining problem the outcome is analysed against.
    pub final_state: Scenario,
}

/// Plays one negotiation out. All randomness comes from `rng`; steps are reported to
/// `observer` as they happen.
///
/// Each round: the events scheduled for it apply; the breakdown risk is drawn (one uniform
/// number per round, whatever the risk, so that runs differing only in risk share their
/// draws); the proposer offers; the others answer in `order`, cyclically after the
/// proposer. The first to reject becomes the next round's proposer (its counteroffer is
/// the next offer); if all accept, that is the deal. Before every turn the protocol's
/// walk-away rule applies: a party leaves when even its best possible deal, discounted to
/// the current round, is worth less than its reservation value.
pub fn run_negotiation(
    scenario: &Scenario,
    rng: &mut ChaCha8Rng,
    observer: &mut dyn Observer,
) -> RunResult {
    let mut state = scenario.clone();
    let n = state.parties().len();
    let mut strategies: Vec<Box<dyn Strategy>> =
        state.parties().iter().map(|p| strategy::build(p.strategy())).collect();
    let mut beliefs = initial_beliefs(&state);
    let mut history: Vec<OfferRecord> = Vec::new();
    let mut proposer = state.order()[0];
    let mut next_event = 0;
    let events = scenario.events();

    let end = 'talks: {
        let mut round = 0;
        loop {
            if round >= state.max_rounds() {
                break 'talks End::Deadline { rounds: round };
            }
            while next_event < events.len() && events[next_event].round <= round {
                let event = &events[next_event];
                let params = state
                    .params()
                    .apply(&state, &event.changes)
                    .expect("validation (or Scenario::with_changes) checked every event");
                state.set_params(&params);
                for (path, _) in &event.changes {
                    if let ParamPath::Strategy(p) = *path {
                        strategies[p] = strategy::build(state.parties()[p].strategy());
                    }
                }
                observer.event(round, event, &state);
                if state.information() == Information::Complete {
                    beliefs = initial_beliefs(&state);
                }
                if event.ends_talks {
                    break 'talks End::Breakdown { round, event: Some(next_event) };
                }
                next_event += 1;
            }
            // An event may have moved the deadline.
            if round >= state.max_rounds() {
                break 'talks End::Deadline { rounds: round };
            }
            let draw: f64 = rng.random();
            if draw < state.breakdown_risk() {
                break 'talks End::Breakdown { round, event: None };
            }
            if walks_away(&state, proposer, round) {
                break 'talks End::WalkOut { round, party: proposer };
            }
            let terms =
                strategies[proposer].propose(&view(proposer, round, &state, &history, &beliefs));
            observer.offer(round, proposer, &terms, &state);
            history.push(OfferRecord { round, proposer, terms: terms.clone() });
            if state.information() == Information::Learned {
                learn(&state, &mut beliefs, &history, proposer);
            }
            let start =
                state.order().iter().position(|p| *p == proposer).expect("proposer in order");
            let mut rejected_by = None;
            for step in 1..n {
                let party = state.order()[(start + step) % n];
                let response = if walks_away(&state, party, round) {
                    Response::WalkAway
                } else {
                    strategies[party]
                        .respond(&view(party, round, &state, &history, &beliefs), &terms)
                };
                observer.response(round, party, response);
                match response {
                    Response::Accept => {}
                    Response::WalkAway => break 'talks End::WalkOut { round, party },
                    Response::Reject => {
                        rejected_by = Some(party);
                        break;
                    }
                }
            }
            match rejected_by {
                None => break 'talks End::Agreement { round, proposer, terms },
                Some(party) => proposer = party,
            }
            round += 1;
        }
    };
    observer.end(&end);
    RunResult { end, final_state: state }
}

/// What party `me` sees at `round`.
fn view<'a>(
    me: usize,
    round: u32,
    scenario: &'a Scenario,
    history: &'a [OfferRecord],
    beliefs: &'a [Vec<Preferences>],
) -> View<'a> {
    View { me, round, scenario, history, beliefs: &beliefs[me] }
}

/// The walk-away rule: no deal can beat the reservation value any more.
fn walks_away(state: &Scenario, party: usize, round: u32) -> bool {
    let p = &state.parties()[party];
    p.preferences().max_utility() * p.discount_at(round) + TOLERANCE < p.reservation()
}

/// `beliefs[p][q]`: what party `p` believes party `q`'s preferences are.
fn initial_beliefs(state: &Scenario) -> Vec<Vec<Preferences>> {
    let truth: Vec<Preferences> = state.parties().iter().map(|p| p.preferences().clone()).collect();
    match state.information() {
        Information::Complete => {
            let n = truth.len();
            vec![truth; n]
        }
        Information::Learned => (0..truth.len())
            .map(|p| {
                (0..truth.len())
                    .map(|q| {
                        if p == q {
                            truth[p].clone()
                        } else {
                            opponent_model::prior(state.issues(), &truth[p])
                        }
                    })
                    .collect()
            })
            .collect(),
    }
}

/// Updates every other party's estimate of `proposer` after its latest offer.
fn learn(
    state: &Scenario,
    beliefs: &mut [Vec<Preferences>],
    history: &[OfferRecord],
    proposer: usize,
) {
    let estimate = opponent_model::estimate(
        state.issues(),
        history.iter().filter(|o| o.proposer == proposer).map(|o| &o.terms),
    );
    for (p, row) in beliefs.iter_mut().enumerate() {
        if p != proposer {
            row[proposer] = estimate.clone();
        }
    }
}
