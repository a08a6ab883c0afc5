//! Property tests: on random small scenarios, the solutions are rational, Pareto-optimal and
//! at least as good as every randomly sampled outcome by their own criterion, and the Pareto
//! frontier is made of Pareto-optimal points spanning every sampled outcome.

use proptest::prelude::*;

use crate::analysis::cells::Decomposition;
use crate::analysis::testing::{continuous, ordinal, party, scenario};
use crate::analysis::{
    Bargaining, Problem, SolutionPoint, bargaining, pareto_frontier_2d, pareto_gap,
};
use crate::model::{Issue, Outcome, Scenario, ValueFn};

/// Slack for comparisons against sampled outcomes and for individual rationality.
const TOL: f64 = 1e-9;

/// Utilities may leave `[0, 1]` by rounding in the weighted sum (1.0000000000000002 happens).
const UNIT: std::ops::RangeInclusive<f64> = -1e-12..=1.0 + 1e-12;

/// How many random outcomes each case compares the solutions against.
const N_SAMPLES: usize = 60;

/// Draws numbers in `[0, 1)` from a fixed list, in order, wrapping around.
struct Genes<'a> {
    genes: &'a [f64],
    next: usize,
}

impl Genes<'_> {
    fn draw(&mut self) -> f64 {
        let gene = self.genes[self.next % self.genes.len()];
        self.next += 1;
        gene
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.draw() * n as f64) as usize).min(n - 1)
    }
}

/// Builds a scenario with `n_parties` parties and issues of the given kinds (`None` for
/// continuous, `Some(n)` for `n` levels), drawing every number from `genes`.
fn random_scenario(n_parties: usize, kinds: &[Option<usize>], genes: &[f64]) -> Scenario {
    let mut genes = Genes { genes, next: 0 };
    let issues: Vec<Issue> = kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| match kind {
            Some(n_levels) => ordinal(&format!("g{i}"), *n_levels),
            None => continuous(&format!("x{i}"), 0.0, [1.0, 10.0, 100.0][genes.below(3)]),
        })
        .collect();
    let parties = (0..n_parties)
        .map(|p| {
            let weights: Vec<f64> = issues.iter().map(|_| 0.05 + genes.draw()).collect();
            let values = issues.iter().map(|issue| random_value(issue, &mut genes)).collect();
            party(&format!("p{p}"), 0.6 * genes.draw(), &weights, values)
        })
        .collect();
    scenario(issues, parties)
}

/// A tent, or a random piecewise or level table, for one issue.
fn random_value(issue: &Issue, genes: &mut Genes) -> ValueFn {
    let (lower, upper) = (issue.lower(), issue.upper());
    match (issue.is_ordinal(), genes.below(2)) {
        (true, 0) => ValueFn::tent_levels(issue.levels().len(), genes.below(issue.levels().len())),
        (true, _) => ValueFn::Levels(issue.levels().iter().map(|_| genes.draw()).collect()),
        (false, 0) => ValueFn::tent(lower, upper, lower + genes.draw() * (upper - lower)),
        (false, _) => {
            // Three points at increasing x inside the range (possibly not covering it).
            let mut xs = [genes.draw(), genes.draw(), genes.draw()];
            xs.sort_by(f64::total_cmp);
            let points: Vec<(f64, f64)> = xs
                .iter()
                .enumerate()
                .map(|(k, x)| (lower + (x + k as f64) / 3.0 * (upper - lower), genes.draw()))
                .collect();
            ValueFn::Piecewise(points)
        }
    }
}

/// A random outcome of the scenario.
fn random_outcome(scenario: &Scenario, genes: &mut Genes) -> Outcome {
    Outcome::new(
        scenario
            .issues()
            .iter()
            .map(|issue| match issue.is_ordinal() {
                true => genes.below(issue.levels().len()) as f64,
                false => issue.lower() + genes.draw() * (issue.upper() - issue.lower()),
            })
            .collect(),
    )
}

fn utilities(scenario: &Scenario, outcome: &Outcome) -> Vec<f64> {
    scenario.parties().iter().map(|p| p.utility(outcome)).collect()
}

fn nash_product(utilities: &[f64], d: &[f64]) -> f64 {
    utilities.iter().zip(d).map(|(u, d)| (u - d).max(0.0)).product()
}

fn check_solution(s: &Scenario, res: &Bargaining, point: &SolutionPoint, samples: &[Vec<f64>]) {
    for (u, d) in point.utilities.iter().zip(&res.disagreement) {
        assert!(UNIT.contains(u), "utility out of [0, 1]: {point:?}");
        assert!(*u >= d - TOL, "not individually rational: {point:?}");
    }
    let gap = pareto_gap(s, &point.utilities).unwrap();
    assert!(gap <= 1e-6, "pareto gap {gap} at {point:?}");
    for sample in samples {
        let dominates = sample.iter().zip(&point.utilities).all(|(a, b)| *a > b + 1e-6);
        assert!(!dominates, "{sample:?} dominates {point:?}");
    }
}

