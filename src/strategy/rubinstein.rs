//! The Rubinstein (1982) subgame-perfect strategy for two parties with discount factors.

use crate::protocol::View;
use crate::strategy::Strategy;

/// As proposer, demands the equilibrium share `(1 - d_other) / (1 - d_self * d_other)` of its
/// best utility; as responder, accepts anything worth at least `d_self` times that share
/// (which is what the "next" rule gives against its own next demand). Between two
/// Rubinstein parties on one divisible issue the first offer is accepted at once.
///
/// The closed form assumes utility moves one-for-one between the parties (one pie, linear
/// values, reservation 0); on richer scenarios the same demand is made as a trade-off offer,
/// and it is never set below the party's floor (its reservation value grossed up for
/// discounting, see [`View::floor`]). Under learned information the
/// other's discount factor is unknown and taken equal to one's own.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rubinstein;

/// The first proposer's equilibrium share of a unit pie: `(1 - d_other) / (1 - d_self * d_other)`.
/// With both factors at 1 (no cost of delay) the limit of equal discounting, 1/2, is used.
pub fn rubinstein_share(d_self: f64, d_other: f64) -> f64 {
    let denom = 1.0 - d_self * d_other;
    if denom <= f64::EPSILON {
        return 0.5;
    }
    (1.0 - d_other) / denom
}

impl Strategy for Rubinstein {
    fn target(&self, view: &View<'_>, round: u32) -> f64 {
        let me = view.me();
        let other = view.others().next().expect("validation guarantees two parties");
        let share = rubinstein_share(view.believed_discount(me), view.believed_discount(other));
        (share * view.best_utility()).max(view.floor(round))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_matches_the_closed_form() {
        assert!((rubinstein_share(0.9, 0.8) - 0.2 / 0.28).abs() < 1e-15);
        assert_eq!(rubinstein_share(1.0, 0.5), 1.0);
        assert_eq!(rubinstein_share(1.0, 1.0), 0.5);
        // Equal patience: the first mover's advantage is 1 / (1 + d).
        assert!((rubinstein_share(0.9, 0.9) - 1.0 / 1.9).abs() < 1e-15);
    }
}
