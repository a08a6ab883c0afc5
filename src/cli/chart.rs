//! `accord chart`: redraw the charts of a run from its run.json, or draw a sweep's from its
//! sweep.csv.

use std::path::{Path, PathBuf};

use anyhow::Context;

use accord::chart::RecordError;
use accord::chart::{self, ChartFormat, sweep};
use accord::export::publish::{self, FolderUpdate};
use accord::run::frontier_of_record;
use accord::sweep::output::remove_sweep_charts;
use accord::sweep::table::SweepTable;

use super::run::output_error;
use super::{CliError, ExitCodeExt, list_paths};

/// Arguments of `accord chart`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A run.json written by `accord run` or `accord report`, or a sweep.csv written by
    /// `accord sweep` or `accord merge` (its sweep.json beside it): the sweep's charts,
    /// sweep-*.svg and .png, are drawn next to it.
    pub input: PathBuf,
    /// Image formats, comma-separated.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "svg,png")]
    pub format: Vec<ChartFormat>,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let input = &args.input;
    if input.extension().is_some_and(|e| e == "csv") {
        return sweep_charts(args);
    }
    let dir = input.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // Lock the folder (if accord published it as a set) before reading: no other command
    // replaces it until the charts beside the run.json are those of that run.json.
    let mut update = FolderUpdate::new(dir).map_err(output_error)?;
    let text = read_run_json(input)?;
    let record = chart::read_record(&text).map_err(|problems| {
        for problem in &problems {
            let RecordError { line, column, path, message } = problem;
            let place = if path.is_empty() { String::new() } else { format!("{path}: ") };
            let text = format!("{}:{line}:{column}: error: {place}{message}", input.display());
            stderr_line!("{}", accord::text::terminal(&text));
        }
        CliError::bad_input(anyhow::anyhow!(
            "{} in {}; charts are drawn from a run.json that accord wrote, unedited",
            accord::text::count(problems.len(), "problem"),
            input.display()
        ))
    })?;
    // A run.json from `accord run` carries no frontier (nothing it prints reads it); the
    // utility-space chart draws one from the preferences the record carries.
    let mut record = record;
    if record.analysis.frontier.is_none() {
        record.analysis.frontier = frontier_of_record(&record).and_then(Result::ok);
    }
    for chart in chart::charts_of(&record) {
        for format in chart::distinct(&args.format) {
            let bytes = chart::render(&record, &chart, format).runtime()?;
            update.write(&chart.file_name(format), &bytes).map_err(output_error)?;
        }
    }
    let written = update.publish().map_err(output_error)?;
    stderr_line!("wrote {}", list_paths(&written));
    Ok(())
}

/// Reads a run.json, refusing what is not a regular file (a FIFO or a device would block or
/// never end).
fn read_run_json(input: &Path) -> Result<String, CliError> {
    let meta = std::fs::metadata(input)
        .with_context(|| format!("cannot read {}", input.display()))
        .bad_input()?;
    if !meta.is_file() {
        return Err(CliError::bad_input(anyhow::anyhow!(
            "{}: not a regular file; give the run.json that `accord run` wrote",
            input.display()
        )));
    }
    std::fs::read_to_string(input)
        .with_context(|| format!("cannot read {}", input.display()))
        .bad_input()
}

/// The charts of a sweep, from its sweep.csv and sweep.json; nothing is re-run.
fn sweep_charts(args: &Args) -> Result<(), CliError> {
    let input = &args.input;
    let dir = input.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // Hold the set's lock while reading: the charts written are those of the files read.
    let mut update = FolderUpdate::new(dir).map_err(output_error)?;
    let table = SweepTable::read(input).map_err(|e| {
        let io = e.io;
        let error = anyhow::anyhow!("{e}");
        if io { CliError::runtime(error) } else { CliError::bad_input(error) }
    })?;
    for chart in sweep::charts_of(&table) {
        for format in chart::distinct(&args.format) {
            let bytes = sweep::render(&table, &chart, format).runtime()?;
            update.write(&chart.file_name(format), &bytes).map_err(output_error)?;
        }
    }
    let written = update.publish().map_err(output_error)?;
    // Charts of other axes (an earlier sweep in this folder) would describe other data.
    let stems: Vec<String> = sweep::charts_of(&table).into_iter().map(|c| c.stem).collect();
    publish::with_lock(dir, |d| {
        remove_sweep_charts(d, |stem| !stems.iter().any(|s| s == stem));
    })
    .map_err(output_error)?;
    stderr_line!("wrote {}", list_paths(&written));
    Ok(())
}
