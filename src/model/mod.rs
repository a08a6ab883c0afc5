//! The negotiation domain: issues, outcomes, preferences, parties and the validated scenario.
//!
//! Pure data and arithmetic: no serde, no IO, no randomness. Scenario files are turned into
//! these types by `crate::scenario`; the engine (`crate::protocol`) and the analysis
//! (`crate::analysis`) only ever see them.

mod assumption;
mod issue;
pub mod kinds;
mod outcome;
mod params;
mod party;
mod path;
mod preferences;
mod scenario;
mod sweep_plan;

pub use assumption::{Assumption, Confidence};
pub use issue::{Grid, Issue, IssueKind, MAX_GRID_VALUES, format_number, format_quantity};
pub use kinds::{Bounds, STRATEGY_KINDS, StrategyKind};
pub use outcome::Outcome;
pub use params::{ParamError, ParamProblem, ParamValue, Params, PartyParams, parse_number};
pub use party::{Party, StrategySpec, TimeDependentFamily};
pub use path::{MAX_ROUNDS_LIMIT, PATH_PATTERNS, ParamPath, PathDisplay, PathNames};
pub use preferences::{Preferences, ValueFn};
pub use scenario::{Event, Information, Observed, Scenario, ScenarioParts};
pub use sweep_plan::SweepPlan;
