//! The solution concepts, each computed as the best over cells of one small convex program.
//!
//! Owns the programs (which rows, which objective), the closed-form bounds that let a pass skip
//! cells that cannot win, and the tie-breaking between cells. The cell model lives in `cells`
//! and the solver plumbing in `solver`.
//!
//! An all-ordinal space (`grid`) has one outcome per cell: there every program reduces to an
//! evaluation, and each concept is a pass over the outcomes with the same objective, the same
//! exact feasibility test (`u_p >= floor_p`, as a program with no variable states it) and the
//! same tie-breaking (the earliest outcome unless a later one beats it by more than 1e-12),
//! so that both backends give the same answer on the same space.

use crate::analysis::cells::{Cell, CellTable};
use crate::analysis::direct::{Basis, MAX_DIRECT_VARS};
use crate::analysis::grid::Grid;
use crate::analysis::problem::{Shape, Space};
use crate::analysis::solver::{Row, maximize_linear_hinted, maximize_log_sum_from};
use crate::analysis::{Bargaining, KS_TOLERANCE, SolutionPoint, ZONE_TOLERANCE};
use std::cell::RefCell;

use crate::model::Outcome;

/// The linear programs of a cell, for the hints of [`HINTS`].
#[derive(Clone, Copy)]
enum Kind {
    BestSlack,
    /// The utilitarian point's program (`max_total` with floors at the reservations).
    Utilitarian,
    /// The second stage of Kalai–Smorodinsky (`max_total` with floors on the ray).
    KalaiSmorodinskyTotal,
    /// The Pareto gap's program (`max_total` with floors at a deal's utilities).
    Gap,
    KalaiSmorodinsky,
    /// Party `p`'s ideal.
    Ideal(usize),
}

/// Cells beyond this many get no hints (their store would be large, and large problems are
/// not swept over reservations).
const HINTED_CELLS: usize = 4096;

thread_local! {
    /// On each thread, the rows that made each small program's optimum the last time it
    /// was solved there, by program and cell: hints for
    /// `direct::maximize_linear_hinted`, which never change an answer, only how much of the
    /// vertex enumeration an answer takes. A sweep over reservations solves the same
    /// programs run after run with slightly moved bounds, so a hint is usually right and
    /// one subset of rows is solved instead of a dozen or two dozen.
    static HINTS: RefCell<Hints> = RefCell::new(Hints::default());
}

/// The hints of one thread, for problems of `n_cells` cells and `n_parties` parties (a
/// problem of another size starts them afresh).
#[derive(Default)]
struct Hints {
    n_cells: usize,
    n_parties: usize,
    slots: Vec<Option<Basis>>,
}

/// [`maximize_linear_hinted`] with the hint this thread keeps for program `kind` of cell `c`
/// of a problem of `n_cells` cells and `n_parties` parties.
fn maximize_linear_in_cell(
    kind: Kind,
    (c, n_cells, n_parties): (usize, usize, usize),
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
) -> Option<Vec<f64>> {
    let index = match kind {
        Kind::BestSlack => 0,
        Kind::Utilitarian => 1,
        Kind::KalaiSmorodinskyTotal => 2,
        Kind::Gap => 3,
        Kind::KalaiSmorodinsky => 4,
        Kind::Ideal(p) => 5 + p,
    };
    if n_cells > HINTED_CELLS || index >= 5 + n_parties {
        return maximize_linear_hinted(objective, rows, n_box, &mut None);
    }
    let slot = index * n_cells + c;
    let mut hint = HINTS.with(|hints| {
        let mut hints = hints.borrow_mut();
        if hints.n_cells != n_cells || hints.n_parties != n_parties {
            *hints = Hints { n_cells, n_parties, slots: vec![None; (5 + n_parties) * n_cells] };
        }
        hints.slots[slot]
    });
    let answer = maximize_linear_hinted(objective, rows, n_box, &mut hint);
    HINTS.with(|hints| {
        if let Some(stored) = hints.borrow_mut().slots.get_mut(slot) {
            *stored = hint;
        }
    });
    answer
}

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

