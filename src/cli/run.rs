//! `accord run`: one negotiation, a transcript on stdout, run.json and offers.csv on disk.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use accord::export::publish::{self, OutputError, OutputPlan};
use accord::export::record::RunRecord;
use accord::export::{self, csv::write_offers_csv, transcript::transcript};
use accord::model::Scenario;
use accord::run::{AnalysisLevel, RunConfig, simulate};

use super::{CliError, into_scenario, list_paths, load, print_stdout};

/// Arguments of `accord run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Seed for the run's random generator [default: the scenario's `seed`].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Folder for the results; they go in OUT/<scenario-stem>/, which each run replaces whole.
    #[arg(long, value_name = "OUT", default_value = "output")]
    pub out: PathBuf,
    /// Print run.json to stdout instead of the transcript.
    #[arg(long)]
    pub json: bool,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let mut run = prepare(&args.scenario, args.seed, &args.out, |_| Vec::new())?;
    let record = run.simulate(AnalysisLevel::Solutions)?;
    let written = run.plan.publish().map_err(output_error)?;
    if args.json {
        stream_stdout(|out| export::write_json(&record, out))?;
    } else {
        print_stdout(&transcript(&record, &run.scenario))?;
    }
    stderr_line!("wrote {}", list_paths(&written));
    Ok(())
}

/// A checked scenario and the output set its results will be published as: what `run` and
/// `report` share.
pub(super) struct Prepared {
    pub scenario: Scenario,
    pub plan: OutputPlan,
    file: String,
}

/// The files every run writes, first in its set.
const RUN_FILES: [&str; 2] = ["run.json", "offers.csv"];

/// Loads and checks the scenario, then plans OUT/<stem>/ with run.json, offers.csv and the
/// files `more` names for the scenario, before anything runs: a bad folder name, a folder
/// accord may not replace or an unwritable OUT fail at once.
pub(super) fn prepare(
    path: &Path,
    seed: Option<u64>,
    out: &Path,
    more: impl FnOnce(&Scenario) -> Vec<String>,
) -> Result<Prepared, CliError> {
    let checked = load(path)?;
    let mut scenario = into_scenario(&checked)?;
    if let Some(seed) = seed {
        scenario.set_seed(seed);
    }
    let name = publish::folder_name(path).map_err(output_error)?;
    let extra = more(&scenario);
    let mut files: Vec<&str> = RUN_FILES.to_vec();
    files.extend(extra.iter().map(String::as_str));
    let plan = OutputPlan::new(out, &name, &files).map_err(output_error)?;
    let file = path.file_name().and_then(|s| s.to_str()).unwrap_or("").to_string();
    Ok(Prepared { scenario, plan, file })
}

impl Prepared {
    /// Runs the scenario and stages run.json and offers.csv, streamed to disk.
    pub(super) fn simulate(&mut self, analysis: AnalysisLevel) -> Result<RunRecord, CliError> {
        let config = RunConfig { seed: self.scenario.seed(), file: self.file.clone(), analysis };
        let record = simulate(&self.scenario, &config);
        type Render = fn(&RunRecord, &mut publish::StagedFile) -> io::Result<()>;
        let files: [(&str, Render); 2] = [
            ("run.json", |r, w| export::write_json(r, w)),
            ("offers.csv", |r, w| write_offers_csv(r, w)),
        ];
        for (name, write) in files {
            let mut staged = self.plan.writer(name).map_err(output_error)?;
            if let Err(error) = write(&record, &mut staged) {
                let path = staged.final_path().to_path_buf();
                return Err(output_error(OutputError::Io { action: "write", path, error }));
            }
            staged.finish().map_err(output_error)?;
        }
        Ok(record)
    }
}

/// An output failure with its exit code: the user's input (2) or the disk (1).
pub(super) fn output_error(err: OutputError) -> CliError {
    if err.is_bad_input() { CliError::bad_input(err) } else { CliError::runtime(err) }
}

/// Streams to stdout; a closed pipe is not an error.
fn stream_stdout(write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match write(&mut stdout).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(err) => {
            Err(CliError::runtime(anyhow::Error::new(err).context("cannot write to stdout")))
        }
    }
}
