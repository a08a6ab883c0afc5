//! The second layer of a run's results: how good the outcome was, at an explicit level.
//!
//! An [`Assessment`] judges a [`RunSummary`] against the bargaining problem the deal was
//! struck in (the scenario's parameters at the end of the talks): the bargaining solutions,
//! the deal's Pareto gap and distances, the comparison with the real deal, and, only when
//! asked for, the two-party Pareto frontier that the utility-space chart draws. The caller
//! chooses the [`AnalysisLevel`]: `accord run` and sweeps never pay for the frontier.
//!
//! It does no IO and formats nothing; `crate::run` turns it into the `analysis` part of a
//! record, and sweeps into columns.

use crate::analysis::{self, AnalysisError, Bargaining, Problem, distance};
use crate::model::{Outcome, Scenario};
use crate::run::RunSummary;

/// How much analysis a run gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AnalysisLevel {
    /// No bargaining analysis: only what the summary and the scenario say (the comparison
    /// with the real deal in terms and rounds).
    None,
    /// The bargaining solutions, the zone of agreement, and the Pareto gaps and distances of
    /// the deal and of the real deal. What `accord run` and sweeps compute.
    Solutions,
    /// The solutions and the two-party Pareto frontier, for the utility-space chart
    /// (`accord report`, `accord chart`).
    Frontier,
}

/// How many levels of the first party's utility the Pareto frontier is traced at.
pub const FRONTIER_POINTS: usize = 101;

/// How good a run's outcome was, at the level asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Assessment {
    /// The level this assessment was computed at.
    pub level: AnalysisLevel,
    /// The bargaining analysis of the final problem; `None` at [`AnalysisLevel::None`], an
    /// error when the analysis refused the problem.
    pub bargaining: Option<Result<Bargaining, AnalysisError>>,
    /// The deal's efficiency and fairness; `None` without a deal or without a bargaining
    /// analysis.
    pub deal: Option<DealAssessment>,
    /// The real deal against the simulated one; `None` without `[observed]`.
    pub observed: Option<ObservedAssessment>,
    /// The two-party Pareto frontier, points `[u0, u1]` sorted by `u0`; `None` below
    /// [`AnalysisLevel::Frontier`] or without exactly two parties, an error when the
    /// analysis refused the problem.
    pub frontier: Option<Result<Vec<[f64; 2]>, AnalysisError>>,
}

/// The simulated deal against the bargaining solutions.
#[derive(Clone, Debug, PartialEq)]
pub struct DealAssessment {
    /// The largest total utility gain available without making anyone worse off (>= 0).
    pub pareto_gap: f64,
    /// Euclidean distance in utility space to the Nash solution (none without one).
    pub distance_to_nash: Option<f64>,
    /// Distance to the Kalai–Smorodinsky solution.
    pub distance_to_kalai_smorodinsky: Option<f64>,
    /// Distance to the utilitarian optimum.
    pub distance_to_utilitarian: Option<f64>,
}

impl DealAssessment {
    /// True if the gap is within [`analysis::PARETO_TOLERANCE`] of 0.
    pub fn pareto_optimal(&self) -> bool {
        self.pareto_gap <= analysis::PARETO_TOLERANCE
    }
}

/// The real deal (`[observed]`) against the simulated one.
#[derive(Clone, Debug, PartialEq)]
pub struct ObservedAssessment {
    /// Each party's undiscounted utility of the real terms, with the parameters at the end.
    pub utilities: Vec<f64>,
    /// The real deal's Pareto gap; `None` without a bargaining analysis.
    pub pareto_gap: Option<f64>,
    /// Distance in utility space between the simulated and the real deal (deal only).
    pub utility_distance: Option<f64>,
    /// Mean absolute difference of the terms, each as a fraction of its issue's range (deal only).
    pub terms_distance: Option<f64>,
    /// Simulated deal round minus the real one, when both are known.
    pub round_difference: Option<i64>,
}

/// Assesses a run's outcome against its final bargaining problem `state` at `level`.
pub fn assess(state: &Scenario, summary: &RunSummary, level: AnalysisLevel) -> Assessment {
    // One prepared problem serves the solutions, every gap and the frontier.
    let problem = (level >= AnalysisLevel::Solutions).then(|| Problem::new(state));
    let bargaining =
        problem.as_ref().map(|p| p.as_ref().map(Problem::bargaining).map_err(Clone::clone));
    assess_prepared(state, summary, level, problem.as_ref(), bargaining)
}

/// [`assess`] with the prepared problem of `state` and its bargaining analysis already at
/// hand (`None` below [`AnalysisLevel::Solutions`]): what a sweep worker calls when many
/// runs share one bargaining problem. They must be `Problem::new(state)` and its
/// `bargaining()`.
pub fn assess_prepared(
    state: &Scenario,
    summary: &RunSummary,
    level: AnalysisLevel,
    problem: Option<&Result<Problem, AnalysisError>>,
    bargaining: Option<Result<Bargaining, AnalysisError>>,
) -> Assessment {
    let deal = summary.end.terms();
    let solved = bargaining.as_ref().and_then(|b| b.as_ref().ok());
    let prepared = problem.and_then(|p| p.as_ref().ok());
    // A gap fails only on a utility vector of the wrong length, which cannot happen here.
    let gap = |u: &[f64]| prepared.and_then(|p| p.pareto_gap(u).ok());

    let deal_assessment = summary.utilities.as_deref().and_then(|u| {
        let b = solved?;
        let to =
            |p: &Option<analysis::SolutionPoint>| p.as_ref().map(|s| distance(u, &s.utilities));
        Some(DealAssessment {
            pareto_gap: gap(u)?.max(0.0),
            distance_to_nash: to(&b.nash),
            distance_to_kalai_smorodinsky: to(&b.kalai_smorodinsky),
            distance_to_utilitarian: to(&b.utilitarian),
        })
    });

    let observed = state.observed().map(|o| {
        let utilities: Vec<f64> = state.parties().iter().map(|p| p.utility(&o.terms)).collect();
        ObservedAssessment {
            pareto_gap: gap(&utilities).map(|g| g.max(0.0)),
            utility_distance: summary.utilities.as_deref().map(|d| distance(d, &utilities)),
            terms_distance: deal.map(|d| terms_distance(state, d, &o.terms)),
            round_difference: o
                .round
                .zip(deal.map(|_| summary.end.round()))
                .map(|(real, simulated)| i64::from(simulated) - i64::from(real)),
            utilities,
        }
    });

    let frontier = match problem {
        Some(problem) if level >= AnalysisLevel::Frontier && state.parties().len() == 2 => {
            Some(problem.as_ref().map_err(Clone::clone).and_then(|p| p.frontier(FRONTIER_POINTS)))
        }
        _ => None,
    };

    Assessment { level, bargaining, deal: deal_assessment, observed, frontier }
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
