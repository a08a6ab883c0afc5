//! The solution concepts, each computed as the best over cells of one small convex program.
//!
//! Owns the programs (which rows, which objective), the closed-form bounds that let a pass skip
//! cells that cannot win, and the tie-breaking between cells. The cell model lives in `cells`
//! and the solver plumbing in `solver`.

use crate::analysis::cells::{Cell, CellSpace};
use crate::analysis::solver::{Row, maximize_linear, maximize_log_sum};
use crate::analysis::{AnalysisError, Bargaining, KS_TOLERANCE, SolutionPoint, ZONE_TOLERANCE};
use crate::model::{Outcome, Scenario};

/// A later cell must beat the best so far by more than this to replace it.
const TIE_TOLERANCE: f64 = 1e-12;

/// A point the solver returns may miss a floor (a reservation, or a target utility) by at most
/// this much, measured on the recomputed utilities; a point that misses by more is discarded.
/// This is what makes "individually rational" hold for every reported point whatever the
/// solver status was: every reported point satisfies `u_p >= d_p - FEASIBILITY_SLACK`.
const FEASIBILITY_SLACK: f64 = 1e-9;

/// Cells whose best slack is below `-IR_SLACK` are treated as having no IR outcome. It only
/// filters which cells are tried; the programs themselves state IR exactly.
const IR_SLACK: f64 = 1e-9;

/// Analyzes a scenario on its current parameters (see the module docs for the definitions).
///
/// Never panics on a validated scenario: a cell the solver cannot handle is skipped. Fails only
/// when the outcome space has more than [`crate::analysis::MAX_CELLS`] cells.
pub fn bargaining(scenario: &Scenario) -> Result<Bargaining, AnalysisError> {
    if scenario.parties().is_empty() {
        return Ok(Bargaining {
            disagreement: Vec::new(),
            zone_of_agreement: false,
            ideal: None,
            nash: None,
            kalai_smorodinsky: None,
            utilitarian: None,
        });
    }
    let ctx = Context::new(scenario)?;

    let slacks: Vec<f64> = ctx.cells.iter().map(|cell| ctx.best_slack(cell)).collect();
    let zone_of_agreement = slacks.iter().any(|s| *s > ZONE_TOLERANCE);
    let ir_cells: Vec<usize> = (0..slacks.len()).filter(|&c| slacks[c] >= -IR_SLACK).collect();
    let zone_cells: Vec<usize> = ir_cells.iter().copied().filter(|&c| slacks[c] > 0.0).collect();

    let ideal = ctx.ideal(&ir_cells);
    let utilitarian = ctx.utilitarian(&ir_cells);
    let (nash, kalai_smorodinsky) = match (&ideal, zone_of_agreement) {
        (Some(ideal), true) => (ctx.nash(&zone_cells), ctx.kalai_smorodinsky(&ir_cells, ideal)),
        _ => (None, None),
    };
    Ok(Bargaining {
        disagreement: ctx.disagreement,
        zone_of_agreement,
        ideal,
        nash,
        kalai_smorodinsky,
        utilitarian,
    })
}

/// The largest total gain `sum_p (u_p(x) - utilities[p])` over outcomes `x` that give every
/// party at least `utilities[p]`; 0 if nothing does better.
///
/// For the utilities of a real outcome, 0 means the outcome is Pareto-optimal; compare with
/// [`crate::analysis::PARETO_TOLERANCE`] rather than with 0, since the gain is computed by a
/// numerical solver.
pub fn pareto_gap(scenario: &Scenario, utilities: &[f64]) -> Result<f64, AnalysisError> {
    let n_parties = scenario.parties().len();
    if utilities.len() != n_parties {
        return Err(AnalysisError::UtilityCount { expected: n_parties, found: utilities.len() });
    }
    let ctx = Context::new(scenario)?;
    let all_cells: Vec<usize> = (0..ctx.cells.len()).collect();
    let target_total: f64 = utilities.iter().sum();
    let best = ctx.max_total(&all_cells, utilities);
    Ok(best.map_or(0.0, |point| (point.utilities.iter().sum::<f64>() - target_total).max(0.0)))
}

/// What every pass needs: the scenario, its cells and the disagreement point.
struct Context<'a> {
    scenario: &'a Scenario,
    cells: Vec<Cell>,
    disagreement: Vec<f64>,
}

/// The best candidate so far in a pass over cells.
struct Best {
    value: f64,
    point: Option<SolutionPoint>,
}

