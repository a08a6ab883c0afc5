//! Relative tit-for-tat: reciprocate the others' concessions.

use crate::model::StrategySpec;
use crate::protocol::View;
use crate::strategy::Strategy;

/// Opens at its best utility, concedes `initial_concession` on its first counteroffer (a
/// cooperative opening), then moves its target by `factor` times the others' average
/// concession since their previous offer, measured in its own utility. A retraction by the
/// others is reciprocated too. The target stays between the party's floor and its best.
/// Both parameters are read from the party's current spec, so events can change them.
#[derive(Clone, Debug, Default)]
pub struct TitForTat {
    last_target: Option<f64>,
}

/// The others' average concession between their last two offers, in own utility
/// (0 if no other party has made two offers yet).
fn others_concession(view: &View<'_>) -> f64 {
    let steps: Vec<f64> = view
        .others()
        .filter_map(|q| view.last_two_offers_by(q))
        .map(|(before, last)| view.utility(last) - view.utility(before))
        .collect();
    if steps.is_empty() { 0.0 } else { steps.iter().sum::<f64>() / steps.len() as f64 }
}

impl Strategy for TitForTat {
    fn target(&self, view: &View<'_>, round: u32) -> f64 {
        let best = view.best_utility();
        let Some(last) = self.last_target else {
            return best;
        };
        let StrategySpec::TitForTat { factor, initial_concession } = *view.party().strategy()
        else {
            unreachable!("a TitForTat strategy is built only for a tit_for_tat spec");
        };
        let step = if view.n_own_offers() == 1 {
            initial_concession
        } else {
            factor * others_concession(view)
        };
        (last - step).min(best).max(view.floor(round))
    }

    fn offered(&mut self, target: f64) {
        self.last_target = Some(target);
    }
}
