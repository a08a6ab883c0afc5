//! Newton polishing of the log-sum (Nash) maximizer found by the interior-point solver.
//!
//! Why this exists: the Nash objective `F(t) = sum_p ln(gain_p(t))` is flat at an interior
//! optimum, so an objective accurate to 1e-13 only pins the maximizer down to about
//! `sqrt(1e-13)`, roughly 3e-7. Clarabel often stops there (status `AlmostSolved`). A few
//! projected Newton steps from that point, which is already in the region of quadratic
//! convergence, recover the maximizer to about 1e-12. A step is kept only if it does not lower
//! `F`, so polishing can never make the solver's answer worse.
//!
//! Owns only this local refinement on the unit box; it knows nothing about cells or parties.

/// At most this many Newton steps; two or three are typical.
const MAX_STEPS: usize = 30;

/// At most this many step halvings per Newton step.
const MAX_HALVINGS: usize = 40;

/// Refines `start` (a near-maximizer of `sum_p ln(offsets[p] + slopes[p] · t)` over the unit
/// box) with projected Newton steps, returning a point at least as good (clamped to the box).
///
/// Up to [`SMALL_VARS`] variables and [`SMALL_PARTIES`] parties (every cell of one or two
/// continuous issues) the steps run on fixed arrays, without allocating; the arithmetic is
/// that of the general code, step for step, so the answer is the same bit for bit (a
/// property test checks it).
pub(crate) fn polish_log_sum(offsets: &[f64], slopes: &[Vec<f64>], start: &[f64]) -> Vec<f64> {
    if start.len() <= SMALL_VARS && offsets.len() <= SMALL_PARTIES {
        return polish_small(offsets, slopes, start);
    }
    polish_general(offsets, slopes, start)
}

/// The most variables [`polish_log_sum`] handles on fixed arrays.
pub(crate) const SMALL_VARS: usize = 3;

/// The most parties [`polish_log_sum`] handles on fixed arrays.
pub(crate) const SMALL_PARTIES: usize = 8;

/// A point, a gradient or a step of at most [`SMALL_VARS`] variables.
type Small = [f64; SMALL_VARS];

/// [`polish_general`] on fixed arrays (see [`polish_log_sum`]).
fn polish_small(offsets: &[f64], slopes: &[Vec<f64>], start: &[f64]) -> Vec<f64> {
    let n = start.len();
    let mut t: Small = [0.0; SMALL_VARS];
    for (t_j, s_j) in t.iter_mut().zip(start) {
        *t_j = s_j.clamp(0.0, 1.0);
    }
    let mut value = log_sum(offsets, slopes, &t[..n]);
    if !value.is_finite() {
        return t[..n].to_vec();
    }
    for _ in 0..MAX_STEPS {
        let Some(step) = newton_step_small(offsets, slopes, &t[..n]) else { break };
        let mut accepted = None;
        let mut alpha = 1.0;
        for _ in 0..MAX_HALVINGS {
            let mut candidate: Small = [0.0; SMALL_VARS];
            for ((c, t_j), d_j) in candidate[..n].iter_mut().zip(&t[..n]).zip(&step[..n]) {
                *c = (t_j + alpha * d_j).clamp(0.0, 1.0);
            }
            let candidate_value = log_sum(offsets, slopes, &candidate[..n]);
            if candidate_value >= value {
                accepted = Some((candidate, candidate_value));
                break;
            }
            alpha *= 0.5;
        }
        let Some((candidate, candidate_value)) = accepted else { break };
        let moved =
            t[..n].iter().zip(&candidate[..n]).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        t = candidate;
        value = candidate_value;
        if moved < 1e-15 {
            break;
        }
    }
    t[..n].to_vec()
}

/// [`newton_step`] on fixed arrays.
fn newton_step_small(offsets: &[f64], slopes: &[Vec<f64>], t: &[f64]) -> Option<Small> {
    let n_vars = t.len();
    let mut gains = [0.0; SMALL_PARTIES];
    for (g, (o, s)) in gains.iter_mut().zip(offsets.iter().zip(slopes)) {
        *g = o + dot(s, t);
    }
    let gains = &gains[..offsets.len()];
    let mut grad: Small = [0.0; SMALL_VARS];
    for (j, g_j) in grad[..n_vars].iter_mut().enumerate() {
        *g_j = slopes.iter().zip(gains).map(|(s, g)| s[j] / g).sum();
    }
    let mut free = [0usize; SMALL_VARS];
    let mut n_free = 0;
    for j in 0..n_vars {
        if !((t[j] <= 0.0 && grad[j] < 0.0) || (t[j] >= 1.0 && grad[j] > 0.0)) {
            free[n_free] = j;
            n_free += 1;
        }
    }
    if n_free == 0 {
        return None;
    }
    let free = &free[..n_free];
    let mut hess = [[0.0; SMALL_VARS]; SMALL_VARS];
    for (row, &j) in hess.iter_mut().zip(free) {
        for (h, &k) in row.iter_mut().zip(free) {
            *h = slopes.iter().zip(gains).map(|(s, g)| s[j] * s[k] / (g * g)).sum();
        }
    }
    let scale = (0..n_free).map(|i| hess[i][i]).fold(0.0, f64::max);
    if scale <= 0.0 {
        return None;
    }
    for (i, row) in hess[..n_free].iter_mut().enumerate() {
        row[i] += 1e-12 * scale;
    }
    let mut rhs: Small = [0.0; SMALL_VARS];
    for (r, &j) in rhs.iter_mut().zip(free) {
        *r = grad[j];
    }
    solve_spd_small(&mut hess, &mut rhs, n_free)?;
    let mut step: Small = [0.0; SMALL_VARS];
    for (&j, d) in free.iter().zip(rhs) {
        step[j] = d;
    }
    Some(step)
}

