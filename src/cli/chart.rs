//! `accord chart`: redraw the charts of a run from its run.json.

use std::path::{Path, PathBuf};

use anyhow::Context;

use accord::chart::{self, ChartConfig, ChartFormat};
use accord::export::{self, record::SCHEMA_VERSION};
use accord::run::frontier_of_record;

use super::{CliError, ExitCodeExt, list_paths};

/// Arguments of `accord chart`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A run.json written by `accord run` or `accord report`.
    pub input: PathBuf,
    /// Image formats, comma-separated.
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "svg,png")]
    pub format: Vec<ChartFormat>,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let input = &args.input;
    if input.extension().is_some_and(|e| e == "csv") {
        return Err(CliError::bad_input(anyhow::anyhow!(
            "{}: charts of sweep results come with `accord sweep`, which is not implemented yet; \
             give a run.json",
            input.display()
        )));
    }
    let text = std::fs::read_to_string(input)
        .with_context(|| format!("cannot read {}", input.display()))
        .bad_input()?;
    let record = export::from_json(&text).map_err(|err| {
        CliError::bad_input(anyhow::anyhow!(
            "{}:{}:{}: not a run.json this accord can read: {err}",
            input.display(),
            err.line(),
            err.column()
        ))
    })?;
    if record.schema_version != SCHEMA_VERSION {
        return Err(CliError::bad_input(anyhow::anyhow!(
            "{}: schema_version {} is not the {SCHEMA_VERSION} this accord reads; rerun the \
             scenario with this version",
            input.display(),
            record.schema_version
        )));
    }
    // A run.json from `accord run` carries no frontier (nothing it prints reads it); the
    // utility-space chart draws one from the preferences the record carries.
    let mut record = record;
    if record.analysis.frontier.is_none() {
        record.analysis.frontier = frontier_of_record(&record).and_then(Result::ok);
    }
    let dir = input.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let config = ChartConfig { formats: args.format.clone() };
    let written =
        chart::run_charts(&record, dir, &config).context("cannot draw the charts").runtime()?;
    eprintln!("wrote {}", list_paths(&written));
    Ok(())
}