/// The bargaining analysis of a prepared space with disagreement point `d` (see the module
/// docs of [`crate::analysis`] for the definitions).
///
/// Never panics: a cell the solver cannot handle is skipped.
pub(crate) fn bargaining(space: &Space, d: &[f64]) -> Bargaining {
    if space.prefs.is_empty() {
        return Bargaining {
            disagreement: Vec::new(),
            zone_of_agreement: false,
            ideal: None,
            nash: None,
            kalai_smorodinsky: None,
            utilitarian: None,
        };
    }
    let cells = match &space.shape {
        Shape::Grid(grid) => return grid_bargaining(space, grid, d),
        Shape::Cells(cells) => cells,
    };
    let ctx = Context::new(space, cells, d);

    // Each cell's best slack, and the maximizer of its program, which is also where the Nash
    // pass starts its Newton steps in that cell (the same program: see `nash`).
    let (slacks, max_min_gain): (Vec<f64>, Vec<Option<Vec<f64>>>) =
        (0..cells.len()).map(|c| ctx.best_slack(c)).unzip();
    let zone_of_agreement = slacks.iter().any(|s| *s > ZONE_TOLERANCE);
    let ir_cells: Vec<usize> = (0..slacks.len()).filter(|&c| slacks[c] >= -IR_SLACK).collect();
    let zone_cells: Vec<usize> = ir_cells.iter().copied().filter(|&c| slacks[c] > 0.0).collect();

    let ideal = ctx.ideal(&ir_cells);
    let utilitarian = ctx.utilitarian(&ir_cells);
    let (nash, kalai_smorodinsky) = match (&ideal, zone_of_agreement) {
        (Some(ideal), true) => {
            (ctx.nash(&zone_cells, &max_min_gain), ctx.kalai_smorodinsky(&ir_cells, ideal))
        }
        _ => (None, None),
    };
    Bargaining {
        disagreement: d.to_vec(),
        zone_of_agreement,
        ideal,
        nash,
        kalai_smorodinsky,
        utilitarian,
    }
}

/// True if some outcome gives every party more than `d_p + ZONE_TOLERANCE`; stops at the
/// first cell or outcome that does.
pub(crate) fn zone_of_agreement(space: &Space, d: &[f64]) -> bool {
    if space.prefs.is_empty() {
        return false;
    }
    match &space.shape {
        Shape::Grid(grid) => {
            let mut found = false;
            grid.for_each_until(|_, u| {
                found = slack(u, d) > ZONE_TOLERANCE;
                found
            });
            found
        }
        Shape::Cells(cells) => {
            let ctx = Context::new(space, cells, d);
            (0..cells.len()).any(|c| ctx.best_slack(c).0 > ZONE_TOLERANCE)
        }
    }
}

/// The largest total gain over `utilities` (see [`crate::analysis::Problem::pareto_gap`]);
/// `utilities` has one entry per party.
pub(crate) fn pareto_gap(space: &Space, utilities: &[f64]) -> f64 {
    let target_total: f64 = utilities.iter().sum();
    let best = match &space.shape {
        Shape::Grid(grid) => grid_max_total(space, grid, utilities),
        Shape::Cells(cells) => {
            let ctx = Context::new(space, cells, utilities);
            let all_cells: Vec<usize> = (0..cells.len()).collect();
            ctx.max_total(&all_cells, utilities, Kind::Gap)
        }
    };
    best.map_or(0.0, |point| (point.utilities.iter().sum::<f64>() - target_total).max(0.0))
}

/// What every pass over cells needs: the space, its cells and the disagreement point; and
/// the rows and objective of the program at hand, reused from one program to the next.
struct Context<'a> {
    space: &'a Space,
    cells: &'a CellTable,
    disagreement: &'a [f64],
    program: RefCell<Program>,
}

