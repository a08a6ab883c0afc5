//! One row per run: the metric table that `sweep.csv`, `summary.csv`, sensitivity and the
//! report all read.
//!
//! A [`Metric`] names one column, says what kind of value it holds and computes it from a
//! run's [`RunSummary`] and [`Assessment`]. [`metrics`] lists the columns of a scenario, in
//! the order they appear; docs/results.md documents each. Rows are rendered straight into
//! a `String` (no record is built), numbers as the shortest text that reads back to the same
//! `f64`, and a value that does not exist for a run (the terms of a failed negotiation) as
//! an empty field.

use std::fmt::Write as _;

use crate::model::{IssueKind, Scenario};
use crate::run::{Assessment, RunSummary};

/// The version of the sweep files' layout (`sweep.csv`, `summary.csv`, `sweep.json`).
pub const SWEEP_SCHEMA_VERSION: u32 = 1;

/// The columns before the axes: which run a row is.
pub const RUN_COLUMNS: [&str; 4] = ["run", "point", "replicate", "seed"];

/// What a metric's values are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// A number: summaries give its mean, standard deviation and quantiles.
    Number,
    /// A level of an ordinal issue (by name): summaries give its quantiles as levels.
    Level(usize),
    /// A word (how the talks ended, who proposed): summaries skip it.
    Text,
}

/// Which value a metric reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    End,
    Agreement,
    Round,
    Proposer,
    Term(usize),
    Utility(usize),
    DiscountedUtility(usize),
    Gain(usize),
    TotalUtility,
    ParetoGap,
    DistanceNash,
    DistanceKs,
    DistanceUtilitarian,
    ObservedTermsDistance,
    ObservedUtilityDistance,
    ObservedRoundDifference,
}

/// One column of `sweep.csv`.
#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    /// The column name: `gain.us`, `terms.revenue_share`, `pareto_gap`...
    pub name: String,
    /// What its values are.
    pub kind: MetricKind,
    source: Source,
}

/// The metric columns of a scenario, in order: how the talks ended, then per issue, then
/// per party, then the analysis, then (with `[observed]`) the comparison with the real deal.
pub fn metrics(scenario: &Scenario) -> Vec<Metric> {
    let mut out = Vec::new();
    let mut push = |name: String, kind: MetricKind, source: Source| {
        out.push(Metric { name, kind, source });
    };
    push("end".into(), MetricKind::Text, Source::End);
    push("agreement".into(), MetricKind::Number, Source::Agreement);
    push("round".into(), MetricKind::Number, Source::Round);
    push("proposer".into(), MetricKind::Text, Source::Proposer);
    for (i, issue) in scenario.issues().iter().enumerate() {
        let kind = match issue.kind() {
            IssueKind::Ordinal { .. } => MetricKind::Level(i),
            IssueKind::Continuous { .. } => MetricKind::Number,
        };
        push(format!("terms.{}", issue.id()), kind, Source::Term(i));
    }
    let parties = scenario.parties();
    for (prefix, source) in [
        ("utility", Source::Utility as fn(usize) -> Source),
        ("discounted_utility", Source::DiscountedUtility),
        ("gain", Source::Gain),
    ] {
        for (p, party) in parties.iter().enumerate() {
            push(format!("{prefix}.{}", party.id()), MetricKind::Number, source(p));
        }
    }
    for (name, source) in [
        ("total_utility", Source::TotalUtility),
        ("pareto_gap", Source::ParetoGap),
        ("distance_nash", Source::DistanceNash),
        ("distance_kalai_smorodinsky", Source::DistanceKs),
        ("distance_utilitarian", Source::DistanceUtilitarian),
    ] {
        push(name.into(), MetricKind::Number, source);
    }
    if scenario.observed().is_some() {
        for (name, source) in [
            ("observed_terms_distance", Source::ObservedTermsDistance),
            ("observed_utility_distance", Source::ObservedUtilityDistance),
            ("observed_round_difference", Source::ObservedRoundDifference),
        ] {
            push(name.into(), MetricKind::Number, source);
        }
    }
    out
}

/// One value of a metric for one run.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    /// A number.
    Number(f64),
    /// A word or a level name.
    Text(&'a str),
    /// Not defined for this run (no deal, no analysis).
    Missing,
}

