//! Watching a run as it happens.

use crate::model::{Event, Outcome, Scenario};
use crate::protocol::End;
use crate::strategy::Response;

/// Receives the steps of a run as the engine makes them. Every method defaults to doing
/// nothing, so an observer implements only what it needs; sweeps run with [`Silent`].
///
/// Calls come in this order within a round: `event` (for each event at the round, before
/// anything else), `offer`, then one `response` per answering party until one rejects or
/// walks away or all accept; `end` is called once, last.
pub trait Observer {
    /// An event took effect at the start of `round`; `scenario` holds the new parameters.
    fn event(&mut self, _round: u32, _event: &Event, _scenario: &Scenario) {}

    /// `proposer` offered `terms` at `round`; `scenario` holds the parameters in force.
    fn offer(&mut self, _round: u32, _proposer: usize, _terms: &Outcome, _scenario: &Scenario) {}

    /// `party` answered the offer of `round`.
    fn response(&mut self, _round: u32, _party: usize, _response: Response) {}

    /// The run ended.
    fn end(&mut self, _end: &End) {}
}

/// An observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl Observer for Silent {}
