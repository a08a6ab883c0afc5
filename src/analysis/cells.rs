//! The cell decomposition of the outcome space, on which every utility is affine.
//!
//! Owns the grids (the union of all parties' breakpoints on each continuous issue), the
//! enumeration order of cells and the affine utility model of one cell.
//! It solves nothing and refuses nothing: `problem` estimates the work from the number of
//! cells and `solutions` runs the programs cell by cell.
//!
//! A cell fixes one piece per continuous issue and one level per ordinal issue. A piece is a
//! run of consecutive segments of the issue's grid (the sorted union of every party's
//! breakpoints), with one box variable `t_k` in `[0, 1]` per segment `[lo_k, hi_k]`: the
//! issue's value is the piece's start plus `sum_k t_k (hi_k - lo_k)`. Since no party's value
//! function bends inside a segment, every utility is modelled as `base_p + slope_p · t`
//! (`slope_p` holds each segment's rise), and the cell's image in utility space is a convex
//! polytope. Working in `t` rather than in issue units keeps the programs well scaled
//! whatever the ranges (`[0, 1]` or `[0, 500]` $bn).
//!
//! # Two decompositions
//! - [`Decomposition::Intervals`]: every piece is one segment, so the model is exact at every
//!   `t`. A scenario with `k` breakpoints on each of `n` issues has `(k + 1)^n` cells.
//! - [`Decomposition::ConcavePieces`]: pieces are cut only where some party's value function
//!   is not concave (its slope rises), so a tent (the default value function, whatever its
//!   ideal) keeps the whole range as one piece, and twelve issues with interior ideals make
//!   one cell, not `4^12`. On a piece where every party's value is concave, filling the
//!   segments out of order (a later `t_k` above 0 while an earlier one is below 1) gives
//!   every party at most its utility at the same total, because concave slopes only fall:
//!   the model underestimates there and is exact for the in-order fill. So each cell's
//!   modelled utility set has the same upper boundary as the real one, and every program
//!   the analysis solves (each maximizes something that grows with every utility, subject to
//!   utility floors) has the same optimum; the outcome reported is the piece's start plus
//!   the total `sum_k t_k (hi_k - lo_k)`, whose recomputed utilities are at least the
//!   modelled ones.

use std::borrow::Cow;

use crate::model::{IssueKind, Outcome, Preferences, Scenario};

/// How continuous issues are cut into pieces: see the module docs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Decomposition {
    /// One piece per segment between consecutive breakpoints.
    Intervals,
    /// One piece per stretch on which every party's value function is concave.
    ConcavePieces,
}

/// The cells of a scenario's outcome space, enumerated in a fixed order.
///
/// Cell indices are mixed-radix numbers over the issues in scenario order, with the last issue
/// varying fastest; so cells come in lexicographic order of (first issue's interval or level,
/// second issue's, ...). Ties between cells are broken by this order.
pub(crate) struct CellSpace {
    /// Each party's preferences, in party order.
    prefs: Vec<Preferences>,
    axes: Vec<Axis>,
    n_cells: u128,
}

/// The cells of a prepared space, as the passes read them: each cell's best utility per party
/// (what every bound reads) is stored for every cell, and the cells themselves only when
/// there are at most [`KEEP_CELLS`]; past that a pass rebuilds a cell when its bound lets it
/// through, so memory stays at one number per cell and party (a cell with twelve variables
/// takes about 1 KB).
pub(crate) struct CellTable {
    space: CellSpace,
    n_cells: usize,
    n_parties: usize,
    /// `best[idx * n_parties + p]`: the most party `p` can get in cell `idx`.
    best: Vec<f64>,
    /// Every cell, or none.
    kept: Vec<Cell>,
}

/// The most cells a [`CellTable`] keeps built; rebuilding one costs about a microsecond with
/// twelve issues, less than any of its programs.
pub(crate) const KEEP_CELLS: usize = 16_384;

impl CellTable {
    /// Builds every cell once, keeping its bounds (and the cell itself if there are few).
    /// `space` must have at most `usize::MAX` cells.
    pub(crate) fn new(space: CellSpace) -> CellTable {
        let keep = space.n_cells() <= KEEP_CELLS as u128;
        CellTable::build(space, keep)
    }

    fn build(space: CellSpace, keep: bool) -> CellTable {
        let n_cells = usize::try_from(space.n_cells()).expect("cell count checked by the caller");
        let n_parties = space.prefs.len();
        let mut best = Vec::with_capacity(n_cells * n_parties);
        let mut kept = Vec::with_capacity(if keep { n_cells } else { 0 });
        for idx in 0..n_cells {
            let cell = space.cell(idx);
            best.extend_from_slice(&cell.best);
            if keep {
                kept.push(cell);
            }
        }
        CellTable { space, n_cells, n_parties, best, kept }
    }

