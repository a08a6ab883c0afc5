//! The negotiation protocol: the loop, what parties see, and who is told what happened.
//!
//! Stacked alternating offers (Aydoğan et al.'s SAOP) for two or more parties, with a
//! deadline, scheduled events and a per-round breakdown risk. The engine owns the state of a
//! run; strategies (`crate::strategy`) see it only through a [`View`]; observers get each
//! step as it happens. No IO, no clock: time is the round counter, and randomness comes only
//! from the generator passed in.

mod engine;
mod observer;
pub mod opponent_model;
#[cfg(test)]
mod proptests;
#[cfg(test)]
mod tests;
mod view;

pub use engine::{End, RunResult, Workspace, run_negotiation};
pub use observer::{Observer, Silent};
pub use view::{OfferRecord, View};
