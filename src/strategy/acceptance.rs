//! Acceptance rules: when an offer is good enough.

use crate::model::Outcome;
use crate::protocol::View;
use crate::strategy::Response;

/// Tolerance for utility comparisons, so that an offer built to be worth exactly a
/// threshold is not refused over rounding in the last bit.
pub const TOLERANCE: f64 = 1e-9;

/// The "next" rule (AC_next, the ANAC baseline): accept an offer if, discounted to now, it
/// is worth at least the party's reservation value and at least what the party's own next
/// offer (with undiscounted utility `next_target`, made next round) would be worth.
pub fn accept_next(view: &View<'_>, offer: &Outcome, next_target: f64) -> Response {
    let party = view.party();
    let round = view.round();
    let now = view.utility(offer) * party.discount_at(round);
    let next = next_target * party.discount_at(round + 1);
    if now + TOLERANCE >= party.reservation() && now + TOLERANCE >= next {
        Response::Accept
    } else {
        Response::Reject
    }
}
