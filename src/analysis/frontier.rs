//! The Pareto frontier of a two-party scenario, as exact points (the epsilon-constraint method).
//!
//! Owns the choice of levels along the first party's utility, the lexicographic tie-breaking
//! that makes each point Pareto-optimal, and the filtering of dominated or repeated points.
//! It uses the cell model of `cells` and the linear programs of `solver`; it does not decide
//! which part of the frontier is individually rational (charts draw the reservation lines).
//!
//! # Method
//! Let `u0`, `u1` be the two parties' undiscounted utilities. The two ends of the frontier are
//! the lexicographic optima: the most `u1` can get and then the most `u0` can get without
//! lowering it (the left end, at `u0 = a`), and symmetrically the most `u0` can get (the right
//! end, at `u0 = b`). For `n` levels `t_k = a + k (b - a) / (n - 1)` the program
//! "maximize `u1` subject to `u0 >= t_k`" is solved in every cell (a linear program on the
//! cell's unit box) and the best over cells kept; a second program, "maximize `u0` subject to
//! `u1 >= u1*`", then moves the point to the right end of any flat stretch, so that no
//! reported point is weakly dominated. Both programs skip cells whose closed-form bounds
//! cannot beat the best so far. The recomputed points are finally sorted by `u0` and every
//! point dominated by another (beyond [`FRONTIER_TOLERANCE`]) is dropped, which also removes
//! repeats: on a frontier made of a few isolated deals (ordinal issues), many levels land on
//! the same deal.
//!
//! Every point is a real outcome's utilities, recomputed by the model, so it lies exactly on
//! the frontier up to the solver's accuracy (about 1e-9). Between two points the frontier may
//! bend, so a polyline through the points can cut a corner by at most the level spacing.

use crate::analysis::cells::CellTable;
use crate::analysis::grid::Grid;
use crate::analysis::problem::{Shape, Space};
use crate::analysis::solver::{Row, maximize_linear};
use crate::analysis::{AnalysisError, Problem};
use crate::model::Scenario;

/// Two frontier points closer than this in both utilities are the same point, and a point is
/// dominated only if another beats it by more than this in some utility.
pub const FRONTIER_TOLERANCE: f64 = 1e-9;

/// A later cell must beat the best so far by more than this to replace it (as in `solutions`).
const TIE_TOLERANCE: f64 = 1e-12;

/// The Pareto frontier of a two-party scenario: points `[u0, u1]` of undiscounted utilities,
/// sorted by increasing `u0` (so decreasing `u1`), from the best deal for the second party to
/// the best deal for the first.
///
/// `n_points` levels of the first party's utility are tried (at least the two ends); the
/// result has at most that many points, fewer when several levels reach the same deal. The
/// frontier is over all outcomes, individually rational or not, so it does not depend on the
/// reservation values. Fails when the scenario does not have exactly two parties or its
/// analysis is refused (see [`Problem::new`]).
pub fn pareto_frontier_2d(
    scenario: &Scenario,
    n_points: usize,
) -> Result<Vec<[f64; 2]>, AnalysisError> {
    let n_parties = scenario.parties().len();
    if n_parties != 2 {
        return Err(AnalysisError::PartyCount { expected: 2, found: n_parties });
    }
    Problem::new(scenario)?.frontier(n_points)
}

/// The frontier of a prepared two-party space (see [`pareto_frontier_2d`]).
pub(crate) fn frontier(space: &Space, n_points: usize) -> Vec<[f64; 2]> {
    let search = match &space.shape {
        Shape::Cells(cells) => Search::cells(space, cells),
        Shape::Grid(grid) => Search::points(staircase_of(grid)),
    };
    let (Some(left), Some(right)) = (search.pareto_point(1, None), search.pareto_point(0, None))
    else {
        return Vec::new();
    };
    let (a, b) = (left[0], right[0]);
    let n_levels = n_points.max(2);
    let mut points = vec![left];
    if b > a + FRONTIER_TOLERANCE {
        for k in 1..n_levels - 1 {
            // Each level is computed from the ends, never by adding steps.
            let level = a + (b - a) * k as f64 / (n_levels - 1) as f64;
            points.extend(search.pareto_point(1, Some(level)));
        }
    }
    points.push(right);
    non_dominated(points)
}

/// The candidates of the epsilon-constraint programs, with the order a pass visits them in.
struct Search<'a> {
    candidates: Candidates<'a>,
    /// For each party, the candidate indices by decreasing best utility for that party (ties
    /// by index), so that a pass can stop at the first candidate that cannot beat the best.
    by_bound: [Vec<usize>; 2],
}

/// Cells with a linear program each, or the non-dominated outcomes of an all-ordinal space,
/// where each program is a comparison.
enum Candidates<'a> {
    Cells { space: &'a Space, cells: &'a CellTable },
    Points(Vec<[f64; 2]>),
}

