//! The two program shapes the analysis needs, each sent to the cheapest exact method: linear
//! programs to `direct` (vertex enumeration up to three variables, a bounded simplex beyond),
//! the Nash program to bisection for one variable or an evaluation for none; clarabel solves
//! the Nash program of two or more variables (an exponential-cone program) and any linear
//! program the simplex gives up on.
//!
//! Owns that dispatch, and for clarabel the translation from "maximize this over the unit box subject to these rows" into
//! clarabel's standard form (minimize `q'x` subject to `Ax + s = b`, `s` in a product of cones),
//! the solver settings, and the reading of the solver status.
//! It knows nothing about parties, issues or cells; `cells` and `solutions` build the rows.
//!
//! Every entry point returns `None` when the solver does not report a solution, so that a
//! numerically awkward cell is skipped instead of aborting the analysis or panicking.

use crate::analysis::direct;
use crate::analysis::polish::{self, polish_log_sum};
use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettings, DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};

/// One linear inequality `coefs · x <= bound`.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    /// One coefficient per variable.
    pub coefs: Vec<f64>,
    /// The right-hand side.
    pub bound: f64,
}

/// Maximizes `objective · x` subject to every row and to `0 <= x_j <= 1` for the first `n_box`
/// variables (the others are free), returning the maximizer.
///
/// Every row must have one coefficient per variable (`objective.len()`). Programs with at most
/// [`direct::MAX_DIRECT_VARS`] variables are solved exactly by vertex enumeration, larger ones
/// by the bounded simplex (both in `direct`); clarabel only if the simplex stalls.
pub(crate) fn maximize_linear(objective: &[f64], rows: &[Row], n_box: usize) -> Option<Vec<f64>> {
    if objective.len() <= direct::MAX_DIRECT_VARS {
        return direct::maximize_linear(objective, rows, n_box);
    }
    match direct::maximize_linear_simplex(objective, rows, n_box) {
        Ok(answer) => answer,
        Err(direct::Stalled) => maximize_linear_general(objective, rows, n_box),
    }
}

/// [`maximize_linear`] with a hint of where the optimum is (see
/// [`direct::maximize_linear_hinted`]): the same answer; the hint is read and replaced for
/// programs small enough for vertex enumeration, and cleared for the others.
pub(crate) fn maximize_linear_hinted(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
    hint: &mut Option<direct::Basis>,
) -> Option<Vec<f64>> {
    if objective.len() <= direct::MAX_DIRECT_VARS {
        return direct::maximize_linear_hinted(objective, rows, n_box, hint);
    }
    *hint = None;
    maximize_linear(objective, rows, n_box)
}

/// [`maximize_linear`] by clarabel, whatever the number of variables.
pub(crate) fn maximize_linear_general(
    objective: &[f64],
    rows: &[Row],
    n_box: usize,
) -> Option<Vec<f64>> {
    let n_vars = objective.len();
    debug_assert!(rows.iter().all(|r| r.coefs.len() == n_vars));
    if n_vars == 0 {
        // Nothing to choose: the program is feasible exactly when every row reads `0 <= bound`.
        return rows.iter().all(|r| r.bound >= 0.0).then(Vec::new);
    }
    let mut dense = box_rows(n_box, n_vars);
    dense.extend(rows.iter().cloned());
    let n_rows = dense.len();
    let q: Vec<f64> = objective.iter().map(|c| -c).collect();
    let cones = vec![SupportedConeT::NonnegativeConeT(n_rows)];
    solve(n_vars, &q, &dense, &cones).map(|x| x[..n_vars].to_vec())
}

