//! The Faratin–Sierra–Jennings (1998) time-dependent family: Boulware, linear, Conceder.

use std::cell::RefCell;

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
/// Concessions are remembered per thread (see [`remembered_concession`]): a `powf` was the
/// costliest step of a round, and the runs of a sweep ask for the same ones again and again.
#[derive(Clone, Copy, Debug, Default)]
pub struct TimeDependent;

/// The fraction of the way from best to floor at `round`: `(r / (T - 1))^(1 / exponent)`.
pub fn concession(round: u32, max_rounds: u32, exponent: f64) -> f64 {
    if max_rounds <= 1 {
        return 1.0;
    }
    let t = (f64::from(round) / f64::from(max_rounds - 1)).min(1.0);
    t.powf(1.0 / exponent)
}

/// Deadlines up to this many rounds have their concessions remembered.
const REMEMBERED_ROUNDS: u32 = 10_000;

/// Curves remembered per thread (a new one replaces the oldest).
const REMEMBERED_CURVES: usize = 8;

/// One concession curve: `(max_rounds, exponent bits)` and the values computed so far by
/// round (NaN: not yet; a concession is never NaN).
type Remembered = (u32, u64, Vec<f64>);

thread_local! {
    static CURVES: RefCell<Vec<Remembered>> = const { RefCell::new(Vec::new()) };
}

/// [`concession`], remembered per thread for each `(max_rounds, exponent)` seen lately: the
/// same number as computing it (it is computed once and stored), without the `powf` when
/// a party, a later round or a later run of a sweep asks again.
pub fn remembered_concession(round: u32, max_rounds: u32, exponent: f64) -> f64 {
    if max_rounds > REMEMBERED_ROUNDS || round >= max_rounds {
        return concession(round, max_rounds, exponent);
    }
    let key = (max_rounds, exponent.to_bits());
    CURVES.with(|curves| {
        let Ok(mut curves) = curves.try_borrow_mut() else {
            return concession(round, max_rounds, exponent);
        };
        let at = match curves.iter().position(|c| (c.0, c.1) == key) {
            Some(at) => at,
            None => {
                if curves.len() == REMEMBERED_CURVES {
                    curves.remove(0);
                }
                curves.push((key.0, key.1, vec![f64::NAN; max_rounds as usize]));
                curves.len() - 1
            }
        };
        let slot = &mut curves[at].2[round as usize];
        if slot.is_nan() {
            *slot = concession(round, max_rounds, exponent);
        }
        *slot
    })
}

impl Strategy for TimeDependent {
    fn target(&self, view: &View<'_>, round: u32) -> f64 {
        let exponent = match view.party().strategy() {
            StrategySpec::TimeDependent { exponent, .. } => *exponent,
            _ => 1.0,
        };
        let best = view.best_utility();
        let floor = view.floor(round);
        let c = remembered_concession(round, view.max_rounds(), exponent);
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
    fn remembered_concessions_are_the_computed_ones() {
        for (max_rounds, exponent) in [(61, 0.2), (61, 2.0), (10, 0.7), (200_000, 0.5)] {
            for round in [0, 1, 5, 9, 30, 59, 60, 61, 70] {
                let want = concession(round, max_rounds, exponent).to_bits();
                // Twice: computed, then remembered.
                assert_eq!(remembered_concession(round, max_rounds, exponent).to_bits(), want);
                assert_eq!(remembered_concession(round, max_rounds, exponent).to_bits(), want);
            }
        }
        // More curves than are remembered: the oldest are forgotten, values stay right.
        for e in 1..=20 {
            let exponent = f64::from(e) / 10.0;
            assert_eq!(remembered_concession(3, 50, exponent), concession(3, 50, exponent));
        }
    }

    #[test]
    fn concession_reaches_the_floor_at_the_last_round() {
        assert_eq!(concession(0, 10, 0.2), 0.0);
        assert_eq!(concession(9, 10, 0.2), 1.0);
        assert_eq!(concession(15, 10, 3.0), 1.0);
        assert_eq!(concession(0, 1, 1.0), 1.0);
    }
}