/// [`solve_spd`] on fixed arrays: solves the leading `n` × `n` system in place (`b` becomes
/// the solution).
fn solve_spd_small(a: &mut [Small; SMALL_VARS], b: &mut Small, n: usize) -> Option<()> {
    for j in 0..n {
        let diag = a[j][j] - (0..j).map(|k| a[j][k] * a[j][k]).sum::<f64>();
        if diag <= 0.0 || !diag.is_finite() {
            return None;
        }
        let diag = diag.sqrt();
        a[j][j] = diag;
        for i in j + 1..n {
            a[i][j] = (a[i][j] - (0..j).map(|k| a[i][k] * a[j][k]).sum::<f64>()) / diag;
        }
    }
    for i in 0..n {
        b[i] = (b[i] - (0..i).map(|k| a[i][k] * b[k]).sum::<f64>()) / a[i][i];
    }
    for i in (0..n).rev() {
        b[i] = (b[i] - (i + 1..n).map(|k| a[k][i] * b[k]).sum::<f64>()) / a[i][i];
    }
    Some(())
}

/// [`polish_log_sum`] for any number of variables and parties (the reference of the fixed
/// arrays' code).
fn polish_general(offsets: &[f64], slopes: &[Vec<f64>], start: &[f64]) -> Vec<f64> {
    let mut t: Vec<f64> = start.iter().map(|v| v.clamp(0.0, 1.0)).collect();
    let mut value = log_sum(offsets, slopes, &t);
    if !value.is_finite() {
        return t;
    }
    for _ in 0..MAX_STEPS {
        let Some(step) = newton_step(offsets, slopes, &t) else { break };
        let mut accepted = None;
        let mut alpha = 1.0;
        for _ in 0..MAX_HALVINGS {
            let candidate: Vec<f64> =
                t.iter().zip(&step).map(|(t_j, d_j)| (t_j + alpha * d_j).clamp(0.0, 1.0)).collect();
            let candidate_value = log_sum(offsets, slopes, &candidate);
            if candidate_value >= value {
                accepted = Some((candidate, candidate_value));
                break;
            }
            alpha *= 0.5;
        }
        let Some((candidate, candidate_value)) = accepted else { break };
        let moved = t.iter().zip(&candidate).map(|(a, b)| (a - b).abs()).fold(0.0, f64::max);
        t = candidate;
        value = candidate_value;
        if moved < 1e-15 {
            break;
        }
    }
    t
}

/// The Newton ascent direction at `t`, with variables held at a bound when the gradient pushes
/// them out of the box; `None` when no variable is free to move.
fn newton_step(offsets: &[f64], slopes: &[Vec<f64>], t: &[f64]) -> Option<Vec<f64>> {
    let n_vars = t.len();
    let gains: Vec<f64> = offsets.iter().zip(slopes).map(|(o, s)| o + dot(s, t)).collect();
    // F's gradient, and the negated Hessian (positive semidefinite): sum_p s_p s_p' / gain_p^2.
    let grad: Vec<f64> =
        (0..n_vars).map(|j| slopes.iter().zip(&gains).map(|(s, g)| s[j] / g).sum()).collect();
    let free: Vec<usize> = (0..n_vars)
        .filter(|&j| !((t[j] <= 0.0 && grad[j] < 0.0) || (t[j] >= 1.0 && grad[j] > 0.0)))
        .collect();
    if free.is_empty() {
        return None;
    }
    let mut hess: Vec<Vec<f64>> = free
        .iter()
        .map(|&j| {
            free.iter()
                .map(|&k| slopes.iter().zip(&gains).map(|(s, g)| s[j] * s[k] / (g * g)).sum())
                .collect()
        })
        .collect();
    // A tiny ridge keeps directions along which no utility changes (zero curvature and zero
    // gradient) from producing a singular system; the step along them is then zero.
    let scale = (0..free.len()).map(|i| hess[i][i]).fold(0.0, f64::max);
    if scale <= 0.0 {
        return None;
    }
    for (i, row) in hess.iter_mut().enumerate() {
        row[i] += 1e-12 * scale;
    }
    let rhs: Vec<f64> = free.iter().map(|&j| grad[j]).collect();
    let reduced = solve_spd(hess, rhs)?;
    let mut step = vec![0.0; n_vars];
    for (&j, d) in free.iter().zip(reduced) {
        step[j] = d;
    }
    Some(step)
}

