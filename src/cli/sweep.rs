//! `accord sweep`: many runs of a scenario over a design of parameter values.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sha2::{Digest, Sha256};

use accord::export::publish;
use accord::model::Scenario;
use accord::sweep::{
    self, Axis, Design, DesignKind, Progress, Shard, SweepConfig, SweepError, SweepOutcome,
};

use super::{CliError, into_scenario, load};

/// Arguments of `accord sweep`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A parameter and its values: PATH=a..b:n (n evenly spaced values, both ends
    /// included), PATH=a,b,c (these values), or PATH=a..b (a range, for --design
    /// random|lhs). Repeat for several axes.
    #[arg(long = "vary", value_name = "PATH=SPEC", required = true)]
    pub vary: Vec<String>,
    /// Runs per design point; replicate r runs with the same seed at every point.
    #[arg(long, value_name = "R", default_value_t = 1)]
    pub replicates: u64,
    /// How points are chosen: every combination (grid), Monte Carlo (random) or a Latin
    /// hypercube (lhs).
    #[arg(long, value_enum, default_value_t = DesignArg::Grid)]
    pub design: DesignArg,
    /// Number of points of a random or lhs design.
    #[arg(long, value_name = "N")]
    pub samples: Option<u64>,
    /// Base seed [default: the scenario's `seed`].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Worker threads [default: the CPUs this process may use; inside a Slurm job, the CPUs
    /// Slurm allotted].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Run only shard K of N (1-based; contiguous blocks of runs), or `slurm` to take K and
    /// N from a Slurm job array. Shards write OUT/<stem>.shard-K-of-N/; `accord merge`
    /// joins them.
    #[arg(long, value_name = "K/N|slurm")]
    pub shard: Option<String>,
    /// Folder for the results: OUT/<scenario-stem>/sweep.csv, summary.csv and sweep.json.
    #[arg(long, value_name = "OUT", default_value = "output")]
    pub out: PathBuf,
    /// Continue an interrupted sweep in OUT (the same command, plus --resume).
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Replace the sweep that OUT/<stem>/ holds.
    #[arg(long)]
    pub force: bool,
    /// Refuse designs of more runs than this.
    #[arg(long, value_name = "N", default_value_t = sweep::DEFAULT_MAX_RUNS)]
    pub max_runs: u64,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

const AFTER_HELP: &str = "\
Paths: scenario.breakdown_risk, scenario.max_rounds, parties.<party>.reservation,
parties.<party>.discount, parties.<party>.weights.<issue>, parties.<party>.strategy (strategy
kinds, listed: a match-up), parties.<party>.strategy.exponent (boulware, conceder,
time_dependent), parties.<party>.strategy.factor (tit_for_tat),
parties.<party>.strategy.initial_concession.

Examples:
  accord sweep scenarios/us-ukraine-minerals-2025.toml --vary parties.us.reservation=0..0.6:13
  accord sweep s.toml --vary parties.us.reservation=0.2..0.6 --design lhs --samples 500 \\
      --vary scenario.breakdown_risk=0..0.05 --replicates 20
  accord sweep s.toml --vary parties.us.discount=0.9,0.95,0.99 --shard 2/4   # then accord merge

Outputs, documented in docs/results.md: sweep.csv (one row per run), summary.csv (one row
per point), sweep.json (everything needed to reproduce the sweep). See docs/sweeps.md.";

/// `--design`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DesignArg {
    /// The cartesian product of the axes' values.
    Grid,
    /// Monte Carlo: --samples points drawn uniformly over the axes.
    Random,
    /// Latin hypercube: --samples points, each axis's range stratified.
    Lhs,
}

