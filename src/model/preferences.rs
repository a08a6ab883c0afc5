//! What a party wants: per-issue value functions and weights, combined into a utility.
//!
//! A party's utility of an outcome is `sum_i weight_i * value_i(x_i)`, with weights normalized
//! to sum to 1 and every value in `[0, 1]`. Discounting and reservation values live on
//! [`crate::model::Party`]; this module is only the static preference structure.

use crate::model::Outcome;

/// How much one issue's value is worth to a party, as a function of the issue's value.
#[derive(Clone, Debug, PartialEq)]
pub enum ValueFn {
    /// Piecewise-linear through `(x, value)` points with strictly increasing `x`.
    /// Outside the first and last point the value stays flat. Used for continuous issues.
    Piecewise(Vec<(f64, f64)>),
    /// One value per level (index = level). Used for ordinal issues.
    Levels(Vec<f64>),
}

impl ValueFn {
    /// The default continuous value: 1 at `ideal`, falling linearly with the distance from it
    /// and reaching 0 at whichever end of `[lower, upper]` lies farther away.
    pub fn tent(lower: f64, upper: f64, ideal: f64) -> ValueFn {
        let reach = (ideal - lower).max(upper - ideal);
        let at = |x: f64| 1.0 - (x - ideal).abs() / reach;
        let mut points = vec![(lower, at(lower))];
        if ideal > lower && ideal < upper {
            points.push((ideal, 1.0));
        }
        points.push((upper, at(upper)));
        ValueFn::Piecewise(points)
    }

    /// The default ordinal value: the same tent rule over level indices.
    pub fn tent_levels(n_levels: usize, ideal: usize) -> ValueFn {
        let last = (n_levels - 1) as f64;
        let ideal = ideal as f64;
        let reach = ideal.max(last - ideal);
        ValueFn::Levels((0..n_levels).map(|i| 1.0 - (i as f64 - ideal).abs() / reach).collect())
    }

    /// The value 0 everywhere on an issue's range (or levels): how a party that gives an
    /// issue weight 0 and no ideal values it. It has the breakpoints of the issue's ends.
    pub fn zero(issue: &crate::model::Issue) -> ValueFn {
        match issue.kind() {
            crate::model::IssueKind::Continuous { min, max, .. } => {
                ValueFn::Piecewise(vec![(*min, 0.0), (*max, 0.0)])
            }
            crate::model::IssueKind::Ordinal { levels } => ValueFn::Levels(vec![0.0; levels.len()]),
        }
    }

    /// The value at `x` (a number for continuous issues, a level index for ordinal ones).
    pub fn value(&self, x: f64) -> f64 {
        match self {
            ValueFn::Levels(values) => {
                let idx = (x.round().max(0.0) as usize).min(values.len() - 1);
                values[idx]
            }
            ValueFn::Piecewise(points) => piecewise(points, x),
        }
    }

    /// The `x` values where the function may bend (continuous) or the level indices (ordinal).
    pub fn breakpoints(&self) -> Vec<f64> {
        let mut out = Vec::new();
        self.breakpoints_into(&mut out);
        out
    }

    /// Appends [`ValueFn::breakpoints`] to `out`.
    pub fn breakpoints_into(&self, out: &mut Vec<f64>) {
        match self {
            ValueFn::Levels(values) => out.extend((0..values.len()).map(|i| i as f64)),
            ValueFn::Piecewise(points) => out.extend(points.iter().map(|p| p.0)),
        }
    }

    /// The largest value the function reaches.
    pub fn max_value(&self) -> f64 {
        match self {
            ValueFn::Levels(values) => values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ValueFn::Piecewise(points) => {
                points.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max)
            }
        }
    }

    /// The first `x` (lowest) at which the value is largest: where this party would put the issue.
    pub fn best_x(&self) -> f64 {
        let best = self.max_value();
        match self {
            ValueFn::Levels(values) => values.iter().position(|v| *v == best).unwrap_or(0) as f64,
            ValueFn::Piecewise(points) => {
                points.iter().find(|p| p.1 == best).map(|p| p.0).unwrap_or(points[0].0)
            }
        }
    }
}

/// Linear interpolation through sorted points, flat beyond the ends.
fn piecewise(points: &[(f64, f64)], x: f64) -> f64 {
    let first = points[0];
    if x <= first.0 {
        return first.1;
    }
    for pair in points.windows(2) {
        let (x0, v0) = pair[0];
        let (x1, v1) = pair[1];
        if x <= x1 {
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0);
        }
    }
    points[points.len() - 1].1
}

