//! Benchmarks of the bargaining analysis: the solutions (with the deal's Pareto gap, as
//! `accord run` computes them) and the two-party frontier (as the utility-space chart draws
//! it), on the scenarios of docs/performance.md ("Analysis").
//!
//! Run with `cargo bench --bench analysis`; add a filter such as `-- frontier` to run one
//! group. The bench reads only `analysis::bargaining`, `analysis::pareto_gap` and
//! `analysis::pareto_frontier_2d`, which older checkouts have too, so the same file measures
//! a baseline (copy it into the baseline's `benches/` and add a `[[bench]]` entry).

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};

use accord::analysis;
use accord::model::Scenario;

/// The scenarios: (name, path relative to the crate root).
const SCENARIOS: &[(&str, &str)] = &[
    ("minerals", "scenarios/us-ukraine-minerals-2025.toml"),
    ("lng-3-parties", "scenarios/us-ukraine-eu-lng-2025.toml"),
    ("minerals-peer-discrete-20604", "benches/data/minerals-peer-discrete.toml"),
    ("ordinal-2x6-1000000", "benches/data/ordinal-1m.toml"),
    ("mixed-3x8", "benches/data/mixed-3x8.toml"),
    ("continuous-3x12", "benches/data/continuous-3x12.toml"),
    ("interior-2x12", "benches/data/interior-2x12.toml"),
    ("interior-3x12", "benches/data/interior-3x12.toml"),
];

fn load(path: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let checked = accord::scenario::load(&path).expect("readable");
    checked.scenario.expect("valid benchmark scenario")
}

/// The solutions and the gap of the first party's best outcome (a deal to assess).
fn solutions(scenario: &Scenario) -> Option<f64> {
    let res = analysis::bargaining(scenario).ok()?;
    let deal = res.utilitarian.as_ref()?;
    analysis::pareto_gap(scenario, &deal.utilities).ok()
}

fn benches(c: &mut Criterion) {
    let scenarios: Vec<(&str, Scenario)> =
        SCENARIOS.iter().map(|(name, path)| (*name, load(path))).collect();

    let mut group = c.benchmark_group("solutions");
    group.sample_size(10).warm_up_time(Duration::from_millis(500));
    for (name, scenario) in &scenarios {
        if let Err(err) = analysis::bargaining(scenario) {
            eprintln!("solutions/{name}: refused: {err}");
            continue;
        }
        group.bench_function(*name, |b| b.iter(|| black_box(solutions(black_box(scenario)))));
    }
    group.finish();

    let mut group = c.benchmark_group("frontier");
    group.sample_size(10).warm_up_time(Duration::from_millis(500));
    for (name, scenario) in &scenarios {
        if scenario.parties().len() != 2 {
            continue;
        }
        if let Err(err) = analysis::pareto_frontier_2d(scenario, 101) {
            eprintln!("frontier/{name}: refused: {err}");
            continue;
        }
        group.bench_function(*name, |b| {
            b.iter(|| black_box(analysis::pareto_frontier_2d(black_box(scenario), 101)))
        });
    }
    group.finish();
}

criterion_group!(analysis_benches, benches);
criterion_main!(analysis_benches);