    /// The number of cells.
    pub(crate) fn len(&self) -> usize {
        self.n_cells
    }

    /// The most party `p` can get in cell `idx`, ignoring everyone else.
    pub(crate) fn max_utility(&self, idx: usize, p: usize) -> f64 {
        self.best[idx * self.n_parties + p]
    }

    /// Cell `idx`, kept or rebuilt (the same cell either way).
    pub(crate) fn get(&self, idx: usize) -> Cow<'_, Cell> {
        match self.kept.get(idx) {
            Some(cell) => Cow::Borrowed(cell),
            None => Cow::Owned(self.space.cell(idx)),
        }
    }
}

impl std::fmt::Debug for CellTable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CellTable")
            .field("cells", &self.len())
            .field("kept", &self.kept.len())
            .finish_non_exhaustive()
    }
}

/// One cell: the issues' choices and every party's affine utility over the cell's unit box.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Cell {
    /// The outcome with ordinal levels set; continuous entries are overwritten from `t`.
    template: Vec<f64>,
    /// For each box variable: the issue index and the segment's ends. The segments of one
    /// issue's piece are consecutive, in increasing order.
    spans: Vec<(usize, f64, f64)>,
    /// Per party: the utility at `t = 0`.
    pub base: Vec<f64>,
    /// Per party: the utility's gradient in `t`.
    pub slope: Vec<Vec<f64>>,
    /// Per party: the largest utility in the cell (`base` plus the positive slopes), which
    /// [`CellTable`] keeps for every pass's bounds.
    best: Vec<f64>,
}

/// The choices along one issue.
enum Axis {
    /// A continuous issue, with the sorted points where some party's value may bend (at least
    /// two: the ends of the range); consecutive points give the segments. `cuts` holds the
    /// indices into `grid` where pieces start and end (the first is 0, the last
    /// `grid.len() - 1`); piece `c` spans segments `cuts[c]..cuts[c + 1]`.
    Continuous { grid: Vec<f64>, cuts: Vec<usize> },
    /// An ordinal issue with this many levels.
    Ordinal { n_levels: usize },
}

impl CellSpace {
    /// Builds the grids and pieces.
    pub(crate) fn new(scenario: &Scenario, decomposition: Decomposition) -> CellSpace {
        let axes: Vec<Axis> =
            (0..scenario.issues().len()).map(|i| axis(scenario, i, decomposition)).collect();
        // The count saturates rather than overflows; anything that large is refused anyway.
        let n_cells =
            axes.iter().fold(1u128, |acc, axis| acc.saturating_mul(axis.n_choices() as u128));
        let prefs = scenario.parties().iter().map(|p| p.preferences().clone()).collect();
        CellSpace { prefs, axes, n_cells }
    }

    /// The number of cells (saturating).
    pub(crate) fn n_cells(&self) -> u128 {
        self.n_cells
    }

    /// The most box variables of any cell: per continuous issue, the segments of its longest
    /// piece (with [`Decomposition::Intervals`], the number of continuous issues).
    pub(crate) fn n_vars(&self) -> usize {
        self.axes
            .iter()
            .map(|axis| match axis {
                Axis::Continuous { cuts, .. } => {
                    cuts.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
                }
                Axis::Ordinal { .. } => 0,
            })
            .sum()
    }

    /// The cell with index `cell_idx` (`< len()`), with every party's affine utility.
    pub(crate) fn cell(&self, cell_idx: usize) -> Cell {
        let n_issues = self.axes.len();
        let mut choices = vec![0; n_issues];
        let mut rest = cell_idx;
        for (choice, axis) in choices.iter_mut().zip(&self.axes).rev() {
            *choice = rest % axis.n_choices();
            rest /= axis.n_choices();
        }
        let mut template = vec![0.0; n_issues];
        let mut spans = Vec::new();
        for (issue_idx, (axis, choice)) in self.axes.iter().zip(&choices).enumerate() {
            match axis {
                Axis::Continuous { grid, cuts } => {
                    template[issue_idx] = grid[cuts[*choice]];
                    for k in cuts[*choice]..cuts[*choice + 1] {
                        spans.push((issue_idx, grid[k], grid[k + 1]));
                    }
                }
                Axis::Ordinal { .. } => template[issue_idx] = *choice as f64,
            }
        }
        let mut base = Vec::with_capacity(self.prefs.len());
        let mut slope: Vec<Vec<f64>> = Vec::with_capacity(self.prefs.len());
        for prefs in &self.prefs {
            // The utility at t = 0 is the utility of the template outcome.
            base.push(prefs.utility(&Outcome::new(template.clone())));
            slope.push(
                spans
                    .iter()
                    .map(|&(i, lo, hi)| prefs.contribution(i, hi) - prefs.contribution(i, lo))
                    .collect(),
            );
        }
        let best = base
            .iter()
            .zip(&slope)
            .map(|(b, s)| b + s.iter().map(|s| s.max(0.0)).sum::<f64>())
            .collect();
        Cell { template, spans, base, slope, best }
    }
}

