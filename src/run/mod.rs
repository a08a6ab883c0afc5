//! One negotiation from scenario to results, in layers.
//!
//! 1. The engine plays the negotiation out ([`crate::protocol::run_negotiation`]).
//! 2. [`RunSummary`]: what happened, in numbers by party index, computed once (`summary`).
//! 3. [`Assessment`]: how good it was, at an explicit [`AnalysisLevel`] (`assess`).
//! 4. Renderers: [`simulate`] builds the [`RunRecord`] that run.json, offers.csv, the
//!    transcript, charts and reports are drawn from; sweeps turn the summary and assessment
//!    into one CSV row each, without ever building a record.
//!
//! The layers keep work where it is read: a record holds every offer (the transcript and
//! charts need them), a summary holds none; only the utility-space chart reads the Pareto
//! frontier, so only [`AnalysisLevel::Frontier`] computes it.

mod assess;
mod rebuild;
mod summary;

pub use assess::{
    AnalysisLevel, Assessment, DealAssessment, FRONTIER_POINTS, ObservedAssessment, assess,
    assess_prepared, terms_distance,
};
pub use rebuild::frontier_of_record;
pub use summary::RunSummary;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::export::record::{
    AnalysisRecord, AssumptionRecord, DealAnalysis, IssueRecord, ObservedAnalysis, OutcomeRecord,
    PartyRecord, Recorder, RunRecord, SCHEMA_VERSION, ScenarioRecord, SolutionRecord,
    WelfareRecord, party_values, preferences, terms,
};
use crate::model::{IssueKind, Scenario};
use crate::protocol::{End, run_negotiation};

/// What a run needs besides the scenario.
#[derive(Clone, Debug)]
pub struct RunConfig {
    /// Seed of the run's random generator (`accord run` uses the scenario's unless `--seed`).
    pub seed: u64,
    /// The scenario's file name, recorded in the output ("" if none).
    pub file: String,
    /// How much analysis the record carries: `accord run` asks for
    /// [`AnalysisLevel::Solutions`], `accord report` for [`AnalysisLevel::Frontier`].
    pub analysis: AnalysisLevel,
}

/// Runs the scenario once and describes everything about the run, analysed at
/// `config.analysis`.
pub fn simulate(scenario: &Scenario, config: &RunConfig) -> RunRecord {
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let mut recorder = Recorder::default();
    let result = run_negotiation(scenario, &mut rng, &mut recorder);
    let state = &result.final_state;
    let summary = RunSummary::new(result.end, state);
    let assessment = assess(state, &summary, config.analysis);
    RunRecord {
        schema_version: SCHEMA_VERSION,
        accord_version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: scenario_record(scenario, &config.file),
        seed: config.seed,
        outcome: outcome_record(scenario, &summary.end),
        parties: party_records(scenario, state, &summary),
        welfare: WelfareRecord {
            total_payoff: summary.total_payoff(),
            total_utility: summary.total_utility(),
        },
        analysis: analysis_record(state, &summary, &assessment),
        events: recorder.events,
        offers: recorder.offers,
    }
}

