//! The charts of an analysis: a tornado per metric (one at a time) or index bars (Morris,
//! Sobol'), built from the results for `chart::bars`.

use crate::chart::bars::{Bar, BarChart, Row};
use crate::model::Scenario;

use super::analysis::{Factor, Found, MetricResult, ranking};
use super::design::Method;
use super::findings::{factor_phrase, metric_phrase};

fn short(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The chart of one metric's result; `None` for a constant or partly undefined metric.
pub fn chart(
    method: Method,
    result: &MetricResult,
    factors: &[Factor],
    scenario: &Scenario,
) -> Option<BarChart> {
    let name = |i: usize| factor_phrase(&factors[i], scenario);
    let subject = metric_phrase(&result.metric, scenario);
    let order = ranking(result);
    if order.is_empty() {
        return None;
    }
    let (subtitle, axis, series, reference, rows) = match &result.found {
        Found::Oat(swings) => {
            let base = swings[0].baseline;
            let rows = order
                .iter()
                .map(|(i, _, _)| {
                    let s = swings[*i];
                    Row {
                        label: name(*i),
                        bars: vec![
                            Bar { series: 0, from: base, to: s.at_low, interval: None },
                            Bar { series: 1, from: base, to: s.at_high, interval: None },
                        ],
                        note: format!("{} to {}", short(s.at_low), short(s.at_high)),
                    }
                })
                .collect();
            (
                format!(
                    "One at a time: each assumption at the low and the high end of its range, the \
                     others at the file's values; the line is the baseline ({}). Largest swing on top.",
                    short(base)
                ),
                result.metric.clone(),
                vec!["at the low end".to_string(), "at the high end".to_string()],
                Some(base),
                rows,
            )
        }
        Found::Morris(m) => {
            let rows = order
                .iter()
                .map(|(i, _, _)| Row {
                    label: name(*i),
                    bars: vec![
                        Bar {
                            series: 0,
                            from: 0.0,
                            to: m.mu_star[*i].value,
                            interval: Some((m.mu_star[*i].low, m.mu_star[*i].high)),
                        },
                        Bar { series: 1, from: 0.0, to: m.sigma[*i], interval: None },
                    ],
                    note: format!("mu* {}", short(m.mu_star[*i].value)),
                })
                .collect();
            (
                "Morris elementary effects, per whole range of each assumption: mu* (mean absolute \
                 effect, 95% interval) says how much it matters, sigma how much its effect \
                 depends on the others."
                    .to_string(),
                format!("effect on {} per whole range", result.metric),
                vec!["mu*".to_string(), "sigma".to_string()],
                None,
                rows,
            )
        }
        Found::Sobol(s) => {
            let rows = order
                .iter()
                .map(|(i, _, _)| Row {
                    label: name(*i),
                    bars: vec![
                        Bar {
                            series: 0,
                            from: 0.0,
                            to: s.first[*i].value,
                            interval: Some((s.first[*i].low, s.first[*i].high)),
                        },
                        Bar {
                            series: 1,
                            from: 0.0,
                            to: s.total[*i].value,
                            interval: Some((s.total[*i].low, s.total[*i].high)),
                        },
                    ],
                    note: format!("total {:.2}", s.total[*i].value),
                })
                .collect();
            (
                "Sobol' indices: the share of the variation each assumption explains alone (first \
                 order) and with the others (total), with 95% bootstrap intervals. Largest total \
                 on top."
                    .to_string(),
                "share of variance".to_string(),
                vec!["first order".to_string(), "total".to_string()],
                None,
                rows,
            )
        }
        Found::Constant(_) | Found::Undefined { .. } => return None,
    };
    let _ = method;
    Some(BarChart { title: subject, subtitle, axis, series, reference, rows })
}

/// The metrics charted by default: whether and when a deal is reached, each party's gain and,
/// with `[observed]`, the distance to the real deal's terms.
pub fn default_charted(metric: &str) -> bool {
    metric == "agreement"
        || metric == "round"
        || metric.starts_with("gain.")
        || metric == "observed_terms_distance"
}
