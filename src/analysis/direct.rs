//! Exact direct methods for the small programs of cells with few free variables: linear
//! programs by vertex enumeration, and the one-variable Nash program by bisection on its
//! derivative.
//!
//! Why this exists: a cell of a scenario with one or two continuous issues gives linear
//! programs in two or three variables (the box variables, plus the slack or `lambda` of the
//! zone and Kalai–Smorodinsky programs). Building an interior-point solver for each costs
//! about 25 µs, a hundred times the arithmetic of trying every vertex; and a vertex is exact
//! where the interior-point answer is within 1e-9 or so.
//!
//! Accuracy: a vertex solves its active rows by Gaussian elimination with partial pivoting
//! (errors near 1e-15 for the well-scaled rows of a cell, whose variables live in `[0, 1]`);
//! a vertex is feasible when it misses no row by more than [`FEASIBILITY`]. The one-variable
//! Nash maximizer is found to within a few units of the last place of `t`.
//!
//! On failure (no feasible vertex: the program is infeasible) these return `None`, as the
//! solver wrapper does. Guarantees: deterministic (a fixed enumeration order, no randomness),
//! and when several vertices are optimal (within [`OPTIMALITY`]) the answer is their mean, a
//! point of the optimal face's relative interior, as an interior-point method also returns;
//! so a flat optimum is reported at its centre, not at an end that depends on row order.

use crate::analysis::solver::Row;

/// The most variables for which [`maximize_linear`] enumerates vertices; larger programs go
/// to the general solver. Measured: with four parties, three variables (two continuous issues
/// plus a slack) take about 3 µs by enumeration against 25 to 50 µs with clarabel.
pub(crate) const MAX_DIRECT_VARS: usize = 3;

/// How far a vertex may violate a row (in the row's units) and still count as feasible.
const FEASIBILITY: f64 = 1e-12;

/// Vertices whose objective is within this (relative to 1 + |best|) of the best are optimal.
const OPTIMALITY: f64 = 1e-12;

/// Two optimal vertices closer than this in every coordinate are the same vertex.
const SAME_VERTEX: f64 = 1e-12;

/// Maximizes `objective · x` subject to every row and `0 <= x_j <= 1` for the first `n_box`
/// variables, by trying every vertex; `None` if no vertex is feasible.
///
/// The program must be bounded (every variable beyond the box is bounded above by the rows in
/// the direction the objective pushes it), which holds for every program the analysis builds.
///
/// The answer is, bit for bit, that of [`maximize_linear_enumerate`] (every vertex computed,
/// the optimal ones averaged), with less work: no allocation but the answer; a subset of rows
/// holding both bounds of one box variable is skipped without solving (it is singular, and
/// the elimination of `solve` finds it so exactly: the two rows stay exact negatives of each
/// other); and a vertex whose objective is already below the optimality threshold of the best
/// feasible vertex so far is dropped before its feasibility is checked (the threshold only
/// rises, so such a vertex can neither be optimal nor raise the best).
pub(crate) fn maximize_linear(objective: &[f64], rows: &[Row], n_box: usize) -> Option<Vec<f64>> {
    let n = objective.len();
    debug_assert!(n <= MAX_DIRECT_VARS);
    if 2 * n_box + rows.len() <= FAST_ROWS && objective.iter().all(|c| c.is_finite()) {
        let answer = match n {
            1 => maximize_linear_fast::<1>(objective, rows, n_box),
            2 => maximize_linear_fast::<2>(objective, rows, n_box),
            3 => maximize_linear_fast::<3>(objective, rows, n_box),
            _ => Err(Overflow),
        };
        if let Ok(answer) = answer {
            return answer;
        }
    }
    maximize_linear_enumerate(objective, rows, n_box)
}

/// The most rows (box rows included) of a program that [`maximize_linear`] solves on the stack.
const FAST_ROWS: usize = 24;

/// The most candidate optimal vertices [`maximize_linear`] keeps on the stack.
const FAST_CANDIDATES: usize = 32;

