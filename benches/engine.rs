//! Engine benchmarks on the NegMAS peer scenario (`benches/data/minerals-peer.toml`, a copy
//! of `../shared/bench/minerals-peer.toml`): one negotiation (reported per round as well),
//! one negotiation with the run record's observer, `run::simulate` without the frontier,
//! and a 16,000-round negotiation under learned information (the opponent model's cost).
//!
//! Run with `cargo bench --bench engine`; docs/performance.md records the figures.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use accord::export::record::Recorder;
use accord::model::Scenario;
use accord::protocol::{Observer, Silent, Workspace, run_negotiation};
use accord::run::{AnalysisLevel, RunConfig, simulate};

fn peer_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/minerals-peer.toml");
    std::fs::read_to_string(path).expect("benches/data/minerals-peer.toml")
}

fn scenario(text: &str) -> Scenario {
    accord::scenario::check_str("minerals-peer.toml", text).scenario.expect("valid")
}

/// The peer scenario under learned information, with two hardliners that never agree, so
/// that the talks run to a 16,000-round deadline.
fn learned_long() -> Scenario {
    let text = peer_text()
        .replace("information = \"complete\"", "information = \"learned\"")
        .replace("max_rounds = 200", "max_rounds = 16000")
        .replace("{ kind = \"boulware\", exponent = 0.25 }", "{ kind = \"hardliner\" }")
        .replace("{ kind = \"conceder\", exponent = 4.0 }", "{ kind = \"hardliner\" }");
    let s = scenario(&text);
    assert_eq!(s.max_rounds(), 16000);
    s
}

/// Rounds played (offers made) in one run.
fn rounds(scenario: &Scenario) -> u64 {
    struct Count(u64);
    impl Observer for Count {
        fn offer(&mut self, _: u32, _: usize, _: &accord::model::Outcome, _: &Scenario) {
            self.0 += 1;
        }
    }
    let mut count = Count(0);
    let mut rng = ChaCha8Rng::seed_from_u64(scenario.seed());
    run_negotiation(scenario, &mut rng, &mut count);
    count.0
}

/// The total time of `iters` calls of `f`, each on a thread of its own (fresh thread-local
/// workspaces and caches), timing `f` alone.
fn cold(iters: u64, f: impl Fn() + Sync) -> Duration {
    let f = &f;
    (0..iters)
        .map(|_| {
            std::thread::scope(|s| {
                s.spawn(|| {
                    let began = Instant::now();
                    f();
                    began.elapsed()
                })
                .join()
                .expect("the run does not panic")
            })
        })
        .sum()
}

fn benches(c: &mut Criterion) {
    let peer = scenario(&peer_text());
    let n = rounds(&peer);
    eprintln!("minerals-peer: {n} rounds per negotiation");

    let mut group = c.benchmark_group("engine");
    group.bench_function("minerals-peer", |b| {
        b.iter(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(peer.seed());
            black_box(run_negotiation(black_box(&peer), &mut rng, &mut Silent))
        })
    });
    // A cold run: on a fresh thread, so that every trade-off plan is built and nothing is
    // remembered from an earlier run (the cost of one `accord run`; the benchmark above is the
    // steady state of a thread that runs the same scenario again and again, as in a sweep).
    // Only the run is timed, not the thread's start.
    group.bench_function("minerals-peer-cold", |b| {
        b.iter_custom(|iters| {
            cold(iters, || {
                let mut rng = ChaCha8Rng::seed_from_u64(peer.seed());
                black_box(run_negotiation(black_box(&peer), &mut rng, &mut Silent).end);
            })
        })
    });
    // A fresh workspace on a warm thread: plans built, nothing remembered.
    group.bench_function("minerals-peer-fresh-workspace", |b| {
        b.iter(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(peer.seed());
            black_box(Workspace::default().run(black_box(&peer), &mut rng, &mut Silent).end)
        })
    });
    group.throughput(Throughput::Elements(n));
    group.bench_function("minerals-peer-per-round", |b| {
        b.iter(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(peer.seed());
            black_box(run_negotiation(black_box(&peer), &mut rng, &mut Silent))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("recorded");
    group.bench_function("minerals-peer", |b| {
        b.iter(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(peer.seed());
            let mut recorder = Recorder::default();
            black_box(run_negotiation(black_box(&peer), &mut rng, &mut recorder));
            black_box(recorder)
        })
    });
    group.finish();

    let mut group = c.benchmark_group("simulate");
    let config =
        RunConfig { seed: peer.seed(), file: String::new(), analysis: AnalysisLevel::Solutions };
    group.bench_function("minerals-peer", |b| b.iter(|| black_box(simulate(&peer, &config))));
    group.bench_function("minerals-peer-cold", |b| {
        b.iter_custom(|iters| cold(iters, || drop(black_box(simulate(&peer, &config)))))
    });
    group.finish();

    let long = learned_long();
    let mut group = c.benchmark_group("learned");
    group.sample_size(10);
    group.bench_function("16k-rounds", |b| {
        b.iter(|| {
            let mut rng = ChaCha8Rng::seed_from_u64(long.seed());
            black_box(run_negotiation(black_box(&long), &mut rng, &mut Silent))
        })
    });
    group.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