impl<'a> Search<'a> {
    fn cells(space: &'a Space, cells: &'a CellTable) -> Search<'a> {
        let bounds: Vec<[f64; 2]> =
            (0..cells.len()).map(|c| [cells.max_utility(c, 0), cells.max_utility(c, 1)]).collect();
        Search { by_bound: by_bound(&bounds), candidates: Candidates::Cells { space, cells } }
    }

    fn points(points: Vec<[f64; 2]>) -> Search<'a> {
        Search { by_bound: by_bound(&points), candidates: Candidates::Points(points) }
    }

    /// The most candidate `idx` can give party `p`.
    fn bound(&self, idx: usize, p: usize) -> f64 {
        match &self.candidates {
            Candidates::Cells { cells, .. } => cells.max_utility(idx, p),
            Candidates::Points(points) => points[idx][p],
        }
    }

    /// The Pareto-optimal point that maximizes party `p`'s utility subject to the other party
    /// getting at least `floor` (if given), ties going to the other party.
    fn pareto_point(&self, p: usize, floor: Option<f64>) -> Option<[f64; 2]> {
        let q = 1 - p;
        let first = self.maximize(p, floor.map(|f| (q, f)))?;
        // The floor sits just below the optimum so that rounding cannot make the first point
        // infeasible; any lower and the second party could trade a sliver of its optimum for
        // more of the first's utility (on a steep stretch, several times as much).
        let second = self.maximize(q, Some((p, first[p] - TIE_TOLERANCE)));
        Some(second.map_or(first, |s| if s[q] > first[q] { s } else { first }))
    }

    /// The utilities of an outcome maximizing party `p`'s utility subject to `u_f >= floor`
    /// for `(f, floor)` if given; `None` if no candidate meets the floor.
    ///
    /// Candidates are tried by decreasing bound on `u_p`, so the pass ends at the first one
    /// whose bound cannot beat the best so far. The point found does not depend on that order
    /// beyond [`TIE_TOLERANCE`]: the best value is the same whichever candidate reaches it
    /// first.
    fn maximize(&self, p: usize, floor: Option<(usize, f64)>) -> Option<[f64; 2]> {
        let mut best: Option<[f64; 2]> = None;
        for &idx in &self.by_bound[p] {
            if best.is_some_and(|b| self.bound(idx, p) <= b[p] + TIE_TOLERANCE) {
                break;
            }
            let point = match &self.candidates {
                // A point is its own program: it meets the floor exactly or not at all.
                Candidates::Points(points) => {
                    let point = points[idx];
                    if floor.is_some_and(|(f, value)| point[f] < value) {
                        continue;
                    }
                    point
                }
                Candidates::Cells { space, cells } => {
                    if let Some((f, value)) = floor
                        && cells.max_utility(idx, f) < value - FRONTIER_TOLERANCE
                    {
                        continue;
                    }
                    let cell = &*cells.get(idx);
                    // u_f = base_f + slope_f · t >= floor  is  -slope_f · t <= base_f - floor.
                    let rows: Vec<Row> = floor
                        .map(|(f, value)| Row {
                            coefs: cell.slope[f].iter().map(|s| -s).collect(),
                            bound: cell.base[f] - value,
                        })
                        .into_iter()
                        .collect();
                    let Some(t) = maximize_linear(&cell.slope[p], &rows, cell.n_vars()) else {
                        continue;
                    };
                    let u = space.utilities(&cell.outcome(&t));
                    let point = [u[0], u[1]];
                    if floor.is_some_and(|(f, value)| point[f] < value - FRONTIER_TOLERANCE) {
                        continue;
                    }
                    point
                }
            };
            if best.is_none_or(|b| point[p] > b[p] + TIE_TOLERANCE) {
                best = Some(point);
            }
        }
        best
    }
}

/// For each party, the indices of `bounds` by decreasing bound for that party, ties by index.
fn by_bound(bounds: &[[f64; 2]]) -> [Vec<usize>; 2] {
    [0, 1].map(|p| {
        let mut order: Vec<usize> = (0..bounds.len()).collect();
        order.sort_by(|&a, &b| bounds[b][p].total_cmp(&bounds[a][p]));
        order
    })
}

/// The distinct utility pairs of an all-ordinal two-party space that no other outcome
/// dominates, built in one pass with memory bounded by the frontier's size (plus a buffer).
///
/// Every epsilon-constraint program has an optimum among these points, with the same utilities
/// as over all outcomes: a maximizer dominated by another outcome can be replaced by it.
fn staircase_of(grid: &Grid) -> Vec<[f64; 2]> {
    const BUFFER: usize = 1 << 16;
    let mut kept: Vec<[f64; 2]> = Vec::new();
    let mut buffer: Vec<[f64; 2]> = Vec::with_capacity(BUFFER);
    grid.for_each(|_, u| {
        buffer.push([u[0], u[1]]);
        if buffer.len() == BUFFER {
            kept = staircase(std::mem::take(&mut kept), &mut buffer);
        }
    });
    staircase(kept, &mut buffer)
}

