//! Shared helpers for the integration tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The `accord` binary, run from the repository root with a clean environment for output
/// that snapshots can rely on (no backtraces, no colors).
pub fn accord() -> Command {
    let mut cmd = Command::cargo_bin("accord").expect("the accord binary is built");
    cmd.current_dir(root());
    cmd.env_remove("RUST_BACKTRACE").env("NO_COLOR", "1");
    cmd
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every shipped scenario, by path relative to the root, sorted.
pub fn shipped_scenarios() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(root().join("scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.strip_prefix(root()).expect("under root").to_path_buf())
        .collect();
    paths.sort();
    paths
}

/// Runs `accord run SCENARIO --out DIR` plus `extra` args, returning (stdout, run.json, offers.csv).
pub fn run_to(scenario: &str, out: &Path, extra: &[&str]) -> (String, String, String) {
    let assert = accord().args(["run", scenario, "--out"]).arg(out).args(extra).assert().success();
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).expect("UTF-8 stdout");
    let stem = Path::new(scenario).file_stem().expect("a file name");
    let dir = out.join(stem);
    let json = std::fs::read_to_string(dir.join("run.json")).expect("run.json written");
    let csv = std::fs::read_to_string(dir.join("offers.csv")).expect("offers.csv written");
    (stdout, json, csv)
}

/// File names in a folder, sorted.
pub fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