impl Context<'_> {
    /// Enumerates the scenario's cells, refusing more than [`crate::analysis::MAX_CELLS`].
    fn new(scenario: &Scenario) -> Result<Context<'_>, AnalysisError> {
        let space = CellSpace::new(scenario)?;
        let cells = (0..space.len()).map(|idx| space.cell(idx)).collect();
        let disagreement = scenario.parties().iter().map(|p| p.reservation()).collect();
        Ok(Context { scenario, cells, disagreement })
    }

    /// The largest `s` such that some outcome in the cell gives every party `u_p - d_p >= s`,
    /// or minus infinity if the cell cannot even reach every reservation.
    fn best_slack(&self, cell: &Cell) -> f64 {
        let d = &self.disagreement;
        let bound = (0..d.len()).map(|p| cell.max_utility(p) - d[p]).fold(f64::INFINITY, f64::min);
        if bound < -IR_SLACK {
            return f64::NEG_INFINITY;
        }
        // Variables (t, s): maximize s subject to u_p(t) - s >= d_p.
        let mut rows = floor_rows(cell, d, 1);
        for row in &mut rows {
            *row.coefs.last_mut().expect("one extra column") = 1.0;
        }
        let objective = unit_objective(cell.n_vars());
        match maximize_linear(&objective, &rows, cell.n_vars()) {
            Some(x) => {
                let point = evaluate(self.scenario, cell.outcome(&x));
                point.utilities.iter().zip(d).map(|(u, d)| u - d).fold(f64::INFINITY, f64::min)
            }
            None => f64::NEG_INFINITY,
        }
    }

    /// Each party's best utility over the IR set, or `None` if no cell yields one.
    fn ideal(&self, ir_cells: &[usize]) -> Option<Vec<f64>> {
        let n_parties = self.disagreement.len();
        let mut ideal = Vec::with_capacity(n_parties);
        for p in 0..n_parties {
            let mut best = Best::new();
            for &c in ir_cells {
                let cell = &self.cells[c];
                if !best.can_be_beaten_by(cell.max_utility(p)) {
                    continue;
                }
                let rows = floor_rows(cell, &self.disagreement, 0);
                if let Some(t) = maximize_linear(&cell.slope[p], &rows, cell.n_vars()) {
                    let point = evaluate(self.scenario, cell.outcome(&t));
                    if meets(&point, &self.disagreement) {
                        best.offer(point.utilities[p], point);
                    }
                }
            }
            ideal.push(best.point?.utilities[p]);
        }
        Some(ideal)
    }

    /// The IR outcome with the largest total utility.
    fn utilitarian(&self, ir_cells: &[usize]) -> Option<SolutionPoint> {
        self.max_total(ir_cells, &self.disagreement)
    }

    /// The outcome with the largest total utility among those giving every party at least
    /// `floors[p]`.
    fn max_total(&self, cells: &[usize], floors: &[f64]) -> Option<SolutionPoint> {
        let mut best = Best::new();
        for &c in cells {
            let cell = &self.cells[c];
            let reaches = (0..floors.len()).all(|p| cell.max_utility(p) >= floors[p] - IR_SLACK);
            let total_bound = (0..floors.len()).map(|p| cell.max_utility(p)).sum();
            if !reaches || !best.can_be_beaten_by(total_bound) {
                continue;
            }
            let rows = floor_rows(cell, floors, 0);
            if let Some(t) = maximize_linear(&total_slope(cell), &rows, cell.n_vars()) {
                let point = evaluate(self.scenario, cell.outcome(&t));
                if meets(&point, floors) {
                    best.offer(point.utilities.iter().sum(), point);
                }
            }
        }
        best.point
    }

    /// The outcome maximizing `sum_p ln(u_p - d_p)`, over cells with a strictly IR outcome.
    fn nash(&self, zone_cells: &[usize]) -> Option<SolutionPoint> {
        let d = &self.disagreement;
        let mut best = Best::new();
        for &c in zone_cells {
            let cell = &self.cells[c];
            let bound = (0..d.len()).map(|p| (cell.max_utility(p) - d[p]).ln()).sum();
            if !best.can_be_beaten_by(bound) {
                continue;
            }
            let offsets: Vec<f64> = (0..d.len()).map(|p| cell.base[p] - d[p]).collect();
            if let Some(t) = maximize_log_sum(&offsets, &cell.slope, cell.n_vars()) {
                let point = evaluate(self.scenario, cell.outcome(&t));
                let value: f64 = point.utilities.iter().zip(d).map(|(u, d)| (u - d).ln()).sum();
                // A gain of zero or less gives a logarithm of minus infinity or NaN: no candidate.
                if value.is_finite() {
                    best.offer(value, point);
                }
            }
        }
        best.point
    }

    /// The Kalai–Smorodinsky point: the largest `lambda` with `u_p - d_p >= lambda (U_p - d_p)`,
    /// then the largest total utility among outcomes within [`KS_TOLERANCE`] of it.
    ///
    /// Requires a zone of agreement, so that every `U_p - d_p` is positive.
    fn kalai_smorodinsky(&self, ir_cells: &[usize], ideal: &[f64]) -> Option<SolutionPoint> {
        let d = &self.disagreement;
        let ranges: Vec<f64> = ideal.iter().zip(d).map(|(u, d)| u - d).collect();
        if ranges.iter().any(|r| *r <= 0.0) {
            return None;
        }
        let lambda_of = |utilities: &[f64]| {
            (0..d.len()).map(|p| (utilities[p] - d[p]) / ranges[p]).fold(f64::INFINITY, f64::min)
        };
        let mut best = Best::new();
        for &c in ir_cells {
            let cell = &self.cells[c];
            let bound = (0..d.len())
                .map(|p| (cell.max_utility(p) - d[p]) / ranges[p])
                .fold(f64::INFINITY, f64::min);
            if !best.can_be_beaten_by(bound) {
                continue;
            }
            // Variables (t, lambda): maximize lambda subject to
            // u_p(t) - lambda (U_p - d_p) >= d_p and lambda >= 0.
            let mut rows = floor_rows(cell, d, 1);
            for (row, range) in rows.iter_mut().zip(&ranges) {
                *row.coefs.last_mut().expect("one extra column") = *range;
            }
            let mut nonnegative = vec![0.0; cell.n_vars() + 1];
            nonnegative[cell.n_vars()] = -1.0;
            rows.push(Row { coefs: nonnegative, bound: 0.0 });
            let objective = unit_objective(cell.n_vars());
            if let Some(x) = maximize_linear(&objective, &rows, cell.n_vars()) {
                let point = evaluate(self.scenario, cell.outcome(&x));
                if meets(&point, d) {
                    best.offer(lambda_of(&point.utilities), point);
                }
            }
        }
        let lambda = best.value;
        let first_stage = best.point?;
        // The second stage picks the Pareto-optimal point on (or within tolerance of) the ray,
        // never asking for less than the reservation.
        let share = (lambda - KS_TOLERANCE).max(0.0);
        let floors: Vec<f64> = (0..d.len()).map(|p| d[p] + share * ranges[p]).collect();
        Some(self.max_total(ir_cells, &floors).unwrap_or(first_stage))
    }
}

