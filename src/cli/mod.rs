//! The command line: clap types, one `match`, and the error that carries an exit code.
//!
//! Each command lives in its own file (`run.rs`, `validate.rs`, ...) with its `Args` and an
//! `exec` that turns arguments into a library config, calls the library and prints, the way
//! cargo's `src/bin/cargo/commands/` does. This module and `main.rs` are the only places
//! (with `export` and `chart`) that touch the world: files, stdout, stderr, environment.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use accord::model::Scenario;
use accord::scenario::{self, Checked};

mod chart;
mod completions;
mod help;
mod interop;
mod man;
mod merge;
mod new;
mod report;
mod run;
mod sensitivity;
mod sweep;
mod validate;

/// accord: a geopolitical negotiation simulator.
///
/// Scenario files (TOML) describe the parties, the issues on the table, what each party
/// wants and what it gets if talks fail; accord plays the negotiation out with deterministic
/// agents and reports who got what, and how efficient and fair the deal was.
///
/// Exit codes: 0 success, 1 runtime failure (such as an unwritable output folder),
/// 2 bad usage or invalid input.
#[derive(Debug, Parser)]
#[command(name = "accord", version, max_term_width = 100, disable_help_subcommand = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run one negotiation: a transcript on stdout, and run.json and offers.csv in OUT/<scenario-stem>/.
    Run(run::Args),
    /// Check scenario files and report every problem as file:line:col with a fix.
    Validate(validate::Args),
    /// Draw the charts of a run (from its run.json) or of a sweep (from its sweep.csv), next to it.
    Chart(chart::Args),
    /// Run a scenario and write it up: run.json, offers.csv, charts, report.md and a
    /// self-contained report.html in OUT/<scenario-stem>/.
    Report(report::Args),
    /// Read another tool's scenario (GENIUS XML, NegMAS YAML) as an accord scenario.
    Import(interop::ImportArgs),
    /// Write a scenario in another tool's format (GENIUS XML).
    Export(interop::ExportArgs),
    /// Write a commented starting scenario to NAME.toml (never overwrites).
    New(new::Args),
    /// Print a shell completion script (bash, zsh, fish, powershell).
    Completions(completions::Args),
    /// Print the manual page (roff), or write one page per command with --out.
    Man(man::Args),
    /// Print the help of accord or of one command (`accord help run`).
    Help(help::Args),
    /// Run a scenario many times over a design of parameter values: sweep.csv (one row per
    /// run), summary.csv (one row per point) and sweep.json in OUT/<scenario-stem>/.
    Sweep(sweep::Args),
    /// Join the shards of a sweep (`accord sweep --shard K/N`) into one sweep.
    Merge(merge::Args),
    /// Which declared assumptions move the outcome: one at a time, Morris or Sobol' indices,
    /// with plain-language findings, sensitivity.csv and charts in OUT/<scenario-stem>/.
    Sensitivity(sensitivity::Args),
}

/// Runs a parsed command.
pub fn exec(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Run(args) => run::exec(&args),
        Command::Validate(args) => validate::exec(&args),
        Command::Chart(args) => chart::exec(&args),
        Command::Report(args) => report::exec(&args),
        Command::Import(args) => interop::import(&args),
        Command::Export(args) => interop::export(&args),
        Command::New(args) => new::exec(&args),
        Command::Completions(args) => completions::exec(&args),
        Command::Man(args) => man::exec(&args),
        Command::Help(args) => help::exec(&args),
        Command::Sweep(args) => sweep::exec(&args),
        Command::Merge(args) => merge::exec(&args),
        Command::Sensitivity(args) => sensitivity::exec(&args),
    }
}

/// A failed command: the error to print and the exit code it ends with.
///
/// Every command returns this, so `?` works throughout; the code is decided where the
/// failure is understood (bad input where the input is read, runtime where the work fails),
/// never by matching on message text.
#[derive(Debug)]
pub struct CliError {
    code: u8,
    error: anyhow::Error,
}

/// Exit code of a runtime failure: something went wrong while working.
pub const EXIT_RUNTIME: u8 = 1;
/// Exit code of invalid input or usage.
pub const EXIT_BAD_INPUT: u8 = 2;

impl CliError {
    /// Invalid input or usage (exit code 2).
    pub fn bad_input(error: impl Into<anyhow::Error>) -> CliError {
        CliError { code: EXIT_BAD_INPUT, error: error.into() }
    }

    /// Stopped by the user (Ctrl-C) with the work so far kept: exit code 130, as a shell
    /// reports a process ended by SIGINT.
    pub fn interrupted(error: impl Into<anyhow::Error>) -> CliError {
        CliError { code: 130, error: error.into() }
    }

    /// A failure while working (exit code 1).
    pub fn runtime(error: impl Into<anyhow::Error>) -> CliError {
        CliError { code: EXIT_RUNTIME, error: error.into() }
    }

    /// The exit code.
    pub fn code(&self) -> u8 {
        self.code
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#}", self.error)
    }
}

/// Marks the error of a result as bad input or as a runtime failure.
pub trait ExitCodeExt<T> {
    /// The error is the user's input (exit code 2).
    fn bad_input(self) -> Result<T, CliError>;
    /// The error happened while working (exit code 1).
    fn runtime(self) -> Result<T, CliError>;
}

impl<T, E: Into<anyhow::Error>> ExitCodeExt<T> for Result<T, E> {
    fn bad_input(self) -> Result<T, CliError> {
        self.map_err(CliError::bad_input)
    }

    fn runtime(self) -> Result<T, CliError> {
        self.map_err(CliError::runtime)
    }
}

/// Reads and checks a scenario file; an unreadable file is bad input.
fn load(path: &Path) -> Result<Checked, CliError> {
    scenario::load(path).bad_input()
}

/// Prints diagnostics; returns the scenario, or a bad-input failure if there are errors.
fn into_scenario(checked: &Checked) -> Result<Scenario, CliError> {
    stderr_text!("{}", checked.render());
    match &checked.scenario {
        Some(s) => Ok(s.clone()),
        None => Err(CliError::bad_input(anyhow::anyhow!(
            "{} in {}",
            count(checked.n_errors(), "problem"),
            checked.file
        ))),
    }
}

use accord::text::count;

/// The command line as `sweep.json` records it: as typed, less `--resume` and `--force`,
/// which decide what happens to an existing folder, never what is computed, so that a
/// resumed or forced sweep records the same command as one run straight through.
fn recorded_command() -> Vec<String> {
    std::env::args().filter(|arg| arg != "--resume" && arg != "--force").collect()
}

/// Paths for the terminal, comma-separated (control characters escaped).
fn list_paths(paths: &[PathBuf]) -> String {
    let text = paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ");
    accord::text::terminal(&text).into_owned()
}

/// Writes to stdout; a closed pipe (`accord run x | head`) is not an error.
fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(err) => {
            Err(CliError::runtime(anyhow::Error::new(err).context("cannot write to stdout")))
        }
    }
}
