//! The command line: clap types, and each command as a function from arguments to output.
//!
//! This is the only place (with `main.rs` and `export`) that touches the world: files,
//! stdout, stderr. Library calls do the work.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use accord::export::{self, csv::offers_csv, transcript::transcript};
use accord::model::Scenario;
use accord::run::{RunConfig, simulate};
use accord::scenario::{self, Checked, Diagnostic};

/// accord: a geopolitical negotiation simulator.
///
/// Scenario files (TOML) describe the parties, the issues on the table, what each party
/// wants and what it gets if talks fail; accord plays the negotiation out with deterministic
/// agents and reports who got what, and how efficient and fair the deal was.
///
/// Exit codes: 0 success, 1 runtime failure (such as an unwritable output folder),
/// 2 bad usage or invalid input.
#[derive(Debug, Parser)]
#[command(name = "accord", version, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one negotiation: a transcript on stdout, and run.json and offers.csv in OUT/<scenario-stem>/.
    Run(RunArgs),
    /// Check scenario files and report every problem as file:line:col with a fix.
    Validate(ValidateArgs),
}

/// Arguments of `accord run`.
#[derive(Debug, Args)]
pub struct RunArgs {
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

/// Arguments of `accord validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files to check.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
}

/// Why a command failed, which decides the exit code.
#[derive(Debug)]
pub enum Failure {
    /// Invalid input or usage (exit code 2). Diagnostics were already printed.
    BadInput(anyhow::Error),
    /// Something went wrong while working (exit code 1).
    Runtime(anyhow::Error),
}

/// Runs a parsed command.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run_command(&args),
        Command::Validate(args) => validate_command(&args),
    }
}

fn run_command(args: &RunArgs) -> Result<(), Failure> {
    let checked = load(&args.scenario)?;
    let mut scenario = into_scenario(&checked)?;
    if let Some(seed) = args.seed {
        scenario.set_seed(seed);
    }
    let stem = args.scenario.file_stem().and_then(|s| s.to_str()).unwrap_or("scenario");
    let dir = args.out.join(stem);
    // Check the output folder before running, so a long run never ends in a write error.
    std::fs::create_dir_all(&dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))
        .map_err(Failure::Runtime)?;

    let file = args.scenario.file_name().and_then(|s| s.to_str()).unwrap_or("").to_string();
    let record = simulate(&scenario, &RunConfig { seed: scenario.seed(), file });
    let json = export::to_json(&record);
    write(&dir.join("run.json"), json.as_bytes())?;
    write(&dir.join("offers.csv"), offers_csv(&record).as_bytes())?;

    let text = if args.json { json } else { transcript(&record, &scenario) };
    print_stdout(&text)?;
    eprintln!("wrote {} and {}", dir.join("run.json").display(), dir.join("offers.csv").display());
    Ok(())
}

fn validate_command(args: &ValidateArgs) -> Result<(), Failure> {
    let mut n_errors = 0;
    let mut bad_files: Vec<String> = Vec::new();
    for path in &args.scenarios {
        let mut checked = match scenario::load(path) {
            Ok(c) => c,
            Err(err) => {
                eprintln!("error: cannot read {}: {err}", path.display());
                n_errors += 1;
                bad_files.push(path.display().to_string());
                continue;
            }
        };
        if let Some(scenario) = &checked.scenario
            && let Some(warning) = zone_warning(scenario)
        {
            checked.push_warning(warning);
        }
        eprint!("{}", checked.render());
        if checked.n_errors() > 0 {
            n_errors += checked.n_errors();
            bad_files.push(path.display().to_string());
        } else {
            let warnings = match checked.n_warnings() {
                0 => String::new(),
                1 => " (1 warning)".to_string(),
                n => format!(" ({n} warnings)"),
            };
            print_stdout(&format!("ok: {}{warnings}\n", path.display()))?;
        }
    }
    if n_errors > 0 {
        let files = match bad_files.as_slice() {
            [one] => one.clone(),
            many => format!("{} files", many.len()),
        };
        let problems =
            if n_errors == 1 { "1 problem".to_string() } else { format!("{n_errors} problems") };
        return Err(Failure::BadInput(anyhow::anyhow!("{problems} in {files}")));
    }
    Ok(())
}

/// A warning when no deal gives every party more than its reservation value.
fn zone_warning(scenario: &Scenario) -> Option<Diagnostic> {
    let bargaining = accord::analysis::bargaining(scenario).ok()?;
    (!bargaining.zone_of_agreement).then(|| {
        Diagnostic::warning(
            0..0,
            "scenario: no zone of agreement: no deal gives every party more than its reservation value",
        )
        .with_help("the talks can only fail; lower some `reservation` values or change `weights`/`ideal`")
    })
}

fn load(path: &Path) -> Result<Checked, Failure> {
    scenario::load(path)
        .with_context(|| format!("cannot read the scenario file {}", path.display()))
        .map_err(Failure::BadInput)
}

/// Prints diagnostics; returns the scenario, or a bad-input failure if there are errors.
fn into_scenario(checked: &Checked) -> Result<Scenario, Failure> {
    eprint!("{}", checked.render());
    match &checked.scenario {
        Some(s) => Ok(s.clone()),
        None => {
            let n = checked.n_errors();
            let problems = if n == 1 { "1 problem".to_string() } else { format!("{n} problems") };
            Err(Failure::BadInput(anyhow::anyhow!("{problems} in {}", checked.file)))
        }
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    export::write_atomic(path, bytes)
        .with_context(|| format!("cannot write {}", path.display()))
        .map_err(Failure::Runtime)
}

/// Writes to stdout; a closed pipe (`accord run x | head`) is not an error.
fn print_stdout(text: &str) -> Result<(), Failure> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(err) => {
            Err(Failure::Runtime(anyhow::Error::new(err).context("cannot write to stdout")))
        }
    }
}