fn party_records(scenario: &Scenario, state: &Scenario, summary: &RunSummary) -> Vec<PartyRecord> {
    state
        .parties()
        .iter()
        .enumerate()
        .map(|(p, party)| PartyRecord {
            id: party.id().to_string(),
            name: party.name().to_string(),
            strategy: party.strategy().kind().to_string(),
            initial_reservation: scenario.parties()[p].reservation(),
            reservation: summary.reservations[p],
            discount: party.discount(),
            utility: summary.utilities.as_ref().map(|u| u[p]),
            discounted_utility: summary.discounted_utilities.as_ref().map(|u| u[p]),
            payoff: summary.payoffs[p],
            gain: summary.gain(p),
            preferences: Some(preferences(state, party.preferences())),
        })
        .collect()
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
        assumptions: scenario
            .assumptions()
            .iter()
            .map(|a| AssumptionRecord {
                path: a.name.clone(),
                value: scenario.params().number_at(&a.path),
                low: a.low,
                high: a.high,
                source: a.source.clone(),
                confidence: a.confidence.map(|c| c.as_str().to_string()),
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
            record.summary = format!(
                "no agreement within the deadline of {}",
                crate::text::count(*rounds as usize, "round")
            );
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

/// The analysis record of a run's final bargaining problem: what was computed at the
/// assessment's level, and `null` for everything that was not.
fn analysis_record(
    state: &Scenario,
    summary: &RunSummary,
    assessment: &Assessment,
) -> AnalysisRecord {
    let observed =
        state.observed().zip(assessment.observed.as_ref()).map(|(o, a)| ObservedAnalysis {
            terms: terms(state, &o.terms),
            utilities: party_values(state, a.utilities.iter().copied()),
            pareto_gap: a.pareto_gap,
            utility_distance: a.utility_distance,
            terms_distance: a.terms_distance,
            round: o.round,
            round_difference: a.round_difference,
            description: o.description.clone(),
        });
    let mut record = AnalysisRecord {
        level: level_name(assessment.level).to_string(),
        error: None,
        zone_of_agreement: None,
        disagreement: party_values(state, summary.reservations.iter().copied()),
        ideal: None,
        nash: None,
        kalai_smorodinsky: None,
        utilitarian: None,
        deal: None,
        observed,
        frontier: None,
    };
    let bargaining = match &assessment.bargaining {
        None => return record,
        Some(Err(err)) => {
            record.error = Some(err.to_string());
            return record;
        }
        Some(Ok(b)) => b,
    };
    let solution = |point: &Option<crate::analysis::SolutionPoint>| {
        point.as_ref().map(|s| SolutionRecord {
            terms: terms(state, &s.outcome),
            utilities: party_values(state, s.utilities.iter().copied()),
        })
    };
    record.zone_of_agreement = Some(bargaining.zone_of_agreement);
    record.ideal = bargaining.ideal.as_ref().map(|u| party_values(state, u.iter().copied()));
    record.nash = solution(&bargaining.nash);
    record.kalai_smorodinsky = solution(&bargaining.kalai_smorodinsky);
    record.utilitarian = solution(&bargaining.utilitarian);
    record.deal = assessment.deal.as_ref().map(|d| DealAnalysis {
        pareto_optimal: d.pareto_optimal(),
        pareto_gap: d.pareto_gap,
        distance_to_nash: d.distance_to_nash,
        distance_to_kalai_smorodinsky: d.distance_to_kalai_smorodinsky,
        distance_to_utilitarian: d.distance_to_utilitarian,
    });
    // The frontier is for charts: a refusal there is no error of the run.
    record.frontier = assessment.frontier.as_ref().and_then(|f| f.as_ref().ok().cloned());
    record
}

/// The name of a level in run.json.
pub fn level_name(level: AnalysisLevel) -> &'static str {
    match level {
        AnalysisLevel::None => "none",
        AnalysisLevel::Solutions => "solutions",
        AnalysisLevel::Frontier => "frontier",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::AnalysisError;

    fn scenario() -> Scenario {
        let checked = crate::scenario::check_str(
            "t.toml",
            include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
        );
        checked.scenario.expect("valid")
    }

    #[test]
    fn what_was_not_computed_is_null_never_a_wrong_value() {
        let scenario = scenario();
        let summary = RunSummary::new(End::Deadline { rounds: 3 }, &scenario);
        let refused = Assessment {
            level: AnalysisLevel::Solutions,
            bargaining: Some(Err(AnalysisError::UtilityCount { expected: 2, found: 0 })),
            deal: None,
            observed: None,
            frontier: None,
        };
        let record = analysis_record(&scenario, &summary, &refused);
        assert!(record.error.is_some());
        assert_eq!(record.zone_of_agreement, None);
        let skipped = assess(&scenario, &summary, AnalysisLevel::None);
        let record = analysis_record(&scenario, &summary, &skipped);
        assert_eq!(
            (record.level.as_str(), record.error, record.zone_of_agreement),
            ("none", None, None)
        );
        assert!(record.nash.is_none() && record.frontier.is_none());
        // The comparison with the real deal needs no analysis, but its Pareto gap does.
        let observed = record.observed.expect("the scenario has [observed]");
        assert_eq!(observed.pareto_gap, None);
    }

    #[test]
    fn levels_compute_what_they_promise() {
        let scenario = scenario();
        let config = |analysis| RunConfig { seed: 1, file: String::new(), analysis };
        let solutions = simulate(&scenario, &config(AnalysisLevel::Solutions));
        let frontier = simulate(&scenario, &config(AnalysisLevel::Frontier));
        assert!(solutions.analysis.nash.is_some() && solutions.analysis.frontier.is_none());
        assert!(frontier.analysis.frontier.is_some());
        // Everything but the frontier and the level is the same.
        let strip = |mut r: RunRecord| {
            r.analysis.frontier = None;
            r.analysis.level = String::new();
            crate::export::to_json(&r)
        };
        assert_eq!(strip(solutions), strip(frontier));
    }
}
