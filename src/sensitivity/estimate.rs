//! Estimators: one at a time swings, Morris elementary effects, Sobol' indices, and
//! bootstrap intervals. Pure functions of the plan and the outputs in run order.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::design::{Method, Plan};

/// Tag mixed into the seed of the bootstrap's generator ("boot", 1).
pub const BOOTSTRAP_TAG: u64 = 0x626F_6F74_0000_0001;

/// The confidence level of every interval.
pub const CONFIDENCE: f64 = 0.95;

/// An estimate with its bootstrap percentile interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// The estimate on all the samples.
    pub value: f64,
    /// The lower end of the 95% percentile interval.
    pub low: f64,
    /// The upper end.
    pub high: f64,
}

/// Resamples with replacement of `n` items, the same for every output of one analysis.
#[derive(Clone, Debug)]
pub struct Bootstrap {
    n: usize,
    draws: Vec<u32>,
}

impl Bootstrap {
    /// `resamples` resamples of `0..n`, drawn from ChaCha8 seeded with
    /// `seed_from_u64(seed XOR BOOTSTRAP_TAG)`, resample after resample.
    pub fn new(n: usize, resamples: usize, seed: u64) -> Bootstrap {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ BOOTSTRAP_TAG);
        let draws = (0..n * resamples).map(|_| rng.random_range(0..n as u32)).collect();
        Bootstrap { n, draws }
    }

    fn resamples(&self) -> impl Iterator<Item = &[u32]> {
        self.draws.chunks(self.n.max(1)).filter(|c| !c.is_empty())
    }
}

/// The `q` quantile of sorted values (linear interpolation at `q (n - 1)`).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
    if lo + 1 < sorted.len() {
        sorted[lo] + frac * (sorted[lo + 1] - sorted[lo])
    } else {
        sorted[lo]
    }
}

fn interval(value: f64, mut replicates: Vec<f64>) -> Estimate {
    replicates.retain(|x| x.is_finite());
    if replicates.is_empty() {
        return Estimate { value, low: value, high: value };
    }
    replicates.sort_by(f64::total_cmp);
    let tail = (1.0 - CONFIDENCE) / 2.0;
    Estimate { value, low: quantile(&replicates, tail), high: quantile(&replicates, 1.0 - tail) }
}

/// Sobol' indices of one output.
#[derive(Clone, Debug, PartialEq)]
pub struct SobolIndices {
    /// First-order index of each factor: the share of the output's variance it explains alone.
    pub first: Vec<Estimate>,
    /// Total index: the share it explains alone and with others (Jansen).
    pub total: Vec<Estimate>,
    /// The output's variance over A and B.
    pub variance: f64,
}

/// Sums over the rows `rows` of Saltelli's design, for one output: `(S1, ST)` per factor and
/// the variance, or `None` for a constant output.
fn sobol_point(
    d: usize,
    y: &[f64],
    rows: impl Iterator<Item = usize>,
) -> Option<(Vec<f64>, Vec<f64>, f64)> {
    let mut n = 0.0;
    let (mut sum, mut sum2) = (0.0, 0.0);
    let mut first = vec![0.0; d];
    let mut total = vec![0.0; d];
    for j in rows {
        let row = &y[j * (d + 2)..(j + 1) * (d + 2)];
        let (fa, fb) = (row[0], row[1]);
        n += 1.0;
        sum += fa + fb;
        sum2 += fa * fa + fb * fb;
        for i in 0..d {
            let fab = row[2 + i];
            first[i] += fb * (fab - fa);
            total[i] += (fa - fab) * (fa - fab);
        }
    }
    let mean = sum / (2.0 * n);
    let variance = sum2 / (2.0 * n) - mean * mean;
    if variance.is_nan() || variance <= 1e-12 * (1.0 + mean * mean) {
        return None;
    }
    let s1 = first.iter().map(|s| s / n / variance).collect();
    let st = total.iter().map(|s| s / (2.0 * n) / variance).collect();
    Some((s1, st, variance))
}