/// Maximizes `sum_p ln(gain_p(x))` over the unit box `0 <= x_j <= 1`, where
/// `gain_p(x) = offsets[p] + slopes[p] · x`, returning the maximizer.
///
/// With no variable it checks the gains; with one it bisects (`direct`); with more it takes
/// Newton steps (`polish`) from the point where the smallest gain is largest and keeps the
/// result if it passes the optimality conditions (concavity makes them sufficient), which is
/// the usual case. Otherwise clarabel solves the exponential-cone program: each logarithm becomes an epigraph variable `z_p` with `(z_p, 1, gain_p(x))` in clarabel's
/// exponential cone `{(a, b, c): b * exp(a / b) <= c}`, that is `exp(z_p) <= gain_p(x)`; the
/// program maximizes `sum_p z_p`. It is infeasible when some gain cannot be made positive.
/// The solver's answer is then refined by Newton steps (see `polish` for why).
#[cfg(test)]
pub(crate) fn maximize_log_sum(
    offsets: &[f64],
    slopes: &[Vec<f64>],
    n_box: usize,
) -> Option<Vec<f64>> {
    maximize_log_sum_from(offsets, slopes, n_box, None)
}

/// [`maximize_log_sum`] given the answer of its first linear program when the caller has
/// solved that very program already: `max s` subject to `s <= offsets[p] + slopes[p] · t` over
/// the box, in the variables `(t, s)`, with the rows in party order. The analysis solves it
/// for each cell's best slack (`solutions`), so the Nash pass does not solve it again.
pub(crate) fn maximize_log_sum_from(
    offsets: &[f64],
    slopes: &[Vec<f64>],
    n_box: usize,
    max_min_gain: Option<&[f64]>,
) -> Option<Vec<f64>> {
    match n_box {
        // Nothing to choose: the point itself, if every gain is positive.
        0 => return offsets.iter().all(|o| *o > 0.0).then(Vec::new),
        // One variable: exact bisection on the derivative.
        1 => {
            let slopes: Vec<f64> = slopes.iter().map(|s| s[0]).collect();
            return direct::maximize_log_sum_1d(offsets, &slopes).map(|t| vec![t]);
        }
        _ => {}
    }
    // Two or more variables: Newton steps from the point where the smallest gain is largest
    // (a linear program), kept only if the result passes the optimality conditions.
    let solved;
    let start = match max_min_gain {
        Some(start) => start,
        None => {
            let rows: Vec<Row> = offsets
                .iter()
                .zip(slopes)
                .map(|(offset, slope)| {
                    // s <= offset + slope · t  is  -slope · t + s <= offset.
                    let mut coefs: Vec<f64> = slope.iter().map(|v| -v).collect();
                    coefs.push(1.0);
                    Row { coefs, bound: *offset }
                })
                .collect();
            let mut objective = vec![0.0; n_box + 1];
            objective[n_box] = 1.0;
            solved = maximize_linear(&objective, &rows, n_box)?;
            &solved
        }
    };
    if start[n_box] <= 0.0 {
        // No point of the box makes every gain positive.
        return None;
    }
    let t = polish_log_sum(offsets, slopes, &start[..n_box]);
    if is_log_sum_optimal(offsets, slopes, &t) {
        return Some(t);
    }
    let n_logs = offsets.len();
    let n_vars = n_box + n_logs;
    let mut dense = box_rows(n_box, n_vars);
    let mut cones = Vec::new();
    if n_box > 0 {
        cones.push(SupportedConeT::NonnegativeConeT(dense.len()));
    }
    for (p, (offset, slope)) in offsets.iter().zip(slopes).enumerate() {
        // The slack is `b - A x`, so each row below states the cone entry it produces.
        // First entry: z_p.
        let mut first = vec![0.0; n_vars];
        first[n_box + p] = -1.0;
        dense.push(Row { coefs: first, bound: 0.0 });
        // Second entry: the constant 1.
        dense.push(Row { coefs: vec![0.0; n_vars], bound: 1.0 });
        // Third entry: the gain, offset + slope · x.
        let mut third = vec![0.0; n_vars];
        for (c, s) in third.iter_mut().zip(slope) {
            *c = -s;
        }
        dense.push(Row { coefs: third, bound: *offset });
        cones.push(SupportedConeT::ExponentialConeT());
    }
    let mut q = vec![0.0; n_vars];
    for q_z in &mut q[n_box..] {
        *q_z = -1.0;
    }
    let x = solve(n_vars, &q, &dense, &cones)?;
    Some(polish_log_sum(offsets, slopes, &x[..n_box]))
}

