//! Exact bargaining analytics: the zone of agreement, the ideal point, the Nash,
//! Kalai–Smorodinsky and utilitarian solutions, the Pareto gap of a given deal, and the
//! Pareto frontier of a two-party scenario (`frontier`).
//!
//! Owns the mathematics of "how good could a deal have been", on a scenario's current
//! parameters and undiscounted utilities ([`crate::model::Preferences::utility`]), with each
//! party's reservation utility as its disagreement point.
//! It does no IO, reads no clock and draws no random numbers; it does not run negotiations,
//! format results or decide what counts as a good deal for reporting purposes.
//!
//! # Method
//! Utilities are additive over issues and piecewise linear in each continuous issue, so the
//! outcome space splits into cells (one piece per continuous issue times one level per ordinal
//! issue) on which every utility is affine in one variable per segment of the piece (`cells`).
//! A piece is one segment between consecutive breakpoints of any party, or, when that gives
//! more than `problem::MERGE_ABOVE_CELLS` cells, a whole stretch on which every party's value
//! is concave (a tent is concave over its whole range): twelve issues with three interior
//! ideals each are then one cell, not 16.7 million. Each cell's image in utility space is a convex polytope, where each solution is a
//! linear or a log-sum (Nash) program, solved exactly and directly where the cell is small
//! (vertex enumeration, a bounded simplex, bisection, Newton steps checked against the
//! optimality conditions: see `direct` and `solver`) and by clarabel otherwise (to about
//! 1e-12 usually, 1e-8 at worst; the Nash maximizer is then polished by Newton steps); the
//! answer is the best over cells. An all-ordinal space has one outcome per cell and is
//! enumerated without any program (`grid`). The work is prepared once per scenario as a
//! [`Problem`]; the disagreement point is a separate input. Cells that cannot beat the best so far, by a closed-form bound, are skipped. An
//! analysis whose estimated work is above [`MAX_ANALYSIS_SECONDS`] is refused with
//! [`AnalysisError::TooMuchWork`].
//!
//! # Accuracy
//! Every reported point is individually rational up to 1e-9 (`u_p >= d_p - 1e-9`, checked on
//! the recomputed utilities; solver answers that miss by more are discarded). Solutions are
//! optimal to about 1e-9 in their objective, and [`pareto_gap`] is accurate to about 1e-9.
//!
//! # Definitions
//! - Individually rational (IR): `u_p >= d_p` for every party `p`.
//! - Zone of agreement: some IR outcome gives every party more than `d_p` by more than
//!   [`ZONE_TOLERANCE`].
//! - Ideal point: `U_p`, the most party `p` gets over the IR set.
//! - Nash: maximizes `prod_p (u_p - d_p)` over the IR set.
//! - Kalai–Smorodinsky: maximizes `lambda` with `u_p - d_p >= lambda (U_p - d_p)` for all `p`;
//!   among outcomes within [`KS_TOLERANCE`] of the best `lambda`, the one with the largest total
//!   utility, so that the reported point is Pareto-optimal.
//! - Utilitarian: maximizes `sum_p u_p` over the IR set.
//!
//! # Determinism
//! Cells are enumerated in a fixed order (lexicographic over issues in scenario order). A later
//! cell replaces the best so far only if its objective is higher by more than 1e-12, so exact
//! and near ties go to the earlier cell. Every reported utility is recomputed from the
//! reported outcome with the model's own utility functions, not taken from the solver.

mod cells;
mod direct;
mod frontier;
mod grid;
mod polish;
mod problem;
mod solutions;
mod solver;

#[cfg(test)]
mod brute;
#[cfg(test)]
mod proptests;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod tests;

pub use frontier::{FRONTIER_TOLERANCE, pareto_frontier_2d};
pub use problem::{MAX_ANALYSIS_SECONDS, Problem};

use crate::model::{Outcome, Scenario};

/// Analyzes a scenario on its current parameters: [`Problem::new`] then
/// [`Problem::bargaining`]. Prepare a [`Problem`] once instead when several analyses of the
/// same preferences follow (a gap, a frontier, other reservation values).
pub fn bargaining(scenario: &Scenario) -> Result<Bargaining, AnalysisError> {
    Ok(Problem::new(scenario)?.bargaining())
}

/// The Pareto gap of `utilities` in a scenario: [`Problem::new`] then [`Problem::pareto_gap`].
pub fn pareto_gap(scenario: &Scenario, utilities: &[f64]) -> Result<f64, AnalysisError> {
    let n_parties = scenario.parties().len();
    if utilities.len() != n_parties {
        return Err(AnalysisError::UtilityCount { expected: n_parties, found: utilities.len() });
    }
    Problem::new(scenario)?.pareto_gap(utilities)
}

