//! The negotiation loop: stacked alternating offers for two or more parties.

use std::borrow::Cow;
use std::cell::RefCell;

use rand::RngExt;
use rand_chacha::ChaCha8Rng;

use crate::model::{Information, Issue, Outcome, ParamPath, Preferences, Scenario};
use crate::protocol::opponent_model::{self, Learner, Update};
use crate::protocol::{Observer, OfferRecord, View};
use crate::strategy::offering::Plan;
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
pub struct RunResult<'s> {
    /// How the talks ended.
    pub end: End,
    /// The scenario's parameters as they stood at the end (after every event applied).
    /// This is the bargaining problem the outcome is analysed against. Borrowed from the
    /// scenario run when no event changed anything, so a run without events copies nothing.
    pub final_state: Cow<'s, Scenario>,
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
///
/// Runs on this thread's [`Workspace`], so that repeated runs (sweeps, benchmarks) reuse its
/// buffers.
pub fn run_negotiation<'s>(
    scenario: &'s Scenario,
    rng: &mut ChaCha8Rng,
    observer: &mut dyn Observer,
) -> RunResult<'s> {
    thread_local! {
        static WORKSPACE: RefCell<Workspace> = RefCell::new(Workspace::default());
    }
    WORKSPACE.with(|w| match w.try_borrow_mut() {
        Ok(mut workspace) => workspace.run(scenario, rng, observer),
        // A run started from inside an observer of another run on this thread.
        Err(_) => Workspace::default().run(scenario, rng, observer),
    })
}

/// What a negotiation needs besides the scenario, kept between runs so that a thread that
/// runs many negotiations (a sweep worker) allocates little per run: the public record of
/// offers (and, once a run is over, its offers' buffers, which the next run's trade-off
/// offers are written into), per-party offer counts, each party's cached trade-off
/// [`Plan`], and under learned information the beliefs and the running sums of the opponent
/// model. [`Workspace::run`] resets it to the scenario it is given.
#[derive(Default)]
pub struct Workspace {
    history: Vec<OfferRecord>,
    offers_by: Vec<u32>,
    plans: Vec<RefCell<Option<Plan>>>,
    /// `beliefs[p][q]`: what party `p` believes party `q`'s preferences are (learned
    /// information only; under complete information parties read the true preferences).
    beliefs: Vec<Vec<Preferences>>,
    learners: Vec<Learner>,
    /// The buffers of the last run's offers, for this run's offers (see [`View`]).
    spare: RefCell<Vec<Vec<f64>>>,
    /// The issues and every party's preferences the plans in `plans` were built from, when
    /// they were built from the scenario as given (complete information, no event since):
    /// a next run with equal ones keeps the plans.
    plans_built_from: Option<(Vec<Issue>, Vec<Preferences>)>,
}

impl Workspace {
    /// A workspace with no buffers yet.
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Resets the workspace to `scenario`: no offers, no plans, beliefs at their priors.
    fn reset(&mut self, scenario: &Scenario) {
        let n = scenario.parties().len();
        let spare = self.spare.get_mut();
        spare.extend(self.history.drain(..).map(|record| record.terms.into_values()));
        self.offers_by.clear();
        self.offers_by.resize(n, 0);
        // Plans built from equal issues and preferences make the same offers: keep them
        // (under complete information; learned beliefs start from priors every run).
        let keep = scenario.information() == Information::Complete
            && self.plans_built_from.as_ref().is_some_and(|(issues, prefs)| {
                issues.as_slice() == scenario.issues()
                    && prefs.len() == n
                    && prefs.iter().zip(scenario.parties()).all(|(a, b)| a == b.preferences())
            });
        if !keep {
            mark_stale(&mut self.plans, None);
            self.plans_built_from = (scenario.information() == Information::Complete).then(|| {
                let prefs = scenario.parties().iter().map(|p| p.preferences().clone()).collect();
                (scenario.issues().to_vec(), prefs)
            });
        }
        self.plans.truncate(n);
        self.plans.resize_with(n, || RefCell::new(None));
        self.learners.resize_with(n, Learner::default);
        for learner in &mut self.learners {
            learner.clear();
        }
        self.beliefs.clear();
        if scenario.information() == Information::Learned {
            self.beliefs = learned_priors(scenario);
        }
    }

