//! Hand-computed bargaining cases. Each test states the closed-form answer it checks.

use crate::analysis::testing::{continuous, ordinal, party, scenario};
use crate::analysis::{
    AnalysisError, Bargaining, MAX_ANALYSIS_SECONDS, PARETO_TOLERANCE, SolutionPoint, bargaining,
    distance, pareto_gap,
};
use crate::model::{Scenario, ValueFn};

/// Asserts that `point` has the given outcome and utilities, each to `tol`.
fn check_point(point: &Option<SolutionPoint>, outcome: &[f64], utilities: &[f64], tol: f64) {
    let point = point.as_ref().expect("a solution");
    let close = |a: &[f64], b: &[f64]| {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() <= tol)
    };
    assert!(
        close(point.outcome.values(), outcome),
        "outcome {:?}, expected {outcome:?}",
        point.outcome
    );
    assert!(
        close(&point.utilities, utilities),
        "utilities {:?}, expected {utilities:?}",
        point.utilities
    );
}

fn assert_pareto_optimal(scenario: &Scenario, point: &Option<SolutionPoint>) {
    let point = point.as_ref().expect("a solution");
    let gap = pareto_gap(scenario, &point.utilities).unwrap();
    assert!(gap <= PARETO_TOLERANCE, "pareto gap {gap} at {point:?}");
}

/// One issue on [0, 1]; A's value is x, B's value is given.
fn one_issue(d_a: f64, d_b: f64, b_value: ValueFn) -> Scenario {
    let a = party("a", d_a, &[1.0], vec![ValueFn::tent(0.0, 1.0, 1.0)]);
    let b = party("b", d_b, &[1.0], vec![b_value]);
    scenario(vec![continuous("x", 0.0, 1.0)], vec![a, b])
}

/// Two issues on [0, 1]; A wants both high, B both low; the weights are given.
fn two_linear_issues(weights_a: &[f64], weights_b: &[f64]) -> Scenario {
    let high = || ValueFn::tent(0.0, 1.0, 1.0);
    let low = || ValueFn::tent(0.0, 1.0, 0.0);
    let a = party("a", 0.0, weights_a, vec![high(), high()]);
    let b = party("b", 0.0, weights_b, vec![low(), low()]);
    scenario(vec![continuous("x", 0.0, 1.0), continuous("y", 0.0, 1.0)], vec![a, b])
}

