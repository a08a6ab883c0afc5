//! Parameter sweeps: many runs of one scenario over a design of parameter values, streamed
//! to `sweep.csv` in run order, summarized per design point, resumable and shardable.
//!
//! Layers, each reading the ones below it and never the CLI:
//! - `design`: axes (`--vary PATH=SPEC`, validated against the scenario before any run) and
//!   the design (grid, random, Latin hypercube) that maps a point index to axis values;
//! - `seed`: the seed of each run (common random numbers across points);
//! - `shard`: which contiguous block of run indices a process runs;
//! - `runner`: one worker per thread turns a run index into a `sweep.csv` row, sharing one
//!   bargaining analysis among runs whose final parameters agree;
//! - `output`: the sweep's folder, its sidecar `sweep.json`, the streamed `sweep.csv`,
//!   resume after an interruption, and publishing the finished files;
//! - `summary`: `summary.csv`, computed from `sweep.csv` and the sidecar alone (so that
//!   `merge` computes the same);
//! - `merge`: joins shards, checking that they belong to one sweep and miss no run.
//!
//! A run `j` is point `j / R`, replicate `j % R` of a sweep with `R` replicates; its row
//! depends on `j` alone, so the output is byte-identical whatever the thread count, the
//! sharding or the interruptions.

pub mod design;
pub mod memory;
pub mod merge;
pub mod output;
pub mod runner;
pub mod seed;
pub mod shard;
pub mod summary;
pub mod table;

use std::io;
use std::path::PathBuf;

pub use design::{Axis, AxisValue, Design, DesignKind};
pub use merge::{Merged, merge};
pub use output::{Progress, Sidecar, Status, SweepOutcome, run_sweep};
pub use shard::{Shard, default_threads};

/// The default for `--max-runs`: the largest sweep run without asking.
pub const DEFAULT_MAX_RUNS: u64 = 10_000_000;

/// Refuses a sweep of more than `max_runs` runs (`points` × `replicates`), with the count
/// and the flag to change: before anything is allocated or run.
pub fn check_size(points: u64, replicates: u64, max_runs: u64) -> Result<(), SweepError> {
    if replicates == 0 {
        return Err(SweepError::Usage {
            problem: "--replicates 0 runs nothing".into(),
            help: "give --replicates 1 or more".into(),
        });
    }
    match points.checked_mul(replicates) {
        Some(t) if t <= max_runs => Ok(()),
        total => Err(SweepError::Usage {
            problem: format!(
                "this sweep has {} runs ({points} points x {replicates} replicates), more than \
                 --max-runs {max_runs}",
                total.map_or_else(|| "more than 18 billion billion".to_string(), |t| t.to_string())
            ),
            help: format!(
                "raise --max-runs (default {DEFAULT_MAX_RUNS}) if you mean it, or use fewer \
                 values, samples or replicates"
            ),
        }),
    }
}

/// Everything a sweep needs besides the scenario.
#[derive(Clone, Debug)]
pub struct SweepConfig {
    /// The axes and how points are chosen.
    pub design: Design,
    /// Runs per design point.
    pub replicates: u64,
    /// The base seed (the scenario's, or `--seed`).
    pub seed: u64,
    /// Which part of the sweep this process runs.
    pub shard: Shard,
    /// Worker threads.
    pub threads: usize,
    /// The output folder (`OUT`); the sweep writes into `OUT/<name>/`.
    pub out: PathBuf,
    /// The folder name inside `OUT`: the scenario's stem, `<stem>.shard-K-of-N` for a shard.
    pub name: String,
    /// The name of the whole sweep's folder (the stem), recorded for `merge`.
    pub stem: String,
    /// The scenario file as given, its name and the sha256 of its text.
    pub scenario_file: String,
    /// sha256 of the scenario file's text, in hex.
    pub scenario_sha256: String,
    /// The command line, recorded in `sweep.json`.
    pub command: Vec<String>,
    /// Continue an interrupted sweep in the folder.
    pub resume: bool,
    /// Replace whatever sweep the folder holds.
    pub force: bool,
}

/// Why a sweep could not run or finish.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A `--vary` argument is malformed or names a value that is not allowed.
    #[error("--vary `{arg}`: {problem}\n  = help: {help}")]
    Axis {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        problem: String,
        /// How to fix it.
        help: String,
    },
    /// Options that do not fit together, or a sweep too large.
    #[error("{problem}\n  = help: {help}")]
    Usage {
        /// What is wrong.
        problem: String,
        /// How to fix it.
        help: String,
    },
    /// The output folder holds something that stops the sweep (a finished sweep, another
    /// sweep's files, a sweep made with other settings).
    #[error("{}: {problem}\n  = help: {help}", dir.display())]
    Folder {
        /// The sweep's folder.
        dir: PathBuf,
        /// What is in the way.
        problem: String,
        /// What to do.
        help: String,
    },
    /// Shards that cannot be merged.
    #[error("{problem}\n  = help: {help}")]
    Merge {
        /// What is wrong.
        problem: String,
        /// What to do.
        help: String,
    },
    /// The output folder could not be prepared.
    #[error(transparent)]
    Output(#[from] crate::export::publish::OutputError),
    /// Reading or writing failed while working.
    #[error("cannot {action} {}: {}{}", path.display(), crate::export::publish::describe(error), resume_hint(*resumable))]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file.
        path: PathBuf,
        /// The system's error.
        error: io::Error,
        /// True if `--resume` picks the sweep up where it stopped.
        resumable: bool,
    },
}

fn resume_hint(resumable: bool) -> &'static str {
    if resumable {
        "\n  = help: the runs written so far are kept; rerun the same command with --resume to finish"
    } else {
        ""
    }
}

impl SweepError {
    /// True if the error is the user's input or the state of the output folder (exit code
    /// 2), false for a failure while working (exit code 1).
    pub fn is_bad_input(&self) -> bool {
        match self {
            SweepError::Axis { .. }
            | SweepError::Usage { .. }
            | SweepError::Folder { .. }
            | SweepError::Merge { .. } => true,
            SweepError::Output(e) => e.is_bad_input(),
            SweepError::Io { .. } => false,
        }
    }

    pub(crate) fn io(action: &'static str, path: &std::path::Path, error: io::Error) -> SweepError {
        SweepError::Io { action, path: path.to_path_buf(), error, resumable: false }
    }
}
