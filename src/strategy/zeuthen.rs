//! Zeuthen's (1930) risk-based monotonic concession.

use crate::model::Outcome;
use crate::protocol::View;
use crate::strategy::Strategy;

/// Opens at its best utility. Afterwards, at each turn it compares its *willingness to risk
/// conflict* with the others':
///
/// `risk_i = (u_i(own offer) - u_i(their offer)) / (u_i(own offer) - reservation_i)`
///
/// the largest chance of breakdown the party would run rather than accept the other offer.
/// If its own risk is the smallest (ties included), it concedes by the smallest amount that
/// makes its risk exceed every other party's, but by at least [`MIN_STEP`] of its
/// bargaining range (best utility minus reservation); otherwise it repeats its last target.
/// It never offers less than the standing offer already gives it, nor less than its floor.
/// The others' utilities and reservations are the party's beliefs (exact under complete
/// information).
///
/// Why a minimum step: Zeuthen's theory assumes a finite set of offers, where every
/// concession is at least one step. On continuous issues the exactly minimal concession can
/// be arbitrarily small, and two Zeuthen parties would creep towards each other by ever
/// smaller amounts and run into the deadline.
#[derive(Clone, Debug, Default)]
pub struct Zeuthen {
    last_target: Option<f64>,
}

/// The smallest concession, as a fraction of the party's bargaining range.
pub const MIN_STEP: f64 = 0.02;

/// Willingness to risk conflict: `(own - other) / (own - reservation)`, 0 when the own
/// offer is no better than walking away.
pub fn risk(own: f64, other: f64, reservation: f64) -> f64 {
    let stake = own - reservation;
    if stake <= 0.0 { 0.0 } else { ((own - other) / stake).clamp(0.0, 1.0) }
}

/// The smallest risk among the other parties that have made an offer, if any, when this
/// party offers `mine`.
fn others_min_risk(view: &View<'_>, mine: &Outcome) -> Option<f64> {
    view.others()
        .filter_map(|q| {
            let theirs = &view.last_offer_by(q)?.terms;
            let belief = view.belief(q);
            Some(risk(belief.utility(theirs), belief.utility(mine), view.believed_reservation(q)))
        })
        .min_by(f64::total_cmp)
}

impl Strategy for Zeuthen {
    fn target(&self, view: &View<'_>, round: u32) -> f64 {
        let floor = view.floor(round);
        let Some(last) = self.last_target else {
            return view.best_utility();
        };
        let (Some(standing), Some(mine)) = (view.standing_offer(), view.last_offer_by(view.me()))
        else {
            return last.max(floor);
        };
        let reservation = view.party().reservation();
        let on_table = view.utility(&standing.terms);
        let my_risk = risk(view.utility(&mine.terms), on_table, reservation);
        let Some(their_risk) = others_min_risk(view, &mine.terms) else {
            return last.max(floor);
        };
        if my_risk > their_risk {
            return last.max(floor);
        }
        // Concede: the largest target, at least one minimum step below the last, at which
        // the others' risk falls below ours.
        let shifts = |target: f64| {
            let offer = view.tradeoff_offer(target);
            let mine = risk(view.utility(&offer), on_table, reservation);
            others_min_risk(view, &offer).is_some_and(|theirs| mine > theirs)
        };
        let low = floor.max(on_table);
        let first = last - MIN_STEP * (view.best_utility() - reservation).max(0.0);
        if first <= low {
            return low;
        }
        if shifts(first) {
            return first;
        }
        // Scan down for a target that shifts the balance, then bisect between it and the
        // last one that did not. (Risks are not monotone near `low`, where both vanish, so
        // `low` itself is no reliable bracket.)
        const SCAN: u32 = 32;
        let mut bad = first;
        let Some(mut good) =
            (1..=SCAN).map(|k| first - (first - low) * f64::from(k) / f64::from(SCAN)).find(|t| {
                let found = shifts(*t);
                if !found {
                    bad = *t;
                }
                found
            })
        else {
            return low;
        };
        for _ in 0..40 {
            let mid = 0.5 * (good + bad);
            if shifts(mid) {
                good = mid;
            } else {
                bad = mid;
            }
        }
        good
    }

    fn offered(&mut self, target: f64) {
        self.last_target = Some(target);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_is_the_share_of_the_stake_lost_by_accepting() {
        assert_eq!(risk(0.8, 0.4, 0.0), 0.5);
        assert_eq!(risk(0.8, 0.8, 0.0), 0.0);
        assert_eq!(risk(0.3, 0.1, 0.4), 0.0);
        assert_eq!(risk(0.8, 0.0, 0.4), 1.0);
    }
}