#[test]
fn nash_and_ks_split_a_linear_pie_above_the_reservations() {
    // Nash maximizes (x - 0.25)(1 - x): x = 0.625. KS: U = (1, 0.75), and
    // (x - 0.25) / 0.75 = (1 - x) / 0.75 also gives x = 0.625.
    let s = one_issue(0.25, 0.0, ValueFn::tent(0.0, 1.0, 0.0));
    let res = bargaining(&s).unwrap();
    assert!(res.zone_of_agreement);
    assert_eq!(res.disagreement, vec![0.25, 0.0]);
    let ideal = res.ideal.as_ref().unwrap();
    assert!((ideal[0] - 1.0).abs() < 1e-9 && (ideal[1] - 0.75).abs() < 1e-9, "{ideal:?}");
    check_point(&res.nash, &[0.625], &[0.625, 0.375], 1e-9);
    check_point(&res.kalai_smorodinsky, &[0.625], &[0.625, 0.375], 1e-9);
    // Every IR split has total 1, so any IR point is utilitarian.
    let utilitarian = res.utilitarian.as_ref().unwrap();
    assert!((utilitarian.utilities.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    assert!(utilitarian.utilities[0] >= 0.25 - 1e-9);
}

#[test]
fn nash_and_ks_differ_on_a_kinked_frontier() {
    // B's value bends at x = 0.5: 1 - x/2 before, 1.5 - 1.5x after. The Nash product x * v_B(x)
    // rises up to the kink and falls after it, so Nash is x = 0.5 with utilities (0.5, 0.75).
    // KS with U = (1, 1) wants u_A = u_B: x = 1.5 - 1.5x, so x = 0.6 and utilities (0.6, 0.6).
    // The total x + v_B(x) also peaks at the kink: 1.25.
    let b_value = ValueFn::Piecewise(vec![(0.0, 1.0), (0.5, 0.75), (1.0, 0.0)]);
    let s = one_issue(0.0, 0.0, b_value);
    let res = bargaining(&s).unwrap();
    check_point(&res.nash, &[0.5], &[0.5, 0.75], 1e-9);
    check_point(&res.kalai_smorodinsky, &[0.6], &[0.6, 0.6], 1e-8);
    check_point(&res.utilitarian, &[0.5], &[0.5, 0.75], 1e-9);
}

#[test]
fn ks_scales_each_gain_by_the_partys_own_ideal_gain() {
    // B's value falls from 0.5 to 0 across the range, so U = (1, 0.5). KS equalizes the shares
    // x / 1 and (0.5 - 0.5x) / 0.5, at x = 0.5 with utilities (0.5, 0.25); equal raw gains would
    // instead give x = 1/3.
    let s = one_issue(0.0, 0.0, ValueFn::Piecewise(vec![(0.0, 0.5), (1.0, 0.0)]));
    let res = bargaining(&s).unwrap();
    check_point(&res.kalai_smorodinsky, &[0.5], &[0.5, 0.25], 1e-8);
}

#[test]
fn utilitarian_gives_each_party_its_high_weight_issue() {
    // u_A = 0.8x + 0.2y, u_B = 0.2(1 - x) + 0.8(1 - y). The total 1 + 0.6x - 0.6y peaks at
    // (1, 0) with utilities (0.8, 0.8). The frontier bends there (slopes -1/4 and -4), the Nash
    // product u_A u_B rises along the first edge and falls along the second, and the KS ray
    // u_A = u_B meets the frontier at the same vertex.
    let s = two_linear_issues(&[0.8, 0.2], &[0.2, 0.8]);
    let res = bargaining(&s).unwrap();
    check_point(&res.utilitarian, &[1.0, 0.0], &[0.8, 0.8], 1e-9);
    check_point(&res.nash, &[1.0, 0.0], &[0.8, 0.8], 1e-9);
    check_point(&res.kalai_smorodinsky, &[1.0, 0.0], &[0.8, 0.8], 1e-8);
    for point in [&res.nash, &res.kalai_smorodinsky, &res.utilitarian] {
        assert_pareto_optimal(&s, point);
    }
}

#[test]
fn ks_moves_along_the_frontier_when_weights_are_lopsided() {
    // u_A = 0.8x + 0.2y, u_B = 0.5(1 - x) + 0.5(1 - y). The frontier runs from (0, 1) to
    // (0.8, 0.5) (y = 0, slope -0.625) and then to (1, 0). Nash: u_A (1 - 0.625 u_A) peaks at
    // u_A = 0.8, the vertex x = 1. KS: u_A = u_B = 1 / 1.625 = 8/13 at x = 10/13, y = 0.
    let s = two_linear_issues(&[0.8, 0.2], &[0.5, 0.5]);
    let res = bargaining(&s).unwrap();
    check_point(&res.nash, &[1.0, 0.0], &[0.8, 0.5], 1e-9);
    check_point(&res.kalai_smorodinsky, &[10.0 / 13.0, 0.0], &[8.0 / 13.0, 8.0 / 13.0], 1e-8);
    assert_pareto_optimal(&s, &res.kalai_smorodinsky);
}

#[test]
fn ordinal_levels_combine_with_a_continuous_issue() {
    // u_A = 0.5 a(g) + 0.5x with a = (1, 0.5, 0); u_B = 0.5 b(g) + 0.5(1 - x) with
    // b = (0, 0.9, 1). At level 1 the frontier is u_A + u_B = 1.2, the best of all levels, so
    // Nash and KS (U = (1, 1)) both pick level 1 with u_A = u_B = 0.6, that is x = 0.7.
    let a = party(
        "a",
        0.0,
        &[1.0, 1.0],
        vec![ValueFn::tent_levels(3, 0), ValueFn::tent(0.0, 1.0, 1.0)],
    );
    let b_levels = ValueFn::Levels(vec![0.0, 0.9, 1.0]);
    let b = party("b", 0.0, &[1.0, 1.0], vec![b_levels, ValueFn::tent(0.0, 1.0, 0.0)]);
    let s = scenario(vec![ordinal("g", 3), continuous("x", 0.0, 1.0)], vec![a, b]);
    let res = bargaining(&s).unwrap();
    check_point(&res.nash, &[1.0, 0.7], &[0.6, 0.6], 1e-9);
    check_point(&res.kalai_smorodinsky, &[1.0, 0.7], &[0.6, 0.6], 1e-8);
    let utilitarian = res.utilitarian.as_ref().unwrap();
    assert_eq!(utilitarian.outcome.get(0), 1.0);
    assert!((utilitarian.utilities.iter().sum::<f64>() - 1.2).abs() < 1e-9);
}

#[test]
fn interior_ideals_put_the_solutions_between_them() {
    // On [0, 10], A's tent peaks at 4 (reach 6), B's at 7 (reach 7). Between the peaks
    // u_A = (10 - x) / 6 and u_B = x / 7. Nash maximizes x (10 - x): x = 5. KS (U = (1, 1)):
    // (10 - x) / 6 = x / 7 gives x = 70/13. The total falls with x, so utilitarian is x = 4.
    let a = party("a", 0.0, &[1.0], vec![ValueFn::tent(0.0, 10.0, 4.0)]);
    let b = party("b", 0.0, &[1.0], vec![ValueFn::tent(0.0, 10.0, 7.0)]);
    let s = scenario(vec![continuous("x", 0.0, 10.0)], vec![a, b]);
    let res = bargaining(&s).unwrap();
    check_point(&res.nash, &[5.0], &[5.0 / 6.0, 5.0 / 7.0], 1e-8);
    check_point(&res.kalai_smorodinsky, &[70.0 / 13.0], &[10.0 / 13.0, 10.0 / 13.0], 1e-7);
    check_point(&res.utilitarian, &[4.0], &[1.0, 4.0 / 7.0], 1e-8);
}

#[test]
fn reservations_above_the_pie_leave_no_zone_and_no_solutions() {
    let s = one_issue(0.6, 0.6, ValueFn::tent(0.0, 1.0, 0.0));
    let res = bargaining(&s).unwrap();
    let expected = Bargaining {
        disagreement: vec![0.6, 0.6],
        zone_of_agreement: false,
        ideal: None,
        nash: None,
        kalai_smorodinsky: None,
        utilitarian: None,
    };
    assert_eq!(res, expected);
}

#[test]
fn reservations_that_exactly_exhaust_the_pie_leave_no_zone() {
    // The only IR outcome is x = 0.5, where nobody gains: no zone, no Nash or KS point.
    let s = one_issue(0.5, 0.5, ValueFn::tent(0.0, 1.0, 0.0));
    let res = bargaining(&s).unwrap();
    assert!(!res.zone_of_agreement);
    assert!(res.nash.is_none() && res.kalai_smorodinsky.is_none());
    // The single IR outcome is still found, as the ideal and the utilitarian point.
    let ideal = res.ideal.as_ref().unwrap();
    assert!(ideal.iter().all(|u| (u - 0.5).abs() < 1e-9), "{ideal:?}");
    check_point(&res.utilitarian, &[0.5], &[0.5, 0.5], 1e-9);
}

#[test]
fn three_party_solutions_are_rational_and_pareto_optimal() {
    let issues = vec![continuous("x", 0.0, 100.0), continuous("y", 0.0, 10.0), ordinal("g", 4)];
    let a = party(
        "a",
        0.2,
        &[0.5, 0.3, 0.2],
        vec![
            ValueFn::tent(0.0, 100.0, 100.0),
            ValueFn::tent(0.0, 10.0, 3.0),
            ValueFn::tent_levels(4, 0),
        ],
    );
    let b = party(
        "b",
        0.3,
        &[0.2, 0.5, 0.3],
        vec![
            ValueFn::tent(0.0, 100.0, 0.0),
            ValueFn::tent(0.0, 10.0, 10.0),
            ValueFn::tent_levels(4, 3),
        ],
    );
    let c = party(
        "c",
        0.1,
        &[0.3, 0.2, 0.5],
        vec![
            ValueFn::tent(0.0, 100.0, 40.0),
            ValueFn::tent(0.0, 10.0, 0.0),
            ValueFn::tent_levels(4, 1),
        ],
    );
    let s = scenario(issues, vec![a, b, c]);
    let res = bargaining(&s).unwrap();
    assert!(res.zone_of_agreement);
    for point in [&res.nash, &res.kalai_smorodinsky, &res.utilitarian] {
        assert_pareto_optimal(&s, point);
        let point = point.as_ref().unwrap();
        for (u, d) in point.utilities.iter().zip(&res.disagreement) {
            assert!((-1e-12..=1.0 + 1e-12).contains(u), "{point:?}");
            assert!(*u >= d - 1e-9, "not individually rational: {point:?}");
        }
    }
    // KS maximizes the smallest share of the ideal gain, lambda: no other solution beats it.
    // (With three parties the KS point need not have equal shares: the second stage may give
    // one party more than lambda when that costs the others nothing.)
    let ideal = res.ideal.as_ref().unwrap();
    let lambda = |point: &Option<SolutionPoint>| {
        let utilities = &point.as_ref().unwrap().utilities;
        (0..3)
            .map(|p| (utilities[p] - res.disagreement[p]) / (ideal[p] - res.disagreement[p]))
            .fold(f64::INFINITY, f64::min)
    };
    let ks_lambda = lambda(&res.kalai_smorodinsky);
    assert!(ks_lambda > 0.0);
    assert!(ks_lambda >= lambda(&res.nash) - 1e-9);
    assert!(ks_lambda >= lambda(&res.utilitarian) - 1e-9);
}

#[test]
fn pareto_gap_measures_the_gain_over_a_dominated_deal() {
    // Giving each party its low-weight issue, (x, y) = (0, 1), yields (0.2, 0.2); the
    // utilitarian point (0.8, 0.8) dominates it, for a total gain of 1.2.
    let s = two_linear_issues(&[0.8, 0.2], &[0.2, 0.8]);
    let gap = pareto_gap(&s, &[0.2, 0.2]).unwrap();
    assert!((gap - 1.2).abs() < 1e-9, "{gap}");
    // A point on the frontier has no gap.
    assert!(pareto_gap(&s, &[0.9, 0.4]).unwrap() <= PARETO_TOLERANCE);
}

#[test]
fn pareto_gap_rejects_a_utility_vector_of_the_wrong_length() {
    let s = two_linear_issues(&[0.8, 0.2], &[0.2, 0.8]);
    assert_eq!(pareto_gap(&s, &[0.5]), Err(AnalysisError::UtilityCount { expected: 2, found: 1 }));
}

#[test]
fn analyses_twelve_continuous_issues_with_three_interior_ideals_as_one_cell() {
    // Twelve continuous issues, each split in four by the three parties' ideals: 16.7 million
    // cells of intervals (refused before concave pieces), one cell of concave pieces.
    let n = 12;
    let issues: Vec<_> = (0..n).map(|i| continuous(&format!("x{i}"), 0.0, 1.0)).collect();
    let values = |ideal: f64| (0..n).map(|_| ValueFn::tent(0.0, 1.0, ideal)).collect();
    let parties = [0.2, 0.5, 0.7]
        .iter()
        .enumerate()
        .map(|(p, ideal)| party(&format!("p{p}"), 0.3, &[1.0; 12], values(*ideal)))
        .collect();
    let s = scenario(issues, parties);
    let res = bargaining(&s).unwrap();
    assert!(res.zone_of_agreement);
    // Every issue is the same one-dimensional problem: the utilitarian point puts each issue
    // at the middle ideal, 0.5, where the total is 1 + 0.625 + 0.6 (tents reaching 0 at the
    // far end: p0 falls over 0.8, p2 over 0.7).
    let utilitarian = res.utilitarian.unwrap();
    assert!(utilitarian.outcome.values().iter().all(|x| *x == 0.5), "{utilitarian:?}");
    let expected = [1.0 - 0.3 / 0.8, 1.0, 1.0 - 0.2 / 0.7];
    for (u, e) in utilitarian.utilities.iter().zip(expected) {
        assert!((u - e).abs() < 1e-12, "{utilitarian:?}");
    }
    assert!(res.nash.is_some() && res.kalai_smorodinsky.is_some());
}

#[test]
fn refuses_an_outcome_space_by_its_estimated_work() {
    // Twelve continuous issues on which each of three parties likes both ends and dislikes
    // one point (a value that bends up there): no piece can span those points, so each issue
    // splits in four and the space has 16.7 million cells with up to twelve variables.
    let n = 12;
    let issues: Vec<_> = (0..n).map(|i| continuous(&format!("x{i}"), 0.0, 1.0)).collect();
    let values = |low: f64| {
        (0..n).map(|_| ValueFn::Piecewise(vec![(0.0, 1.0), (low, 0.0), (1.0, 1.0)])).collect()
    };
    let parties = [0.2, 0.5, 0.7]
        .iter()
        .enumerate()
        .map(|(p, low)| party(&format!("p{p}"), 0.0, &[1.0; 12], values(*low)))
        .collect();
    let s = scenario(issues, parties);
    let err = bargaining(&s).unwrap_err();
    let AnalysisError::TooMuchWork { cells, variables, seconds, limit } = err.clone() else {
        panic!("expected TooMuchWork, got {err:?}");
    };
    assert_eq!((cells, variables, limit), (4u128.pow(12), 12, MAX_ANALYSIS_SECONDS));
    assert!(seconds > limit, "{seconds}");
    let message = err.to_string();
    assert!(
        message.starts_with(
            "the outcome space splits into 16,777,216 cells with up to 12 continuous variables \
             each, an estimated "
        ) && message
            .ends_with("value points that only bend down (concave, as the tent of an `ideal` is)"),
        "{message}"
    );
}

#[test]
fn an_all_ordinal_space_too_large_is_refused_in_outcomes_with_grouped_digits() {
    // Twelve issues of ten levels, random-looking values: 10^12 outcomes.
    let issues: Vec<_> = (0..12).map(|i| ordinal(&format!("g{i}"), 10)).collect();
    let values = |shift: usize| {
        (0..12)
            .map(|i| {
                ValueFn::Levels(
                    (0..10).map(|l| ((l * 7 + i * 3 + shift) % 10) as f64 / 9.0).collect(),
                )
            })
            .collect()
    };
    let s = scenario(
        issues,
        vec![party("a", 0.2, &[1.0; 12], values(0)), party("b", 0.3, &[1.0; 12], values(5))],
    );
    let err = bargaining(&s).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with("the outcome space has 1,000,000,000,000 outcomes, an estimated "),
        "{message}"
    );
    assert!(
        message.ends_with(
            "use fewer issues or fewer levels on ordinal issues (merge levels that differ little)"
        ),
        "{message}"
    );
}

#[test]
fn analyses_an_all_ordinal_space_of_a_million_outcomes() {
    // Six issues of ten levels, opposed linear values: the old cell cap (50,000) refused this.
    let issues: Vec<_> = (0..6).map(|i| ordinal(&format!("g{i}"), 10)).collect();
    let values = |ideal| (0..6).map(|_| ValueFn::tent_levels(10, ideal)).collect();
    let s = scenario(
        issues,
        vec![party("a", 0.2, &[1.0; 6], values(0)), party("b", 0.3, &[1.0; 6], values(9))],
    );
    let res = bargaining(&s).unwrap();
    assert!(res.zone_of_agreement);
    // A linear pie: every outcome is on the line u_a + u_b = 1; the utilitarian point is the
    // first outcome (index order) that is individually rational.
    let u = &res.utilitarian.as_ref().unwrap().utilities;
    assert!((u[0] + u[1] - 1.0).abs() < 1e-12, "{u:?}");
    let nash = &res.nash.as_ref().unwrap().utilities;
    // Nash maximizes (u_a - 0.2)(0.7 - u_a), which peaks at 0.45, over multiples of 1/54:
    // 24/54 gives 0.06247, 25/54 gives 0.06233.
    assert!((nash[0] - 24.0 / 54.0).abs() < 1e-12, "{nash:?}");
}

#[test]
fn repeated_analysis_gives_identical_results() {
    let s = two_linear_issues(&[0.7, 0.3], &[0.4, 0.6]);
    assert_eq!(bargaining(&s).unwrap(), bargaining(&s).unwrap());
}

#[test]
fn distance_is_euclidean() {
    assert_eq!(distance(&[0.0, 0.0], &[3.0, 4.0]), 5.0);
    assert_eq!(distance(&[0.5], &[0.5]), 0.0);
}