/// A fixed buffer of [`maximize_linear`] was too small: take the plain enumeration.
struct Overflow;

/// The lowest objective an optimal vertex may have when the best is `best`. It never falls
/// as `best` rises (each floating-point step is monotone), which is what lets
/// [`maximize_linear`] drop a vertex early.
fn optimality_threshold(best: f64) -> f64 {
    best - OPTIMALITY * (1.0 + best.abs())
}

/// [`maximize_linear`] for `N` variables with fixed buffers: the same vertices, solved by the
/// same elimination in the same order, the same best, the same optimal vertices averaged in
/// the same order.
fn maximize_linear_fast<const N: usize>(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
) -> Result<Option<Vec<f64>>, Overflow> {
    let mut all = [([0.0; MAX_DIRECT_VARS], 0.0); FAST_ROWS];
    let mut m = 0;
    for j in 0..n_box {
        all[m].0[j] = 1.0;
        all[m].1 = 1.0;
        all[m + 1].0[j] = -1.0;
        all[m + 1].1 = 0.0;
        m += 2;
    }
    for row in rows {
        all[m].0[..N].copy_from_slice(&row.coefs[..N]);
        all[m].1 = row.bound;
        m += 1;
    }
    let all = &all[..m];
    let feasible = |x: &Coefs| {
        all.iter().all(|(coefs, bound)| dot(&coefs[..N], &x[..N]) <= bound + FEASIBILITY)
    };

    let mut best = f64::NEG_INFINITY;
    // The feasible vertices that may still be optimal, in enumeration order.
    let mut kept = [(0.0, [0.0; MAX_DIRECT_VARS]); FAST_CANDIDATES];
    let mut n_kept = 0;
    let mut overflow = false;
    let mut active = [0usize; MAX_DIRECT_VARS];
    for_each_subset(m, N, &mut active[..N], &mut |subset| {
        if overflow
            || subset.windows(2).any(|w| w[0] % 2 == 0 && w[1] == w[0] + 1 && w[1] < 2 * n_box)
        {
            return;
        }
        let mut a = [[0.0; MAX_DIRECT_VARS]; MAX_DIRECT_VARS];
        let mut b = [0.0; MAX_DIRECT_VARS];
        for (k, &r) in subset.iter().enumerate() {
            a[k] = all[r].0;
            b[k] = all[r].1;
        }
        let Some(x) = solve(&mut a, &mut b, N) else { return };
        if !x[..N].iter().all(|v| v.is_finite()) {
            return;
        }
        let value = dot(objective, &x[..N]);
        if value < optimality_threshold(best) || !feasible(&x) {
            return;
        }
        if value > best {
            best = value;
            let threshold = optimality_threshold(best);
            let mut k = 0;
            for i in 0..n_kept {
                if kept[i].0 >= threshold {
                    kept[k] = kept[i];
                    k += 1;
                }
            }
            n_kept = k;
        }
        if n_kept == FAST_CANDIDATES {
            overflow = true;
            return;
        }
        kept[n_kept] = (value, x);
        n_kept += 1;
    });
    if overflow {
        return Err(Overflow);
    }
    if !best.is_finite() {
        return Ok(None);
    }
    let threshold = optimality_threshold(best);
    let mut optimal = [[0.0; MAX_DIRECT_VARS]; FAST_CANDIDATES];
    let mut n_optimal = 0;
    for (value, x) in &kept[..n_kept] {
        if *value >= threshold
            && !optimal[..n_optimal]
                .iter()
                .any(|y| y[..N].iter().zip(&x[..N]).all(|(a, b)| (a - b).abs() <= SAME_VERTEX))
        {
            optimal[n_optimal] = *x;
            n_optimal += 1;
        }
    }
    let mut mean = vec![0.0; N];
    for x in &optimal[..n_optimal] {
        for (m, v) in mean.iter_mut().zip(x[..N].iter()) {
            *m += v;
        }
    }
    for (j, m) in mean.iter_mut().enumerate() {
        *m /= n_optimal as f64;
        if j < n_box {
            *m = m.clamp(0.0, 1.0);
        }
    }
    Ok(Some(mean))
}