/// `sum_p ln(offsets[p] + slopes[p] · t)`, minus infinity if some gain is not positive.
fn log_sum(offsets: &[f64], slopes: &[Vec<f64>], t: &[f64]) -> f64 {
    let mut total = 0.0;
    for (o, s) in offsets.iter().zip(slopes) {
        let gain = o + dot(s, t);
        if gain <= 0.0 || gain.is_nan() {
            return f64::NEG_INFINITY;
        }
        total += gain.ln();
    }
    total
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves `a x = b` for a symmetric positive definite `a` by Cholesky factorization; `None` if
/// the factorization breaks down.
fn solve_spd(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    // Factor a = L L' in place (lower triangle).
    for j in 0..n {
        let diag = a[j][j] - (0..j).map(|k| a[j][k] * a[j][k]).sum::<f64>();
        if diag <= 0.0 || !diag.is_finite() {
            return None;
        }
        let diag = diag.sqrt();
        a[j][j] = diag;
        for i in j + 1..n {
            a[i][j] = (a[i][j] - (0..j).map(|k| a[i][k] * a[j][k]).sum::<f64>()) / diag;
        }
    }
    // Forward then backward substitution.
    for i in 0..n {
        b[i] = (b[i] - (0..i).map(|k| a[i][k] * b[k]).sum::<f64>()) / a[i][i];
    }
    for i in (0..n).rev() {
        b[i] = (b[i] - (i + 1..n).map(|k| a[k][i] * b[k]).sum::<f64>()) / a[i][i];
    }
    Some(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_interior_maximizer_from_a_nearby_start() {
        // ln(x - 0.25) + ln(1 - x) peaks at x = 0.625.
        let t = polish_log_sum(&[-0.25, 1.0], &[vec![1.0], vec![-1.0]], &[0.6249997]);
        assert!((t[0] - 0.625).abs() < 1e-13, "{t:?}");
    }

    #[test]
    fn stops_at_the_box_when_the_maximizer_lies_beyond_it() {
        // ln(x + 1) alone increases everywhere: the maximizer over [0, 1] is x = 1.
        let t = polish_log_sum(&[1.0], &[vec![1.0]], &[0.9]);
        assert_eq!(t, vec![1.0]);
    }

    #[test]
    fn leaves_directions_nobody_cares_about_alone() {
        // The second variable moves no gain; only the first is polished.
        let slopes = [vec![1.0, 0.0], vec![-1.0, 0.0]];
        let t = polish_log_sum(&[-0.25, 1.0], &slopes, &[0.62, 0.3]);
        assert!((t[0] - 0.625).abs() < 1e-13, "{t:?}");
        assert_eq!(t[1], 0.3);
    }

    proptest::proptest! {
        #![proptest_config(crate::analysis::testing::proptest_config(2000))]

        /// Polishing on fixed arrays gives the general code's answer bit for bit, for one to
        /// three variables and one to eight parties, from starts inside and outside the box.
        #[test]
        fn polishing_on_arrays_is_the_general_polishing_bit_for_bit(
            n_vars in 1usize..=SMALL_VARS,
            parties in proptest::collection::vec(
                (0.0f64..1.0, proptest::collection::vec(-1.0f64..1.0, SMALL_VARS)),
                1..=SMALL_PARTIES,
            ),
            start in proptest::collection::vec(-0.1f64..1.1, SMALL_VARS),
            shift in 0.0f64..0.5,
        ) {
            let offsets: Vec<f64> = parties.iter().map(|(o, _)| o - shift).collect();
            let slopes: Vec<Vec<f64>> = parties.iter().map(|(_, s)| s[..n_vars].to_vec()).collect();
            let small = polish_small(&offsets, &slopes, &start[..n_vars]);
            let general = polish_general(&offsets, &slopes, &start[..n_vars]);
            let bits = |x: &[f64]| x.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
            proptest::prop_assert_eq!(bits(&small), bits(&general), "{:?} vs {:?}", small, general);
        }
    }

    #[test]
    fn solves_a_positive_definite_system() {
        let x = solve_spd(vec![vec![4.0, 2.0], vec![2.0, 3.0]], vec![2.0, 1.0]).unwrap();
        // 4x + 2y = 2, 2x + 3y = 1: x = 0.5, y = 0.
        assert!((x[0] - 0.5).abs() < 1e-15 && x[1].abs() < 1e-15, "{x:?}");
    }
}
