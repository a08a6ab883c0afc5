//! Benchmarks: the negotiation engine alone, the bargaining analysis alone, and a whole
//! analysed run, on each shipped scenario.
//!
//! Run with `cargo bench --bench sim`; add a filter such as `-- engine` to run one group.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use accord::analysis;
use accord::model::Scenario;
use accord::protocol::{Silent, run_negotiation};
use accord::run::{AnalysisLevel, RunConfig, simulate};

fn shipped() -> Vec<(String, Scenario)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out: Vec<(String, Scenario)> = std::fs::read_dir(dir)
        .expect("scenarios/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| {
            let checked = accord::scenario::load(&p).expect("readable");
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, checked.scenario.expect("valid shipped scenario"))
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn benches(c: &mut Criterion) {
    let scenarios = shipped();
    let mut engine = c.benchmark_group("engine");
    for (name, scenario) in &scenarios {
        engine.bench_function(name.as_str(), |b| {
            b.iter(|| {
                let mut rng = ChaCha8Rng::seed_from_u64(scenario.seed());
                black_box(run_negotiation(black_box(scenario), &mut rng, &mut Silent))
            })
        });
    }
    engine.finish();

    let mut analysis_group = c.benchmark_group("analysis");
    for (name, scenario) in &scenarios {
        analysis_group.bench_function(name.as_str(), |b| {
            b.iter(|| {
                black_box(analysis::Problem::new(black_box(scenario)).map(|p| p.bargaining()))
            })
        });
    }
    analysis_group.finish();

    let mut full = c.benchmark_group("simulate");
    for (name, scenario) in &scenarios {
        let config = RunConfig {
            seed: scenario.seed(),
            file: String::new(),
            analysis: AnalysisLevel::Solutions,
        };
        full.bench_function(name.as_str(), |b| b.iter(|| black_box(simulate(scenario, &config))));
    }
    full.finish();
}

criterion_group!(sim, benches);
criterion_main!(sim);
