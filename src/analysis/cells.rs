//! The cell decomposition of the outcome space, on which every utility is affine.
//!
//! Owns the grids (the union of all parties' breakpoints on each continuous issue), the
//! enumeration order of cells and the affine utility model of one cell.
//! It solves nothing and refuses nothing: `problem` estimates the work from the number of
//! cells and `solutions` runs the programs cell by cell.
//!
//! A cell fixes one interval per continuous issue and one level per ordinal issue.
//! Inside it, issue `i`'s value is `lo_i + t_i * (hi_i - lo_i)` with `t_i` in `[0, 1]`, and since
//! no party's value function bends inside an interval, every utility is
//! `base_p + slope_p · t`: the cell's image in utility space is a convex polytope.
//! Working in `t` rather than in issue units keeps the programs well scaled whatever the
//! ranges (`[0, 1]` or `[0, 500]` $bn).

use crate::model::{IssueKind, Outcome, Scenario};

/// The cells of a scenario's outcome space, enumerated in a fixed order.
///
/// Cell indices are mixed-radix numbers over the issues in scenario order, with the last issue
/// varying fastest; so cells come in lexicographic order of (first issue's interval or level,
/// second issue's, ...). Ties between cells are broken by this order.
pub(crate) struct CellSpace<'a> {
    scenario: &'a Scenario,
    axes: Vec<Axis>,
    n_cells: u128,
}

/// One cell: the issues' choices and every party's affine utility over the cell's unit box.
#[derive(Clone, Debug)]
pub(crate) struct Cell {
    /// The outcome with ordinal levels set; continuous entries are overwritten from `t`.
    template: Vec<f64>,
    /// For each box variable: the issue index and the interval's ends.
    spans: Vec<(usize, f64, f64)>,
    /// Per party: the utility at `t = 0`.
    pub base: Vec<f64>,
    /// Per party: the utility's gradient in `t`.
    pub slope: Vec<Vec<f64>>,
    /// Per party: the largest utility in the cell (`base` plus the positive slopes), kept
    /// because every pass's bounds read it.
    best: Vec<f64>,
}

/// The choices along one issue.
enum Axis {
    /// A continuous issue, with the sorted points where some party's value may bend (at least
    /// the two ends of the range); consecutive points give the intervals.
    Continuous { grid: Vec<f64> },
    /// An ordinal issue with this many levels.
    Ordinal { n_levels: usize },
}

impl<'a> CellSpace<'a> {
    /// Builds the grids.
    pub(crate) fn new(scenario: &'a Scenario) -> CellSpace<'a> {
        let axes: Vec<Axis> = (0..scenario.issues().len()).map(|i| axis(scenario, i)).collect();
        // The count saturates rather than overflows; anything that large is refused anyway.
        let n_cells =
            axes.iter().fold(1u128, |acc, axis| acc.saturating_mul(axis.n_choices() as u128));
        CellSpace { scenario, axes, n_cells }
    }

    /// The number of cells (saturating).
    pub(crate) fn n_cells(&self) -> u128 {
        self.n_cells
    }

    /// The number of box variables of every cell: the number of continuous issues.
    pub(crate) fn n_vars(&self) -> usize {
        self.axes.iter().filter(|a| matches!(a, Axis::Continuous { .. })).count()
    }

    /// The cell with index `cell_idx` (`< len()`), with every party's affine utility.
    pub(crate) fn cell(&self, cell_idx: usize) -> Cell {
        let issues = self.scenario.issues();
        let mut choices = vec![0; issues.len()];
        let mut rest = cell_idx;
        for (choice, axis) in choices.iter_mut().zip(&self.axes).rev() {
            *choice = rest % axis.n_choices();
            rest /= axis.n_choices();
        }
        let mut template = vec![0.0; issues.len()];
        let mut spans = Vec::new();
        for (issue_idx, (axis, choice)) in self.axes.iter().zip(&choices).enumerate() {
            match axis {
                Axis::Continuous { grid } => {
                    let lo = grid[*choice];
                    let hi = grid[(*choice + 1).min(grid.len() - 1)];
                    template[issue_idx] = lo;
                    spans.push((issue_idx, lo, hi));
                }
                Axis::Ordinal { .. } => template[issue_idx] = *choice as f64,
            }
        }
        let parties = self.scenario.parties();
        let mut base = Vec::with_capacity(parties.len());
        let mut slope: Vec<Vec<f64>> = Vec::with_capacity(parties.len());
        for party in parties {
            let prefs = party.preferences();
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

    /// The largest utility party `p` can get in this cell, ignoring everyone else.
    pub(crate) fn max_utility(&self, p: usize) -> f64 {
        self.best[p]
    }

    /// The outcome at box point `t` (clamped into `[0, 1]`). Points within [`SNAP`] of an
    /// end of the interval map exactly onto it, so that a solution at a breakpoint is
    /// reported as `100`, not as the solver's `99.99999999999983`; the utilities reported
    /// are recomputed from the snapped outcome.
    pub(crate) fn outcome(&self, t: &[f64]) -> Outcome {
        let mut values = self.template.clone();
        for (&(issue_idx, lo, hi), &t_j) in self.spans.iter().zip(t) {
            values[issue_idx] = if t_j <= SNAP {
                lo
            } else if t_j >= 1.0 - SNAP {
                hi
            } else {
                lo + t_j * (hi - lo)
            };
        }
        Outcome::new(values)
    }
}

/// How close (as a fraction of a cell's interval) a solution must be to the interval's end
/// to be reported exactly at it.
const SNAP: f64 = 1e-9;

impl Axis {
    fn n_choices(&self) -> usize {
        match self {
            Axis::Continuous { grid } => (grid.len() - 1).max(1),
            Axis::Ordinal { n_levels } => *n_levels,
        }
    }
}

/// The axis of issue `issue_idx`: its levels, or the sorted union of the range ends and every
/// party's breakpoints inside the range.
fn axis(scenario: &Scenario, issue_idx: usize) -> Axis {
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
            Axis::Continuous { grid }
        }
    }
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
        let space = CellSpace::new(&scenario);
        // Intervals [0, 4], [4, 7], [7, 10] times three levels.
        assert_eq!(space.n_cells(), 9);
        // Cell 4 is the second interval with the second level.
        let cell = space.cell(4);
        assert_eq!(cell.outcome(&[0.0]).values(), &[4.0, 1.0]);
        assert_eq!(cell.outcome(&[1.0]).values(), &[7.0, 1.0]);
        assert_eq!(cell.outcome(&[0.5]).values(), &[5.5, 1.0]);
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
        let space = CellSpace::new(&scenario);
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
