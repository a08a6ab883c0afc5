//! Property tests against brute force: on random all-ordinal scenarios (2 to 4 parties, up to 6
//! issues) every solution equals what enumerating every outcome gives, to 1e-9; on random
//! continuous and mixed scenarios the exact answer is at least as good as the best point of a
//! fine grid, to 1e-9 (the grid can only miss the optimum, never beat it).
//!
//! Default case counts keep `cargo test` quick; `ACCORD_PROPTEST_CASES=500 cargo test --lib
//! brute` runs more.

use proptest::prelude::*;

use crate::analysis::testing::{continuous, ordinal, party, scenario};
use crate::analysis::{Bargaining, KS_TOLERANCE, Problem};
use crate::model::{Issue, Outcome, Scenario, ValueFn};

const TOL: f64 = 1e-9;

/// A scenario from drawn numbers: issues of the given kinds (`None` continuous on `[0, 10]`,
/// `Some(n)` with `n` levels), random weights, value tables or tents, and reservations.
fn build(n_parties: usize, kinds: &[Option<usize>], genes: &[f64]) -> Scenario {
    let mut k = 0;
    let mut draw = || {
        k += 1;
        genes[(k - 1) % genes.len()]
    };
    let issues: Vec<Issue> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| match kind {
            Some(n) => ordinal(&format!("g{i}"), *n),
            None => continuous(&format!("x{i}"), 0.0, 10.0),
        })
        .collect();
    let parties = (0..n_parties)
        .map(|p| {
            let weights: Vec<f64> = kinds.iter().map(|_| 0.05 + draw()).collect();
            let values = kinds
                .iter()
                .map(|kind| match kind {
                    Some(n) => ValueFn::Levels((0..*n).map(|_| draw()).collect()),
                    None if draw() < 0.5 => ValueFn::tent(0.0, 10.0, 10.0 * draw()),
                    None => {
                        // Four points at strictly increasing x across the range.
                        let lo = 0.5 + 4.0 * draw();
                        let hi = lo + 0.5 + 4.5 * draw();
                        let xs = [0.0, lo, hi, 10.0];
                        ValueFn::Piecewise(xs.iter().map(|x| (*x, draw())).collect())
                    }
                })
                .collect();
            party(&format!("p{p}"), 0.7 * draw(), &weights, values)
        })
        .collect();
    scenario(issues, parties)
}

/// Every outcome on a grid: ordinal issues at every level, continuous ones at `steps + 1`
/// evenly spaced values.
fn outcomes(s: &Scenario, steps: usize) -> Vec<Vec<f64>> {
    let mut all = vec![Vec::new()];
    for issue in s.issues() {
        let values: Vec<f64> = match issue.is_ordinal() {
            true => (0..issue.levels().len()).map(|l| l as f64).collect(),
            false => (0..=steps)
                .map(|k| issue.lower() + (issue.upper() - issue.lower()) * k as f64 / steps as f64)
                .collect(),
        };
        all = all
            .into_iter()
            .flat_map(|prefix| {
                values.iter().map(move |v| {
                    let mut next = prefix.clone();
                    next.push(*v);
                    next
                })
            })
            .collect();
    }
    all
}

/// The brute-force answers over a list of utility vectors.
struct Brute {
    zone: bool,
    ideal: Option<Vec<f64>>,
    utilitarian: Option<f64>,
    nash: Option<f64>,
}

fn brute(utilities: &[Vec<f64>], d: &[f64]) -> Brute {
    let ir: Vec<&Vec<f64>> =
        utilities.iter().filter(|u| u.iter().zip(d).all(|(u, d)| u >= d)).collect();
    let zone = utilities.iter().any(|u| u.iter().zip(d).all(|(u, d)| u - d > TOL));
    let ideal = (!ir.is_empty()).then(|| {
        (0..d.len()).map(|p| ir.iter().map(|u| u[p]).fold(f64::NEG_INFINITY, f64::max)).collect()
    });
    let utilitarian = ir.iter().map(|u| u.iter().sum::<f64>()).reduce(f64::max);
    let nash = ir
        .iter()
        .filter(|u| u.iter().zip(d).all(|(u, d)| u > d))
        .map(|u| log_nash(u, d))
        .reduce(f64::max);
    Brute { zone, ideal, utilitarian, nash }
}