/// [`maximize_linear`] the plain way: every vertex is computed and kept, then the optimal ones
/// are averaged. The fast path gives the same answer bit for bit (a property test checks it)
/// and falls back on this one for programs larger than its fixed buffers.
pub(crate) fn maximize_linear_enumerate(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
) -> Option<Vec<f64>> {
    let n = objective.len();
    debug_assert!(n <= MAX_DIRECT_VARS);
    // All rows as (coefs, bound), the box first; fixed-size coefficient arrays keep the
    // enumeration free of allocation (this runs once per cell and program).
    let mut all: Vec<(Coefs, f64)> = Vec::with_capacity(2 * n_box + rows.len());
    for j in 0..n_box {
        let mut upper = [0.0; MAX_DIRECT_VARS];
        upper[j] = 1.0;
        let mut lower = [0.0; MAX_DIRECT_VARS];
        lower[j] = -1.0;
        all.push((upper, 1.0));
        all.push((lower, 0.0));
    }
    for row in rows {
        let mut coefs = [0.0; MAX_DIRECT_VARS];
        coefs[..n].copy_from_slice(&row.coefs[..n]);
        all.push((coefs, row.bound));
    }
    let feasible = |x: &Coefs| {
        all.iter().all(|(coefs, bound)| dot(&coefs[..n], &x[..n]) <= bound + FEASIBILITY)
    };
    if n == 0 {
        return feasible(&[0.0; MAX_DIRECT_VARS]).then(Vec::new);
    }

    let mut vertices: Vec<(f64, Coefs)> = Vec::new();
    let mut active = [0usize; MAX_DIRECT_VARS];
    for_each_subset(all.len(), n, &mut active[..n], &mut |subset| {
        let mut a = [[0.0; MAX_DIRECT_VARS]; MAX_DIRECT_VARS];
        let mut b = [0.0; MAX_DIRECT_VARS];
        for (k, &r) in subset.iter().enumerate() {
            a[k] = all[r].0;
            b[k] = all[r].1;
        }
        if let Some(x) = solve(&mut a, &mut b, n)
            && x[..n].iter().all(|v| v.is_finite())
            && feasible(&x)
        {
            vertices.push((dot(objective, &x[..n]), x));
        }
    });
    let best = vertices.iter().map(|v| v.0).fold(f64::NEG_INFINITY, f64::max);
    if !best.is_finite() {
        return None;
    }
    let mut optimal: Vec<&Coefs> = Vec::new();
    for (value, x) in &vertices {
        if *value >= best - OPTIMALITY * (1.0 + best.abs())
            && !optimal
                .iter()
                .any(|y| y[..n].iter().zip(&x[..n]).all(|(a, b)| (a - b).abs() <= SAME_VERTEX))
        {
            optimal.push(x);
        }
    }
    let mut mean = vec![0.0; n];
    for x in &optimal {
        for (m, v) in mean.iter_mut().zip(x[..n].iter()) {
            *m += v;
        }
    }
    for (j, m) in mean.iter_mut().enumerate() {
        *m /= optimal.len() as f64;
        if j < n_box {
            *m = m.clamp(0.0, 1.0);
        }
    }
    Some(mean)
}

