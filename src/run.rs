//! One negotiation from scenario to result record: engine, recorder and analysis together.

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::analysis::{self, PARETO_TOLERANCE, distance};
use crate::export::record::{
    AnalysisRecord, DealAnalysis, IssueRecord, ObservedAnalysis, OutcomeRecord, PartyRecord,
    Recorder, RunRecord, SCHEMA_VERSION, ScenarioRecord, SolutionRecord, WelfareRecord,
    party_values, terms,
};
use crate::model::{IssueKind, Outcome, Scenario};
use crate::protocol::{End, run_negotiation};

/// What a run needs besides the scenario.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Seed of the run's random generator (`accord run` uses the scenario's unless `--seed`).
    pub seed: u64,
    /// The scenario's file name, recorded in the output ("" if none).
    pub file: String,
}

/// Runs the scenario once and describes everything about the run.
pub fn simulate(scenario: &Scenario, config: &RunConfig) -> RunRecord {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut recorder = Recorder::default();
    let result = run_negotiation(scenario, &mut rng, &mut recorder);
    let state = &result.final_state;
    let deal_utilities: Option<Vec<f64>> =
        result.end.terms().map(|t| state.parties().iter().map(|p| p.utility(t)).collect());

    let parties: Vec<PartyRecord> = state
        .parties()
        .iter()
        .enumerate()
        .map(|(p, party)| {
            let initial_reservation = scenario.parties()[p].reservation();
            let utility = deal_utilities.as_ref().map(|u| u[p]);
            let discounted = utility.map(|u| u * party.discount_at(result.end.round()));
            let payoff = discounted.unwrap_or(party.reservation());
            PartyRecord {
                id: party.id().to_string(),
                name: party.name().to_string(),
                strategy: party.strategy().kind().to_string(),
                initial_reservation,
                reservation: party.reservation(),
                discount: party.discount(),
                utility,
                discounted_utility: discounted,
                payoff,
                gain: payoff - party.reservation(),
            }
        })
        .collect();
    let welfare = WelfareRecord {
        total_payoff: parties.iter().map(|p| p.payoff).sum(),
        total_utility: deal_utilities.as_ref().map(|u| u.iter().sum()),
    };

    RunRecord {
        schema_version: SCHEMA_VERSION,
        accord_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario_record(scenario, &config.file),
        seed: config.seed,
        outcome: outcome_record(scenario, &result.end),
        parties,
        welfare,
        analysis: analyse(state, &result.end, deal_utilities.as_deref()),
        events: recorder.events,
        offers: recorder.offers,
    }
}

fn scenario_record(scenario: &Scenario, file: &str) -> ScenarioRecord {
    ScenarioRecord {
        name: scenario.name().to_string(),
        description: scenario.description().to_string(),
        file: file.to_string(),
        max_rounds: scenario.max_rounds(),
        order: scenario.order().iter().map(|p| scenario.parties()[*p].id().to_string()).collect(),
        breakdown_risk: scenario.breakdown_risk(),
        information: scenario.information().as_str().to_string(),
        issues: scenario
            .issues()
            .iter()
            .map(|issue| match issue.kind() {
                IssueKind::Continuous { min, max, unit } => IssueRecord {
                    id: issue.id().to_string(),
                    label: issue.label().to_string(),
                    kind: "continuous".to_string(),
                    range: Some([*min, *max]),
                    unit: Some(unit.clone()),
                    levels: None,
                },
                IssueKind::Ordinal { levels } => IssueRecord {
                    id: issue.id().to_string(),
                    label: issue.label().to_string(),
                    kind: "ordinal".to_string(),
                    range: None,
                    unit: None,
                    levels: Some(levels.clone()),
                },
            })
            .collect(),
    }
}

fn outcome_record(scenario: &Scenario, end: &End) -> OutcomeRecord {
    let name = |p: usize| scenario.parties()[p].name().to_string();
    let id = |p: usize| scenario.parties()[p].id().to_string();
    let mut record = OutcomeRecord {
        kind: end.kind().to_string(),
        round: end.round(),
        proposer: None,
        walked_out: None,
        event: None,
        terms: None,
        summary: String::new(),
    };
    match end {
        End::Agreement { round, proposer, terms: t } => {
            record.proposer = Some(id(*proposer));
            record.terms = Some(terms(scenario, t));
            record.summary =
                format!("agreement at round {round} on an offer by {}", name(*proposer));
        }
        End::Deadline { rounds } => {
            record.summary = format!("no agreement within the deadline of {rounds} rounds");
        }
        End::WalkOut { round, party } => {
            record.walked_out = Some(id(*party));
            record.summary = format!(
                "{} walked out at round {round}: no deal could beat its outside option any more",
                name(*party)
            );
        }
        End::Breakdown { round, event: Some(e) } => {
            let description = &scenario.events()[*e].description;
            record.event = Some(description.clone());
            record.summary = format!("talks ended by an event at round {round}: {description}");
        }
        End::Breakdown { round, event: None } => {
            record.summary = format!(
                "talks broke down at round {round} (random breakdown, risk {} per round)",
                scenario.breakdown_risk()
            );
        }
    }
    record
}

