//! The bargaining problem of a run, rebuilt from its record alone.
//!
//! `accord run` does not trace the Pareto frontier (nothing it prints reads it), so a
//! run.json it wrote carries no frontier; `accord chart` draws one anyway by rebuilding the
//! final bargaining problem (issues, the parties' preferences and reservation values) from
//! the record and analysing it. Only what the analysis reads is rebuilt: the parties'
//! strategies, the deadline and the events play no part in it.
//!
//! A record whose preferences are missing or do not describe a valid problem (a damaged or
//! hand-edited file) gives `None`: the chart is then drawn without a frontier, never from
//! made-up preferences.

use crate::analysis::{AnalysisError, Problem};
use crate::export::record::{RunRecord, ValueRecord};
use crate::model::{
    Information, Issue, IssueKind, Party, Preferences, Scenario, ScenarioParts, StrategySpec,
    ValueFn,
};
use crate::run::FRONTIER_POINTS;

/// The two-party Pareto frontier of the record's final bargaining problem, as
/// [`crate::run::assess`] would have computed it at [`crate::run::AnalysisLevel::Frontier`];
/// `None` without two parties or without valid preferences in the record.
pub fn frontier_of_record(record: &RunRecord) -> Option<Result<Vec<[f64; 2]>, AnalysisError>> {
    if record.parties.len() != 2 {
        return None;
    }
    let problem = problem_of_record(record)?;
    Some(Problem::new(&problem).and_then(|p| p.frontier(FRONTIER_POINTS)))
}

/// The record's issues and parties as a scenario the analysis can read, or `None` if the
/// record does not describe a valid problem.
fn problem_of_record(record: &RunRecord) -> Option<Scenario> {
    let issues: Vec<Issue> = record
        .scenario
        .issues
        .iter()
        .map(|i| {
            let kind = match (i.kind.as_str(), i.range, &i.levels) {
                ("continuous", Some([min, max]), _)
                    if min.is_finite() && max.is_finite() && min < max =>
                {
                    IssueKind::Continuous { min, max, unit: i.unit.clone().unwrap_or_default() }
                }
                ("ordinal", _, Some(levels)) if levels.len() >= 2 => {
                    IssueKind::Ordinal { levels: levels.clone() }
                }
                _ => return None,
            };
            Some(Issue::new(i.id.clone(), i.label.clone(), kind))
        })
        .collect::<Option<_>>()?;
    if issues.is_empty() {
        return None;
    }
    let parties: Vec<Party> = record
        .parties
        .iter()
        .map(|p| {
            let prefs = p.preferences.as_ref()?;
            if prefs.weights.0.len() != issues.len() || prefs.values.0.len() != issues.len() {
                return None;
            }
            let mut weights = Vec::with_capacity(issues.len());
            let mut values = Vec::with_capacity(issues.len());
            for (issue, ((wid, w), (vid, v))) in
                issues.iter().zip(prefs.weights.0.iter().zip(&prefs.values.0))
            {
                if wid != issue.id() || vid != issue.id() || !(w.is_finite() && *w >= 0.0) {
                    return None;
                }
                weights.push(*w);
                values.push(value_fn(issue, v)?);
            }
            let total: f64 = weights.iter().sum();
            if !(total.is_finite() && total > 0.0 && unit_interval(p.reservation)) {
                return None;
            }
            let preferences = Preferences::new(&weights, values);
            // The strategy plays no part in the analysis; hardliner has no parameters.
            Some(Party::new(
                p.id.clone(),
                p.name.clone(),
                p.reservation,
                1.0,
                StrategySpec::Hardliner,
                weights,
                preferences,
            ))
        })
        .collect::<Option<_>>()?;
    Some(Scenario::from_parts(ScenarioParts {
        name: record.scenario.name.clone(),
        description: String::new(),
        max_rounds: 1,
        seed: record.seed,
        order: (0..parties.len()).collect(),
        breakdown_risk: 0.0,
        information: Information::Complete,
        issues,
        parties,
        events: Vec::new(),
        observed: None,
        assumptions: Vec::new(),
        sweeps: Vec::new(),
    }))
}

/// A value function from its record, checked as scenario validation would check it.
fn value_fn(issue: &Issue, record: &ValueRecord) -> Option<ValueFn> {
    match (issue.kind(), record) {
        (IssueKind::Continuous { .. }, ValueRecord::Points(points)) => {
            let increasing = points.windows(2).all(|w| w[0][0] < w[1][0]);
            let sane = points.iter().all(|[x, v]| x.is_finite() && unit_interval(*v));
            (!points.is_empty() && increasing && sane)
                .then(|| ValueFn::Piecewise(points.iter().map(|&[x, v]| (x, v)).collect()))
        }
        (IssueKind::Ordinal { levels }, ValueRecord::Levels(values)) => {
            let matches = values.0.len() == levels.len()
                && values
                    .0
                    .iter()
                    .zip(levels)
                    .all(|((name, v), level)| name == level && unit_interval(*v));
            matches.then(|| ValueFn::Levels(values.values().copied().collect()))
        }
        _ => None,
    }
}

fn unit_interval(x: f64) -> bool {
    (0.0..=1.0).contains(&x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{AnalysisLevel, RunConfig, simulate};

    fn record(level: AnalysisLevel) -> RunRecord {
        let checked = crate::scenario::check_str(
            "t.toml",
            include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
        );
        let scenario = checked.scenario.expect("valid");
        simulate(&scenario, &RunConfig { seed: 3, file: "t.toml".into(), analysis: level })
    }

    #[test]
    fn the_rebuilt_frontier_is_the_one_the_run_would_have_traced() {
        let with = record(AnalysisLevel::Frontier);
        let without = record(AnalysisLevel::Solutions);
        assert!(without.analysis.frontier.is_none());
        let traced = with.analysis.frontier.expect("a two-party frontier");
        let rebuilt = frontier_of_record(&without).expect("two parties").expect("analysed");
        assert_eq!(rebuilt, traced);
    }

    #[test]
    fn damaged_preferences_give_no_frontier() {
        let mut damaged = record(AnalysisLevel::Solutions);
        damaged.parties[0].preferences.as_mut().unwrap().weights.0[0].1 = -1.0;
        assert!(frontier_of_record(&damaged).is_none());
        let mut missing = record(AnalysisLevel::Solutions);
        missing.parties[1].preferences = None;
        assert!(frontier_of_record(&missing).is_none());
    }
}