fn issue_kind() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![Just(None), (2usize..=4).prop_map(Some)]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        // Keep proptest from writing regression files outside this folder.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn solutions_are_rational_efficient_and_unbeaten_by_samples(
        n_parties in 2usize..=3,
        kinds in prop::collection::vec(issue_kind(), 1..=3),
        genes in prop::collection::vec(0.0f64..1.0, 64),
        sample_genes in prop::collection::vec(0.0f64..1.0, 3 * N_SAMPLES),
    ) {
        let s = random_scenario(n_parties, &kinds, &genes);
        let res = bargaining(&s).unwrap();
        let d = &res.disagreement;
        let mut sample_genes = Genes { genes: &sample_genes, next: 0 };
        let samples: Vec<Vec<f64>> =
            (0..N_SAMPLES).map(|_| utilities(&s, &random_outcome(&s, &mut sample_genes))).collect();
        for sample in &samples {
            assert!(sample.iter().all(|u| UNIT.contains(u)), "{sample:?}");
        }
        let rational: Vec<&Vec<f64>> =
            samples.iter().filter(|u| u.iter().zip(d).all(|(u, d)| *u >= *d)).collect();

        // A sample strictly better for everyone proves a zone of agreement.
        if samples.iter().any(|u| u.iter().zip(d).all(|(u, d)| u - d > 1e-6)) {
            prop_assert!(res.zone_of_agreement);
        }
        if res.zone_of_agreement {
            prop_assert!(res.nash.is_some() && res.kalai_smorodinsky.is_some());
        }
        if !rational.is_empty() {
            prop_assert!(res.ideal.is_some() && res.utilitarian.is_some());
        }
        if let Some(ideal) = &res.ideal {
            for u in &rational {
                prop_assert!(u.iter().zip(ideal).all(|(u, top)| *u <= top + TOL), "{u:?} {ideal:?}");
            }
        }
        for point in [&res.nash, &res.kalai_smorodinsky, &res.utilitarian].into_iter().flatten() {
            check_solution(&s, &res, point, &samples);
        }
        if let Some(nash) = &res.nash {
            let best = nash_product(&nash.utilities, d);
            for u in &rational {
                prop_assert!(best >= nash_product(u, d) - TOL, "{u:?} beats Nash {nash:?}");
            }
        }
        if let Some(utilitarian) = &res.utilitarian {
            let best: f64 = utilitarian.utilities.iter().sum();
            for u in &rational {
                prop_assert!(best >= u.iter().sum::<f64>() - TOL, "{u:?} beats {utilitarian:?}");
            }
        }
        if let (Some(ks), Some(ideal)) = (&res.kalai_smorodinsky, &res.ideal) {
            let lambda = |u: &[f64]| {
                (0..d.len()).map(|p| (u[p] - d[p]) / (ideal[p] - d[p])).fold(f64::INFINITY, f64::min)
            };
            let best = lambda(&ks.utilities);
            for u in &rational {
                prop_assert!(best >= lambda(u) - 1e-8, "{u:?} beats KS {ks:?}");
            }
        }
    }

    #[test]
    fn frontier_points_are_pareto_optimal_and_span_the_sampled_outcomes(
        kinds in prop::collection::vec(issue_kind(), 1..=3),
        genes in prop::collection::vec(0.0f64..1.0, 64),
        sample_genes in prop::collection::vec(0.0f64..1.0, 3 * N_SAMPLES),
    ) {
        let s = random_scenario(2, &kinds, &genes);
        let points = pareto_frontier_2d(&s, 21).unwrap();
        prop_assert!(!points.is_empty() && points.len() <= 21, "{} points", points.len());
        for pair in points.windows(2) {
            prop_assert!(pair[0][0] < pair[1][0] && pair[0][1] > pair[1][1], "{pair:?}");
        }
        for point in &points {
            prop_assert!(point.iter().all(|u| UNIT.contains(u)), "{point:?}");
            let gap = pareto_gap(&s, point).unwrap();
            prop_assert!(gap <= 1e-6, "pareto gap {gap} at {point:?}");
        }
        // The ends are each party's best: no outcome gives more to either.
        let (left, right) = (points[0], points[points.len() - 1]);
        let mut sample_genes = Genes { genes: &sample_genes, next: 0 };
        for _ in 0..N_SAMPLES {
            let u = utilities(&s, &random_outcome(&s, &mut sample_genes));
            prop_assert!(u[1] <= left[1] + TOL && u[0] <= right[0] + TOL, "{u:?} {points:?}");
        }
    }
}