    /// Plays one negotiation out on this workspace (see [`run_negotiation`]).
    pub fn run<'s>(
        &mut self,
        scenario: &'s Scenario,
        rng: &mut ChaCha8Rng,
        observer: &mut dyn Observer,
    ) -> RunResult<'s> {
        self.reset(scenario);
        let mut state: Cow<'s, Scenario> = Cow::Borrowed(scenario);
        let n = state.parties().len();
        let mut strategies: Vec<Box<dyn Strategy>> =
            state.parties().iter().map(|p| strategy::build(p.strategy())).collect();
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
                    state.to_mut().set_params(&params);
                    for (path, _) in &event.changes {
                        if let ParamPath::Strategy(p) = *path {
                            strategies[p] = strategy::build(state.parties()[p].strategy());
                        }
                    }
                    observer.event(round, event, &state);
                    // Preferences may have changed: every plan is rebuilt on its next use,
                    // and none is kept for the next run.
                    mark_stale(&mut self.plans, None);
                    self.plans_built_from = None;
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
                let terms = strategies[proposer].propose(&self.view(proposer, round, &state));
                observer.offer(round, proposer, &terms, &state);
                self.history.push(OfferRecord { round, proposer, terms });
                self.offers_by[proposer] += 1;
                if state.information() == Information::Learned {
                    self.learn(&state, proposer);
                }
                let terms = &self.history.last().expect("just pushed").terms;
                let start =
                    state.order().iter().position(|p| *p == proposer).expect("proposer in order");
                let mut rejected_by = None;
                for step in 1..n {
                    let party = state.order()[(start + step) % n];
                    let response = if walks_away(&state, party, round) {
                        Response::WalkAway
                    } else {
                        strategies[party].respond(&self.view(party, round, &state), terms)
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
                    None => break 'talks End::Agreement { round, proposer, terms: terms.clone() },
                    Some(party) => proposer = party,
                }
                round += 1;
            }
        };
        observer.end(&end);
        RunResult { end, final_state: state }
    }

    /// What party `me` sees at `round`.
    fn view<'a>(&'a self, me: usize, round: u32, scenario: &'a Scenario) -> View<'a> {
        View {
            me,
            round,
            scenario,
            history: &self.history,
            beliefs: self.beliefs.get(me).map(Vec::as_slice),
            offers_by: &self.offers_by,
            plan: &self.plans[me],
            spare: &self.spare,
        }
    }

    /// Updates every other party's estimate of `proposer` after its latest offer (the same
    /// estimate for all: offers are public), and drops the plans built on the old one.
    fn learn(&mut self, state: &Scenario, proposer: usize) {
        let offer = &self.history.last().expect("an offer was just made").terms;
        let learner = &mut self.learners[proposer];
        match learner.observe(state.issues(), offer) {
            Update::First => {
                let estimate = learner.estimate(state.issues());
                for (p, row) in self.beliefs.iter_mut().enumerate() {
                    if p != proposer {
                        row[proposer].clone_from(&estimate);
                    }
                }
            }
            Update::Weights => {
                for (p, row) in self.beliefs.iter_mut().enumerate() {
                    if p != proposer {
                        row[proposer].set_weights(learner.raw_weights());
                    }
                }
            }
        }
        mark_stale(&mut self.plans, Some(proposer));
    }
}

/// Marks every built plan stale (rebuilt before its next offer), but `except`'s.
fn mark_stale(plans: &mut [RefCell<Option<Plan>>], except: Option<usize>) {
    for (p, plan) in plans.iter_mut().enumerate() {
        if Some(p) != except
            && let Some(plan) = plan.get_mut()
        {
            plan.mark_stale();
        }
    }
}

/// The walk-away rule: no deal can beat the reservation value any more.
fn walks_away(state: &Scenario, party: usize, round: u32) -> bool {
    let p = &state.parties()[party];
    p.preferences().max_utility() * p.discount_at(round) + TOLERANCE < p.reservation()
}

