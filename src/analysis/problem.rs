//! The analysis as a prepared problem: the outcome space of a scenario, built once, with the
//! disagreement point as a separate, cheap input.
//!
//! Owns what is derived from the preferences alone (the cells with every party's affine
//! utility, or the contribution tables of an all-ordinal space), the choice of backend, and
//! the estimate of the work an analysis would take, which decides a refusal.
//! The solution concepts are in `solutions`, the frontier in `frontier`.
//!
//! # Reuse
//! The cells, their utilities and the Pareto frontier do not depend on reservation values.
//! A [`Problem`] keeps them behind an [`Arc`], so [`Problem::with_disagreement`] (a sweep that
//! changes only reservations) costs one small vector, and the copies share the cells.
//! A change of weights or value functions changes the cells: build a new [`Problem`].

use std::sync::Arc;

use crate::analysis::cells::{CellSpace, CellTable, Decomposition};
use crate::analysis::grid::Grid;
use crate::analysis::{AnalysisError, Bargaining, frontier, solutions};
use crate::model::{Outcome, Preferences, Scenario};

/// How long, in estimated seconds of one core, an analysis may take before it is refused.
///
/// The estimate is [`Problem::new`]'s work model: per all-ordinal outcome, per cell solved
/// directly, per cell that needs the general solver. Ten million all-ordinal outcomes of
/// two to four parties fit; so do a few thousand cells with many continuous issues.
pub const MAX_ANALYSIS_SECONDS: f64 = 30.0;

/// Above this many cells of one interval per continuous issue, continuous issues are cut into
/// concave pieces instead (see `cells`), when that gives fewer cells. Below it, small cells
/// keep the fastest exact methods (vertex enumeration up to two continuous issues), and the
/// reported points of scenarios that were analysed before concave pieces existed do not
/// move; above it, merging is what keeps the work bounded: three parties with interior ideals
/// on twelve issues make `4^12` cells of intervals, and one of concave pieces.
pub(crate) const MERGE_ABOVE_CELLS: u128 = 4096;

/// Estimated seconds per outcome and party of an all-ordinal space: each of the few passes
/// costs about one addition, a comparison and a clamp per party (measured about 1 to 3 ns).
const SECONDS_PER_OUTCOME_PARTY: f64 = 1e-8 / 4.0;

/// Estimated seconds per cell and party with one or two continuous issues (vertex
/// enumeration, the one-variable Nash point): measured about 2.7 µs on the shipped minerals
/// scenario (72 cells, 2 parties, 0.4 ms), doubled for a loaded machine.
const SECONDS_PER_SMALL_CELL_PARTY: f64 = 5e-6;

/// Estimated seconds per cell and party with three or more continuous issues (the bounded
/// simplex, Newton steps for Nash, rarely clarabel): measured about 5 µs on
/// `benches/data/continuous-3x12.toml` (6,912 cells of 12 variables, 3 parties, 0.1 s) and
/// under 1 µs on `mixed-3x8.toml`, doubled for a loaded machine.
const SECONDS_PER_LARGE_CELL_PARTY: f64 = 1e-5;

/// A scenario's bargaining problem, prepared for analysis: see the module docs.
#[derive(Clone, Debug)]
pub struct Problem {
    space: Arc<Space>,
    disagreement: Vec<f64>,
}

/// What the analysis reads of a scenario, apart from the disagreement point.
#[derive(Debug)]
pub(crate) struct Space {
    /// Each party's preferences, to recompute every reported point's utilities.
    pub prefs: Vec<Preferences>,
    /// The outcome space, in the form its backend reads.
    pub shape: Shape,
}

/// The outcome space as its backend reads it.
#[derive(Debug)]
pub(crate) enum Shape {
    /// All issues ordinal: outcomes are enumerated (`grid`).
    Grid(Grid),
    /// Some issue continuous: cells with affine utilities, one small program each.
    Cells(CellTable),
}

impl Problem {
    /// Prepares the analysis of `scenario` on its current parameters, with each party's
    /// reservation value as its disagreement point.
    ///
    /// Fails with [`AnalysisError::TooMuchWork`] when the estimated work is above
    /// [`MAX_ANALYSIS_SECONDS`].
    pub fn new(scenario: &Scenario) -> Result<Problem, AnalysisError> {
        Problem::with_decomposition(scenario, None)
    }

