//! The deal against the bargaining solutions and the real deal: the rows that the transcript
//! and the report both print, so that they always compare the same things the same way.

use crate::export::record::{ObservedAnalysis, RunRecord, Terms};

/// One point of comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// `Reservation`, `Deal`, `Nash`, `Kalai–Smorodinsky`, `Utilitarian` or `Observed deal`.
    pub label: &'static str,
    /// Undiscounted utilities by party, in party order.
    pub utilities: Vec<f64>,
    /// Distance from the simulated deal in utility space (none for the deal itself, the
    /// reservation point, or without a deal).
    pub distance: Option<f64>,
    /// The terms, where the point is a deal.
    pub terms: Option<Terms>,
}

/// The comparison rows of a run, in a fixed order; rows that do not apply are left out.
pub fn comparisons(record: &RunRecord) -> Vec<Comparison> {
    let a = &record.analysis;
    let mut rows = vec![Comparison {
        label: "Reservation",
        utilities: a.disagreement.values().copied().collect(),
        distance: None,
        terms: None,
    }];
    if let Some(utilities) = record.parties.iter().map(|p| p.utility).collect::<Option<Vec<f64>>>()
    {
        rows.push(Comparison {
            label: "Deal",
            utilities,
            distance: None,
            terms: record.outcome.terms.clone(),
        });
    }
    let deal = a.deal.as_ref();
    for (label, solution, distance) in [
        ("Nash", &a.nash, deal.and_then(|d| d.distance_to_nash)),
        (
            "Kalai–Smorodinsky",
            &a.kalai_smorodinsky,
            deal.and_then(|d| d.distance_to_kalai_smorodinsky),
        ),
        ("Utilitarian", &a.utilitarian, deal.and_then(|d| d.distance_to_utilitarian)),
    ] {
        if let Some(s) = solution {
            rows.push(Comparison {
                label,
                utilities: s.utilities.values().copied().collect(),
                distance,
                terms: Some(s.terms.clone()),
            });
        }
    }
    if let Some(obs) = &a.observed {
        rows.push(Comparison {
            label: "Observed deal",
            utilities: obs.utilities.values().copied().collect(),
            distance: obs.utility_distance,
            terms: Some(obs.terms.clone()),
        });
    }
    rows
}

/// What the analysis found, as sentences (lowercase, no final period): the zone of
/// agreement, efficiency, and closeness to the real deal.
pub fn findings(record: &RunRecord) -> Vec<String> {
    let a = &record.analysis;
    let mut out = Vec::new();
    if let Some(err) = &a.error {
        out.push(format!("the bargaining analysis is not available: {err}"));
        return out;
    }
    if a.zone_of_agreement == Some(false) {
        out.push(
            "there is no zone of agreement: no deal gives every party more than its reservation \
             value"
                .to_string(),
        );
    }
    match &a.deal {
        Some(deal) if deal.pareto_optimal => out.push(
            "the deal is Pareto-optimal: no other deal makes a party better off without making \
             another worse off"
                .to_string(),
        ),
        Some(deal) => out.push(format!(
            "the deal is not Pareto-optimal: {:.3} more total utility was available without \
             making anyone worse off",
            deal.pareto_gap
        )),
        None => out.push("without a deal, every party is left with its reservation value".into()),
    }
    if let Some(obs) = &a.observed {
        if let Some(td) = obs.terms_distance {
            out.push(format!(
                "the simulated and the observed terms differ by {:.1}% of each issue's range on \
                 average",
                td * 100.0
            ));
        }
        out.extend(timing(obs));
    }
    out
}

/// "the real deal came at round 77; the simulated one 2 rounds earlier", when both rounds
/// are known.
fn timing(observed: &ObservedAnalysis) -> Option<String> {
    let (real, diff) = (observed.round?, observed.round_difference?);
    let when = match diff {
        0 => "in the same round".to_string(),
        1 => "1 round later".to_string(),
        -1 => "1 round earlier".to_string(),
        d if d < 0 => format!("{} rounds earlier", -d),
        d => format!("{d} rounds later"),
    };
    Some(format!("the real deal came at round {real}; the simulated one {when}"))
}