/// True if `t` satisfies the optimality conditions of `max sum_p ln(offsets[p] + slopes[p] · t)`
/// over the unit box (the objective is concave, so they prove a global maximum): every gain
/// positive, and each partial derivative zero where `t_j` is inside the box, at most zero at
/// 0 and at least zero at 1, each to 1e-9 of the derivative's scale.
fn is_log_sum_optimal(offsets: &[f64], slopes: &[Vec<f64>], t: &[f64]) -> bool {
    // The gains, on the stack for a few parties.
    let mut small = [0.0; polish::SMALL_PARTIES];
    let mut large = Vec::new();
    let gains: &mut [f64] = if offsets.len() <= small.len() {
        &mut small[..offsets.len().min(slopes.len())]
    } else {
        large.resize(offsets.len().min(slopes.len()), 0.0);
        &mut large
    };
    for (g, (o, s)) in gains.iter_mut().zip(offsets.iter().zip(slopes)) {
        *g = o + s.iter().zip(t).map(|(a, b)| a * b).sum::<f64>();
    }
    let gains = &*gains;
    if gains.iter().any(|g| g.is_nan() || *g <= 0.0) {
        return false;
    }
    (0..t.len()).all(|j| {
        let grad: f64 = slopes.iter().zip(gains).map(|(s, g)| s[j] / g).sum();
        let scale: f64 = slopes.iter().zip(gains).map(|(s, g)| (s[j] / g).abs()).sum();
        let tol = 1e-9 * scale + 1e-12;
        match t[j] {
            0.0 => grad <= tol,
            1.0 => grad >= -tol,
            _ => grad.abs() <= tol,
        }
    })
}

/// The rows `x_j <= 1` and `-x_j <= 0` for the first `n_box` variables.
fn box_rows(n_box: usize, n_vars: usize) -> Vec<Row> {
    let mut rows = Vec::with_capacity(2 * n_box);
    for j in 0..n_box {
        let mut upper = vec![0.0; n_vars];
        upper[j] = 1.0;
        rows.push(Row { coefs: upper, bound: 1.0 });
        let mut lower = vec![0.0; n_vars];
        lower[j] = -1.0;
        rows.push(Row { coefs: lower, bound: 0.0 });
    }
    rows
}

/// Runs clarabel on `min q'x s.t. A x + s = b, s in cones` with `A` and `b` given by `rows`.
///
/// Accepts `Solved` and `AlmostSolved`; a certificate of infeasibility means `None`. Tight
/// tolerances come first. If the solver stalls on them (insufficient progress, the iteration
/// limit, a numerical error), the program is solved again with clarabel's default tolerances,
/// which cost at most about 1e-8 of optimality (and nothing for the Nash program, which is
/// polished afterwards). If that fails too, the answer is `None`. Over a few thousand random
/// scenarios, every program that failed both attempts was infeasible by 1e-9 to 1e-8: a cell
/// that touches the feasible region only within rounding, so skipping it loses nothing.
/// Every caller re-evaluates the point it gets back with the exact utility functions, so the
/// solver's own numbers are never used.
fn solve(
    n_vars: usize,
    q: &[f64],
    rows: &[Row],
    cones: &[SupportedConeT<f64>],
) -> Option<Vec<f64>> {
    let a = csc_from_rows(rows, n_vars);
    let b: Vec<f64> = rows.iter().map(|r| r.bound).collect();
    let p = CscMatrix::zeros((n_vars, n_vars));
    for settings in [tight_settings(), default_settings()] {
        let mut solver = DefaultSolver::new(&p, q, &a, &b, cones, settings?).ok()?;
        solver.solve();
        let solution = &solver.solution;
        match solution.status {
            SolverStatus::Solved | SolverStatus::AlmostSolved => {
                return solution.x.iter().all(|v| v.is_finite()).then(|| solution.x.clone());
            }
            SolverStatus::PrimalInfeasible
            | SolverStatus::DualInfeasible
            | SolverStatus::AlmostPrimalInfeasible
            | SolverStatus::AlmostDualInfeasible => return None,
            _ => continue,
        }
    }
    None
}