proptest! {
    // 64 cases, or `ACCORD_PROPTEST_CASES` (2000 take about a second).
    #![proptest_config(crate::analysis::testing::proptest_config(64))]

    /// Concave pieces (one cell per stretch where every value is concave) and intervals (one
    /// cell per segment) are two exact decompositions: every solution concept reaches the
    /// same value on both, the same points are Pareto-optimal on both, and the frontiers
    /// agree. Value functions are tents (concave) or random three-point tables, which bend
    /// up and stay flat outside their points, so both kinds of cut are exercised.
    #[test]
    fn concave_pieces_and_intervals_give_the_same_analysis(
        n_parties in 2usize..=3,
        kinds in prop::collection::vec(issue_kind(), 1..=3),
        genes in prop::collection::vec(0.0f64..1.0, 64),
        sample_genes in prop::collection::vec(0.0f64..1.0, 3 * N_SAMPLES),
    ) {
        let s = random_scenario(n_parties, &kinds, &genes);
        let fine = Problem::with_decomposition(&s, Some(Decomposition::Intervals)).unwrap();
        let merged = Problem::with_decomposition(&s, Some(Decomposition::ConcavePieces)).unwrap();
        let (a, b) = (fine.bargaining(), merged.bargaining());
        let d = &a.disagreement;
        let close = |x: f64, y: f64, tol: f64| (x - y).abs() <= tol;
        prop_assert_eq!(a.zone_of_agreement, b.zone_of_agreement);
        match (&a.ideal, &b.ideal) {
            (Some(x), Some(y)) => {
                prop_assert!(x.iter().zip(y).all(|(x, y)| close(*x, *y, TOL)), "{x:?} {y:?}")
            }
            (x, y) => prop_assert_eq!(x, y),
        }
        let total = |p: &SolutionPoint| p.utilities.iter().sum::<f64>();
        prop_assert_eq!(a.utilitarian.is_some(), b.utilitarian.is_some());
        if let (Some(x), Some(y)) = (&a.utilitarian, &b.utilitarian) {
            prop_assert!(close(total(x), total(y), TOL), "{x:?} {y:?}");
        }
        prop_assert_eq!(a.nash.is_some(), b.nash.is_some());
        if let (Some(x), Some(y)) = (&a.nash, &b.nash) {
            let (px, py) = (nash_product(&x.utilities, d), nash_product(&y.utilities, d));
            prop_assert!(close(px, py, TOL), "{x:?} {y:?}");
        }
        prop_assert_eq!(a.kalai_smorodinsky.is_some(), b.kalai_smorodinsky.is_some());
        if let (Some(x), Some(y), Some(ideal)) = (&a.kalai_smorodinsky, &b.kalai_smorodinsky, &a.ideal) {
            let lambda = |u: &[f64]| {
                (0..d.len()).map(|p| (u[p] - d[p]) / (ideal[p] - d[p])).fold(f64::INFINITY, f64::min)
            };
            prop_assert!(close(lambda(&x.utilities), lambda(&y.utilities), 1e-8), "{x:?} {y:?}");
        }
        // The gap of any utilities is the same on both, and each one's solutions are
        // Pareto-optimal on the other.
        let mut sample_genes = Genes { genes: &sample_genes, next: 0 };
        for _ in 0..8 {
            let u = utilities(&s, &random_outcome(&s, &mut sample_genes));
            let (gx, gy) = (fine.pareto_gap(&u).unwrap(), merged.pareto_gap(&u).unwrap());
            prop_assert!(close(gx, gy, TOL), "{u:?}: {gx} {gy}");
        }
        for point in [&b.nash, &b.kalai_smorodinsky, &b.utilitarian].into_iter().flatten() {
            let gap = fine.pareto_gap(&point.utilities).unwrap();
            prop_assert!(gap <= 1e-7, "gap {gap} at {point:?}");
        }
        if n_parties == 2 {
            let (fx, fy) = (fine.frontier(21).unwrap(), merged.frontier(21).unwrap());
            let (ex, ey) = ((fx[0], fx[fx.len() - 1]), (fy[0], fy[fy.len() - 1]));
            for k in 0..2 {
                prop_assert!(close(ex.0[k], ey.0[k], TOL) && close(ex.1[k], ey.1[k], TOL), "{fx:?} {fy:?}");
            }
            for point in &fy {
                let gap = fine.pareto_gap(point).unwrap();
                prop_assert!(gap <= 1e-7, "gap {gap} at {point:?}");
            }
        }
    }
}
