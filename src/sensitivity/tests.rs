//! The estimators against functions with published indices, through the designs and the
//! estimators `accord sensitivity` uses (only the model differs: a formula instead of a
//! negotiation).

use std::f64::consts::PI;

use super::*;

/// Runs `f` on the plan's points mapped to `[low, high]` as `sweep::Axis::at` maps them.
fn outputs(plan: &Plan, ranges: &[(f64, f64)], f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    plan.points
        .iter()
        .map(|u| {
            let x: Vec<f64> = u
                .iter()
                .zip(ranges)
                .map(|(u, (lo, hi))| if u.is_nan() { (lo + hi) / 2.0 } else { lo + u * (hi - lo) })
                .collect();
            f(&x)
        })
        .collect()
}

fn ishigami(x: &[f64]) -> f64 {
    let (a, b) = (7.0, 0.1);
    x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
}

fn g_function(a: &[f64]) -> impl Fn(&[f64]) -> f64 + '_ {
    move |x| x.iter().zip(a).map(|(x, a)| ((4.0 * x - 2.0).abs() + a) / (1.0 + a)).product()
}

/// The analytic first-order and total indices of Sobol's g-function.
fn g_indices(a: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let v: Vec<f64> = a.iter().map(|a| 1.0 / (3.0 * (1.0 + a).powi(2))).collect();
    let total_var = v.iter().map(|v| 1.0 + v).product::<f64>() - 1.0;
    let first = v.iter().map(|v| v / total_var).collect();
    let total = (0..a.len())
        .map(|i| {
            let others: f64 = (0..a.len()).filter(|j| *j != i).map(|j| 1.0 + v[j]).product();
            v[i] * others / total_var
        })
        .collect();
    (first, total)
}

fn assert_covers(what: &str, e: &Estimate, truth: f64) {
    assert!(
        e.low <= truth && truth <= e.high,
        "{what}: {truth} outside the 95% interval [{}, {}] (estimate {})",
        e.low,
        e.high,
        e.value
    );
}

#[test]
fn sobol_indices_of_ishigami_homma_cover_the_published_values() {
    let n = 8192;
    let plan = Plan::new(Method::Sobol, 3, n, 2025);
    assert_eq!(plan.points.len(), n * 5);
    let y = outputs(&plan, &[(-PI, PI); 3], ishigami);
    let indices = sobol(&plan, &y, &Bootstrap::new(n, 500, 2025)).expect("varies");
    // Ishigami and Homma (1990), a = 7, b = 0.1: S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
    for (i, truth) in [0.3139, 0.4424, 0.0].into_iter().enumerate() {
        assert_covers(&format!("S1[{i}]"), &indices.first[i], truth);
    }
    for (i, truth) in [0.5576, 0.4424, 0.2437].into_iter().enumerate() {
        assert_covers(&format!("ST[{i}]"), &indices.total[i], truth);
    }
    for e in indices.first.iter().chain(&indices.total) {
        assert!(e.high - e.low < 0.1, "an interval as wide as {:?} says little", e);
    }
}

#[test]
fn sobol_indices_of_the_g_function_cover_the_analytic_values() {
    let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0, 99.0, 99.0];
    let (first, total) = g_indices(&a);
    let n = 4096;
    let plan = Plan::new(Method::Sobol, a.len(), n, 7);
    let y = outputs(&plan, &[(0.0, 1.0); 8], g_function(&a));
    let indices = sobol(&plan, &y, &Bootstrap::new(n, 500, 7)).expect("varies");
    for i in 0..a.len() {
        assert_covers(&format!("S1[{i}]"), &indices.first[i], first[i]);
        assert_covers(&format!("ST[{i}]"), &indices.total[i], total[i]);
    }
}

#[test]
fn a_constant_output_has_no_indices() {
    let plan = Plan::new(Method::Sobol, 2, 64, 1);
    let y = vec![1.0; plan.points.len()];
    assert!(sobol(&plan, &y, &Bootstrap::new(64, 10, 1)).is_none());
}

#[test]
fn morris_effects_of_a_linear_function_are_its_slopes() {
    let c = [3.0, -2.0, 0.0, 0.5];
    let plan = Plan::new(Method::Morris, 4, 10, 3);
    assert_eq!(plan.points.len(), 10 * 5);
    // Every point lies on the 4-level grid, and each step moves one factor by 2/3.
    for u in plan.points.iter().flatten() {
        assert!([0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0].iter().any(|l| (u - l).abs() < 1e-12), "{u}");
    }
    let ranges = [(0.0, 2.0), (10.0, 11.0), (0.0, 1.0), (-1.0, 1.0)];
    let y = outputs(&plan, &ranges, |x| x.iter().zip(c).map(|(x, c)| x * c).sum());
    let m = morris(&plan, &y, &Bootstrap::new(10, 100, 3));
    // Per whole range: slope times width.
    for (i, (c, (lo, hi))) in c.iter().zip(ranges).enumerate() {
        let effect = c * (hi - lo);
        assert!((m.mu[i] - effect).abs() < 1e-9, "mu[{i}] = {} != {effect}", m.mu[i]);
        assert!((m.mu_star[i].value - effect.abs()).abs() < 1e-9);
        assert!(m.sigma[i] < 1e-9);
    }
}

