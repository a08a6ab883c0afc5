//! A sensitivity analysis of a scenario: its factors (declared assumptions or `--vary`
//! ranges), the sweep design that runs them, the metrics read back from `sweep.csv`, and
//! the results per metric.

use std::io::Read;

use crate::model::{ParamPath, Scenario};
use crate::sweep::output::Sidecar;
use crate::sweep::{Axis, AxisValue, Design, SweepError};

use super::design::{Method, Plan};
use super::estimate::{self, Bootstrap, MorrisEffects, SobolIndices, Swing};

/// Bootstrap resamples per analysis.
pub const RESAMPLES: usize = 500;

/// One varied assumption.
#[derive(Clone, Debug)]
pub struct Factor {
    /// The sweep axis (`PATH=low..high`): its name is the path as written.
    pub axis: Axis,
    /// Lower end of the range.
    pub low: f64,
    /// Upper end of the range.
    pub high: f64,
    /// The value in the file.
    pub value: f64,
    /// Where the range comes from (`[[assumptions]]`), if declared.
    pub source: Option<String>,
}

/// The factors: the `--vary PATH=a..b` ranges if any are given, else the scenario's
/// declared assumptions.
pub fn factors(scenario: &Scenario, vary: &[String]) -> Result<Vec<Factor>, SweepError> {
    let params = scenario.params();
    let mut out: Vec<Factor> = Vec::new();
    let specs: Vec<(String, Option<String>)> = if vary.is_empty() {
        scenario
            .assumptions()
            .iter()
            .map(|a| (format!("{}={}..{}", a.name, a.low, a.high), Some(a.source.clone())))
            .collect()
    } else {
        vary.iter().map(|v| (v.clone(), None)).collect()
    };
    if specs.is_empty() {
        return Err(SweepError::Usage {
            problem: "the scenario declares no [[assumptions]] and no --vary was given".into(),
            help: "declare the judgements to study as [[assumptions]] (docs/scenario.md), or \
                   give ranges: --vary parties.<id>.discount=0.99..0.999"
                .into(),
        });
    }
    for (spec, source) in specs {
        let axis = Axis::parse(&spec, scenario)?;
        let bad = |problem: &str, help: String| SweepError::Axis {
            arg: spec.clone(),
            problem: problem.into(),
            help,
        };
        let crate::sweep::design::AxisSpec::Range { from, to, count: None } = axis.spec else {
            return Err(bad(
                "a sensitivity analysis varies a number over a range",
                format!("write `{}=a..b` (no `:n`, no list)", axis.name),
            ));
        };
        if from >= to {
            return Err(bad(
                "the range is empty",
                format!("write `{}=a..b` with a < b", axis.name),
            ));
        }
        if out.iter().any(|f| f.axis.path == axis.path) {
            return Err(bad("this path is varied twice", "give each path once".into()));
        }
        let Some(value) = params.number_at(&axis.path) else {
            return Err(bad(
                "a strategy kind is not a number range",
                "compare strategy kinds with `accord sweep --vary parties.<id>.strategy=a,b`"
                    .into(),
            ));
        };
        out.push(Factor { axis, low: from, high: to, value, source });
    }
    Ok(out)
}

/// The sweep design running `plan` over `factors`: unit coordinates mapped by
/// [`Axis::at`], `NaN` (one at a time) to the file's value.
pub fn sweep_design(factors: &[Factor], plan: &Plan, seed: u64) -> Result<Design, SweepError> {
    let points = plan
        .points
        .iter()
        .map(|u| {
            u.iter()
                .zip(factors)
                .map(|(u, f)| if u.is_nan() { AxisValue::Number(f.value) } else { f.axis.at(*u) })
                .collect()
        })
        .collect();
    let axes = factors.iter().map(|f| f.axis.clone()).collect();
    Design::from_points(axes, points, plan.rule(), seed)
}

/// What an analysis found for one metric.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// One-at-a-time swings, per factor.
    Oat(Vec<Swing>),
    /// Morris effects.
    Morris(MorrisEffects),
    /// Sobol' indices.
    Sobol(SobolIndices),
    /// The metric took this one value in every run.
    Constant(f64),
    /// The metric is undefined in some runs (the terms of a failed negotiation).
    Undefined {
        /// Runs where it is undefined.
        missing: usize,
        /// Runs.
        runs: usize,
    },
}

/// One metric's result.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricResult {
    /// The `sweep.csv` column.
    pub metric: String,
    /// Mean over the runs (where defined).
    pub mean: f64,
    /// What was found.
    pub found: Found,
}

/// The metric columns of a sweep that an analysis can read: numbers and levels of ordinal
/// issues (as level indices), in column order.
pub fn metric_names(sidecar: &Sidecar) -> Vec<String> {
    sidecar
        .columns
        .iter()
        .filter(|c| matches!(c.kind.as_str(), "number" | "level"))
        .map(|c| c.name.clone())
        .collect()
}