/// Runs a sweep with what a terminal user expects: a progress bar on stderr (unless `quiet`
/// or stderr is not a terminal), Ctrl-C or SIGTERM to stop after the current block (a second
/// one ends the process at once), and a file size limit turned into a write error. What
/// `accord sweep` and `accord sensitivity` share.
pub(super) fn run_with_progress(
    scenario: &Scenario,
    config: &SweepConfig,
    max_runs: u64,
    quiet: bool,
) -> Result<SweepOutcome, CliError> {
    let stop = Arc::new(AtomicBool::new(false));
    #[cfg(unix)]
    {
        // With a handler, a file size limit (`ulimit -f`) fails the write (EFBIG) instead of
        // killing the process: the sweep then says how to resume.
        let _ = signal_hook::flag::register(
            signal_hook::consts::SIGXFSZ,
            Arc::new(AtomicBool::new(false)),
        );
    }
    #[cfg(unix)]
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        // A second Ctrl-C ends the process at once; the first asks the sweep to stop.
        let _ = signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop));
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    let bar = if quiet || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40} {pos}/{len} runs  {rate}  ETA {eta}  {elapsed_precise}",
            )
            .expect("the template is valid")
            // Whole runs per second ("114489 runs/s"), not indicatif's "114,488.71/s".
            .with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} runs/s", state.per_sec());
                },
            ),
        );
        bar
    };
    let on_runs = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let outcome =
        sweep::run_sweep(scenario, config, max_runs, &Progress { on_runs: &on_runs, stop: &stop })
            .map_err(sweep_error);
    bar.finish_and_clear();
    outcome
}

pub(super) fn sweep_error(err: SweepError) -> CliError {
    if err.is_bad_input() { CliError::bad_input(err) } else { CliError::runtime(err) }
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let checked = load(&args.scenario)?;
    let scenario = into_scenario(&checked)?;
    let stem = publish::folder_name(&args.scenario).map_err(|e| sweep_error(e.into()))?;
    let env = |name: &str| std::env::var(name).ok();
    let shard = match &args.shard {
        Some(text) => Shard::parse(text, &env).map_err(sweep_error)?,
        None => Shard::WHOLE,
    };
    let axes = Axis::parse_all(&args.vary, &scenario).map_err(sweep_error)?;
    let seed = args.seed.unwrap_or(scenario.seed());
    let kind = match args.design {
        DesignArg::Grid => DesignKind::Grid,
        DesignArg::Random => DesignKind::Random,
        DesignArg::Lhs => DesignKind::Lhs,
    };
    if let Some(samples) = args.samples {
        // Before a Latin hypercube allocates its strata.
        sweep::check_size(samples, args.replicates, args.max_runs).map_err(sweep_error)?;
    }
    let design = Design::new(kind, axes, args.samples, seed).map_err(sweep_error)?;
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = match args.threads {
        Some(0) => {
            return Err(CliError::bad_input(anyhow::anyhow!(
                "--threads 0 runs nothing\n  = help: give --threads 1 or more, or leave it out"
            )));
        }
        Some(n) => n,
        None => sweep::default_threads(&env, available),
    };
    let config = SweepConfig {
        design,
        replicates: args.replicates,
        seed,
        shard,
        threads,
        out: args.out.clone(),
        name: sweep::output::folder_name(&stem, shard),
        stem,
        scenario_file: args.scenario.display().to_string(),
        scenario_sha256: hex(&Sha256::digest(checked.source.as_bytes())),
        command: super::recorded_command(),
        resume: args.resume,
        force: args.force,
    };

    let began = Instant::now();
    let outcome = run_with_progress(&scenario, &config, args.max_runs, args.quiet);
    match outcome? {
        SweepOutcome::Complete { dir, ran, runs } => {
            let secs = began.elapsed().as_secs_f64();
            let rate = if secs > 0.0 { ran as f64 / secs } else { 0.0 };
            stderr_line!(
                "wrote {}/{{sweep.csv, summary.csv, sweep.json}}: {} ({} computed now, {:.0} runs/s \
                 on {})",
                dir.display(),
                super::count(runs as usize, "run"),
                ran,
                rate,
                super::count(config.threads, "thread")
            );
            if config.shard.is_whole() {
                stderr_line!("charts: accord chart {}", dir.join("sweep.csv").display());
            }
            Ok(())
        }
        SweepOutcome::AlreadyComplete { dir } => {
            stderr_line!("{}: this sweep is already complete; nothing to do", dir.display());
            Ok(())
        }
        SweepOutcome::Interrupted { dir, done, total } => {
            Err(CliError::interrupted(anyhow::anyhow!(
                "interrupted after {done} of {total} runs; the rows so far are in {}\n  = help: rerun \
             the same command with --resume to finish",
                dir.join(sweep::output::PARTIAL_CSV).display()
            )))
        }
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