/// Maximizes `sum_p ln(offsets[p] + slopes[p] * t)` over `t` in `[0, 1]` (one variable);
/// `None` if no `t` makes every gain positive.
///
/// The objective is concave, so its derivative `sum_p slopes[p] / gain_p(t)` decreases: the
/// maximizer is an end of the interval where every gain is positive, or the derivative's root,
/// found by bisection to adjacent floating-point numbers.
pub(crate) fn maximize_log_sum_1d(offsets: &[f64], slopes: &[f64]) -> Option<f64> {
    // The open interval (lo, hi) where every gain is positive, within [0, 1].
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    let (mut lo_open, mut hi_open) = (false, false);
    for (&a, &b) in offsets.iter().zip(slopes) {
        if b == 0.0 {
            if a <= 0.0 {
                return None;
            }
        } else {
            // a + b t > 0  is  t > -a/b (b > 0)  or  t < -a/b (b < 0).
            let root = -a / b;
            if b > 0.0 && root >= lo {
                lo = root;
                lo_open = true;
            } else if b < 0.0 && root <= hi {
                hi = root;
                hi_open = true;
            }
        }
    }
    if lo > hi || (lo == hi && (lo_open || hi_open)) {
        return None;
    }
    let gain_ok = |t: f64| offsets.iter().zip(slopes).all(|(a, b)| a + b * t > 0.0);
    let derivative = |t: f64| offsets.iter().zip(slopes).map(|(a, b)| b / (a + b * t)).sum::<f64>();
    // An end where every gain is positive and the derivative points out of the interval is
    // the maximizer.
    if !lo_open && gain_ok(lo) && derivative(lo) <= 0.0 {
        return Some(lo);
    }
    if !hi_open && gain_ok(hi) && derivative(hi) >= 0.0 {
        return Some(hi);
    }
    // Otherwise the root is inside: the derivative is +inf at an open lower end (a gain
    // tends to 0 from above) or positive at a closed one, and negative at the upper end.
    let (mut a, mut b) = (lo, hi);
    for _ in 0..200 {
        let mid = 0.5 * (a + b);
        if mid <= a || mid >= b {
            break;
        }
        if !gain_ok(mid) {
            // Only at the open ends, within rounding: move away from the end that fails.
            if offsets.iter().zip(slopes).any(|(o, s)| *s > 0.0 && o + s * mid <= 0.0) {
                a = mid;
            } else {
                b = mid;
            }
            continue;
        }
        if derivative(mid) > 0.0 {
            a = mid;
        } else {
            b = mid;
        }
    }
    // Of the two bracketing numbers, the one with the larger objective and positive gains.
    let value = |t: f64| {
        if gain_ok(t) {
            offsets.iter().zip(slopes).map(|(o, s)| (o + s * t).ln()).sum::<f64>()
        } else {
            f64::NEG_INFINITY
        }
    };
    let best = if value(b) > value(a) { b } else { a };
    value(best).is_finite().then_some(best)
}

