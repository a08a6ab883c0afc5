//! The scenario file as written: a mirror of the TOML with every value's place in the source.
//!
//! These types hold strings and options exactly as found, so that validation can say where
//! each problem is. They are filled by `read.rs` and turned into `crate::model` types by
//! `validate.rs`. The user-facing reference for every field is `docs/scenario.md`.

use std::collections::BTreeSet;
use std::ops::Range;

/// A value and the byte range it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is in the source.
    pub span: Range<usize>,
}

/// `key = value` entries of a table keyed by names (issue ids, levels, paths), in file order.
pub type Entries<T> = Vec<(Spanned<String>, Spanned<T>)>;

/// The whole file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawScenario {
    /// `[scenario]`: the header.
    pub scenario: Option<Spanned<RawHeader>>,
    /// `[[issues]]`: what is on the table.
    pub issues: Vec<Spanned<RawIssue>>,
    /// `[[parties]]`: who negotiates.
    pub parties: Vec<Spanned<RawParty>>,
    /// `[[events]]`: exogenous shocks.
    pub events: Vec<Spanned<RawEvent>>,
    /// `[observed]`: what really happened.
    pub observed: Option<Spanned<RawObserved>>,
    /// `[[assumptions]]`: the judgements the scenario rests on, with ranges and sources.
    pub assumptions: Vec<Spanned<RawAssumption>>,
    /// `[[sweeps]]`: sweeps that `accord report` runs.
    pub sweeps: Vec<Spanned<RawSweep>>,
    /// The TOML path (`parties[1].reservation`) of every known key present in the file, even
    /// where its value was of the wrong type (and so left out above): a field that is there
    /// but invalid must not also be reported as missing.
    pub present: BTreeSet<String>,
}

/// `[scenario]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawHeader {
    /// Display name (required).
    pub name: Option<Spanned<String>>,
    /// Free text: sources, caveats, which reported figures are used.
    pub description: Option<Spanned<String>>,
    /// Deadline: the talks end without a deal after this many rounds (required, 1..=1000000).
    pub max_rounds: Option<Spanned<i64>>,
    /// Seed from which all randomness flows (default 0).
    pub seed: Option<Spanned<i64>>,
    /// Party ids: who proposes first, then the answering/proposing rotation (default: file order).
    pub order: Option<Spanned<Vec<Spanned<String>>>>,
    /// Chance per round that outside events end the talks, in [0, 1) (default 0).
    pub breakdown_risk: Option<Spanned<f64>>,
    /// `"complete"` (default) or `"learned"` opponent models.
    pub information: Option<Spanned<String>>,
}

/// One `[[issues]]` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawIssue {
    /// Identifier used everywhere else (required).
    pub id: Option<Spanned<String>>,
    /// Human-readable label (default: the id).
    pub label: Option<Spanned<String>>,
    /// Free text.
    pub description: Option<Spanned<String>>,
    /// `[min, max]` of a continuous issue.
    pub range: Option<Spanned<Vec<Spanned<f64>>>>,
    /// Unit of a continuous issue, such as `"%"` or `"$bn"`.
    pub unit: Option<Spanned<String>>,
    /// The step of a stepped numeric issue: only `min`, `min + step`, ..., `max`.
    pub step: Option<Spanned<f64>>,
    /// Level names of an ordinal issue, worst-to-best for no one in particular: just in order.
    pub levels: Option<Spanned<Vec<Spanned<String>>>>,
}

/// One `[[parties]]` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawParty {
    /// Identifier used in `order`, event paths and outputs (required).
    pub id: Option<Spanned<String>>,
    /// Display name (default: the id).
    pub name: Option<Spanned<String>>,
    /// Free text.
    pub description: Option<Spanned<String>>,
    /// Utility of walking away (BATNA), in [0, 1] (required).
    pub reservation: Option<Spanned<f64>>,
    /// Patience per round, in (0, 1] (default 1).
    pub discount: Option<Spanned<f64>>,
    /// How the party negotiates (required).
    pub strategy: Option<Spanned<RawStrategy>>,
    /// Importance of each issue, >= 0, one per issue (required).
    pub weights: Option<Spanned<Entries<f64>>>,
    /// The preferred value of each issue (a number, or a level name).
    pub ideal: Option<Spanned<Entries<RawTerm>>>,
    /// Optional explicit value functions, per issue.
    pub value: Option<Spanned<Entries<RawValue>>>,
}

/// `strategy = { kind = ..., ... }`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawStrategy {
    /// The strategy family (required).
    pub kind: Option<Spanned<String>>,
    /// Concession exponent of the time-dependent family.
    pub exponent: Option<Spanned<f64>>,
    /// Tit-for-tat reciprocation factor.
    pub factor: Option<Spanned<f64>>,
    /// Tit-for-tat opening concession.
    pub initial_concession: Option<Spanned<f64>>,
    /// Scripted offers.
    pub offers: Option<Spanned<Vec<Spanned<Entries<RawTerm>>>>>,
}

/// A term as written: a number (continuous issue) or a level name (ordinal issue).
#[derive(Clone, Debug, PartialEq)]
pub enum RawTerm {
    /// A number.
    Number(f64),
    /// A level name.
    Level(String),
}

/// `value.<issue> = ...` as written.
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    /// `{ level = value, ... }` for an ordinal issue.
    Levels(Entries<f64>),
    /// `[[x, value], ...]` for a continuous issue.
    Points(Vec<Spanned<(f64, f64)>>),
}

/// One `[[events]]` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawEvent {
    /// The round (0-based) at whose start the event applies (required).
    pub round: Option<Spanned<i64>>,
    /// What happened (required).
    pub description: Option<Spanned<String>>,
    /// Parameter changes: dotted path = new value.
    pub set: Option<Spanned<Entries<f64>>>,
    /// Whether the event ends the talks without a deal.
    pub ends_talks: Option<Spanned<bool>>,
}

/// `[observed]`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawObserved {
    /// The terms actually agreed, one per issue (required).
    pub terms: Option<Spanned<Entries<RawTerm>>>,
    /// Source or caveats.
    pub description: Option<Spanned<String>>,
    /// The round at which the real deal was struck, on the scenario's clock.
    pub round: Option<Spanned<i64>>,
}

/// One `[[assumptions]]` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawAssumption {
    /// A sweepable numeric path (required).
    pub path: Option<Spanned<String>>,
    /// Lower end of the plausible range (required).
    pub low: Option<Spanned<f64>>,
    /// Upper end of the plausible range (required).
    pub high: Option<Spanned<f64>>,
    /// Who said so, when (required).
    pub source: Option<Spanned<String>>,
    /// `"low"`, `"medium"` or `"high"`.
    pub confidence: Option<Spanned<String>>,
}

/// One `[[sweeps]]` entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RawSweep {
    /// A short title.
    pub name: Option<Spanned<String>>,
    /// The question the sweep answers, in a sentence.
    pub question: Option<Spanned<String>>,
    /// The axes, as `accord sweep --vary` takes them: `PATH=SPEC` (required).
    pub vary: Option<Spanned<Vec<Spanned<String>>>>,
    /// Runs per design point.
    pub replicates: Option<Spanned<i64>>,
}