/// Reads the named metric columns of `sweep.csv` in run order: a number, a level's index,
/// or `None` where the field is empty.
pub fn read_metrics(
    sidecar: &Sidecar,
    sweep_csv: impl Read,
    names: &[String],
) -> std::io::Result<Vec<Vec<Option<f64>>>> {
    let columns: Vec<(usize, Option<Vec<String>>)> = names
        .iter()
        .map(|n| {
            let i = sidecar.columns.iter().position(|c| &c.name == n).expect("a sweep column");
            (i, sidecar.columns[i].levels.clone())
        })
        .collect();
    let mut out = vec![Vec::new(); names.len()];
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(sweep_csv);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(std::io::Error::other)? {
        for ((i, levels), values) in columns.iter().zip(out.iter_mut()) {
            let field = record.get(*i).unwrap_or_default();
            let value = if field.is_empty() {
                None
            } else if let Some(levels) = levels {
                levels.iter().position(|l| l == field).map(|k| k as f64)
            } else {
                field.parse::<f64>().ok()
            };
            values.push(value);
        }
    }
    Ok(out)
}

/// Analyses one metric's values (in run order) under `plan`.
pub fn analyse(
    plan: &Plan,
    metric: &str,
    values: &[Option<f64>],
    boot: &Bootstrap,
) -> MetricResult {
    let missing = values.iter().filter(|v| v.is_none()).count();
    let defined: Vec<f64> = values.iter().flatten().copied().collect();
    let mean = if defined.is_empty() {
        f64::NAN
    } else {
        defined.iter().sum::<f64>() / defined.len() as f64
    };
    let found = if missing > 0 {
        Found::Undefined { missing, runs: values.len() }
    } else if defined.iter().all(|v| *v == defined[0]) {
        Found::Constant(defined[0])
    } else {
        match plan.method {
            Method::Oat => Found::Oat(estimate::oat(plan, &defined)),
            Method::Morris => Found::Morris(estimate::morris(plan, &defined, boot)),
            Method::Sobol => match estimate::sobol(plan, &defined, boot) {
                Some(s) => Found::Sobol(s),
                None => Found::Constant(mean),
            },
        }
    };
    MetricResult { metric: metric.to_string(), mean, found }
}

/// The bootstrap of a plan: over base rows (Sobol') or trajectories (Morris).
pub fn bootstrap(plan: &Plan) -> Bootstrap {
    match plan.method {
        Method::Oat => Bootstrap::new(0, 0, plan.seed),
        Method::Morris | Method::Sobol => Bootstrap::new(plan.samples, RESAMPLES, plan.seed),
    }
}

/// `sensitivity.csv`: one row per metric, assumption and index, with the interval where
/// there is one.
pub fn csv(method: Method, factors: &[Factor], results: &[MetricResult]) -> String {
    use crate::export::row::{push_field, push_number};
    let mut out = String::from("method,metric,assumption,index,value,ci_low,ci_high\n");
    let mut row =
        |metric: &str, factor: &Factor, index: &str, value: f64, ci: Option<(f64, f64)>| {
            out.push_str(method.as_str());
            out.push(',');
            push_field(&mut out, metric);
            out.push(',');
            push_field(&mut out, &factor.axis.name);
            out.push(',');
            out.push_str(index);
            out.push(',');
            push_number(&mut out, value);
            out.push(',');
            if let Some((lo, hi)) = ci {
                push_number(&mut out, lo);
                out.push(',');
                push_number(&mut out, hi);
            } else {
                out.push(',');
            }
            out.push('\n');
        };
    for r in results {
        for (i, f) in factors.iter().enumerate() {
            match &r.found {
                Found::Oat(s) => {
                    row(&r.metric, f, "baseline", s[i].baseline, None);
                    row(&r.metric, f, "at_low", s[i].at_low, None);
                    row(&r.metric, f, "at_high", s[i].at_high, None);
                    row(&r.metric, f, "swing", s[i].size(), None);
                }
                Found::Morris(m) => {
                    let e = m.mu_star[i];
                    row(&r.metric, f, "mu_star", e.value, Some((e.low, e.high)));
                    row(&r.metric, f, "mu", m.mu[i], None);
                    row(&r.metric, f, "sigma", m.sigma[i], None);
                }
                Found::Sobol(s) => {
                    let (a, b) = (s.first[i], s.total[i]);
                    row(&r.metric, f, "S1", a.value, Some((a.low, a.high)));
                    row(&r.metric, f, "ST", b.value, Some((b.low, b.high)));
                }
                Found::Constant(_) | Found::Undefined { .. } => {}
            }
        }
    }
    out
}

/// A factor's rank entry: its index, its measure, and the measure's interval if any.
pub type Ranked = (usize, f64, Option<(f64, f64)>);

/// The factors in decreasing order of importance for a result (total index, `mu*` or
/// swing), with that measure and its interval if any; empty for a constant or undefined
/// metric.
pub fn ranking(result: &MetricResult) -> Vec<Ranked> {
    let mut ranked: Vec<Ranked> = match &result.found {
        Found::Oat(s) => s.iter().enumerate().map(|(i, s)| (i, s.size(), None)).collect(),
        Found::Morris(m) => {
            m.mu_star.iter().enumerate().map(|(i, e)| (i, e.value, Some((e.low, e.high)))).collect()
        }
        Found::Sobol(s) => {
            s.total.iter().enumerate().map(|(i, e)| (i, e.value, Some((e.low, e.high)))).collect()
        }
        Found::Constant(_) | Found::Undefined { .. } => Vec::new(),
    };
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    ranked
}

/// The path of a factor, for naming it.
pub fn path_of(factor: &Factor) -> &ParamPath {
    &factor.axis.path
}
