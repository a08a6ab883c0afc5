//! `accord run`: one negotiation, a transcript on stdout, run.json and offers.csv on disk.

use std::path::{Path, PathBuf};

use anyhow::Context;

use accord::export::record::RunRecord;
use accord::export::{self, csv::offers_csv, transcript::transcript};
use accord::model::Scenario;
use accord::run::{AnalysisLevel, RunConfig, simulate};

use super::{CliError, ExitCodeExt, into_scenario, list_paths, load, print_stdout, write};

/// Arguments of `accord run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Seed for the run's random generator [default: the scenario's `seed`].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Folder for the results; they go in OUT/<scenario-stem>/.
    #[arg(long, value_name = "OUT", default_value = "output")]
    pub out: PathBuf,
    /// Print run.json to stdout instead of the transcript.
    #[arg(long)]
    pub json: bool,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let done = run_and_write(&args.scenario, args.seed, &args.out, AnalysisLevel::Solutions)?;
    let text = if args.json { done.json } else { transcript(&done.record, &done.scenario) };
    print_stdout(&text)?;
    eprintln!("wrote {}", list_paths(&done.written));
    Ok(())
}

/// A run done and its record written: what `run` and `report` share.
pub(super) struct Done {
    pub scenario: Scenario,
    pub record: RunRecord,
    pub json: String,
    pub dir: PathBuf,
    pub written: Vec<PathBuf>,
}

/// Loads and checks the scenario, prepares OUT/<stem>/, runs, writes run.json and offers.csv.
pub(super) fn run_and_write(
    path: &Path,
    seed: Option<u64>,
    out: &Path,
    analysis: AnalysisLevel,
) -> Result<Done, CliError> {
    let checked = load(path)?;
    let mut scenario = into_scenario(&checked)?;
    if let Some(seed) = seed {
        scenario.set_seed(seed);
    }
    let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    let dir = out.join(stem);
    // Check the output folder before running, so a long run never ends in a write error.
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))
        .runtime()?;

    let file = path.file_name().and_then(|s| s.to_str()).unwrap_or("").to_string();
    let record = simulate(&scenario, &RunConfig { seed: scenario.seed(), file, analysis });
    let json = export::to_json(&record);
    let written = vec![dir.join("run.json"), dir.join("offers.csv")];
    write(&written[0], json.as_bytes())?;
    write(&written[1], offers_csv(&record).as_bytes())?;
    Ok(Done { scenario, record, json, dir, written })
}