impl Best {
    fn new() -> Best {
        Best { value: f64::NEG_INFINITY, point: None }
    }

    /// False if a cell whose objective is at most `bound` cannot replace the best so far.
    fn can_be_beaten_by(&self, bound: f64) -> bool {
        self.point.is_none() || bound > self.value + TIE_TOLERANCE
    }

    /// Keeps `point` if it is the first candidate or beats the best by more than the tolerance.
    fn offer(&mut self, value: f64, point: SolutionPoint) {
        if self.point.is_none() || value > self.value + TIE_TOLERANCE {
            self.value = value;
            self.point = Some(point);
        }
    }
}

/// The outcome with its utilities recomputed by the model.
fn evaluate(scenario: &Scenario, outcome: Outcome) -> SolutionPoint {
    let utilities = scenario.parties().iter().map(|p| p.utility(&outcome)).collect();
    SolutionPoint { outcome, utilities }
}

/// True if the point gives every party at least its floor, up to [`FEASIBILITY_SLACK`].
fn meets(point: &SolutionPoint, floors: &[f64]) -> bool {
    point.utilities.iter().zip(floors).all(|(u, floor)| *u >= floor - FEASIBILITY_SLACK)
}

/// Rows stating `u_p(t) >= floors[p]` for every party, with `n_extra` trailing variables
/// (coefficient 0, for the caller to set).
fn floor_rows(cell: &Cell, floors: &[f64], n_extra: usize) -> Vec<Row> {
    (0..cell.n_parties())
        .map(|p| {
            // u_p = base_p + slope_p · t >= floor_p  is  -slope_p · t <= base_p - floor_p.
            let mut coefs: Vec<f64> = cell.slope[p].iter().map(|s| -s).collect();
            coefs.resize(cell.n_vars() + n_extra, 0.0);
            Row { coefs, bound: cell.base[p] - floors[p] }
        })
        .collect()
}

/// The gradient of the total utility in `t`.
fn total_slope(cell: &Cell) -> Vec<f64> {
    (0..cell.n_vars()).map(|j| cell.slope.iter().map(|s| s[j]).sum()).collect()
}

/// The objective "maximize the last variable" over `n_vars` box variables and one more.
fn unit_objective(n_vars: usize) -> Vec<f64> {
    let mut objective = vec![0.0; n_vars + 1];
    objective[n_vars] = 1.0;
    objective
}