#[test]
fn morris_ranks_the_g_function_factors_by_importance() {
    let a = [0.0, 1.0, 4.5, 9.0, 99.0, 99.0];
    let plan = Plan::new(Method::Morris, a.len(), 50, 11);
    let y = outputs(&plan, &[(0.0, 1.0); 6], g_function(&a));
    let m = morris(&plan, &y, &Bootstrap::new(50, 200, 11));
    for i in 0..3 {
        assert!(m.mu_star[i].value > m.mu_star[i + 1].value, "{:?}", m.mu_star);
    }
    assert!(m.mu_star[4].value < 0.05 && m.mu_star[5].value < 0.05);
}

#[test]
fn one_at_a_time_swings_are_the_ends_with_the_rest_at_base() {
    let plan = Plan::new(Method::Oat, 3, 1, 0);
    assert_eq!(plan.points.len(), 7);
    let y = outputs(&plan, &[(0.0, 2.0), (0.0, 4.0), (5.0, 5.5)], |x| x[0] + 10.0 * x[1] - x[2]);
    let swings = oat(&plan, &y);
    // Baseline at the middles: 1 + 20 - 5.25.
    assert_eq!(swings[0].baseline, 15.75);
    assert_eq!((swings[1].at_low, swings[1].at_high), (-4.25, 35.75));
    assert_eq!(swings.iter().map(Swing::size).collect::<Vec<_>>(), vec![2.0, 40.0, 0.5]);
}

#[test]
fn designs_depend_on_the_seed_alone() {
    for method in [Method::Oat, Method::Morris, Method::Sobol] {
        let a = Plan::new(method, 4, 32, 9);
        let b = Plan::new(method, 4, 32, 9);
        assert_eq!(format!("{:?}", a.points), format!("{:?}", b.points));
    }
    assert_ne!(Plan::new(Method::Sobol, 2, 4, 1).points, Plan::new(Method::Sobol, 2, 4, 2).points);
}

#[test]
fn the_ishigami_table_in_the_docs_is_what_the_code_gives() {
    let n = 8192;
    let plan = Plan::new(Method::Sobol, 3, n, 2025);
    let y = outputs(&plan, &[(-PI, PI); 3], ishigami);
    let indices = sobol(&plan, &y, &Bootstrap::new(n, 500, 2025)).expect("varies");
    // Minus signs as the docs print them.
    let row =
        |e: &Estimate| format!("{:.3} ({:.3}–{:.3})", e.value, e.low, e.high).replace('-', "−");
    let docs = include_str!("../../docs/sensitivity.md");
    for i in 0..3 {
        let line =
            format!("| x{} | {} | {} |", i + 1, row(&indices.first[i]), row(&indices.total[i]));
        assert!(docs.contains(&line), "docs/sensitivity.md lacks `{line}`");
    }
}

#[test]
fn findings_name_what_matters_with_intervals_and_what_can_be_dropped() {
    use super::analysis::{Found, MetricResult, factors};
    use super::findings::{findings, sentence};
    let checked = crate::scenario::check_str(
        "m.toml",
        include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
    );
    let scenario = checked.scenario.expect("valid");
    let vary = [
        "parties.us.reservation=0.1..0.5".to_string(),
        "parties.ukraine.weights.security_guarantee=0.2..0.6".to_string(),
        "parties.us.discount=0.99..0.999".to_string(),
        "parties.ukraine.discount=0.99..0.999".to_string(),
    ];
    let factors = factors(&scenario, &vary).unwrap();
    let e = |value, low, high| Estimate { value, low, high };
    let sobol = SobolIndices {
        first: vec![e(0.5, 0.45, 0.55), e(0.2, 0.15, 0.25), e(0.0, -0.01, 0.01), e(0.0, 0.0, 0.01)],
        total: vec![
            e(0.61, 0.55, 0.67),
            e(0.22, 0.18, 0.26),
            e(0.01, 0.0, 0.015),
            e(0.0, 0.0, 0.012),
        ],
        variance: 0.2,
    };
    let result = MetricResult { metric: "agreement".into(), mean: 0.7, found: Found::Sobol(sobol) };
    let text = sentence(Method::Sobol, &result, &factors, &scenario);
    assert!(
        text.starts_with(
            "Whether a deal is reached depends mostly on the United States' reservation value \
             (total index 0.61, 95% CI 0.55–0.67) and Ukraine's weight on security_guarantee \
             (0.22); the United States' discount factor and Ukraine's discount factor hardly matter \
             (total index < 0.02)."
        ),
        "{text}"
    );
    assert!(text.contains("A deal is reached in 70% of runs"), "{text}");
    assert!(text.contains("not a change in the chance of a deal"), "{text}");
    let all = findings(Method::Sobol, &[result], &factors, &scenario);
    assert_eq!(
        all.last().unwrap(),
        "Can be dropped from further study (they hardly matter for any metric here): the United \
         States' discount factor and Ukraine's discount factor."
    );
    let constant =
        MetricResult { metric: "agreement".into(), mean: 1.0, found: Found::Constant(1.0) };
    assert!(
        sentence(Method::Sobol, &constant, &factors, &scenario)
            .starts_with("A deal is reached in every run")
    );
}