impl Cell {
    /// The number of box variables (continuous issues).
    pub(crate) fn n_vars(&self) -> usize {
        self.spans.len()
    }

    /// The number of parties.
    pub(crate) fn n_parties(&self) -> usize {
        self.base.len()
    }

    /// The outcome at box point `t` (clamped into `[0, 1]`). Points within [`SNAP`] of an
    /// end of a segment map exactly onto it, so that a solution at a breakpoint is
    /// reported as `100`, not as the solver's `99.99999999999983`; the utilities reported
    /// are recomputed from the snapped outcome.
    ///
    /// A piece of several segments filled in order (every segment before some `k` full,
    /// every one after it empty) gives `lo_k + t_k (hi_k - lo_k)`, as a one-segment piece
    /// does; filled out of order, it gives the piece's start plus the total length filled.
    pub(crate) fn outcome(&self, t: &[f64]) -> Outcome {
        let mut values = self.template.clone();
        let mut start = 0;
        while start < self.spans.len() {
            let issue_idx = self.spans[start].0;
            let end =
                start + self.spans[start..].iter().take_while(|span| span.0 == issue_idx).count();
            values[issue_idx] = piece_value(&self.spans[start..end], &t[start..end]);
            start = end;
        }
        Outcome::new(values)
    }
}

/// The value of an issue whose piece has these segments and box values (see
/// [`Cell::outcome`]).
fn piece_value(spans: &[(usize, f64, f64)], t: &[f64]) -> f64 {
    let snap = |t_j: f64| {
        if t_j <= SNAP {
            0.0
        } else if t_j >= 1.0 - SNAP {
            1.0
        } else {
            t_j
        }
    };
    let at = |&(_, lo, hi): &(usize, f64, f64), t_j: f64| {
        if t_j == 0.0 {
            lo
        } else if t_j == 1.0 {
            hi
        } else {
            lo + t_j * (hi - lo)
        }
    };
    // The first segment not full (the last one if all are).
    let k = (0..t.len()).find(|&j| snap(t[j]) < 1.0).unwrap_or(t.len() - 1);
    if t[k + 1..].iter().all(|&t_j| snap(t_j) == 0.0) {
        return at(&spans[k], snap(t[k]));
    }
    // Out of order: the same total length, laid out from the piece's start.
    let mut rest: f64 = spans.iter().zip(t).map(|(&(_, lo, hi), &t_j)| snap(t_j) * (hi - lo)).sum();
    for span in spans {
        let len = span.2 - span.1;
        if rest <= len {
            let fraction = if len > 0.0 { rest / len } else { 0.0 };
            return at(span, snap(fraction));
        }
        rest -= len;
    }
    spans[spans.len() - 1].2
}

/// How close (as a fraction of a cell's interval) a solution must be to the interval's end
/// to be reported exactly at it.
const SNAP: f64 = 1e-9;

impl Axis {
    fn n_choices(&self) -> usize {
        match self {
            Axis::Continuous { cuts, .. } => cuts.len() - 1,
            Axis::Ordinal { n_levels } => *n_levels,
        }
    }
}

/// The axis of issue `issue_idx`: its levels, or the sorted union of the range ends and every
/// party's breakpoints inside the range, with the pieces `decomposition` asks for.
fn axis(scenario: &Scenario, issue_idx: usize, decomposition: Decomposition) -> Axis {
    let issue = &scenario.issues()[issue_idx];
    match issue.kind() {
        IssueKind::Ordinal { levels } => Axis::Ordinal { n_levels: levels.len() },
        IssueKind::Continuous { min, max, .. } => {
            let mut grid = vec![*min, *max];
            for party in scenario.parties() {
                let points = party.preferences().values()[issue_idx].breakpoints();
                grid.extend(points.into_iter().filter(|x| *x > *min && *x < *max));
            }
            grid.sort_by(f64::total_cmp);
            grid.dedup();
            if grid.len() == 1 {
                // A range of one point: one segment of length zero.
                grid.push(grid[0]);
            }
            let last = grid.len() - 1;
            let cuts = match decomposition {
                Decomposition::Intervals => (0..=last).collect(),
                Decomposition::ConcavePieces => std::iter::once(0)
                    .chain((1..last).filter(|&k| {
                        scenario.parties().iter().any(|party| {
                            let contribution = |x| party.preferences().contribution(issue_idx, x);
                            bends_up(&grid[k - 1..=k + 1], contribution)
                        })
                    }))
                    .chain(std::iter::once(last))
                    .collect(),
            };
            Axis::Continuous { grid, cuts }
        }
    }
}

