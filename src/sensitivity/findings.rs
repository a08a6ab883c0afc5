//! The results in sentences a policy reader understands: for each metric, the assumptions
//! that explain most of its variation, and those that hardly matter.

use crate::chart::sweep::words::{possessive, possessive_in_sentence};
use crate::model::{ParamPath, Scenario, StrategyKind};

use super::analysis::{Factor, Found, MetricResult, ranking};
use super::design::Method;

/// A total index (or a share of the largest `mu*`, or of the largest swing) below which an
/// assumption "hardly matters" when its whole interval lies below it.
pub const NEGLIGIBLE: f64 = 0.05;

/// The metric as the subject of a sentence: "Whether a deal is reached".
pub fn metric_phrase(metric: &str, scenario: &Scenario) -> String {
    let party = |id: &str| {
        scenario
            .party_index(id)
            .map_or(id.to_string(), |p| scenario.parties()[p].name().to_string())
    };
    if let Some((kind, id)) = metric.split_once('.') {
        return match kind {
            "terms" => format!("The agreed {id}"),
            "utility" => format!("{} utility", possessive(&party(id))),
            "discounted_utility" => format!("{} discounted utility", possessive(&party(id))),
            "gain" => format!("{} gain over walking away", possessive(&party(id))),
            _ => metric.to_string(),
        };
    }
    match metric {
        "agreement" => "Whether a deal is reached".into(),
        "round" => "When the talks end (the round)".into(),
        "total_utility" => "The total utility".into(),
        "pareto_gap" => "The deal's distance to the Pareto frontier".into(),
        "distance_nash" => "The distance to the Nash bargaining solution".into(),
        "distance_kalai_smorodinsky" => "The distance to the Kalai–Smorodinsky solution".into(),
        "distance_utilitarian" => "The distance to the utilitarian optimum".into(),
        "observed_terms_distance" => "The distance to the real deal's terms".into(),
        "observed_utility_distance" => "The distance to the real deal in utilities".into(),
        "observed_round_difference" => "The timing against the real deal (rounds)".into(),
        other => other.to_string(),
    }
}

/// An assumption in words: "Ukraine's weight on security_guarantee".
pub fn factor_phrase(factor: &Factor, scenario: &Scenario) -> String {
    let name = |p: usize| possessive_in_sentence(scenario.parties()[p].name());
    match &factor.axis.path {
        ParamPath::BreakdownRisk => "the breakdown risk per round".into(),
        ParamPath::MaxRounds => "the deadline".into(),
        ParamPath::Reservation(p) => format!("{} reservation value", name(*p)),
        ParamPath::Discount(p) => format!("{} discount factor", name(*p)),
        ParamPath::Weight(p, i) => {
            format!("{} weight on {}", name(*p), scenario.issues()[*i].id())
        }
        ParamPath::StrategyParam(p, param) => {
            let kind = StrategyKind::of(scenario.parties()[*p].strategy()).name;
            format!("{} {kind} {}", name(*p), param.replace('_', " "))
        }
        ParamPath::Strategy(p) => format!("{} strategy", name(*p)),
    }
}