impl Metric {
    /// This metric's value for a run of `scenario`.
    pub fn value<'a>(
        &self,
        scenario: &'a Scenario,
        summary: &RunSummary,
        assessment: &Assessment,
    ) -> Value<'a> {
        let number = |x: Option<f64>| x.map_or(Value::Missing, Value::Number);
        let deal = assessment.deal.as_ref();
        let observed = assessment.observed.as_ref();
        match self.source {
            Source::End => Value::Text(summary.end.kind()),
            Source::Agreement => Value::Number(if summary.agreed() { 1.0 } else { 0.0 }),
            Source::Round => Value::Number(f64::from(summary.end.round())),
            Source::Proposer => match &summary.end {
                crate::protocol::End::Agreement { proposer, .. } => {
                    Value::Text(scenario.parties()[*proposer].id())
                }
                _ => Value::Missing,
            },
            Source::Term(i) => match summary.end.terms() {
                None => Value::Missing,
                Some(terms) => {
                    let x = terms.get(i);
                    match scenario.issues()[i].level_name(x) {
                        Some(level) if scenario.issues()[i].is_ordinal() => Value::Text(level),
                        _ => Value::Number(x),
                    }
                }
            },
            Source::Utility(p) => number(summary.utilities.as_ref().map(|u| u[p])),
            Source::DiscountedUtility(p) => {
                number(summary.discounted_utilities.as_ref().map(|u| u[p]))
            }
            Source::Gain(p) => Value::Number(summary.gain(p)),
            Source::TotalUtility => number(summary.total_utility()),
            Source::ParetoGap => number(deal.map(|d| d.pareto_gap)),
            Source::DistanceNash => number(deal.and_then(|d| d.distance_to_nash)),
            Source::DistanceKs => number(deal.and_then(|d| d.distance_to_kalai_smorodinsky)),
            Source::DistanceUtilitarian => number(deal.and_then(|d| d.distance_to_utilitarian)),
            Source::ObservedTermsDistance => number(observed.and_then(|o| o.terms_distance)),
            Source::ObservedUtilityDistance => number(observed.and_then(|o| o.utility_distance)),
            Source::ObservedRoundDifference => {
                number(observed.and_then(|o| o.round_difference).map(|d| d as f64))
            }
        }
    }
}

/// Appends `field` to a CSV line, quoted if it holds a comma, a quote or a line break.
pub fn push_field(line: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        line.push('"');
        line.push_str(&field.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(field);
    }
}

/// Appends a number as the shortest text that reads back to the same `f64`.
pub fn push_number(line: &mut String, x: f64) {
    let _ = write!(line, "{x}");
}

/// The header of `sweep.csv` for these axis names and metrics (with its line break).
pub fn header(axes: &[String], metrics: &[Metric]) -> String {
    let mut line = String::new();
    let names = RUN_COLUMNS
        .iter()
        .map(|s| s.to_string())
        .chain(axes.iter().cloned())
        .chain(metrics.iter().map(|m| m.name.clone()));
    for (i, name) in names.enumerate() {
        if i > 0 {
            line.push(',');
        }
        push_field(&mut line, &name);
    }
    line.push('\n');
    line
}

/// Which run a row describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunId {
    /// Index of the run in the whole sweep (from 0).
    pub run: u64,
    /// Index of its design point.
    pub point: u64,
    /// Index of the replicate at that point.
    pub replicate: u64,
    /// The run's seed.
    pub seed: u64,
}

/// Appends one row of `sweep.csv` (with its line break).
pub fn push_row(
    line: &mut String,
    id: RunId,
    axis_values: &[String],
    metrics: &[Metric],
    scenario: &Scenario,
    summary: &RunSummary,
    assessment: &Assessment,
) {
    let _ = write!(line, "{},{},{},{}", id.run, id.point, id.replicate, id.seed);
    for value in axis_values {
        line.push(',');
        push_field(line, value);
    }
    for metric in metrics {
        line.push(',');
        match metric.value(scenario, summary, assessment) {
            Value::Number(x) => push_number(line, x),
            Value::Text(text) => push_field(line, text),
            Value::Missing => {}
        }
    }
    line.push('\n');
}