fn log_nash(u: &[f64], d: &[f64]) -> f64 {
    u.iter().zip(d).map(|(u, d)| (u - d).ln()).sum()
}

fn ks_lambda(u: &[f64], d: &[f64], ideal: &[f64]) -> f64 {
    (0..d.len()).map(|p| (u[p] - d[p]) / (ideal[p] - d[p])).fold(f64::INFINITY, f64::min)
}

/// The largest total gain over `target` among the given utility vectors.
fn brute_gap(utilities: &[Vec<f64>], target: &[f64]) -> f64 {
    let total: f64 = target.iter().sum();
    utilities
        .iter()
        .filter(|u| u.iter().zip(target).all(|(u, t)| u >= t))
        .map(|u| u.iter().sum::<f64>() - total)
        .fold(0.0, f64::max)
}

fn utilities_of(s: &Scenario, points: &[Vec<f64>]) -> Vec<Vec<f64>> {
    points
        .iter()
        .map(|x| {
            let outcome = Outcome::new(x.clone());
            s.parties().iter().map(|p| p.utility(&outcome)).collect()
        })
        .collect()
}

fn ordinal_kinds() -> impl Strategy<Value = Vec<Option<usize>>> {
    prop::collection::vec((2usize..=4).prop_map(Some), 1..=6)
}

fn mixed_kinds() -> impl Strategy<Value = Vec<Option<usize>>> {
    prop::collection::vec(prop_oneof![Just(None), (2usize..=3).prop_map(Some)], 1..=3)
        .prop_filter("at most two continuous issues", |k| {
            k.iter().filter(|k| k.is_none()).count() <= 2
        })
}