/// `beliefs[p][q]` at the start of a run under learned information: a party knows its own
/// preferences and assumes each other party wants the opposite of what it wants.
fn learned_priors(state: &Scenario) -> Vec<Vec<Preferences>> {
    let truth: Vec<&Preferences> = state.parties().iter().map(|p| p.preferences()).collect();
    (0..truth.len())
        .map(|p| {
            (0..truth.len())
                .map(|q| {
                    if p == q {
                        truth[p].clone()
                    } else {
                        opponent_model::prior(state.issues(), truth[p])
                    }
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;
    use crate::export::record::Recorder;
    use crate::scenario::check_str;

    fn shipped(name: &str, text: &str) -> Scenario {
        check_str(name, text).scenario.expect("valid shipped scenario")
    }

    fn play(workspace: &mut Workspace, scenario: &Scenario) -> String {
        let mut rng = ChaCha8Rng::seed_from_u64(scenario.seed());
        let mut recorder = Recorder::default();
        let result = workspace.run(scenario, &mut rng, &mut recorder);
        format!("{:?}\n{:?}\n{:?}", result.end, recorder.offers, result.final_state.params())
    }

    /// A workspace carries nothing from one run to the next: runs of different scenarios
    /// (learned and complete information, with and without events) on one workspace give
    /// what a fresh workspace gives.
    #[test]
    fn a_reused_workspace_gives_what_a_fresh_one_gives() {
        let scenarios = [
            shipped("lng", include_str!("../../scenarios/us-ukraine-eu-lng-2025.toml")),
            shipped("minerals", include_str!("../../scenarios/us-ukraine-minerals-2025.toml")),
            shipped("rubinstein", include_str!("../../scenarios/textbook-rubinstein.toml")),
        ];
        let fresh: Vec<String> = scenarios.iter().map(|s| play(&mut Workspace::new(), s)).collect();
        let mut reused = Workspace::new();
        for _ in 0..2 {
            for (s, want) in scenarios.iter().zip(&fresh) {
                assert_eq!(&play(&mut reused, s), want, "{}", s.name());
            }
        }
        assert_eq!(scenarios[0].information(), Information::Learned);
        assert!(!scenarios[1].events().is_empty());
    }

    /// A workspace keeps a party's trade-off plan (and the offers it remembers) for the next
    /// run when the issues and preferences are the same, as in a sweep over reservations,
    /// and drops it when they differ: runs with other reservations or other weights,
    /// interleaved on one workspace, give what fresh workspaces give.
    #[test]
    fn kept_plans_give_what_fresh_plans_give() {
        use crate::model::ParamValue;
        // Complete information and no events (plans live for the whole run), and the
        // shipped scenario with its events.
        let bases = [
            shipped("peer", include_str!("../../benches/data/minerals-peer.toml")),
            shipped("minerals", include_str!("../../scenarios/us-ukraine-minerals-2025.toml")),
        ];
        assert_eq!(bases[0].information(), Information::Complete);
        assert!(bases[0].events().is_empty());
        let mut variants = Vec::new();
        for base in &bases {
            for reservation in [0.1, 0.3, 0.1, 0.45] {
                let change = (ParamPath::Reservation(0), ParamValue::Number(reservation));
                variants.push(base.with_changes(&[change]).expect("valid reservation"));
            }
            for weight in [0.2, 0.7] {
                let change = (ParamPath::Weight(1, 0), ParamValue::Number(weight));
                variants.push(base.with_changes(&[change]).expect("valid weight"));
            }
        }
        variants.push(variants[0].clone());
        let fresh: Vec<String> = variants.iter().map(|s| play(&mut Workspace::new(), s)).collect();
        let mut reused = Workspace::new();
        for (s, want) in variants.iter().zip(&fresh) {
            assert_eq!(&play(&mut reused, s), want);
        }
        assert_ne!(fresh[0], fresh[3], "the reservation changes the run");
        assert_ne!(fresh[4], fresh[5], "the weight changes the run");
    }
}
