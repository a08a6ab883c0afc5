//! The enumeration backend: an outcome space of ordinal issues only, analysed outcome by
//! outcome without any solver.
//!
//! Why this exists: with no continuous issue every cell is a single outcome, so a "program"
//! per cell is only an evaluation. Enumerating is exact by construction and cheap: the
//! outcomes are visited in the cell order of `cells` (lexicographic over issues, the last
//! issue fastest) by an odometer that keeps each party's running sum of contributions per
//! issue prefix, so that moving to the next outcome costs one addition per party. Nothing is
//! stored per outcome: a pass over a million outcomes needs a few hundred bytes.
//!
//! Accuracy: each utility is formed by the same additions in the same order as
//! [`crate::model::Preferences::utility`] (contributions summed in issue order from 0, then
//! clamped to `[0, 1]`), so it is bit for bit the utility the model reports for that outcome.
//!
//! Owns the contribution tables, the odometer and the decoding of an outcome index; the
//! solution concepts that consume the passes live in `solutions` and `frontier`.

use crate::model::{IssueKind, Outcome, Scenario};

/// The outcome space of a scenario whose issues are all ordinal.
#[derive(Clone, Debug)]
pub(crate) struct Grid {
    /// Levels per issue, in scenario order.
    radix: Vec<usize>,
    /// `tables[i][l * n_parties + p]`: party `p`'s weighted contribution of level `l` of
    /// issue `i`, exactly [`crate::model::Preferences::contribution`].
    tables: Vec<Vec<f64>>,
    n_parties: usize,
    n_outcomes: u128,
}

impl Grid {
    /// The grid of `scenario`, or `None` if some issue is continuous.
    pub(crate) fn new(scenario: &Scenario) -> Option<Grid> {
        let n_parties = scenario.parties().len();
        let mut radix = Vec::new();
        let mut tables = Vec::new();
        for (i, issue) in scenario.issues().iter().enumerate() {
            let IssueKind::Ordinal { levels } = issue.kind() else { return None };
            radix.push(levels.len());
            let mut table = Vec::with_capacity(levels.len() * n_parties);
            for level in 0..levels.len() {
                for party in scenario.parties() {
                    table.push(party.preferences().contribution(i, level as f64));
                }
            }
            tables.push(table);
        }
        let n_outcomes = radix.iter().fold(1u128, |acc, n| acc.saturating_mul(*n as u128));
        Some(Grid { radix, tables, n_parties, n_outcomes })
    }

    /// The number of outcomes (saturating).
    pub(crate) fn n_outcomes(&self) -> u128 {
        self.n_outcomes
    }

    /// The outcome with index `idx` (its level indices, as the model stores them).
    pub(crate) fn outcome(&self, idx: usize) -> Outcome {
        let mut values = vec![0.0; self.radix.len()];
        let mut rest = idx;
        for (value, n) in values.iter_mut().zip(&self.radix).rev() {
            *value = (rest % n) as f64;
            rest /= n;
        }
        Outcome::new(values)
    }

    /// Calls `visit(idx, utilities)` for every outcome in index order, with each party's
    /// utility (bit for bit the model's). The caller must have checked that the number of
    /// outcomes fits in `usize`.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(usize, &[f64])) {
        self.for_each_until(|idx, u| {
            visit(idx, u);
            false
        });
    }

    /// As [`Grid::for_each`], stopping after the first outcome for which `visit` returns true.
    pub(crate) fn for_each_until(&self, mut visit: impl FnMut(usize, &[f64]) -> bool) {
        let (n_issues, n_parties) = (self.radix.len(), self.n_parties);
        if n_issues == 0 {
            // One outcome, the empty one; every utility is the empty sum.
            visit(0, &vec![0.0; n_parties]);
            return;
        }
        // prefix[k * n_parties + p]: party p's sum over issues 0..k at the current digits.
        let mut prefix = vec![0.0; (n_issues + 1) * n_parties];
        let mut digits = vec![0usize; n_issues];
        let mut utilities = vec![0.0; n_parties];
        let last = n_issues - 1;
        let mut idx = 0usize;
        // Prefix sums below the last issue must be recomputed from this issue on.
        let mut dirty = 0;
        loop {
            for k in dirty..last {
                let row = &self.tables[k][digits[k] * n_parties..(digits[k] + 1) * n_parties];
                for p in 0..n_parties {
                    prefix[(k + 1) * n_parties + p] = prefix[k * n_parties + p] + row[p];
                }
            }
            let base = &prefix[last * n_parties..(last + 1) * n_parties];
            for row in self.tables[last].chunks_exact(n_parties) {
                for p in 0..n_parties {
                    utilities[p] = (base[p] + row[p]).clamp(0.0, 1.0);
                }
                if visit(idx, &utilities) {
                    return;
                }
                idx += 1;
            }
            // Advance the odometer over the issues before the last.
            let mut k = last;
            loop {
                if k == 0 {
                    return;
                }
                k -= 1;
                digits[k] += 1;
                if digits[k] < self.radix[k] {
                    break;
                }
                digits[k] = 0;
            }
            dirty = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::testing::{continuous, ordinal, party, scenario};
    use crate::model::ValueFn;

    #[test]
    fn visits_every_outcome_in_cell_order_with_the_models_utilities() {
        let issues = vec![ordinal("g", 3), ordinal("h", 2), ordinal("k", 4)];
        let a = party(
            "a",
            0.0,
            &[0.3, 0.5, 0.2],
            vec![
                ValueFn::Levels(vec![0.1, 0.7, 0.3]),
                ValueFn::tent_levels(2, 1),
                ValueFn::Levels(vec![0.9, 0.2, 0.4, 0.6]),
            ],
        );
        let b = party(
            "b",
            0.0,
            &[1.0, 1.0, 1.0],
            vec![
                ValueFn::tent_levels(3, 2),
                ValueFn::tent_levels(2, 0),
                ValueFn::tent_levels(4, 1),
            ],
        );
        let s = scenario(issues, vec![a, b]);
        let grid = Grid::new(&s).unwrap();
        assert_eq!(grid.n_outcomes(), 24);
        let mut seen = 0;
        grid.for_each(|idx, u| {
            assert_eq!(idx, seen);
            seen += 1;
            let outcome = grid.outcome(idx);
            // Index 0 is (0, 0, 0), index 1 is (0, 0, 1): the last issue varies fastest.
            let expected: Vec<f64> = s.parties().iter().map(|p| p.utility(&outcome)).collect();
            assert_eq!(u, expected.as_slice(), "outcome {outcome:?}");
        });
        assert_eq!(seen, 24);
        assert_eq!(grid.outcome(1).values(), &[0.0, 0.0, 1.0]);
        assert_eq!(grid.outcome(23).values(), &[2.0, 1.0, 3.0]);
    }

    #[test]
    fn is_only_for_spaces_without_a_continuous_issue() {
        let a = party(
            "a",
            0.0,
            &[1.0, 1.0],
            vec![ValueFn::tent(0.0, 1.0, 1.0), ValueFn::tent_levels(2, 0)],
        );
        let s = scenario(vec![continuous("x", 0.0, 1.0), ordinal("g", 2)], vec![a]);
        assert!(Grid::new(&s).is_none());
    }
}