proptest! {
    #![proptest_config(crate::analysis::testing::proptest_config(32))]

    #[test]
    fn all_ordinal_solutions_equal_brute_force(
        n_parties in 2usize..=4,
        kinds in ordinal_kinds(),
        genes in prop::collection::vec(0.0f64..1.0, 97),
        pick in 0.0f64..1.0,
    ) {
        let s = build(n_parties, &kinds, &genes);
        let problem = Problem::new(&s).unwrap();
        let res: Bargaining = problem.bargaining();
        let d = res.disagreement.clone();
        let all = utilities_of(&s, &outcomes(&s, 0));
        let b = brute(&all, &d);
        prop_assert_eq!(res.zone_of_agreement, b.zone);
        match (&res.ideal, &b.ideal) {
            (Some(x), Some(y)) => prop_assert!(x.iter().zip(y).all(|(x, y)| (x - y).abs() <= TOL)),
            (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
        }
        let total = res.utilitarian.as_ref().map(|p| p.utilities.iter().sum::<f64>());
        prop_assert_eq!(total.is_some(), b.utilitarian.is_some());
        if let (Some(x), Some(y)) = (total, b.utilitarian) {
            prop_assert!((x - y).abs() <= TOL, "utilitarian {x} vs {y}");
        }
        if res.zone_of_agreement {
            let nash = res.nash.as_ref().expect("a Nash point");
            let best = b.nash.expect("a strictly rational outcome");
            prop_assert!((log_nash(&nash.utilities, &d) - best).abs() <= TOL);
            let ideal = res.ideal.as_ref().unwrap();
            let ks = res.kalai_smorodinsky.as_ref().expect("a KS point");
            let best = all
                .iter()
                .filter(|u| u.iter().zip(&d).all(|(u, d)| u >= d))
                .map(|u| ks_lambda(u, &d, ideal))
                .fold(f64::NEG_INFINITY, f64::max);
            let got = ks_lambda(&ks.utilities, &d, ideal);
            // The second stage may give up to KS_TOLERANCE of lambda for a larger total.
            prop_assert!(got <= best + TOL && got >= best - KS_TOLERANCE - TOL, "{got} {best}");
        } else {
            prop_assert!(res.nash.is_none() && res.kalai_smorodinsky.is_none());
        }
        // The gap of one outcome, and of each solution.
        let target = &all[((pick * all.len() as f64) as usize).min(all.len() - 1)];
        let gap = problem.pareto_gap(target).unwrap();
        prop_assert!((gap - brute_gap(&all, target)).abs() <= TOL, "gap {gap}");
        for point in [&res.nash, &res.kalai_smorodinsky, &res.utilitarian].into_iter().flatten() {
            prop_assert!(problem.pareto_gap(&point.utilities).unwrap() <= TOL);
        }
        // The frontier of a two-party space: real, undominated points, from each party's best.
        if n_parties == 2 {
            let frontier = problem.frontier(21).unwrap();
            for f in &frontier {
                prop_assert!(all.iter().any(|u| u[0] == f[0] && u[1] == f[1]), "{f:?} is no outcome");
                prop_assert!(!all.iter().any(|u| u[0] >= f[0] && u[1] >= f[1] && (u[0] > f[0] || u[1] > f[1])));
            }
            let best0 = all.iter().map(|u| u[0]).fold(f64::NEG_INFINITY, f64::max);
            let best1 = all.iter().map(|u| u[1]).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(frontier.last().unwrap()[0], best0);
            prop_assert_eq!(frontier[0][1], best1);
        }
    }

    #[test]
    fn continuous_solutions_are_at_least_as_good_as_a_fine_grid(
        n_parties in 2usize..=3,
        kinds in mixed_kinds(),
        genes in prop::collection::vec(0.0f64..1.0, 97),
        pick in 0.0f64..1.0,
    ) {
        let s = build(n_parties, &kinds, &genes);
        let problem = Problem::new(&s).unwrap();
        let res = problem.bargaining();
        let d = res.disagreement.clone();
        let n_continuous = kinds.iter().filter(|k| k.is_none()).count();
        let steps = if n_continuous == 1 { 400 } else { 40 };
        let all = utilities_of(&s, &outcomes(&s, steps));
        let b = brute(&all, &d);
        if b.zone {
            prop_assert!(res.zone_of_agreement);
        }
        if let Some(grid_ideal) = &b.ideal {
            let ideal = res.ideal.as_ref().expect("an ideal point");
            prop_assert!(ideal.iter().zip(grid_ideal).all(|(x, y)| *x >= y - TOL), "{ideal:?} {grid_ideal:?}");
        }
        if let Some(grid_best) = b.utilitarian {
            let u = &res.utilitarian.as_ref().expect("a utilitarian point").utilities;
            prop_assert!(u.iter().zip(&d).all(|(u, d)| *u >= d - TOL));
            prop_assert!(u.iter().sum::<f64>() >= grid_best - TOL);
        }
        if let (Some(grid_best), true) = (b.nash, res.zone_of_agreement) {
            let nash = res.nash.as_ref().expect("a Nash point");
            prop_assert!(log_nash(&nash.utilities, &d) >= grid_best - TOL);
        }
        if let (Some(ks), Some(ideal)) = (&res.kalai_smorodinsky, &res.ideal) {
            let best = all
                .iter()
                .filter(|u| u.iter().zip(&d).all(|(u, d)| u >= d))
                .map(|u| ks_lambda(u, &d, ideal))
                .fold(f64::NEG_INFINITY, f64::max);
            let got = ks_lambda(&ks.utilities, &d, ideal);
            // The second stage may give up to KS_TOLERANCE of lambda for a larger total.
            prop_assert!(got >= best - KS_TOLERANCE - TOL, "KS lambda {got} below the grid's {best}: {ks:?} {ideal:?}");
        }
        let target = &all[((pick * all.len() as f64) as usize).min(all.len() - 1)];
        let gap = problem.pareto_gap(target).unwrap();
        prop_assert!(gap >= brute_gap(&all, target) - TOL, "gap {gap}");
    }
}
