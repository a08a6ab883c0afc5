//! A small sweep run in memory and read back as a [`SweepTable`]: what a report runs for its
//! `[[sweeps]]` (or its default sweeps). The rows are the same bytes `accord sweep` would
//! write for the same scenario, axes, replicates and seed; nothing touches the disk.

use crate::export::row;
use crate::model::{Scenario, SweepPlan};

use super::output::{Sidecar, Status};
use super::runner::Plan;
use super::table::SweepTable;
use super::{Axis, Design, DesignKind, Shard, SweepConfig, SweepError};

/// Runs a grid sweep of `scenario` along `vary` (`PATH=SPEC` each), `replicates` runs per
/// point, on the current rayon pool, and reads it back.
pub fn run_in_memory(
    scenario: &Scenario,
    vary: &[String],
    replicates: u64,
) -> Result<SweepTable, SweepError> {
    let axes = vary.iter().map(|v| Axis::parse(v, scenario)).collect::<Result<Vec<_>, _>>()?;
    let seed = scenario.seed();
    let design = Design::new(DesignKind::Grid, axes, None, seed)?;
    design.check(scenario)?;
    let replicates = replicates.max(1);
    let mut command = vec!["accord".to_string(), "sweep".to_string(), "SCENARIO".to_string()];
    for v in vary {
        command.push("--vary".into());
        command.push(v.clone());
    }
    command.extend(["--replicates".to_string(), replicates.to_string()]);
    let config = SweepConfig {
        design,
        replicates,
        seed,
        shard: Shard::WHOLE,
        threads: 1,
        out: Default::default(),
        name: String::new(),
        stem: String::new(),
        scenario_file: String::new(),
        scenario_sha256: String::new(),
        command,
        resume: false,
        force: false,
    };
    let metrics = row::metrics(scenario);
    let mut sidecar = Sidecar::new(scenario, &config, &metrics);
    let threads = rayon::current_num_threads();
    let plan = Plan::new(scenario, &config.design, replicates, seed, &metrics, threads);
    let mut csv = sidecar.header();
    for line in plan.rows(0..sidecar.runs)? {
        csv.push_str(&line);
    }
    sidecar.status = Status::Complete;
    sidecar.completed_runs = sidecar.runs;
    SweepTable::from_reader(sidecar, std::path::Path::new("sweep.csv"), csv.as_bytes()).map_err(
        |e| SweepError::Usage {
            problem: format!("a sweep run in memory did not read back: {e}"),
            help: "this is a bug in accord; please report it".into(),
        },
    )
}

/// The sweeps a report runs: the scenario's `[[sweeps]]`, or else each party's reservation
/// value over a band of ±0.2 around its value (clipped to [0, 1]), 9 values, with 10
/// replicates where the scenario has randomness and 1 otherwise.
pub fn report_sweeps(scenario: &Scenario) -> Vec<SweepPlan> {
    if !scenario.sweeps().is_empty() {
        return scenario.sweeps().to_vec();
    }
    let replicates = if scenario.breakdown_risk() > 0.0 { 10 } else { 1 };
    scenario
        .parties()
        .iter()
        .map(|p| {
            let r = p.reservation();
            let (lo, hi) = (round6((r - 0.2).max(0.0)), round6((r + 0.2).min(1.0)));
            SweepPlan {
                name: None,
                question: None,
                vary: vec![format!("parties.{}.reservation={lo}..{hi}:9", p.id())],
                replicates,
            }
        })
        .collect()
}

/// `x` rounded to 6 decimals (band ends such as 0.09999999999999998 read 0.1).
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