/// Maximizes `objective · x` subject to every row and `0 <= x_j <= 1` for the first `n_box`
/// variables (the others free), by a dense bounded-variable primal simplex: `Ok(None)` if the
/// program is infeasible, `Err(Stalled)` if the simplex gives up (unbounded, which the analysis
/// never builds, or out of pivots), for the caller to fall back on the general solver.
///
/// Why: a cell with three or more continuous issues has too many vertices to try them all,
/// but only a few general rows (one per party, plus one): the simplex keeps the box as bounds
/// and pivots only on those rows, a few microseconds where an interior-point solve takes 50 to
/// 100. Method: two phases (artificial variables for the rows that `x = 0` violates), Bland's
/// rule for entering and leaving variables so that it cannot cycle, at most [`MAX_PIVOTS`]
/// pivots. The answer is a vertex: exact up to the rounding of a few pivots on rows of
/// `[0, 1]`-scaled coefficients (about 1e-15). A flat optimum is reported at the vertex the
/// pivots reach (deterministic), not at the centre of the face.
pub(crate) fn maximize_linear_simplex(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
) -> Result<Option<Vec<f64>>, Stalled> {
    let n = objective.len();
    let m = rows.len();
    // Columns: box variables, then each free variable as a difference of two nonnegative
    // ones, then one slack per row, then one artificial per row that needs one.
    let n_free = n - n_box;
    let n_struct = n_box + 2 * n_free;
    let needs_artificial: Vec<bool> = rows.iter().map(|r| r.bound < 0.0).collect();
    let n_art = needs_artificial.iter().filter(|a| **a).count();
    let n_cols = n_struct + m + n_art;
    let mut upper = vec![f64::INFINITY; n_cols];
    upper[..n_box].fill(1.0);
    let mut tableau = vec![vec![0.0; n_cols]; m];
    let mut beta = vec![0.0; m];
    let mut basis = vec![0usize; m];
    let mut art = n_struct + m;
    for (i, row) in rows.iter().enumerate() {
        // Sign so that the right-hand side is nonnegative.
        let sign = if needs_artificial[i] { -1.0 } else { 1.0 };
        for (cell, coef) in tableau[i][..n_box].iter_mut().zip(&row.coefs) {
            *cell = sign * coef;
        }
        for f in 0..n_free {
            tableau[i][n_box + 2 * f] = sign * row.coefs[n_box + f];
            tableau[i][n_box + 2 * f + 1] = -sign * row.coefs[n_box + f];
        }
        tableau[i][n_struct + i] = sign;
        beta[i] = sign * row.bound;
        if needs_artificial[i] {
            tableau[i][art] = 1.0;
            basis[i] = art;
            art += 1;
        } else {
            basis[i] = n_struct + i;
        }
    }
    let mut lp = Simplex { tableau, beta, basis, upper, at_upper: vec![false; n_cols] };
    if n_art > 0 {
        let mut phase1 = vec![0.0; n_cols];
        phase1[n_struct + m..].fill(-1.0);
        lp.run(&phase1, n_cols).ok_or(Stalled)?;
        let infeasibility: f64 =
            (0..m).filter(|&i| lp.basis[i] >= n_struct + m).map(|i| lp.beta[i]).sum();
        if infeasibility > 1e-10 {
            return Ok(None);
        }
        // Artificials stay at zero from now on.
        lp.upper[n_struct + m..].fill(0.0);
    }
    let mut phase2 = vec![0.0; n_cols];
    phase2[..n_box].copy_from_slice(&objective[..n_box]);
    for f in 0..n_free {
        phase2[n_box + 2 * f] = objective[n_box + f];
        phase2[n_box + 2 * f + 1] = -objective[n_box + f];
    }
    lp.run(&phase2, n_struct + m).ok_or(Stalled)?;
    let value = |j: usize| match lp.basis.iter().position(|&b| b == j) {
        Some(i) => lp.beta[i],
        None if lp.at_upper[j] => lp.upper[j],
        None => 0.0,
    };
    let mut x: Vec<f64> = (0..n_box).map(|j| value(j).clamp(0.0, 1.0)).collect();
    x.extend((0..n_free).map(|f| value(n_box + 2 * f) - value(n_box + 2 * f + 1)));
    if x.iter().all(|v| v.is_finite()) { Ok(Some(x)) } else { Err(Stalled) }
}

/// The simplex gave up: see [`maximize_linear_simplex`].
#[derive(Debug)]
pub(crate) struct Stalled;

/// The most pivots (and bound flips) one phase of the simplex may take.
const MAX_PIVOTS: usize = 500;

/// Reduced costs and pivots smaller than this count as zero.
const PIVOT_TOLERANCE: f64 = 1e-11;

/// A dense simplex tableau over bounded variables (lower bound 0, upper bound `upper[j]`).
struct Simplex {
    /// `B^-1 A`, one row per constraint.
    tableau: Vec<Vec<f64>>,
    /// The basic variables' values.
    beta: Vec<f64>,
    /// The basic variable of each row.
    basis: Vec<usize>,
    upper: Vec<f64>,
    /// For a nonbasic variable: at its upper bound (else at 0).
    at_upper: Vec<bool>,
}

