//! The command line: clap types, and each command as a function from arguments to output.
//!
//! This is the only place (with `main.rs` and `export`) that touches the world: files,
//! stdout, stderr. Library calls do the work.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use accord::chart::{self, ChartConfig, ChartFormat};
use accord::export::record::{RunRecord, SCHEMA_VERSION};
use accord::export::{self, csv::offers_csv, transcript::transcript};
use accord::model::Scenario;
use accord::report;
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
    /// Draw the charts of a run from its run.json, next to it.
    Chart(ChartArgs),
    /// Run a scenario and write it up: run.json, offers.csv, charts, report.md and a
    /// self-contained report.html in OUT/<scenario-stem>/.
    Report(ReportArgs),
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

/// Arguments of `accord chart`.
#[derive(Debug, Args)]
pub struct ChartArgs {
    /// A run.json written by `accord run` or `accord report`.
    pub input: PathBuf,
    /// Image formats, comma-separated.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "svg,png")]
    pub format: Vec<ChartFormat>,
}

/// Arguments of `accord report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Seed for the run's random generator [default: the scenario's `seed`].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Folder for the results; they go in OUT/<scenario-stem>/.
    #[arg(long, value_name = "OUT", default_value = "output")]
    pub out: PathBuf,
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
        Command::Chart(args) => chart_command(&args),
        Command::Report(args) => report_command(&args),
    }
}

fn run_command(args: &RunArgs) -> Result<(), Failure> {
    let done = run_and_write(&args.scenario, args.seed, &args.out)?;
    let text = if args.json { done.json } else { transcript(&done.record, &done.scenario) };
    print_stdout(&text)?;
    eprintln!("wrote {}", list_paths(&done.written));
    Ok(())
}

fn report_command(args: &ReportArgs) -> Result<(), Failure> {
    let mut done = run_and_write(&args.scenario, args.seed, &args.out)?;
    let config = ChartConfig { formats: vec![ChartFormat::Svg, ChartFormat::Png] };
    let charts = chart::run_charts(&done.record, &done.dir, &config)
        .context("cannot draw the charts")
        .map_err(Failure::Runtime)?;
    let mut inline = Vec::new();
    for path in charts.iter().filter(|p| p.extension().is_some_and(|e| e == "svg")) {
        let svg = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read back {}", path.display()))
            .map_err(Failure::Runtime)?;
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("").to_string();
        inline.push(report::InlineChart { name, svg });
    }
    let names: Vec<&str> = inline.iter().map(|c| c.name.as_str()).collect();
    let doc = report::document(&done.record, &names);
    let md = done.dir.join("report.md");
    let html = done.dir.join("report.html");
    write(&md, report::markdown(&doc).as_bytes())?;
    write(&html, report::html(&doc, &inline).as_bytes())?;
    done.written.extend(charts);
    done.written.push(md);
    done.written.push(html.clone());
    print_stdout(&format!(
        "{}: {}\nreport: {}\n",
        done.record.scenario.name,
        done.record.outcome.summary,
        html.display()
    ))?;
    eprintln!("wrote {}", list_paths(&done.written));
    Ok(())
}

fn chart_command(args: &ChartArgs) -> Result<(), Failure> {
    let input = &args.input;
    if input.extension().is_some_and(|e| e == "csv") {
        return Err(Failure::BadInput(anyhow::anyhow!(
            "{}: charts of sweep results come with `accord sweep`, which is not implemented yet; \
             give a run.json",
            input.display()
        )));
    }
    let text = std::fs::read_to_string(input)
        .with_context(|| format!("cannot read {}", input.display()))
        .map_err(Failure::BadInput)?;
    let record = export::from_json(&text).map_err(|err| {
        Failure::BadInput(anyhow::anyhow!(
            "{}:{}:{}: not a run.json this accord can read: {err}",
            input.display(),
            err.line(),
            err.column()
        ))
    })?;
    if record.schema_version != SCHEMA_VERSION {
        return Err(Failure::BadInput(anyhow::anyhow!(
            "{}: schema_version {} is not the {SCHEMA_VERSION} this accord reads; rerun the \
             scenario with this version",
            input.display(),
            record.schema_version
        )));
    }
    let dir = input.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let config = ChartConfig { formats: args.format.clone() };
    let written = chart::run_charts(&record, dir, &config)
        .context("cannot draw the charts")
        .map_err(Failure::Runtime)?;
    eprintln!("wrote {}", list_paths(&written));
    Ok(())
}

/// A run done and its record written: what `run` and `report` share.
struct Done {
    scenario: Scenario,
    record: RunRecord,
    json: String,
    dir: PathBuf,
    written: Vec<PathBuf>,
}

/// Loads and checks the scenario, prepares OUT/<stem>/, runs, writes run.json and offers.csv.
fn run_and_write(path: &Path, seed: Option<u64>, out: &Path) -> Result<Done, Failure> {
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
        .map_err(Failure::Runtime)?;

    let file = path.file_name().and_then(|s| s.to_str()).unwrap_or("").to_string();
    let record = simulate(&scenario, &RunConfig { seed: scenario.seed(), file });
    let json = export::to_json(&record);
    let written = vec![dir.join("run.json"), dir.join("offers.csv")];
    write(&written[0], json.as_bytes())?;
    write(&written[1], offers_csv(&record).as_bytes())?;
    Ok(Done { scenario, record, json, dir, written })
}

fn list_paths(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
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
