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
//!
//! Speed without a different answer: the enumeration allocates nothing, skips subsets that
//! are singular by construction, and checks feasibility only for vertices that can still be
//! optimal ([`maximize_linear`]); a caller that solved the same program before (a sweep over
//! reservations) passes the rows of the last optimum as a hint, and a certificate from LP
//! duality then rules out the rows that cannot be tight at any optimal vertex
//! ([`maximize_linear_hinted`]). Each of these gives the plain enumeration's answer bit for
//! bit ([`maximize_linear_enumerate`], kept as the reference; property tests compare them).

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
    maximize_linear_hinted(objective, rows, n_box, &mut None)
}

/// A guess of the rows whose vertex is a program's optimum: the first `n` entries are
/// indices, increasing, into the program's rows with the box first (`x_j <= 1` is row `2j`,
/// `-x_j <= 0` row `2j + 1`, then the program's rows in order). [`maximize_linear_hinted`]
/// reads one and leaves the next.
pub(crate) type Basis = [u8; MAX_DIRECT_VARS];

/// [`maximize_linear`], told where the optimum was last time: `hint` is a [`Basis`] that
/// may be wrong or stale (the answer to the same program with other bounds, from a previous
/// run); on return it holds the basis of this program's optimum when that is a single
/// vertex, for next time, else `None`.
///
/// The answer is the same as without a hint, bit for bit (a property test checks it on
/// random programs with random hints). A hint only narrows which subsets of rows are
/// enumerated, and only when a certificate proves that no other subset can give a vertex the
/// enumeration keeps among its optimal ones:
///
/// - the hint's vertex `x*` is computed as the enumeration computes it, and is feasible;
/// - its dual multipliers `y` (`A' y = c` over the hint's rows) are positive by a margin
///   above their rounding error, so that for every feasible `x`,
///   `c·x* - c·x = sum_i y_i (s_i(x) - s_i(x*))` (LP duality, `s` the slacks) bounds how far
///   the hint's rows' slacks, hence `x` itself (through `A^-1`), can be from those at `x*`
///   when `c·x` is within the optimality threshold of `c·x*`: by a distance `D`;
/// - a row whose slack at `x*` exceeds what that distance allows can then be tight at no
///   vertex the enumeration keeps as optimal, and is left out of the subsets.
///
/// Every rounding in these steps is bounded generously (1e-13 relative, where one step
/// rounds at 1e-16; feasibility's own 1e-12 is added), and the certificate is refused when
/// the hint's rows are badly conditioned. The vertices that remain are enumerated exactly as
/// [`maximize_linear`] enumerates all of them, in the same order, so the best, the optimal
/// vertices kept and their mean are the same numbers. In a sweep the hint is usually right
/// and no other row is near: one subset instead of a dozen or two dozen.
pub(crate) fn maximize_linear_hinted(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
    hint: &mut Option<Basis>,
) -> Option<Vec<f64>> {
    let n = objective.len();
    debug_assert!(n <= MAX_DIRECT_VARS);
    if 2 * n_box + rows.len() <= FAST_ROWS && objective.iter().all(|c| c.is_finite()) {
        let answer = match n {
            1 => maximize_linear_fast::<1>(objective, rows, n_box, hint),
            2 => maximize_linear_fast::<2>(objective, rows, n_box, hint),
            3 => maximize_linear_fast::<3>(objective, rows, n_box, hint),
            _ => Err(Overflow),
        };
        if let Ok(answer) = answer {
            return answer;
        }
    }
    *hint = None;
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

/// [`maximize_linear_hinted`] for `N` variables with fixed buffers: the same vertices,
/// solved by the same elimination in the same order, the same best, the same optimal
/// vertices averaged in the same order.
fn maximize_linear_fast<const N: usize>(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
    hint: &mut Option<Basis>,
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
    // The rows whose subsets are enumerated: all of them, or those a certified hint leaves.
    let mut candidates = [0usize; FAST_ROWS];
    let n_candidates = match hint
        .as_ref()
        .and_then(|h| certified_rows::<N>(all, objective, n_box, h, &mut candidates))
    {
        Some(k) => k,
        None => {
            for (i, c) in candidates[..m].iter_mut().enumerate() {
                *c = i;
            }
            m
        }
    };
    let candidates = &candidates[..n_candidates];
    let feasible = |x: &Coefs| {
        all.iter().all(|(coefs, bound)| dot(&coefs[..N], &x[..N]) <= bound + FEASIBILITY)
    };

    let mut best = f64::NEG_INFINITY;
    // The feasible vertices that may still be optimal, in enumeration order, with the rows
    // that gave them.
    let mut kept = [(0.0, [0.0; MAX_DIRECT_VARS], [0u8; MAX_DIRECT_VARS]); FAST_CANDIDATES];
    let mut n_kept = 0;
    let mut overflow = false;
    let mut positions = [0usize; MAX_DIRECT_VARS];
    for_each_subset(n_candidates, N, &mut positions[..N], &mut |positions| {
        let mut subset = [0usize; MAX_DIRECT_VARS];
        for (s, &p) in subset.iter_mut().zip(positions) {
            *s = candidates[p];
        }
        let subset = &subset[..N];
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
        let mut basis = [0u8; MAX_DIRECT_VARS];
        for (b, &r) in basis.iter_mut().zip(subset) {
            *b = r as u8;
        }
        kept[n_kept] = (value, x, basis);
        n_kept += 1;
    });
    if overflow {
        return Err(Overflow);
    }
    if !best.is_finite() {
        *hint = None;
        return Ok(None);
    }
    let threshold = optimality_threshold(best);
    let mut optimal = [[0.0; MAX_DIRECT_VARS]; FAST_CANDIDATES];
    let mut n_optimal = 0;
    let mut first_basis = None;
    for (value, x, basis) in &kept[..n_kept] {
        if *value >= threshold
            && !optimal[..n_optimal]
                .iter()
                .any(|y| y[..N].iter().zip(&x[..N]).all(|(a, b)| (a - b).abs() <= SAME_VERTEX))
        {
            optimal[n_optimal] = *x;
            n_optimal += 1;
            first_basis.get_or_insert(*basis);
        }
    }
    *hint = if n_optimal == 1 { first_basis } else { None };
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

/// Rounding allowance, relative to the magnitudes involved, of one computed quantity in the
/// certificate of [`maximize_linear_hinted`] (one floating-point step rounds at 1.1e-16; a
/// solve of three rows at a few times that).
const ROUNDING: f64 = 1e-13;

/// Conditioning beyond which a hint's rows are not trusted for a certificate.
const MAX_CONDITION: f64 = 1e6;

/// The certificate of [`maximize_linear_hinted`]: writes into `out` the rows (increasing)
/// that can be tight at a vertex the enumeration keeps as optimal, the hint's among them,
/// and returns how many; `None` when the hint cannot be certified.
fn certified_rows<const N: usize>(
    all: &[(Coefs, f64)],
    objective: &[f64],
    n_box: usize,
    hint: &Basis,
    out: &mut [usize; FAST_ROWS],
) -> Option<usize> {
    let m = all.len();
    let mut basis = [0usize; MAX_DIRECT_VARS];
    for (b, &h) in basis.iter_mut().zip(&hint[..N]) {
        *b = usize::from(h);
    }
    let basis = &basis[..N];
    if basis.iter().any(|&r| r >= m) || basis.windows(2).any(|w| w[0] >= w[1]) {
        return None;
    }
    // The hint's vertex, as the enumeration computes it.
    let mut a = [[0.0; MAX_DIRECT_VARS]; MAX_DIRECT_VARS];
    let mut b = [0.0; MAX_DIRECT_VARS];
    for (k, &r) in basis.iter().enumerate() {
        a[k] = all[r].0;
        b[k] = all[r].1;
    }
    let rows_a = a;
    let x = solve(&mut a, &mut b, N)?;
    if !x[..N].iter().all(|v| v.is_finite())
        || !all.iter().all(|(coefs, bound)| dot(&coefs[..N], &x[..N]) <= bound + FEASIBILITY)
    {
        return None;
    }
    // A bound on every coordinate of every vertex the enumeration keeps: box variables are
    // within FEASIBILITY of [0, 1]; a free variable (at most one) is set by a tight row with
    // a nonzero coefficient on it.
    let x_max = match N - n_box.min(N) {
        0 => 1.0 + 1e-9,
        1 => {
            let f = N - 1;
            let mut bound = 1.0f64;
            for (coefs, rhs) in all {
                if coefs[f] != 0.0 {
                    let rest: f64 = coefs[..f].iter().map(|c| c.abs()).sum();
                    bound = bound.max((rhs.abs() + rest * (1.0 + 1e-9) + 1e-9) / coefs[f].abs());
                }
            }
            bound * (1.0 + 1e-9) + 1e-9
        }
        _ => return None,
    };
    // The inverse of the hint's rows (adjugate over determinant), for the dual multipliers
    // and for how far a change of slacks moves the vertex.
    let inverse = inverse::<N>(&rows_a)?;
    let norm_inf = |m: &[Coefs; MAX_DIRECT_VARS]| {
        (0..N).map(|i| m[i][..N].iter().map(|v| v.abs()).sum::<f64>()).fold(0.0, f64::max)
    };
    let norm_one = |m: &[Coefs; MAX_DIRECT_VARS]| {
        (0..N).map(|j| (0..N).map(|i| m[i][j].abs()).sum::<f64>()).fold(0.0, f64::max)
    };
    let inverse_inf = norm_inf(&inverse);
    let condition = inverse_inf * norm_inf(&rows_a);
    if !(condition.is_finite() && condition <= MAX_CONDITION) {
        return None;
    }
    // Dual multipliers y = A^-T c, each within `rho` of the exact ones: the exact ones
    // differ by A^-T e, e the residual A' y - c (bounded with its own rounding).
    let mut y = [0.0; MAX_DIRECT_VARS];
    for (i, y_i) in y[..N].iter_mut().enumerate() {
        *y_i = (0..N).map(|j| inverse[j][i] * objective[j]).sum();
    }
    let mut residual = 0.0f64;
    for (i, c_i) in objective.iter().enumerate() {
        let e: f64 = (0..N).map(|j| rows_a[j][i] * y[j]).sum::<f64>() - c_i;
        let rounding: f64 =
            ROUNDING * ((0..N).map(|j| (rows_a[j][i] * y[j]).abs()).sum::<f64>() + c_i.abs());
        residual = residual.max(e.abs() + rounding);
    }
    let rho = 2.0 * norm_one(&inverse) * residual;
    if !(rho.is_finite() && y[..N].iter().all(|v| v.is_finite() && *v > 2.0 * rho)) {
        return None;
    }
    // Rounding of one row's slack at a kept vertex, and how far below 0 feasibility lets a
    // slack go.
    let norm = |r: usize| all[r].0[..N].iter().map(|v| v.abs()).sum::<f64>();
    let eps = |r: usize| ROUNDING * (norm(r) * x_max + all[r].1.abs());
    let value = dot(objective, &x[..N]);
    let c_sum: f64 = objective.iter().map(|c| c.abs()).sum();
    let eps_value = ROUNDING * c_sum * x_max;
    // How much lower than c·x* the objective of a vertex kept as optimal can be.
    let gap = (value - optimality_threshold(value)) * (1.0 + 1e-6) + 2.0 * eps_value;
    // Each of the hint's rows' slack moves by at most mu from x* to such a vertex.
    let mut weights = [0.0; MAX_DIRECT_VARS];
    for (k, &r) in basis.iter().enumerate() {
        weights[k] = (y[k] + rho) * (FEASIBILITY + 2.0 * eps(r));
    }
    let total: f64 = weights[..N].iter().sum();
    let mut mu = 0.0f64;
    for (k, &r) in basis.iter().enumerate() {
        let rise = (gap + total - weights[k]) / (y[k] - rho);
        mu = mu.max(rise.max(FEASIBILITY + 2.0 * eps(r)));
    }
    let distance = 2.0 * inverse_inf * mu * (1.0 + 1e-6);
    if !distance.is_finite() {
        return None;
    }
    let mut k = 0;
    for (r, (coefs, bound)) in all.iter().enumerate() {
        let slack = bound - dot(&coefs[..N], &x[..N]);
        if basis.contains(&r) || slack <= 3.0 * eps(r) + norm(r) * distance {
            out[k] = r;
            k += 1;
        }
    }
    Some(k)
}

/// The inverse of the leading `N` × `N` block, by adjugate and determinant (approximate:
/// the certificate allows for its rounding); `None` if the determinant is 0 or not finite.
fn inverse<const N: usize>(a: &[Coefs; MAX_DIRECT_VARS]) -> Option<[Coefs; MAX_DIRECT_VARS]> {
    let mut inv = [[0.0; MAX_DIRECT_VARS]; MAX_DIRECT_VARS];
    let det = match N {
        1 => {
            inv[0][0] = 1.0;
            a[0][0]
        }
        2 => {
            inv[0][0] = a[1][1];
            inv[0][1] = -a[0][1];
            inv[1][0] = -a[1][0];
            inv[1][1] = a[0][0];
            a[0][0] * a[1][1] - a[0][1] * a[1][0]
        }
        3 => {
            for (i, row) in inv.iter_mut().enumerate() {
                for (j, entry) in row.iter_mut().enumerate() {
                    // Cofactor of a[j][i] (the adjugate is the transposed cofactor matrix).
                    let (r0, r1) = ((j + 1) % 3, (j + 2) % 3);
                    let (c0, c1) = ((i + 1) % 3, (i + 2) % 3);
                    *entry = a[r0][c0] * a[r1][c1] - a[r0][c1] * a[r1][c0];
                }
            }
            (0..3).map(|j| a[0][j] * inv[j][0]).sum()
        }
        _ => return None,
    };
    if det == 0.0 || !det.is_finite() {
        return None;
    }
    for row in &mut inv[..N] {
        for v in &mut row[..N] {
            *v /= det;
        }
    }
    Some(inv)
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
        #![proptest_config(crate::analysis::testing::proptest_config(2000))]

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

    proptest::proptest! {
        #![proptest_config(crate::analysis::testing::proptest_config(2000))]

        /// With any hint (the basis of a nearby program's optimum, as a sweep gives; a random
        /// basis; a hint of another program's size), the hinted enumeration gives the plain
        /// enumeration's answer bit for bit.
        #[test]
        fn a_hint_never_changes_the_answer(
            n in 1usize..=MAX_DIRECT_VARS,
            free in 0usize..=1,
            objective in proptest::collection::vec(coefficient(), MAX_DIRECT_VARS),
            rows in proptest::collection::vec(
                (proptest::collection::vec(coefficient(), MAX_DIRECT_VARS), coefficient()),
                0..=8,
            ),
            shifts in proptest::collection::vec(
                proptest::prop_oneof![proptest::strategy::Just(0.0), -1e-3f64..1e-3, -0.3f64..0.3],
                8,
            ),
            random_hint in proptest::collection::vec(0usize..16, MAX_DIRECT_VARS),
            kind in 0usize..3,
        ) {
            let n_box = n - free.min(n);
            let rows: Vec<Row> =
                rows.iter().map(|(coefs, bound)| row(&coefs[..n], *bound)).collect();
            let objective = &objective[..n];
            let mut hint = match kind {
                // The optimum of the same program with shifted bounds.
                0 => {
                    let nearby: Vec<Row> = rows
                        .iter()
                        .zip(&shifts)
                        .map(|(r, s)| Row { coefs: r.coefs.clone(), bound: r.bound + s })
                        .collect();
                    let mut hint = None;
                    maximize_linear_hinted(objective, &nearby, n_box, &mut hint);
                    hint
                }
                // The optimum of this very program.
                1 => {
                    let mut hint = None;
                    maximize_linear_hinted(objective, &rows, n_box, &mut hint);
                    hint
                }
                // Any rows at all.
                _ => {
                    let mut hint = [0u8; MAX_DIRECT_VARS];
                    for (h, r) in hint.iter_mut().zip(&random_hint) {
                        *h = *r as u8;
                    }
                    hint[..n].sort_unstable();
                    Some(hint)
                }
            };
            let bits = |x: Option<Vec<f64>>| x.map(|x| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>());
            let hinted = maximize_linear_hinted(objective, &rows, n_box, &mut hint);
            let plain = maximize_linear_enumerate(objective, &rows, n_box);
            proptest::prop_assert_eq!(bits(hinted.clone()), bits(plain.clone()), "{:?} vs {:?}", hinted, plain);
        }
    }

    #[test]
    fn a_hint_from_a_nearby_program_leaves_only_its_own_rows() {
        // The best-slack program of a cell, (t1, t2, s): maximize s with
        // s <= 0.2 + 0.45 t1 - 0.3 t2 and s <= 0.5 - 0.2 t1 + 0.1 t2, at two reservations:
        // the optimum is t2 = 0 and both gains equal.
        let program = |d: f64| [row(&[-0.45, 0.3, 1.0], 0.2 - d), row(&[0.2, -0.1, 1.0], 0.5)];
        let objective = [0.0, 0.0, 1.0];
        let mut hint = None;
        let first = maximize_linear_hinted(&objective, &program(0.0), 2, &mut hint);
        assert!(hint.is_some(), "{first:?}");
        let rows = program(0.01);
        let mut all = [([0.0; MAX_DIRECT_VARS], 0.0); FAST_ROWS];
        for j in 0..2 {
            all[2 * j].0[j] = 1.0;
            all[2 * j].1 = 1.0;
            all[2 * j + 1].0[j] = -1.0;
        }
        for (k, r) in rows.iter().enumerate() {
            all[4 + k].0.copy_from_slice(&r.coefs);
            all[4 + k].1 = r.bound;
        }
        let mut out = [0; FAST_ROWS];
        let kept = certified_rows::<3>(&all[..6], &objective, 2, &hint.unwrap(), &mut out);
        assert_eq!(kept, Some(3), "{:?}", &out[..kept.unwrap_or(0)]);
        let mut again = hint;
        assert_eq!(
            maximize_linear_hinted(&objective, &rows, 2, &mut again),
            maximize_linear_enumerate(&objective, &rows, 2)
        );
        assert_eq!(again, hint);
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