impl Simplex {
    /// Maximizes `objective` from the current basic solution, letting only columns below
    /// `n_enter` enter; `None` when unbounded or out of pivots.
    fn run(&mut self, objective: &[f64], n_enter: usize) -> Option<()> {
        let m = self.beta.len();
        for _ in 0..MAX_PIVOTS {
            // Bland: the first column whose reduced cost improves the objective.
            let mut entering = None;
            for j in 0..n_enter {
                if self.basis.contains(&j) {
                    continue;
                }
                let reduced = objective[j]
                    - (0..m).map(|i| objective[self.basis[i]] * self.tableau[i][j]).sum::<f64>();
                if (!self.at_upper[j] && reduced > PIVOT_TOLERANCE && self.upper[j] > 0.0)
                    || (self.at_upper[j] && reduced < -PIVOT_TOLERANCE)
                {
                    entering = Some(j);
                    break;
                }
            }
            let Some(j) = entering else { return Some(()) };
            let dir = if self.at_upper[j] { -1.0 } else { 1.0 };
            // Ratio test: the entering variable's own bound, then each basic variable's.
            let mut theta = self.upper[j];
            let mut leaving: Option<(usize, bool)> = None;
            for i in 0..m {
                let rate = dir * self.tableau[i][j];
                let (limit, to_upper) = if rate > PIVOT_TOLERANCE {
                    (self.beta[i].max(0.0) / rate, false)
                } else if rate < -PIVOT_TOLERANCE && self.upper[self.basis[i]].is_finite() {
                    ((self.upper[self.basis[i]] - self.beta[i]).max(0.0) / -rate, true)
                } else {
                    continue;
                };
                let better = limit < theta
                    || (limit == theta
                        && leaving.is_some_and(|(r, _)| self.basis[i] < self.basis[r]));
                if better {
                    theta = limit;
                    leaving = Some((i, to_upper));
                }
            }
            if !theta.is_finite() {
                return None;
            }
            for i in 0..m {
                self.beta[i] -= dir * theta * self.tableau[i][j];
            }
            let Some((r, to_upper)) = leaving else {
                // The entering variable reaches its other bound first: a bound flip.
                self.at_upper[j] = !self.at_upper[j];
                continue;
            };
            let leaving_col = self.basis[r];
            self.at_upper[leaving_col] = to_upper;
            self.beta[r] = if dir > 0.0 { theta } else { self.upper[j] - theta };
            self.at_upper[j] = false;
            self.basis[r] = j;
            let pivot = self.tableau[r][j];
            for v in self.tableau[r].iter_mut() {
                *v /= pivot;
            }
            let pivot_row = self.tableau[r].clone();
            for i in 0..m {
                if i != r {
                    let factor = self.tableau[i][j];
                    if factor != 0.0 {
                        for (v, p) in self.tableau[i].iter_mut().zip(&pivot_row) {
                            *v -= factor * p;
                        }
                    }
                }
            }
        }
        None
    }
}

#[inline(always)]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Calls `visit` with every `k`-subset of `0..n` in lexicographic order.
fn for_each_subset(n: usize, k: usize, current: &mut [usize], visit: &mut impl FnMut(&[usize])) {
    if k > n {
        return;
    }
    for (i, c) in current.iter_mut().enumerate() {
        *c = i;
    }
    loop {
        visit(current);
        // The rightmost entry that can still move right.
        let Some(i) = (0..k).rev().find(|&i| current[i] < n - k + i) else { return };
        current[i] += 1;
        for j in i + 1..k {
            current[j] = current[j - 1] + 1;
        }
    }
}

/// The coefficients of one row (or a point) of a program of at most [`MAX_DIRECT_VARS`]
/// variables; entries past the program's size are 0.
type Coefs = [f64; MAX_DIRECT_VARS];