/// True if a function is not concave at `points[1]`: its slope over `points[1]..points[2]`
/// exceeds its slope over `points[0]..points[1]` by more than a rounding error (relative
/// 1e-12). Merging such a point into a piece could overstate a utility by at most 1e-12 of
/// the issue's weight, far below the analysis's accuracy of 1e-9.
fn bends_up(points: &[f64], f: impl Fn(f64) -> f64) -> bool {
    let (x0, x1, x2) = (points[0], points[1], points[2]);
    let (f0, f1, f2) = (f(x0), f(x1), f(x2));
    let left = (f1 - f0) / (x1 - x0);
    let right = (f2 - f1) / (x2 - x1);
    right - left > 1e-12 * left.abs().max(right.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{continuous, ordinal, party, scenario};
    use crate::model::ValueFn;

    #[test]
    fn splits_continuous_issues_at_every_partys_breakpoints() {
        let issues = vec![continuous("x", 0.0, 10.0), ordinal("g", 3)];
        let a = party(
            "a",
            0.0,
            &[1.0, 1.0],
            vec![ValueFn::tent(0.0, 10.0, 4.0), ValueFn::tent_levels(3, 0)],
        );
        let b = party(
            "b",
            0.0,
            &[1.0, 1.0],
            vec![ValueFn::tent(0.0, 10.0, 7.0), ValueFn::tent_levels(3, 2)],
        );
        let scenario = scenario(issues, vec![a, b]);
        let space = CellSpace::new(&scenario, Decomposition::Intervals);
        // Intervals [0, 4], [4, 7], [7, 10] times three levels.
        assert_eq!(space.n_cells(), 9);
        // Cell 4 is the second interval with the second level.
        let cell = space.cell(4);
        assert_eq!(cell.outcome(&[0.0]).values(), &[4.0, 1.0]);
        assert_eq!(cell.outcome(&[1.0]).values(), &[7.0, 1.0]);
        assert_eq!(cell.outcome(&[0.5]).values(), &[5.5, 1.0]);
    }

    #[test]
    fn a_rebuilt_cell_is_the_kept_cell() {
        let issues = vec![continuous("x", 0.0, 10.0), ordinal("g", 3), continuous("y", 0.0, 1.0)];
        let a = party(
            "a",
            0.1,
            &[3.0, 1.0, 2.0],
            vec![
                ValueFn::Piecewise(vec![(0.0, 1.0), (4.0, 0.0), (10.0, 0.5)]),
                ValueFn::tent_levels(3, 1),
                ValueFn::tent(0.0, 1.0, 0.3),
            ],
        );
        let b = party(
            "b",
            0.2,
            &[1.0, 2.0, 1.0],
            vec![
                ValueFn::tent(0.0, 10.0, 7.0),
                ValueFn::tent_levels(3, 2),
                ValueFn::Piecewise(vec![(0.2, 0.0), (0.6, 1.0)]),
            ],
        );
        let scenario = scenario(issues, vec![a, b]);
        for decomposition in [Decomposition::Intervals, Decomposition::ConcavePieces] {
            let kept = CellTable::build(CellSpace::new(&scenario, decomposition), true);
            let rebuilt = CellTable::build(CellSpace::new(&scenario, decomposition), false);
            assert!(kept.len() > 1 && kept.len() == rebuilt.len());
            assert!(matches!(kept.get(0), Cow::Borrowed(_)));
            assert!(matches!(rebuilt.get(0), Cow::Owned(_)));
            for idx in 0..kept.len() {
                assert_eq!(kept.get(idx), rebuilt.get(idx), "{decomposition:?} cell {idx}");
                for p in 0..2 {
                    assert_eq!(kept.max_utility(idx, p), kept.get(idx).best[p]);
                }
            }
        }
    }

    #[test]
    fn affine_model_matches_the_exact_utility_inside_a_cell() {
        let issues = vec![continuous("x", 0.0, 10.0), continuous("y", 0.0, 1.0)];
        let a = party(
            "a",
            0.0,
            &[3.0, 1.0],
            vec![ValueFn::tent(0.0, 10.0, 4.0), ValueFn::tent(0.0, 1.0, 1.0)],
        );
        let scenario = scenario(issues, vec![a]);
        let space = CellSpace::new(&scenario, Decomposition::Intervals);
        for cell_idx in 0..space.n_cells() as usize {
            let cell = space.cell(cell_idx);
            for t in [[0.0, 0.0], [0.3, 0.9], [1.0, 0.5]] {
                let affine = cell.base[0] + cell.slope[0][0] * t[0] + cell.slope[0][1] * t[1];
                let exact = scenario.parties()[0].utility(&cell.outcome(&t));
                assert!((affine - exact).abs() < 1e-12, "cell {cell_idx} at {t:?}");
            }
        }
    }
}