/// Tight tolerances: with clarabel's defaults the Nash point of a one-issue problem lands about
/// 2e-6 away from the exact answer; with these it usually agrees to about 12 digits. The
/// reduced tolerances make `AlmostSolved` mean residuals and a duality gap near 1e-9.
fn tight_settings() -> Option<DefaultSettings<f64>> {
    DefaultSettingsBuilder::default()
        .verbose(false)
        .max_threads(1)
        .max_iter(400)
        .tol_gap_abs(1e-14)
        .tol_gap_rel(1e-14)
        .tol_feas(1e-13)
        .tol_ktratio(1e-12)
        .reduced_tol_gap_abs(1e-9)
        .reduced_tol_gap_rel(1e-9)
        .reduced_tol_feas(1e-9)
        .reduced_tol_ktratio(1e-7)
        .build()
        .ok()
}

/// Clarabel's default tolerances, for the second attempt.
fn default_settings() -> Option<DefaultSettings<f64>> {
    DefaultSettingsBuilder::default().verbose(false).max_threads(1).build().ok()
}

/// Builds a sparse matrix with `n_cols` columns from dense rows, dropping zeros.
fn csc_from_rows(rows: &[Row], n_cols: usize) -> CscMatrix<f64> {
    let mut colptr = Vec::with_capacity(n_cols + 1);
    let mut rowval = Vec::new();
    let mut nzval = Vec::new();
    colptr.push(0);
    for col in 0..n_cols {
        for (row_idx, row) in rows.iter().enumerate() {
            let value = row.coefs[col];
            if value != 0.0 {
                rowval.push(row_idx);
                nzval.push(value);
            }
        }
        colptr.push(nzval.len());
    }
    CscMatrix::new(rows.len(), n_cols, colptr, rowval, nzval)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(coefs: &[f64], bound: f64) -> Row {
        Row { coefs: coefs.to_vec(), bound }
    }

    #[test]
    fn maximizes_a_linear_objective_over_the_box_and_rows() {
        // Maximize x + y over the unit box with x + 2y <= 1.5: the optimum is (1, 0.25).
        let x = maximize_linear(&[1.0, 1.0], &[row(&[1.0, 2.0], 1.5)], 2).unwrap();
        assert!((x[0] - 1.0).abs() < 1e-9, "{x:?}");
        assert!((x[1] - 0.25).abs() < 1e-9, "{x:?}");
    }

    #[test]
    fn reports_an_infeasible_program_as_none() {
        // x >= 2 cannot hold in the unit box.
        assert!(maximize_linear(&[1.0], &[row(&[-1.0], -2.0)], 1).is_none());
    }

    #[test]
    fn handles_a_free_variable_with_no_box() {
        // Maximize s subject to s <= 0.3 and s <= 0.7.
        let x = maximize_linear(&[1.0], &[row(&[1.0], 0.3), row(&[1.0], 0.7)], 0).unwrap();
        assert!((x[0] - 0.3).abs() < 1e-9, "{x:?}");
    }

    #[test]
    fn maximizes_a_log_sum_to_twelve_digits() {
        // ln(x - 0.25) + ln(1 - x) peaks where the gains are equal: x = 0.625.
        let x = maximize_log_sum(&[-0.25, 1.0], &[vec![1.0], vec![-1.0]], 1).unwrap();
        assert!((x[0] - 0.625).abs() < 1e-11, "{x:?}");
    }

    #[test]
    fn reports_a_log_sum_with_no_positive_gain_as_none() {
        // The first gain, x - 2, is negative everywhere on the box.
        assert!(maximize_log_sum(&[-2.0, 1.0], &[vec![1.0], vec![-1.0]], 1).is_none());
    }
}