/// The points of `kept` and `more` that no other point strictly dominates, without repeats,
/// by decreasing `u0`; empties `more`.
fn staircase(mut kept: Vec<[f64; 2]>, more: &mut Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    kept.append(more);
    kept.sort_by(|x, y| y[0].total_cmp(&x[0]).then(y[1].total_cmp(&x[1])));
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(kept.len().min(1024));
    for point in kept {
        // Every point kept so far gives the first party at least as much: this one survives
        // only by giving the second party strictly more than all of them.
        if out.last().is_none_or(|last| point[1] > last[1]) {
            out.push(point);
        }
    }
    out
}

/// The points no other point dominates (beyond [`FRONTIER_TOLERANCE`]), without repeats,
/// sorted by increasing `u0`.
fn non_dominated(mut points: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    // From the right: by decreasing u0, ties by decreasing u1. A point survives only if it gives
    // the second party more than every point already kept (all of which give the first party
    // at least as much).
    points.sort_by(|x, y| y[0].total_cmp(&x[0]).then(y[1].total_cmp(&x[1])));
    let mut kept: Vec<[f64; 2]> = Vec::with_capacity(points.len());
    for point in points {
        if kept.last().is_none_or(|last| point[1] > last[1] + FRONTIER_TOLERANCE) {
            kept.push(point);
        }
    }
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{continuous, ordinal, party, scenario};
    use crate::analysis::{PARETO_TOLERANCE, pareto_gap};
    use crate::model::ValueFn;

    fn assert_sorted_and_non_dominated(points: &[[f64; 2]]) {
        for pair in points.windows(2) {
            assert!(pair[0][0] < pair[1][0], "not increasing in u0: {pair:?}");
            assert!(pair[0][1] > pair[1][1], "not decreasing in u1: {pair:?}");
        }
        for (i, x) in points.iter().enumerate() {
            for (j, y) in points.iter().enumerate() {
                let dominates = y[0] >= x[0] && y[1] >= x[1] && (y[0] > x[0] || y[1] > x[1]);
                assert!(i == j || !dominates, "{y:?} dominates {x:?}");
            }
        }
    }

    fn close(a: [f64; 2], b: [f64; 2], tol: f64) -> bool {
        (a[0] - b[0]).abs() <= tol && (a[1] - b[1]).abs() <= tol
    }

    #[test]
    fn a_linear_pie_gives_the_line_where_utilities_sum_to_one() {
        let a = party("a", 0.3, &[1.0], vec![ValueFn::tent(0.0, 1.0, 1.0)]);
        let b = party("b", 0.2, &[1.0], vec![ValueFn::tent(0.0, 1.0, 0.0)]);
        let s = scenario(vec![continuous("x", 0.0, 1.0)], vec![a, b]);
        let points = pareto_frontier_2d(&s, 101).unwrap();
        // Reservations do not cut the frontier: it runs from (0, 1) to (1, 0).
        assert_eq!(points.len(), 101);
        assert!(close(points[0], [0.0, 1.0], 1e-9), "{:?}", points[0]);
        assert!(close(points[100], [1.0, 0.0], 1e-9), "{:?}", points[100]);
        for p in &points {
            assert!((p[0] + p[1] - 1.0).abs() < 1e-9, "{p:?}");
        }
        assert!(close(points[50], [0.5, 0.5], 1e-9), "{:?}", points[50]);
        assert_sorted_and_non_dominated(&points);
    }

    #[test]
    fn logrolling_gives_the_frontier_kinked_where_each_side_has_its_priority_issue() {
        // A wants both issues high (weights 0.8/0.2), B both low (0.2/0.8). From A's best deal
        // (1, 0), B first gains y, worth 0.8 to it and 0.2 to A, reaching (0.8, 0.8) at
        // x = 1, y = 0; then x, down to (0, 1). So u1 = min(1 - u0 / 4, 4 (1 - u0)).
        let high = || ValueFn::tent(0.0, 1.0, 1.0);
        let low = || ValueFn::tent(0.0, 1.0, 0.0);
        let a = party("a", 0.0, &[0.8, 0.2], vec![high(), high()]);
        let b = party("b", 0.0, &[0.2, 0.8], vec![low(), low()]);
        let s = scenario(vec![continuous("x", 0.0, 1.0), continuous("y", 0.0, 1.0)], vec![a, b]);
        let points = pareto_frontier_2d(&s, 101).unwrap();
        assert_eq!(points.len(), 101);
        assert!(close(points[0], [0.0, 1.0], 1e-9), "{:?}", points[0]);
        assert!(close(points[100], [1.0, 0.0], 1e-9), "{:?}", points[100]);
        for p in &points {
            let expected = (1.0 - p[0] / 4.0).min(4.0 * (1.0 - p[0]));
            assert!((p[1] - expected).abs() < 1e-8, "{p:?}, expected u1 = {expected}");
        }
        assert!(points.iter().any(|p| close(*p, [0.8, 0.8], 1e-8)), "the kink is a level");
        assert_sorted_and_non_dominated(&points);
    }

    #[test]
    fn ordinal_levels_give_a_non_convex_frontier_with_no_dominated_point() {
        // Two ordinal issues with uneven level values and one continuous issue: the achievable
        // set is a union of segments, not convex, and many levels reach the same deal.
        let a = party(
            "a",
            0.0,
            &[0.5, 0.3, 0.2],
            vec![
                ValueFn::Levels(vec![1.0, 0.9, 0.2, 0.0]),
                ValueFn::Levels(vec![0.0, 0.1, 1.0]),
                ValueFn::tent(0.0, 10.0, 10.0),
            ],
        );
        let b = party(
            "b",
            0.0,
            &[0.3, 0.6, 0.1],
            vec![
                ValueFn::Levels(vec![0.0, 0.3, 0.35, 1.0]),
                ValueFn::Levels(vec![1.0, 0.7, 0.0]),
                ValueFn::tent(0.0, 10.0, 4.0),
            ],
        );
        let issues = vec![ordinal("g", 4), ordinal("h", 3), continuous("x", 0.0, 10.0)];
        let s = scenario(issues, vec![a, b]);
        let points = pareto_frontier_2d(&s, 101).unwrap();
        assert!(points.len() >= 3 && points.len() <= 101, "{} points", points.len());
        assert_sorted_and_non_dominated(&points);
        for p in &points {
            let gap = pareto_gap(&s, p).unwrap();
            assert!(gap <= PARETO_TOLERANCE, "{p:?} has a Pareto gap of {gap}");
        }
    }

    #[test]
    fn only_ordinal_issues_give_the_undominated_deals() {
        // One issue, three levels: (1, 0), (0.4, 0.4) and (0, 1). The middle deal is below
        // the line between the ends but still undominated; a fourth level (0.3, 0.3) is not.
        let a = party("a", 0.0, &[1.0], vec![ValueFn::Levels(vec![1.0, 0.4, 0.3, 0.0])]);
        let b = party("b", 0.0, &[1.0], vec![ValueFn::Levels(vec![0.0, 0.4, 0.3, 1.0])]);
        let s = scenario(vec![ordinal("g", 4)], vec![a, b]);
        let points = pareto_frontier_2d(&s, 101).unwrap();
        assert_eq!(points, vec![[0.0, 1.0], [0.4, 0.4], [1.0, 0.0]]);
    }

    #[test]
    fn a_common_best_deal_is_a_single_point() {
        let a = party("a", 0.0, &[1.0], vec![ValueFn::tent(0.0, 1.0, 1.0)]);
        let b = party("b", 0.0, &[1.0], vec![ValueFn::tent(0.0, 1.0, 1.0)]);
        let s = scenario(vec![continuous("x", 0.0, 1.0)], vec![a, b]);
        let points = pareto_frontier_2d(&s, 101).unwrap();
        assert_eq!(points.len(), 1);
        assert!(close(points[0], [1.0, 1.0], 1e-9), "{points:?}");
    }

    #[test]
    fn refuses_a_scenario_without_exactly_two_parties() {
        let a = party("a", 0.0, &[1.0], vec![ValueFn::tent(0.0, 1.0, 1.0)]);
        let s = scenario(vec![continuous("x", 0.0, 1.0)], vec![a]);
        assert_eq!(
            pareto_frontier_2d(&s, 11),
            Err(AnalysisError::PartyCount { expected: 2, found: 1 })
        );
    }

    #[test]
    fn is_deterministic() {
        let a = party(
            "a",
            0.0,
            &[0.7, 0.3],
            vec![ValueFn::tent(0.0, 1.0, 1.0), ValueFn::tent_levels(3, 2)],
        );
        let b = party(
            "b",
            0.0,
            &[0.4, 0.6],
            vec![ValueFn::tent(0.0, 1.0, 0.2), ValueFn::tent_levels(3, 0)],
        );
        let s = scenario(vec![continuous("x", 0.0, 1.0), ordinal("g", 3)], vec![a, b]);
        assert_eq!(pareto_frontier_2d(&s, 51).unwrap(), pareto_frontier_2d(&s, 51).unwrap());
    }
}