/// A gain of more than this over every party's reservation utility counts as a zone of
/// agreement; below it the IR set is treated as having no room to bargain in.
pub const ZONE_TOLERANCE: f64 = 1e-9;

/// How far below the best `lambda` an outcome may fall and still count as reaching the
/// Kalai–Smorodinsky ray (see the module docs).
pub const KS_TOLERANCE: f64 = 1e-9;

/// A [`pareto_gap`] at or below this counts as Pareto-optimal. It is well above the gap's
/// accuracy (about 1e-9) and well below any gain a reader cares about.
pub const PARETO_TOLERANCE: f64 = 1e-7;

/// One solution concept's answer: the terms and what each party gets from them.
#[derive(Clone, Debug, PartialEq)]
pub struct SolutionPoint {
    /// The terms: one value per issue (ordinal issues hold the level index).
    pub outcome: Outcome,
    /// Each party's undiscounted utility of `outcome`, in party order.
    pub utilities: Vec<f64>,
}

/// The bargaining analysis of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Bargaining {
    /// Each party's reservation utility (the disagreement point), in party order.
    pub disagreement: Vec<f64>,
    /// True if some outcome gives every party strictly more than its reservation utility.
    pub zone_of_agreement: bool,
    /// The most each party can get from an individually rational outcome; `None` if no outcome
    /// is individually rational.
    pub ideal: Option<Vec<f64>>,
    /// The Nash bargaining solution; `None` without a zone of agreement.
    pub nash: Option<SolutionPoint>,
    /// The Kalai–Smorodinsky solution; `None` without a zone of agreement.
    pub kalai_smorodinsky: Option<SolutionPoint>,
    /// The individually rational outcome with the largest total utility; `None` if no outcome is
    /// individually rational.
    pub utilitarian: Option<SolutionPoint>,
}

/// Why an analysis was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    /// The analysis would take longer than [`MAX_ANALYSIS_SECONDS`] by its work estimate.
    #[error(
        "{}, an estimated {} s of analysis, above the limit of {limit:.0} s; {}",
        too_much_work_size(*cells, *variables),
        grouped(seconds.round() as u128),
        too_much_work_fix(*variables)
    )]
    TooMuchWork {
        /// The number of cells (outcomes, when every issue is ordinal; saturating).
        cells: u128,
        /// The most free variables of a cell (one per segment of a continuous issue's piece;
        /// 0 when every issue is ordinal).
        variables: usize,
        /// The estimated seconds of one core.
        seconds: f64,
        /// The limit, [`MAX_ANALYSIS_SECONDS`].
        limit: f64,
    },
    /// A utility vector did not have one entry per party.
    #[error("expected {expected} utilities, one per party, got {found}")]
    UtilityCount {
        /// The number of parties.
        expected: usize,
        /// The number of utilities given.
        found: usize,
    },
    /// A two-party analysis (the frontier) was asked of a scenario with another party count.
    #[error(
        "expected {expected} parties, got {found}; \
         the Pareto frontier is computed for two-party scenarios only"
    )]
    PartyCount {
        /// The number of parties the analysis needs.
        expected: usize,
        /// The scenario's number of parties.
        found: usize,
    },
}

/// What [`AnalysisError::TooMuchWork`] found too large, in words.
fn too_much_work_size(cells: u128, variables: usize) -> String {
    let size = if cells == u128::MAX { "more than ".to_string() } else { String::new() };
    match variables {
        0 => format!("the outcome space has {size}{} outcomes", grouped(cells)),
        1 => format!(
            "the outcome space splits into {size}{} cells with up to 1 continuous variable each",
            grouped(cells)
        ),
        n => format!(
            "the outcome space splits into {size}{} cells with up to {n} continuous variables each",
            grouped(cells)
        ),
    }
}

/// How to make the analysis of [`AnalysisError::TooMuchWork`] smaller.
fn too_much_work_fix(variables: usize) -> &'static str {
    if variables == 0 {
        "use fewer issues or fewer levels on ordinal issues (merge levels that differ little)"
    } else {
        "use fewer levels on ordinal issues, or fewer value points on continuous issues, or \
         value points that only bend down (concave, as the tent of an `ideal` is)"
    }
}

/// `n` with its digits in groups of three: 16,777,216.
fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The Euclidean distance between two utility vectors (entries past the shorter one's length
/// are ignored; the vectors are meant to have one entry per party).
pub fn distance(a: &[f64], b: &[f64]) -> f64 {
    debug_assert_eq!(a.len(), b.len(), "utility vectors of different lengths");
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}
