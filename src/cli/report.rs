//! `accord report`: a run, its charts, report.md and a self-contained report.html.

use std::path::PathBuf;

use anyhow::Context;

use accord::chart::{self, ChartConfig, ChartFormat};
use accord::report;
use accord::run::AnalysisLevel;

use super::run::run_and_write;
use super::{CliError, ExitCodeExt, list_paths, print_stdout, write};

/// Arguments of `accord report`.
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
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    // The utility-space chart draws the Pareto frontier, so the report asks for it.
    let mut done = run_and_write(&args.scenario, args.seed, &args.out, AnalysisLevel::Frontier)?;
    let config = ChartConfig { formats: vec![ChartFormat::Svg, ChartFormat::Png] };
    let charts = chart::run_charts(&done.record, &done.dir, &config)
        .context("cannot draw the charts")
        .runtime()?;
    let mut inline = Vec::new();
    for path in charts.iter().filter(|p| p.extension().is_some_and(|e| e == "svg")) {
        let svg = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read back {}", path.display()))
            .runtime()?;
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