/// The buffers of one program (see [`Context`]).
#[derive(Default)]
struct Program {
    rows: Vec<Row>,
    objective: Vec<f64>,
}

impl Program {
    /// Sets `rows[..n_parties]` to the rows stating `u_p(t) >= floors[p]` for every party,
    /// with `n_extra` trailing variables (coefficient 0, for the caller to set), and returns
    /// `n_parties`. The rows' buffers are reused.
    fn floor_rows(&mut self, cell: &Cell, floors: &[f64], n_extra: usize) -> usize {
        let n_parties = cell.n_parties();
        if self.rows.len() < n_parties {
            self.rows.resize_with(n_parties, || Row { coefs: Vec::new(), bound: 0.0 });
        }
        for (p, row) in self.rows[..n_parties].iter_mut().enumerate() {
            // u_p = base_p + slope_p · t >= floor_p  is  -slope_p · t <= base_p - floor_p.
            row.coefs.clear();
            row.coefs.extend(cell.slope[p].iter().map(|s| -s));
            row.coefs.resize(cell.n_vars() + n_extra, 0.0);
            row.bound = cell.base[p] - floors[p];
        }
        n_parties
    }

    /// Sets the objective to "maximize the last variable" over `n_vars` box variables and
    /// one more.
    fn unit_objective(&mut self, n_vars: usize) {
        self.objective.clear();
        self.objective.resize(n_vars + 1, 0.0);
        self.objective[n_vars] = 1.0;
    }

    /// Sets the objective to the gradient of the total utility in `t`.
    fn total_slope(&mut self, cell: &Cell) {
        self.objective.clear();
        self.objective
            .extend((0..cell.n_vars()).map(|j| cell.slope.iter().map(|s| s[j]).sum::<f64>()));
    }
}

/// The best candidate so far in a pass over cells.
struct Best {
    value: f64,
    point: Option<SolutionPoint>,
}

