//! The Faratin–Sierra–Jennings (1998) time-dependent family: Boulware, linear, Conceder.

use std::cell::Cell;

use crate::model::StrategySpec;
use crate::protocol::View;
use crate::strategy::Strategy;

/// Concedes along a curve in time from its best utility to its floor (the reservation
/// value grossed up for discounting, see [`View::floor`]):
///
/// `target(r) = floor(r) + (best - floor(r)) * (1 - (r / (max_rounds - 1))^(1 / exponent))`
///
/// An exponent below 1 holds firm until late (Boulware), 1 is linear, above 1 concedes
/// early (Conceder). The exponent is read from the party's current parameters, so events
/// and sweeps can change it.
///
/// The engine asks a party for its target at round `r + 2` when it answers at `r + 1` and
/// again when it proposes at `r + 2`: the strategy remembers the last concession it
/// computed (a `powf`, the costliest step of a round) with the inputs it was computed from,
/// so the second call is a lookup giving the same number.
#[derive(Clone, Debug, Default)]
pub struct TimeDependent {
    /// `(round, max_rounds, exponent bits, concession)` of the last call.
    last: Cell<Option<(u32, u32, u64, f64)>>,
}

/// The fraction of the way from best to floor at `round`: `(r / (T - 1))^(1 / exponent)`.
pub fn concession(round: u32, max_rounds: u32, exponent: f64) -> f64 {
    if max_rounds <= 1 {
        return 1.0;
    }
    let t = (f64::from(round) / f64::from(max_rounds - 1)).min(1.0);
    t.powf(1.0 / exponent)
}

impl Strategy for TimeDependent {
    fn target(&self, view: &View<'_>, round: u32) -> f64 {
        let exponent = match view.party().strategy() {
            StrategySpec::TimeDependent { exponent, .. } => *exponent,
            _ => 1.0,
        };
        let best = view.best_utility();
        let floor = view.floor(round);
        let max_rounds = view.max_rounds();
        let key = (round, max_rounds, exponent.to_bits());
        let c = match self.last.get() {
            Some((r, m, e, c)) if (r, m, e) == key => c,
            _ => {
                let c = concession(round, max_rounds, exponent);
                self.last.set(Some((key.0, key.1, key.2, c)));
                c
            }
        };
        floor + (best - floor) * (1.0 - c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boulware_holds_firm_and_conceder_gives_early() {
        let boulware = concession(30, 61, 0.2);
        let linear = concession(30, 61, 1.0);
        let conceder = concession(30, 61, 2.0);
        assert!(boulware < 0.05, "{boulware}");
        assert_eq!(linear, 0.5);
        assert!(conceder > 0.7, "{conceder}");
    }

    #[test]
    fn concession_reaches_the_floor_at_the_last_round() {
        assert_eq!(concession(0, 10, 0.2), 0.0);
        assert_eq!(concession(9, 10, 0.2), 1.0);
        assert_eq!(concession(15, 10, 3.0), 1.0);
        assert_eq!(concession(0, 1, 1.0), 1.0);
    }
}