/// Solves the `n` × `n` system `a x = b` (the leading block of the arrays) by Gaussian
/// elimination with partial pivoting; `None` if it is singular (a pivot below 1e-12 of the
/// largest entry).
#[inline(always)]
fn solve(a: &mut [Coefs; MAX_DIRECT_VARS], b: &mut Coefs, n: usize) -> Option<Coefs> {
    let scale = a[..n].iter().flat_map(|row| &row[..n]).fold(0.0f64, |m, v| m.max(v.abs()));
    if scale == 0.0 {
        return None;
    }
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() <= 1e-12 * scale {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        for row in col + 1..n {
            let factor = a[row][col] / a[col][col];
            if factor != 0.0 {
                let source = a[col];
                for (target, s) in a[row][col..n].iter_mut().zip(&source[col..n]) {
                    *target -= factor * s;
                }
                b[row] -= factor * b[col];
            }
        }
    }
    let mut x = [0.0; MAX_DIRECT_VARS];
    for row in (0..n).rev() {
        let rest: f64 = (row + 1..n).map(|k| a[row][k] * x[k]).sum();
        x[row] = (b[row] - rest) / a[row][row];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(coefs: &[f64], bound: f64) -> Row {
        Row { coefs: coefs.to_vec(), bound }
    }

    #[test]
    fn finds_the_vertex_optimum() {
        // Maximize x + y over the unit box with x + 2y <= 1.5: the optimum is (1, 0.25).
        let x = maximize_linear(&[1.0, 1.0], &[row(&[1.0, 2.0], 1.5)], 2).unwrap();
        assert_eq!(x, vec![1.0, 0.25]);
    }

    #[test]
    fn reports_a_flat_optimum_at_the_centre_of_its_face() {
        // Maximize x + y with x + y <= 1: the whole segment from (0, 1) to (1, 0) is optimal.
        let x = maximize_linear(&[1.0, 1.0], &[row(&[1.0, 1.0], 1.0)], 2).unwrap();
        assert_eq!(x, vec![0.5, 0.5]);
    }

    #[test]
    fn reports_an_infeasible_program_as_none() {
        assert!(maximize_linear(&[1.0], &[row(&[-1.0], -2.0)], 1).is_none());
    }

    #[test]
    fn handles_a_free_variable_bounded_by_rows() {
        // Variables (t, s): maximize s with s <= t and s <= 1 - 2t: s = 1/3 at t = 1/3.
        let rows = [row(&[-1.0, 1.0], 0.0), row(&[2.0, 1.0], 1.0)];
        let x = maximize_linear(&[0.0, 1.0], &rows, 1).unwrap();
        assert!((x[0] - 1.0 / 3.0).abs() < 1e-15 && (x[1] - 1.0 / 3.0).abs() < 1e-15, "{x:?}");
    }

    #[test]
    fn agrees_with_the_general_solver_on_random_programs() {
        // Small deterministic pseudo-random programs in the shapes the analysis builds.
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        for _ in 0..200 {
            let rows: Vec<Row> =
                (0..3).map(|_| row(&[next(), next()], 0.3 + next() * 0.5)).collect();
            let objective = [next(), next()];
            let direct = maximize_linear(&objective, &rows, 2);
            let general = crate::analysis::solver::maximize_linear_general(&objective, &rows, 2);
            match (direct, general) {
                (Some(d), Some(g)) => {
                    let (vd, vg) = (dot(&objective, &d), dot(&objective, &g));
                    assert!(vd >= vg - 1e-8, "direct {vd} below the solver's {vg}");
                    assert!(rows.iter().all(|r| dot(&r.coefs, &d) <= r.bound + 1e-12));
                }
                (None, Some(g)) => {
                    // The solver may accept a point infeasible by its tolerance.
                    assert!(rows.iter().any(|r| dot(&r.coefs, &g) > r.bound - 1e-7), "{g:?}");
                }
                _ => {}
            }
        }
    }

    #[test]
    fn the_simplex_agrees_with_the_general_solver_on_random_programs() {
        let mut state = 987654321u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64 - 0.5
        };
        let mut solved = 0;
        for case in 0..400 {
            let n_box = 1 + case % 7;
            let with_free = case % 3 == 0;
            let rows: Vec<Row> = (0..2 + case % 4)
                .map(|_| {
                    let mut coefs: Vec<f64> = (0..n_box).map(|_| next()).collect();
                    if with_free {
                        coefs.push(1.0);
                    }
                    row(&coefs, 0.2 * next())
                })
                .collect();
            let mut objective: Vec<f64> = (0..n_box).map(|_| next()).collect();
            if with_free {
                objective.push(1.0);
            }
            let simplex = maximize_linear_simplex(&objective, &rows, n_box).expect("no stall");
            let general =
                crate::analysis::solver::maximize_linear_general(&objective, &rows, n_box);
            match (&simplex, &general) {
                (Some(x), Some(g)) => {
                    solved += 1;
                    let (vs, vg) = (dot(&objective, x), dot(&objective, g));
                    assert!((vs - vg).abs() < 1e-7, "case {case}: simplex {vs}, solver {vg}");
                    assert!(rows.iter().all(|r| dot(&r.coefs, x) <= r.bound + 1e-12), "{x:?}");
                    assert!(x[..n_box].iter().all(|v| (0.0..=1.0).contains(v)));
                }
                (None, Some(g)) => {
                    let worst = rows
                        .iter()
                        .map(|r| dot(&r.coefs, g) - r.bound)
                        .fold(f64::NEG_INFINITY, f64::max);
                    assert!(worst > -1e-7, "case {case}: simplex says infeasible, solver {g:?}");
                }
                (Some(x), None) => panic!("case {case}: solver failed, simplex found {x:?}"),
                (None, None) => {}
            }
        }
        assert!(solved > 100, "{solved} feasible cases");
    }

    /// A coefficient: often a simple number (so that rows repeat, align with the box, meet at
    /// degenerate vertices and make flat optima), otherwise any number in `[-1, 1]`.
    fn coefficient() -> impl proptest::strategy::Strategy<Value = f64> {
        use proptest::prelude::*;
        prop_oneof![
            3 => prop::sample::select(vec![0.0, 1.0, -1.0, 0.5, -0.5, 0.25, 2.0, -2.0]),
            2 => -1.0f64..1.0,
        ]
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: std::env::var("ACCORD_PROPTEST_CASES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(2000),
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]

        /// The fast path of `maximize_linear` gives the plain enumeration's answer bit for bit
        /// (the same vertices, the same best, the same optimal vertices averaged in the same
        /// order), on random programs of every size it takes, with free variables, repeated
        /// rows, degenerate vertices, flat optima and infeasible programs.
        #[test]
        fn the_fast_enumeration_is_the_plain_one_bit_for_bit(
            n in 1usize..=MAX_DIRECT_VARS,
            free in 0usize..=1,
            objective in proptest::collection::vec(coefficient(), MAX_DIRECT_VARS),
            rows in proptest::collection::vec(
                (proptest::collection::vec(coefficient(), MAX_DIRECT_VARS), coefficient()),
                0..=9,
            ),
            repeat in 0usize..3,
        ) {
            let n_box = n - free.min(n);
            let mut rows: Vec<Row> =
                rows.iter().map(|(coefs, bound)| row(&coefs[..n], *bound)).collect();
            if repeat > 0 && !rows.is_empty() {
                // A row twice (as parties with identical preferences give).
                rows.push(rows[repeat % rows.len()].clone());
            }
            let objective = &objective[..n];
            let bits = |x: Option<Vec<f64>>| x.map(|x| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
            let fast = maximize_linear(objective, &rows, n_box);
            let plain = maximize_linear_enumerate(objective, &rows, n_box);
            proptest::prop_assert_eq!(bits(fast.clone()), bits(plain.clone()), "{:?} vs {:?}", fast, plain);
        }
    }

    #[test]
    fn maximizes_a_one_variable_log_sum_exactly() {
        // ln(t - 0.25) + ln(1 - t) peaks where the gains are equal: t = 0.625.
        let t = maximize_log_sum_1d(&[-0.25, 1.0], &[1.0, -1.0]).unwrap();
        assert!((t - 0.625).abs() < 1e-15, "{t}");
        // Increasing everywhere: the upper end.
        assert_eq!(maximize_log_sum_1d(&[1.0, 2.0], &[1.0, 0.5]), Some(1.0));
        // No t in [0, 1] makes t - 2 positive.
        assert_eq!(maximize_log_sum_1d(&[-2.0, 1.0], &[1.0, -1.0]), None);
        // Gains positive only on (0.5, 0.5): empty.
        assert_eq!(maximize_log_sum_1d(&[-0.5, 0.5], &[1.0, -1.0]), None);
    }
}
