//! Same scenario and seed, same bytes.

use crate::util::{run_to, shipped_scenarios};

#[test]
fn rerunning_a_scenario_gives_byte_identical_outputs() {
    for scenario in shipped_scenarios() {
        let scenario = scenario.to_str().unwrap();
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let first = run_to(scenario, a.path(), &[]);
        let second = run_to(scenario, b.path(), &[]);
        assert!(first == second, "{scenario}: outputs differ between two runs");
    }
}

#[test]
fn different_seeds_are_recorded_and_runs_stay_reproducible() {
    let out = tempfile::tempdir().unwrap();
    let scenario = "scenarios/us-ukraine-minerals-2025.toml";
    let (_, seeded_a, _) = run_to(scenario, out.path(), &["--seed", "1"]);
    let (_, seeded_b, _) = run_to(scenario, out.path(), &["--seed", "1"]);
    assert_eq!(seeded_a, seeded_b);
    let (_, other, _) = run_to(scenario, out.path(), &["--seed", "2"]);
    assert_ne!(seeded_a, other, "the seed is part of the record");
}

#[test]
fn reports_and_charts_are_byte_identical_on_rerun() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    for out in [a.path(), b.path()] {
        crate::util::accord()
            .args(["report", "scenarios/us-ukraine-minerals-2025.toml", "--out"])
            .arg(out)
            .assert()
            .success();
    }
    let dir = |out: &std::path::Path| out.join("us-ukraine-minerals-2025");
    let mut names: Vec<_> =
        std::fs::read_dir(dir(a.path())).unwrap().map(|e| e.unwrap().file_name()).collect();
    names.sort();
    let sweeps = names.iter().filter(|n| n.to_string_lossy().starts_with("report-sweep")).count();
    assert_eq!(names.len() - sweeps, 11, "ten files and the set's manifest");
    assert!(sweeps >= 8, "the charts of the scenario's four sweeps: {sweeps}");
    for name in names {
        let first = std::fs::read(dir(a.path()).join(&name)).unwrap();
        let second = std::fs::read(dir(b.path()).join(&name)).unwrap();
        assert!(first == second, "{name:?} differs between two runs");
    }
}