fn num(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

fn value(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The sentence for one metric.
pub fn sentence(
    method: Method,
    result: &MetricResult,
    factors: &[Factor],
    scenario: &Scenario,
) -> String {
    let subject = metric_phrase(&result.metric, scenario);
    let name = |i: usize| factor_phrase(&factors[i], scenario);
    let binary = result.metric == "agreement";
    // The level names of an ordinal issue's terms (analysed as level indices 0, 1, ...).
    let levels: Option<&[String]> = result
        .metric
        .strip_prefix("terms.")
        .and_then(|id| scenario.issue_index(id))
        .map(|i| &scenario.issues()[i])
        .filter(|issue| issue.is_ordinal())
        .map(|issue| issue.levels());
    let value = |x: f64| match levels {
        Some(names) if x.fract() == 0.0 && (x as usize) < names.len() => {
            format!("`{}`", names[x as usize])
        }
        _ => value(x),
    };
    match &result.found {
        Found::Constant(v) if binary => {
            let what = if *v == 1.0 { "A deal is reached" } else { "No deal is reached" };
            return format!(
                "{what} in every run: none of these assumptions changes that within its range."
            );
        }
        Found::Constant(v) => {
            return format!(
                "{subject} is {} in every run: none of these assumptions moves it within its \
                 range.",
                value(*v)
            );
        }
        Found::Undefined { missing, runs } => {
            return format!(
                "{subject} is not analysed: it is undefined in {missing} of {runs} runs (those \
                 that end without a deal)."
            );
        }
        _ => {}
    }
    let ranked = ranking(result);
    let top = ranked.first().map_or(0.0, |r| r.1);
    // Negligible: the whole interval below the threshold (an index is a share already;
    // mu* and swings are compared with the largest).
    let scale = match method {
        Method::Sobol => 1.0,
        Method::Morris | Method::Oat => top,
    };
    let negligible = |r: &(usize, f64, Option<(f64, f64)>)| {
        r.2.map_or(r.1, |(_, hi)| hi) < NEGLIGIBLE * scale || r.1 == 0.0
    };
    let (small, large): (Vec<_>, Vec<_>) = ranked.iter().partition(|r| negligible(r));
    let mut main = Vec::new();
    for (k, (i, v, ci)) in large.iter().take(3).enumerate() {
        let what = match method {
            Method::Sobol => "total index ",
            Method::Morris => "mu* ",
            Method::Oat => "",
        };
        let text = match (method, k, ci) {
            (Method::Oat, _, _) => {
                let s = match &result.found {
                    Found::Oat(s) => s[*i],
                    _ => unreachable!("an OAT result"),
                };
                format!(
                    "{} (from {} at its low end to {} at its high end)",
                    name(*i),
                    value(s.at_low),
                    value(s.at_high)
                )
            }
            (_, 0, Some((lo, hi))) => {
                format!("{} ({what}{}, 95% CI {}–{})", name(*i), num(*v), num(*lo), num(*hi))
            }
            _ => format!("{} ({})", name(*i), num(*v)),
        };
        main.push(text);
    }
    let verb = match method {
        Method::Sobol => "depends mostly on",
        Method::Morris => "moves most with",
        Method::Oat => "swings most with",
    };
    let mut text = if main.is_empty() {
        format!("{subject} hardly depends on any of these assumptions")
    } else {
        format!("{subject} {verb} {}", join(&main))
    };
    if !small.is_empty() {
        let names: Vec<String> = small.iter().map(|r| name(r.0)).collect();
        let bound = small.iter().map(|r| r.2.map_or(r.1, |(_, hi)| hi)).fold(0.0_f64, f64::max);
        let verb = if names.len() == 1 { "hardly matters" } else { "hardly matter" };
        let limit = match method {
            Method::Sobol => {
                format!(" (total index < {})", num(((bound * 100.0).ceil() / 100.0).max(0.01)))
            }
            Method::Morris => format!(" (mu* < {} of the largest)", num(NEGLIGIBLE)),
            Method::Oat if small.iter().all(|r| r.1 == 0.0) => String::new(),
            Method::Oat => format!(" (swing < {} of the largest)", num(NEGLIGIBLE)),
        };
        let verb = if method == Method::Oat && small.iter().all(|r| r.1 == 0.0) {
            if names.len() == 1 { "does not move it" } else { "do not move it" }
        } else {
            verb
        };
        text.push_str(&format!("; {} {verb}{limit}", join(&names)));
    }
    text.push('.');
    if levels.is_some() && method != Method::Oat {
        text.push_str(" (The levels are counted 0, 1, 2, ... from the first listed.)");
    }
    if binary {
        let p = result.mean;
        text.push_str(&format!(
            " (A deal is reached in {:.0}% of runs. Agreement is yes or no: ",
            100.0 * p
        ));
        text.push_str(match method {
            Method::Sobol => {
                "an index is the share of the variance of the yes/no outcome that an \
                assumption explains, not a change in the chance of a deal.)"
            }
            Method::Morris => {
                "an effect is the change from no deal to a deal (1) or back (-1) \
                when the assumption alone moves by two thirds of its range; mu* near 1 means \
                it flips the outcome in most trajectories.)"
            }
            Method::Oat => {
                "a swing of 1 means the outcome flips between the two ends of the \
                range.)"
            }
        });
    }
    text
}

/// The assumptions that hardly matter for any analysed metric: they can be fixed at their
/// values in further study.
pub fn droppable(method: Method, results: &[MetricResult]) -> Vec<usize> {
    let analysed: Vec<&MetricResult> = results
        .iter()
        .filter(|r| matches!(r.found, Found::Oat(_) | Found::Morris(_) | Found::Sobol(_)))
        .collect();
    if analysed.is_empty() {
        return Vec::new();
    }
    let d = match &analysed[0].found {
        Found::Oat(s) => s.len(),
        Found::Morris(m) => m.mu.len(),
        Found::Sobol(s) => s.total.len(),
        _ => 0,
    };
    (0..d)
        .filter(|&i| {
            analysed.iter().all(|r| {
                let ranked = ranking(r);
                let top = ranked.first().map_or(0.0, |x| x.1);
                let scale = if method == Method::Sobol { 1.0 } else { top };
                let me = ranked.iter().find(|x| x.0 == i).expect("every factor is ranked");
                me.2.map_or(me.1, |(_, hi)| hi) < NEGLIGIBLE * scale || me.1 == 0.0
            })
        })
        .collect()
}

/// Every finding, one paragraph each: a sentence per metric, then what can be dropped.
pub fn findings(
    method: Method,
    results: &[MetricResult],
    factors: &[Factor],
    scenario: &Scenario,
) -> Vec<String> {
    let mut out: Vec<String> =
        results.iter().map(|r| sentence(method, r, factors, scenario)).collect();
    let drop = droppable(method, results);
    if method != Method::Oat && !drop.is_empty() {
        let names: Vec<String> =
            drop.iter().map(|&i| factor_phrase(&factors[i], scenario)).collect();
        out.push(format!(
            "Can be dropped from further study (they hardly matter for any metric here): {}.",
            join(&names)
        ));
    }
    out
}
