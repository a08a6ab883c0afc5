//! The hardliner: always demands its best outcome.

use crate::protocol::View;
use crate::strategy::Strategy;

/// Always proposes its best outcome (as a trade-off offer: ties go to the others) and,
/// by the "next" rule, accepts only offers worth at least its best discounted by one round.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hardliner;

impl Strategy for Hardliner {
    fn target(&self, view: &View<'_>, _round: u32) -> f64 {
        view.best_utility()
    }
}
