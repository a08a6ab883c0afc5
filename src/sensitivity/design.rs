//! The designs of a sensitivity analysis, in the unit cube: which points to run, in which
//! order, and how the run order maps back to the estimators' inputs.
//!
//! Every design here is a list of points `u` in `[0, 1]^d`, one coordinate per factor; the
//! caller maps `u_i` onto factor `i`'s range (`sweep::Axis::at`) and runs the points in
//! order. The points depend on the method, the sample count and the seed alone.

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Tag mixed into the seed of the design's generator ("sens", 1), so that design draws never
/// share a stream with the runs' draws or a sweep design's.
pub const DESIGN_TAG: u64 = 0x7365_6E73_0000_0001;

/// Levels of the Morris grid.
pub const MORRIS_LEVELS: u32 = 4;

/// Which analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// One at a time: the baseline, then each factor at its low and its high end with the
    /// others at their values in the file.
    Oat,
    /// Morris elementary effects: `r` trajectories of `d + 1` points on a 4-level grid.
    Morris,
    /// Sobol' first-order and total indices on Saltelli's design: `N (d + 2)` points.
    Sobol,
}

impl Method {
    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Oat => "oat",
            Method::Morris => "morris",
            Method::Sobol => "sobol",
        }
    }
}

/// A sensitivity design: the points, and what the estimators need to read the runs back.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// The method.
    pub method: Method,
    /// Number of factors.
    pub factors: usize,
    /// Base samples (Sobol'), trajectories (Morris), 1 (OAT).
    pub samples: usize,
    /// The seed of the design's generator.
    pub seed: u64,
    /// The points, in run order. For OAT, a coordinate is `NaN` where the factor stays at
    /// its value in the file.
    pub points: Vec<Vec<f64>>,
    /// Morris: for each trajectory, the factor changed at each step and the signed step.
    pub steps: Vec<Vec<(usize, f64)>>,
}

impl Plan {
    /// The design of `method` for `factors` factors with `samples` base samples (Sobol'),
    /// trajectories (Morris) or nothing (OAT), drawn from `seed`.
    pub fn new(method: Method, factors: usize, samples: usize, seed: u64) -> Plan {
        let d = factors;
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ DESIGN_TAG);
        let mut points = Vec::new();
        let mut steps = Vec::new();
        match method {
            Method::Oat => {
                points.push(vec![f64::NAN; d]);
                for i in 0..d {
                    for end in [0.0, 1.0] {
                        let mut p = vec![f64::NAN; d];
                        p[i] = end;
                        points.push(p);
                    }
                }
            }
            Method::Sobol => {
                // Saltelli (2010): rows j of two independent sample matrices A and B, then
                // A with column i taken from B (A_B^i) for each i: d + 2 points per j.
                for _ in 0..samples {
                    let a: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
                    let b: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
                    points.push(a.clone());
                    points.push(b.clone());
                    for i in 0..d {
                        let mut ab = a.clone();
                        ab[i] = b[i];
                        points.push(ab);
                    }
                }
            }
            Method::Morris => {
                // Morris (1991) trajectories on a p-level grid {0, 1/(p-1), ..., 1} with the
                // step delta = p / (2 (p - 1)): each factor starts at a random level from
                // which its step stays on the grid, moving up or down at random; the factors
                // move one at a time, in a random order.
                let p = f64::from(MORRIS_LEVELS);
                let delta = p / (2.0 * (p - 1.0));
                let bases = MORRIS_LEVELS / 2;
                for _ in 0..samples {
                    let mut x = Vec::with_capacity(d);
                    let mut sign = Vec::with_capacity(d);
                    for _ in 0..d {
                        let level = f64::from(rng.random_range(0..bases)) / (p - 1.0);
                        let up = rng.random::<bool>();
                        x.push(if up { level } else { level + delta });
                        sign.push(if up { 1.0 } else { -1.0 });
                    }
                    let mut order: Vec<usize> = (0..d).collect();
                    for k in (1..d).rev() {
                        let j = rng.random_range(0..=k);
                        order.swap(k, j);
                    }
                    points.push(x.clone());
                    let mut trajectory = Vec::with_capacity(d);
                    for &i in &order {
                        let step = sign[i] * delta;
                        x[i] = (x[i] + step).clamp(0.0, 1.0);
                        points.push(x.clone());
                        trajectory.push((i, step));
                    }
                    steps.push(trajectory);
                }
            }
        }
        Plan { method, factors, samples, seed, points, steps }
    }

    /// The rule that made the points, in one sentence, for `sweep.json` and the reports.
    pub fn rule(&self) -> String {
        let d = self.factors;
        match self.method {
            Method::Oat => format!(
                "one at a time: point 0 is the file's values, then points 2i+1 and 2i+2 put \
                 factor i at its low and its high end with the others at the file's values \
                 ({} points)",
                1 + 2 * d
            ),
            Method::Sobol => format!(
                "Saltelli: for j < N = {n}, point j(d+2) is row A_j, point j(d+2)+1 row B_j and \
                 point j(d+2)+2+i is A_j with factor i from B_j (d = {d}); A and B are uniform \
                 draws on [0,1)^d from ChaCha8 seeded with seed_from_u64(seed XOR {DESIGN_TAG:#x}), \
                 A_j then B_j in order; u maps to low + u (high - low)",
                n = self.samples
            ),
            Method::Morris => format!(
                "Morris: r = {r} trajectories of d + 1 = {} points on the {MORRIS_LEVELS}-level \
                 grid with step 2/3; per trajectory, per factor a start level from {{0, 1/3}} and \
                 a direction (down from start + 2/3 or up), then the order of the factors' \
                 steps (Fisher-Yates), drawn from ChaCha8 seeded with seed_from_u64(seed XOR \
                 {DESIGN_TAG:#x}); u maps to low + u (high - low)",
                d + 1,
                r = self.samples
            ),
        }
    }
}