impl<'a> Context<'a> {
    fn new(space: &'a Space, cells: &'a CellTable, disagreement: &'a [f64]) -> Context<'a> {
        Context { space, cells, disagreement, program: RefCell::new(Program::default()) }
    }

    /// The linear program `kind` of cell `c`, with this thread's hint for it.
    fn solve(
        &self,
        kind: Kind,
        c: usize,
        objective: &[f64],
        rows: &[Row],
        n_box: usize,
    ) -> Option<Vec<f64>> {
        let shape = (c, self.cells.len(), self.disagreement.len());
        maximize_linear_in_cell(kind, shape, objective, rows, n_box)
    }

    /// The largest `s` such that some outcome in the cell gives every party `u_p - d_p >= s`,
    /// or minus infinity if the cell cannot even reach every reservation; and the maximizer
    /// `(t, s)` of the program, when it was solved.
    fn best_slack(&self, c: usize) -> (f64, Option<Vec<f64>>) {
        let d = self.disagreement;
        let bound =
            (0..d.len()).map(|p| self.cells.max_utility(c, p) - d[p]).fold(f64::INFINITY, f64::min);
        if bound < -IR_SLACK {
            return (f64::NEG_INFINITY, None);
        }
        let cell = &*self.cells.get(c);
        // Variables (t, s): maximize s subject to u_p(t) - s >= d_p.
        let program = &mut *self.program.borrow_mut();
        let n_rows = program.floor_rows(cell, d, 1);
        for row in &mut program.rows[..n_rows] {
            *row.coefs.last_mut().expect("one extra column") = 1.0;
        }
        program.unit_objective(cell.n_vars());
        let rows = &program.rows[..n_rows];
        match self.solve(Kind::BestSlack, c, &program.objective, rows, cell.n_vars()) {
            Some(x) => {
                // The model's utilities of the outcome, less the reservations.
                let outcome = cell.outcome(&x);
                let slack = self
                    .space
                    .prefs
                    .iter()
                    .zip(d)
                    .map(|(prefs, d)| prefs.utility(&outcome) - d)
                    .fold(f64::INFINITY, f64::min);
                (slack, Some(x))
            }
            None => (f64::NEG_INFINITY, None),
        }
    }

    /// Each party's best utility over the IR set, or `None` if no cell yields one.
    fn ideal(&self, ir_cells: &[usize]) -> Option<Vec<f64>> {
        let n_parties = self.disagreement.len();
        let mut ideal = Vec::with_capacity(n_parties);
        for p in 0..n_parties {
            let mut best = Best::new();
            for &c in ir_cells {
                if !best.can_be_beaten_by(self.cells.max_utility(c, p)) {
                    continue;
                }
                let cell = &*self.cells.get(c);
                let program = &mut *self.program.borrow_mut();
                let n_rows = program.floor_rows(cell, self.disagreement, 0);
                let rows = &program.rows[..n_rows];
                if let Some(t) = self.solve(Kind::Ideal(p), c, &cell.slope[p], rows, cell.n_vars())
                {
                    let point = evaluate(self.space, cell.outcome(&t));
                    if meets(&point, self.disagreement) {
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
        self.max_total(ir_cells, self.disagreement, Kind::Utilitarian)
    }

    /// The outcome with the largest total utility among those giving every party at least
    /// `floors[p]`.
    fn max_total(&self, cells: &[usize], floors: &[f64], kind: Kind) -> Option<SolutionPoint> {
        let mut best = Best::new();
        for &c in cells {
            let bound = |p| self.cells.max_utility(c, p);
            let reaches = (0..floors.len()).all(|p| bound(p) >= floors[p] - IR_SLACK);
            let total_bound = (0..floors.len()).map(bound).sum();
            if !reaches || !best.can_be_beaten_by(total_bound) {
                continue;
            }
            let cell = &*self.cells.get(c);
            if cell.n_vars() <= MAX_DIRECT_VARS
                && floors_out_of_reach(&cell.base, &cell.slope, floors)
            {
                // The program has no feasible vertex: vertex enumeration would say so.
                continue;
            }
            let program = &mut *self.program.borrow_mut();
            let n_rows = program.floor_rows(cell, floors, 0);
            program.total_slope(cell);
            if let Some(t) =
                self.solve(kind, c, &program.objective, &program.rows[..n_rows], cell.n_vars())
            {
                let point = evaluate(self.space, cell.outcome(&t));
                if meets(&point, floors) {
                    best.offer(point.utilities.iter().sum(), point);
                }
            }
        }
        best.point
    }

    /// The outcome maximizing `sum_p ln(u_p - d_p)`, over cells with a strictly IR outcome.
    /// `max_min_gain[c]` is the maximizer of cell `c`'s best-slack program, which is the
    /// program the Nash solver starts from (`u_p(t) - s >= d_p` is `s <= gain_p(t)`, the same
    /// rows in the same order), so it is handed over instead of solved again.
    fn nash(
        &self,
        zone_cells: &[usize],
        max_min_gain: &[Option<Vec<f64>>],
    ) -> Option<SolutionPoint> {
        let d = self.disagreement;
        let mut best = Best::new();
        for &c in zone_cells {
            let bound = (0..d.len()).map(|p| (self.cells.max_utility(c, p) - d[p]).ln()).sum();
            if !best.can_be_beaten_by(bound) {
                continue;
            }
            let cell = &*self.cells.get(c);
            let offsets: Vec<f64> = (0..d.len()).map(|p| cell.base[p] - d[p]).collect();
            let start = max_min_gain[c].as_deref();
            if let Some(t) = maximize_log_sum_from(&offsets, &cell.slope, cell.n_vars(), start) {
                let point = evaluate(self.space, cell.outcome(&t));
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
        let d = self.disagreement;
        let ranges: Vec<f64> = ideal.iter().zip(d).map(|(u, d)| u - d).collect();
        if ranges.iter().any(|r| *r <= 0.0) {
            return None;
        }
        let lambda_of = |utilities: &[f64]| {
            (0..d.len()).map(|p| (utilities[p] - d[p]) / ranges[p]).fold(f64::INFINITY, f64::min)
        };
        let mut best = Best::new();
        for &c in ir_cells {
            let bound = (0..d.len())
                .map(|p| (self.cells.max_utility(c, p) - d[p]) / ranges[p])
                .fold(f64::INFINITY, f64::min);
            if !best.can_be_beaten_by(bound) {
                continue;
            }
            let cell = &*self.cells.get(c);
            // Variables (t, lambda): maximize lambda subject to
            // u_p(t) - lambda (U_p - d_p) >= d_p and lambda >= 0.
            let program = &mut *self.program.borrow_mut();
            let n_parties = program.floor_rows(cell, d, 1);
            for (row, range) in program.rows[..n_parties].iter_mut().zip(&ranges) {
                *row.coefs.last_mut().expect("one extra column") = *range;
            }
            // lambda >= 0.
            if program.rows.len() == n_parties {
                program.rows.push(Row { coefs: Vec::new(), bound: 0.0 });
            }
            let nonnegative = &mut program.rows[n_parties];
            nonnegative.coefs.clear();
            nonnegative.coefs.resize(cell.n_vars() + 1, 0.0);
            nonnegative.coefs[cell.n_vars()] = -1.0;
            nonnegative.bound = 0.0;
            program.unit_objective(cell.n_vars());
            let rows = &program.rows[..=n_parties];
            let kind = Kind::KalaiSmorodinsky;
            if let Some(x) = self.solve(kind, c, &program.objective, rows, cell.n_vars()) {
                let point = evaluate(self.space, cell.outcome(&x));
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
        let second_stage = self.max_total(ir_cells, &floors, Kind::KalaiSmorodinskyTotal);
        Some(second_stage.unwrap_or(first_stage))
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
fn evaluate(space: &Space, outcome: Outcome) -> SolutionPoint {
    let utilities = space.utilities(&outcome);
    SolutionPoint { outcome, utilities }
}

/// How far below some floor every point of a cell must be for [`floors_out_of_reach`]: far
/// above the vertex enumeration's feasibility tolerance (1e-12 on a row, and 1e-12 outside
/// the box) and the rounding of the test.
const OUT_OF_REACH: f64 = 1e-9;

/// True if no point of the unit box comes within [`OUT_OF_REACH`] of meeting two parties'
/// floors at once, for some pair of parties, in the affine model `u_p(t) = base[p] +
/// slopes[p] · t`: then the linear program with the rows `u_p(t) >= floors[p]` has no
/// feasible vertex, and vertex enumeration returns `None` for it, whatever the objective.
///
/// By LP duality (the minimax theorem for the box), `max_t min(g_p(t), g_q(t))` with
/// `g = u - floor` equals the least over `lambda` in `[0, 1]` of
/// `h(lambda) = max_t (lambda g_p(t) + (1 - lambda) g_q(t))`, which is the constant term
/// plus the positive parts of the combined slopes: a convex piecewise linear function of
/// `lambda`, least at 0, at 1 or where a combined slope changes sign. A cell the floors
/// cannot reach (most cells, for the floors of a deal on the frontier) is then skipped
/// for the cost of a few additions instead of a dozen vertices.
fn floors_out_of_reach(base: &[f64], slopes: &[Vec<f64>], floors: &[f64]) -> bool {
    let n_parties = floors.len();
    (0..n_parties).any(|p| {
        (p + 1..n_parties).any(|q| {
            let (gp, gq) = (base[p] - floors[p], base[q] - floors[q]);
            let h = |lambda: f64| {
                let slope_part: f64 = slopes[p]
                    .iter()
                    .zip(&slopes[q])
                    .map(|(sp, sq)| (lambda * sp + (1.0 - lambda) * sq).max(0.0))
                    .sum();
                lambda * gp + (1.0 - lambda) * gq + slope_part
            };
            let mut least = h(0.0).min(h(1.0));
            for (sp, sq) in slopes[p].iter().zip(&slopes[q]) {
                // lambda sp + (1 - lambda) sq = 0 inside (0, 1): a sign change.
                if (*sp > 0.0 && *sq < 0.0) || (*sp < 0.0 && *sq > 0.0) {
                    least = least.min(h(sq / (sq - sp)));
                }
            }
            least < -OUT_OF_REACH
        })
    })
}

/// True if the point gives every party at least its floor, up to [`FEASIBILITY_SLACK`].
fn meets(point: &SolutionPoint, floors: &[f64]) -> bool {
    point.utilities.iter().zip(floors).all(|(u, floor)| *u >= floor - FEASIBILITY_SLACK)
}

/// `min_p (u_p - d_p)`: how far the worst-off party is above its disagreement value.
fn slack(utilities: &[f64], d: &[f64]) -> f64 {
    utilities.iter().zip(d).map(|(u, d)| u - d).fold(f64::INFINITY, f64::min)
}

/// True if every party gets at least its floor, exactly (what a program with no variable
/// states: its rows read `0 <= u_p - floor_p`).
fn reaches(utilities: &[f64], floors: &[f64]) -> bool {
    utilities.iter().zip(floors).all(|(u, f)| u >= f)
}

/// The best outcome index and value so far in a pass over a grid, with the tie rule of [`Best`].
#[derive(Clone)]
struct BestIdx {
    value: f64,
    idx: Option<usize>,
}

impl BestIdx {
    fn new() -> BestIdx {
        BestIdx { value: f64::NEG_INFINITY, idx: None }
    }

    fn offer(&mut self, value: f64, idx: usize) {
        if self.idx.is_none() || value > self.value + TIE_TOLERANCE {
            self.value = value;
            self.idx = Some(idx);
        }
    }

    fn point(&self, space: &Space, grid: &Grid) -> Option<SolutionPoint> {
        self.idx.map(|idx| evaluate(space, grid.outcome(idx)))
    }
}

/// [`bargaining`] on an all-ordinal space: one pass for the zone, the ideal point, the
/// utilitarian and Nash points, then two passes for Kalai–Smorodinsky.
fn grid_bargaining(space: &Space, grid: &Grid, d: &[f64]) -> Bargaining {
    let n_parties = d.len();
    let mut zone_of_agreement = false;
    let mut ideal = vec![BestIdx::new(); n_parties];
    let mut utilitarian = BestIdx::new();
    let mut nash = BestIdx::new();
    grid.for_each(|idx, u| {
        let s = slack(u, d);
        zone_of_agreement |= s > ZONE_TOLERANCE;
        if !reaches(u, d) {
            return;
        }
        for (p, best) in ideal.iter_mut().enumerate() {
            best.offer(u[p], idx);
        }
        utilitarian.offer(u.iter().sum(), idx);
        if s > 0.0 {
            // Every gain is positive, so the logarithms are finite.
            nash.offer(u.iter().zip(d).map(|(u, d)| (u - d).ln()).sum(), idx);
        }
    });
    let ideal: Option<Vec<f64>> = ideal.iter().map(|b| b.idx.map(|_| b.value)).collect();
    let (nash, kalai_smorodinsky) = match (&ideal, zone_of_agreement) {
        (Some(ideal), true) => {
            (nash.point(space, grid), grid_kalai_smorodinsky(space, grid, d, ideal))
        }
        _ => (None, None),
    };
    Bargaining {
        disagreement: d.to_vec(),
        zone_of_agreement,
        ideal,
        nash,
        kalai_smorodinsky,
        utilitarian: utilitarian.point(space, grid),
    }
}

/// The Kalai–Smorodinsky point of an all-ordinal space: the largest `lambda` over IR outcomes,
/// then the largest total among outcomes within [`KS_TOLERANCE`] of it.
fn grid_kalai_smorodinsky(
    space: &Space,
    grid: &Grid,
    d: &[f64],
    ideal: &[f64],
) -> Option<SolutionPoint> {
    let ranges: Vec<f64> = ideal.iter().zip(d).map(|(u, d)| u - d).collect();
    if ranges.iter().any(|r| *r <= 0.0) {
        return None;
    }
    let mut best = BestIdx::new();
    grid.for_each(|idx, u| {
        if reaches(u, d) {
            let lambda =
                (0..d.len()).map(|p| (u[p] - d[p]) / ranges[p]).fold(f64::INFINITY, f64::min);
            best.offer(lambda, idx);
        }
    });
    let first_stage = best.point(space, grid)?;
    let share = (best.value - KS_TOLERANCE).max(0.0);
    let floors: Vec<f64> = (0..d.len()).map(|p| d[p] + share * ranges[p]).collect();
    Some(grid_max_total(space, grid, &floors).unwrap_or(first_stage))
}

/// The outcome with the largest total utility among those giving every party at least
/// `floors[p]`, on an all-ordinal space.
fn grid_max_total(space: &Space, grid: &Grid, floors: &[f64]) -> Option<SolutionPoint> {
    let mut best = BestIdx::new();
    grid.for_each(|idx, u| {
        if reaches(u, floors) {
            best.offer(u.iter().sum(), idx);
        }
    });
    best.point(space, grid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::direct::maximize_linear_enumerate;

    proptest::proptest! {
        #![proptest_config(crate::analysis::testing::proptest_config(2000))]

        /// When `floors_out_of_reach` says a cell cannot meet the floors, vertex enumeration
        /// finds no feasible vertex either (so skipping the cell changes nothing); and it
        /// says so for a good share of random cells and floors.
        #[test]
        fn floors_out_of_reach_only_where_no_vertex_is_feasible(
            n_vars in 1usize..=MAX_DIRECT_VARS,
            parties in proptest::collection::vec(
                (0.0f64..1.0, proptest::collection::vec(-0.5f64..0.5, MAX_DIRECT_VARS), 0.0f64..1.05),
                2..=4,
            ),
        ) {
            let base: Vec<f64> = parties.iter().map(|(b, _, _)| *b).collect();
            let slopes: Vec<Vec<f64>> =
                parties.iter().map(|(_, s, _)| s[..n_vars].to_vec()).collect();
            // Each floor between the party's least and most in the box (a little beyond), so
            // that each alone is mostly reachable and pairs decide.
            let floors: Vec<f64> = (0..parties.len())
                .map(|p| {
                    let up: f64 = slopes[p].iter().map(|s| s.max(0.0)).sum();
                    let down: f64 = slopes[p].iter().map(|s| s.min(0.0)).sum();
                    base[p] + down + parties[p].2 * (up - down)
                })
                .collect();
            let rows: Vec<Row> = (0..parties.len())
                .map(|p| Row {
                    coefs: slopes[p].iter().map(|s| -s).collect(),
                    bound: base[p] - floors[p],
                })
                .collect();
            let total: Vec<f64> = (0..n_vars).map(|j| slopes.iter().map(|s| s[j]).sum()).collect();
            if floors_out_of_reach(&base, &slopes, &floors) {
                proptest::prop_assert!(maximize_linear_enumerate(&total, &rows, n_vars).is_none());
            }
        }
    }

    #[test]
    fn floors_out_of_reach_sees_two_floors_that_only_together_are_too_high() {
        // u_0 = t, u_1 = 1 - t: each floor of 0.6 alone is reachable, both at once are not.
        let slopes = [vec![1.0], vec![-1.0]];
        assert!(floors_out_of_reach(&[0.0, 1.0], &slopes, &[0.6, 0.6]));
        assert!(!floors_out_of_reach(&[0.0, 1.0], &slopes, &[0.5, 0.5]));
        assert!(!floors_out_of_reach(&[0.0, 1.0], &slopes, &[0.4, 0.59]));
    }
}