    /// [`Problem::new`] with the decomposition of continuous issues chosen by the caller
    /// (`None`: by [`MERGE_ABOVE_CELLS`]); tests use it to check both against each other.
    pub(crate) fn with_decomposition(
        scenario: &Scenario,
        decomposition: Option<Decomposition>,
    ) -> Result<Problem, AnalysisError> {
        let parties = scenario.parties();
        let n_parties = parties.len().max(1) as f64;
        let prefs = parties.iter().map(|p| p.preferences().clone()).collect();
        let disagreement = parties.iter().map(|p| p.reservation()).collect();
        let shape = match Grid::new(scenario) {
            Some(grid) => {
                let outcomes = grid.n_outcomes();
                let seconds = outcomes as f64 * n_parties * SECONDS_PER_OUTCOME_PARTY;
                if seconds > MAX_ANALYSIS_SECONDS || usize::try_from(outcomes).is_err() {
                    return Err(too_much_work(outcomes, 0, seconds));
                }
                Shape::Grid(grid)
            }
            None => {
                let space = match decomposition {
                    Some(decomposition) => CellSpace::new(scenario, decomposition),
                    None => {
                        let intervals = CellSpace::new(scenario, Decomposition::Intervals);
                        if intervals.n_cells() > MERGE_ABOVE_CELLS {
                            let pieces = CellSpace::new(scenario, Decomposition::ConcavePieces);
                            if pieces.n_cells() < intervals.n_cells() { pieces } else { intervals }
                        } else {
                            intervals
                        }
                    }
                };
                let cells = space.n_cells();
                let n_vars = space.n_vars();
                let per_cell = match n_vars {
                    0..=2 => SECONDS_PER_SMALL_CELL_PARTY,
                    // The simplex and Newton steps grow with the variables; the constant was
                    // measured at twelve.
                    _ => SECONDS_PER_LARGE_CELL_PARTY * (n_vars as f64 / 12.0).max(1.0),
                };
                let seconds = cells as f64 * n_parties * per_cell;
                if seconds > MAX_ANALYSIS_SECONDS || usize::try_from(cells).is_err() {
                    return Err(too_much_work(cells, n_vars, seconds));
                }
                Shape::Cells(CellTable::new(space))
            }
        };
        Ok(Problem { space: Arc::new(Space { prefs, shape }), disagreement })
    }

    /// The same problem with another disagreement point (one value per party), sharing the
    /// cells: what a sweep over reservation values calls between runs.
    pub fn with_disagreement(&self, disagreement: &[f64]) -> Result<Problem, AnalysisError> {
        let mut problem = self.clone();
        problem.set_disagreement(disagreement)?;
        Ok(problem)
    }

    /// Replaces the disagreement point (one value per party); the cells are kept.
    pub fn set_disagreement(&mut self, disagreement: &[f64]) -> Result<(), AnalysisError> {
        let expected = self.n_parties();
        if disagreement.len() != expected {
            return Err(AnalysisError::UtilityCount { expected, found: disagreement.len() });
        }
        self.disagreement.clear();
        self.disagreement.extend_from_slice(disagreement);
        Ok(())
    }

    /// The disagreement point, one value per party.
    pub fn disagreement(&self) -> &[f64] {
        &self.disagreement
    }

    /// The number of parties.
    pub fn n_parties(&self) -> usize {
        self.space.prefs.len()
    }

    /// The bargaining analysis (see the module docs of [`crate::analysis`]).
    pub fn bargaining(&self) -> Bargaining {
        solutions::bargaining(&self.space, &self.disagreement)
    }

    /// True if some outcome gives every party more than its disagreement value by more than
    /// [`crate::analysis::ZONE_TOLERANCE`]; stops at the first such outcome, so it costs at
    /// most what [`Problem::bargaining`]'s first pass does.
    pub fn zone_of_agreement(&self) -> bool {
        solutions::zone_of_agreement(&self.space, &self.disagreement)
    }

    /// The largest total gain `sum_p (u_p(x) - utilities[p])` over outcomes `x` that give every
    /// party at least `utilities[p]`; 0 if nothing does better.
    ///
    /// For the utilities of a real outcome, 0 means the outcome is Pareto-optimal; compare with
    /// [`crate::analysis::PARETO_TOLERANCE`] rather than with 0.
    pub fn pareto_gap(&self, utilities: &[f64]) -> Result<f64, AnalysisError> {
        let expected = self.n_parties();
        if utilities.len() != expected {
            return Err(AnalysisError::UtilityCount { expected, found: utilities.len() });
        }
        Ok(solutions::pareto_gap(&self.space, utilities))
    }

    /// The Pareto frontier of a two-party problem: see [`crate::analysis::pareto_frontier_2d`].
    /// It does not depend on the disagreement point.
    pub fn frontier(&self, n_points: usize) -> Result<Vec<[f64; 2]>, AnalysisError> {
        let n_parties = self.n_parties();
        if n_parties != 2 {
            return Err(AnalysisError::PartyCount { expected: 2, found: n_parties });
        }
        Ok(frontier::frontier(&self.space, n_points))
    }
}

impl Space {
    /// Every party's utility of `outcome`, recomputed by the model.
    pub(crate) fn utilities(&self, outcome: &Outcome) -> Vec<f64> {
        self.prefs.iter().map(|p| p.utility(outcome)).collect()
    }
}

fn too_much_work(cells: u128, n_vars: usize, seconds: f64) -> AnalysisError {
    AnalysisError::TooMuchWork { cells, variables: n_vars, seconds, limit: MAX_ANALYSIS_SECONDS }
}
