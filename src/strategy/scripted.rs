//! Scripted offers: a replay seam for tests and for re-enacting a real sequence of proposals.

use crate::model::Outcome;
use crate::protocol::View;
use crate::strategy::Strategy;

/// Makes the given offers in order, one per turn as proposer, repeating the last one when
/// the list runs out. Answers by the "next" rule against its next scripted offer.
#[derive(Clone, Debug)]
pub struct Scripted {
    offers: Vec<Outcome>,
    made: usize,
}

impl Scripted {
    /// A script of offers; must not be empty.
    pub fn new(offers: Vec<Outcome>) -> Scripted {
        assert!(!offers.is_empty(), "validation guarantees at least one scripted offer");
        Scripted { offers, made: 0 }
    }

    fn next_offer(&self) -> &Outcome {
        &self.offers[self.made.min(self.offers.len() - 1)]
    }
}

impl Strategy for Scripted {
    fn target(&self, view: &View<'_>, _round: u32) -> f64 {
        view.utility(self.next_offer())
    }

    fn propose(&mut self, _view: &View<'_>) -> Outcome {
        let offer = self.next_offer().clone();
        self.made += 1;
        offer
    }
}