/// How many levels of the first party's utility the recorded Pareto frontier is traced at.
const FRONTIER_POINTS: usize = 101;

/// The analysis record of a run's final bargaining problem.
fn analyse(state: &Scenario, end: &End, deal_utilities: Option<&[f64]>) -> AnalysisRecord {
    let deal = end.terms();
    let deal_round = deal.map(|_| end.round());
    let disagreement = party_values(state, state.parties().iter().map(|p| p.reservation()));
    let observed_terms = state.observed().map(|o| &o.terms);
    let observed_utilities: Option<Vec<f64>> =
        observed_terms.map(|t| state.parties().iter().map(|p| p.utility(t)).collect());
    let observed_record = |pareto_gap: Option<f64>| {
        state.observed().map(|o| {
            let utilities = observed_utilities.clone().unwrap_or_default();
            ObservedAnalysis {
                terms: terms(state, &o.terms),
                utilities: party_values(state, utilities.iter().copied()),
                pareto_gap,
                utility_distance: deal_utilities.map(|d| distance(d, &utilities)),
                terms_distance: deal.map(|d| terms_distance(state, d, &o.terms)),
                round: o.round,
                round_difference: o
                    .round
                    .zip(deal_round)
                    .map(|(real, simulated)| i64::from(simulated) - i64::from(real)),
                description: o.description.clone(),
            }
        })
    };
    let bargaining = match analysis::bargaining(state) {
        Ok(b) => b,
        Err(err) => {
            return AnalysisRecord {
                error: Some(err.to_string()),
                zone_of_agreement: false,
                disagreement,
                ideal: None,
                nash: None,
                kalai_smorodinsky: None,
                utilitarian: None,
                deal: None,
                observed: observed_record(None),
                frontier: None,
            };
        }
    };
    let solution = |point: &Option<analysis::SolutionPoint>| {
        point.as_ref().map(|s| SolutionRecord {
            terms: terms(state, &s.outcome),
            utilities: party_values(state, s.utilities.iter().copied()),
        })
    };
    // The cells of a scenario are few enough that the gap of a given point costs little more
    // than the solutions above; errors cannot occur once `bargaining` succeeded.
    let gap = |u: &[f64]| analysis::pareto_gap(state, u).ok();
    let deal_analysis = deal_utilities.map(|u| {
        let pareto_gap = gap(u).unwrap_or(f64::NAN);
        let to =
            |p: &Option<analysis::SolutionPoint>| p.as_ref().map(|s| distance(u, &s.utilities));
        DealAnalysis {
            pareto_optimal: pareto_gap <= PARETO_TOLERANCE,
            pareto_gap: pareto_gap.max(0.0),
            distance_to_nash: to(&bargaining.nash),
            distance_to_kalai_smorodinsky: to(&bargaining.kalai_smorodinsky),
            distance_to_utilitarian: to(&bargaining.utilitarian),
        }
    });
    AnalysisRecord {
        error: None,
        zone_of_agreement: bargaining.zone_of_agreement,
        disagreement,
        ideal: bargaining.ideal.as_ref().map(|u| party_values(state, u.iter().copied())),
        nash: solution(&bargaining.nash),
        kalai_smorodinsky: solution(&bargaining.kalai_smorodinsky),
        utilitarian: solution(&bargaining.utilitarian),
        deal: deal_analysis,
        observed: observed_record(observed_utilities.as_deref().and_then(gap).map(|g| g.max(0.0))),
        // Only two parties have a frontier to draw; it is for charts, so a failure is no error.
        frontier: (state.parties().len() == 2)
            .then(|| analysis::pareto_frontier_2d(state, FRONTIER_POINTS).ok())
            .flatten(),
    }
}

/// Mean absolute difference of two sets of terms, each as a fraction of its issue's range.
pub fn terms_distance(scenario: &Scenario, a: &Outcome, b: &Outcome) -> f64 {
    let issues = scenario.issues();
    let total: f64 = issues
        .iter()
        .enumerate()
        .map(|(i, issue)| (issue.normalized(a.get(i)) - issue.normalized(b.get(i))).abs())
        .sum();
    total / issues.len() as f64
}