/// A party's preferences over whole outcomes: normalized weights and one value function per issue.
#[derive(Clone, Debug, PartialEq)]
pub struct Preferences {
    weights: Vec<f64>,
    values: Vec<ValueFn>,
    /// `sum_i weight_i * max value_i`, kept with the weights (the engine's walk-away rule
    /// asks for it at every turn).
    max_utility: f64,
}

impl Preferences {
    /// Builds preferences from non-negative weights (normalized here; their sum must be > 0)
    /// and one value function per issue.
    pub fn new(raw_weights: &[f64], values: Vec<ValueFn>) -> Preferences {
        assert_eq!(raw_weights.len(), values.len(), "one weight per value function");
        let mut prefs = Preferences { weights: vec![0.0; values.len()], values, max_utility: 0.0 };
        prefs.set_weights(raw_weights);
        prefs
    }

    /// Replaces the weights, normalizing them to sum to 1 (the sum must be > 0).
    pub fn set_weights(&mut self, raw_weights: &[f64]) {
        let total: f64 = raw_weights.iter().sum();
        debug_assert!(total > 0.0, "validation guarantees a positive weight sum");
        for (w, raw) in self.weights.iter_mut().zip(raw_weights) {
            *w = raw / total;
        }
        self.max_utility =
            self.weights.iter().zip(&self.values).map(|(w, v)| w * v.max_value()).sum();
    }

    /// Normalized weights, one per issue, summing to 1.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Value functions, one per issue.
    pub fn values(&self) -> &[ValueFn] {
        &self.values
    }

    /// The weighted contribution of issue `issue_idx` at value `x`: `weight * value(x)`.
    pub fn contribution(&self, issue_idx: usize, x: f64) -> f64 {
        self.weights[issue_idx] * self.values[issue_idx].value(x)
    }

    /// Undiscounted utility of an outcome, in `[0, 1]`.
    ///
    /// The weighted sum can stray past 1 by a rounding error (normalized weights need not
    /// sum to exactly 1 in floating point); it is clamped so that the `[0, 1]` invariant holds
    /// exactly in every output.
    pub fn utility(&self, outcome: &Outcome) -> f64 {
        let sum: f64 =
            outcome.values().iter().enumerate().map(|(i, x)| self.contribution(i, *x)).sum();
        sum.clamp(0.0, 1.0)
    }

    /// The best utility any outcome can give (1 unless a value table never reaches 1).
    pub fn max_utility(&self) -> f64 {
        self.max_utility
    }

    /// The outcome this party likes best (lowest `x` on ties).
    pub fn best_outcome(&self) -> Outcome {
        Outcome::new(self.values.iter().map(ValueFn::best_x).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tent_is_one_at_ideal_and_zero_at_the_far_end() {
        let v = ValueFn::tent(0.0, 100.0, 30.0);
        assert_eq!(v.value(30.0), 1.0);
        assert_eq!(v.value(100.0), 0.0);
        assert!((v.value(0.0) - (1.0 - 30.0 / 70.0)).abs() < 1e-12);
        assert_eq!(v.breakpoints(), vec![0.0, 30.0, 100.0]);
    }

    #[test]
    fn tent_at_an_end_is_linear() {
        let v = ValueFn::tent(0.0, 500.0, 0.0);
        assert_eq!(v.breakpoints(), vec![0.0, 500.0]);
        assert_eq!(v.value(250.0), 0.5);
        assert_eq!(v.best_x(), 0.0);
    }

    #[test]
    fn tent_levels_counts_steps_from_the_ideal() {
        let v = ValueFn::tent_levels(4, 3);
        let expected = [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0];
        for (level, want) in expected.iter().enumerate() {
            assert!((v.value(level as f64) - want).abs() < 1e-15, "level {level}");
        }
        assert_eq!(v.best_x(), 3.0);
    }

    #[test]
    fn piecewise_is_flat_beyond_its_points() {
        let v = ValueFn::Piecewise(vec![(10.0, 0.2), (20.0, 1.0)]);
        assert_eq!(v.value(0.0), 0.2);
        assert!((v.value(15.0) - 0.6).abs() < 1e-15);
        assert_eq!(v.value(30.0), 1.0);
    }

    #[test]
    fn utility_is_the_weighted_sum_of_values() {
        let prefs = Preferences::new(
            &[3.0, 1.0],
            vec![ValueFn::tent(0.0, 1.0, 1.0), ValueFn::tent_levels(2, 0)],
        );
        assert_eq!(prefs.weights(), &[0.75, 0.25]);
        let outcome = Outcome::new(vec![0.5, 0.0]);
        assert!((prefs.utility(&outcome) - (0.75 * 0.5 + 0.25)).abs() < 1e-12);
        assert_eq!(prefs.max_utility(), 1.0);
        assert_eq!(prefs.best_outcome(), Outcome::new(vec![1.0, 0.0]));
    }
}