/// Sobol' first-order (Saltelli 2010) and total (Jansen 1999) indices of the outputs `y` of
/// `plan` (a Sobol' plan) in run order, with bootstrap intervals; `None` if the output does
/// not vary.
pub fn sobol(plan: &Plan, y: &[f64], bootstrap: &Bootstrap) -> Option<SobolIndices> {
    debug_assert_eq!(plan.method, Method::Sobol);
    let d = plan.factors;
    let (s1, st, variance) = sobol_point(d, y, 0..plan.samples)?;
    let mut boot1 = vec![Vec::new(); d];
    let mut boott = vec![Vec::new(); d];
    for rows in bootstrap.resamples() {
        if let Some((b1, bt, _)) = sobol_point(d, y, rows.iter().map(|&j| j as usize)) {
            for i in 0..d {
                boot1[i].push(b1[i]);
                boott[i].push(bt[i]);
            }
        }
    }
    Some(SobolIndices {
        first: s1.into_iter().zip(boot1).map(|(v, b)| interval(v, b)).collect(),
        total: st.into_iter().zip(boott).map(|(v, b)| interval(v, b)).collect(),
        variance,
    })
}

/// Morris elementary effects of one output, per factor, in units of the output per whole
/// range of the factor.
#[derive(Clone, Debug, PartialEq)]
pub struct MorrisEffects {
    /// Mean of the effects (signed: effects of opposite signs cancel).
    pub mu: Vec<f64>,
    /// Mean of the absolute effects, with a bootstrap interval over trajectories.
    pub mu_star: Vec<Estimate>,
    /// Standard deviation of the effects (`r - 1` in the denominator): non-linearity or
    /// interaction with other factors.
    pub sigma: Vec<f64>,
}

/// Elementary effects `[trajectory][factor]` of the outputs `y` of a Morris plan.
fn effects(plan: &Plan, y: &[f64]) -> Vec<Vec<f64>> {
    let d = plan.factors;
    plan.steps
        .iter()
        .enumerate()
        .map(|(t, steps)| {
            let base = t * (d + 1);
            let mut ee = vec![0.0; d];
            for (k, &(i, step)) in steps.iter().enumerate() {
                ee[i] = (y[base + k + 1] - y[base + k]) / step;
            }
            ee
        })
        .collect()
}

/// Morris's `mu`, `mu*` (with a bootstrap interval over trajectories) and `sigma` of the
/// outputs `y` of `plan` (a Morris plan) in run order.
pub fn morris(plan: &Plan, y: &[f64], bootstrap: &Bootstrap) -> MorrisEffects {
    debug_assert_eq!(plan.method, Method::Morris);
    let d = plan.factors;
    let ee = effects(plan, y);
    let r = ee.len() as f64;
    let mut mu = vec![0.0; d];
    let mut mu_star = Vec::with_capacity(d);
    let mut sigma = vec![0.0; d];
    for i in 0..d {
        let values: Vec<f64> = ee.iter().map(|e| e[i]).collect();
        mu[i] = values.iter().sum::<f64>() / r;
        let abs = values.iter().map(|v| v.abs()).sum::<f64>() / r;
        sigma[i] = if ee.len() > 1 {
            (values.iter().map(|v| (v - mu[i]).powi(2)).sum::<f64>() / (r - 1.0)).sqrt()
        } else {
            0.0
        };
        let boot = bootstrap
            .resamples()
            .map(|rows| {
                rows.iter().map(|&t| ee[t as usize][i].abs()).sum::<f64>() / rows.len() as f64
            })
            .collect();
        mu_star.push(interval(abs, boot));
    }
    MorrisEffects { mu, mu_star, sigma }
}

/// One factor's one-at-a-time result for one output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Swing {
    /// The output with every factor at the file's value.
    pub baseline: f64,
    /// The output with this factor at its low end.
    pub at_low: f64,
    /// The output with this factor at its high end.
    pub at_high: f64,
}

impl Swing {
    /// `|at_high - at_low|`.
    pub fn size(&self) -> f64 {
        (self.at_high - self.at_low).abs()
    }
}

/// The one-at-a-time swings of the outputs `y` of `plan` (an OAT plan) in run order.
pub fn oat(plan: &Plan, y: &[f64]) -> Vec<Swing> {
    debug_assert_eq!(plan.method, Method::Oat);
    (0..plan.factors)
        .map(|i| Swing { baseline: y[0], at_low: y[1 + 2 * i], at_high: y[2 + 2 * i] })
        .collect()
}
