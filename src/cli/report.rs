//! `accord report`: a run, its charts, report.md and a self-contained report.html.

use std::path::PathBuf;

use accord::chart::{self, ChartFormat, sweep};
use accord::report;
use accord::run::AnalysisLevel;
use accord::sweep::memory;

use super::run::{output_error, prepare};
use super::{CliError, ExitCodeExt, list_paths, print_stdout};

/// Arguments of `accord report`.
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
}

/// The formats the report writes each chart in: SVG (inlined in report.html) and PNG
/// (linked from report.md).
const FORMATS: [ChartFormat; 2] = [ChartFormat::Svg, ChartFormat::Png];

pub fn exec(args: &Args) -> Result<(), CliError> {
    let mut run = prepare(&args.scenario, args.seed, &args.out, |scenario| {
        let charts = chart::charts_for(scenario.parties().len(), scenario.issues().len());
        let mut files: Vec<String> =
            charts.iter().flat_map(|c| FORMATS.map(|f| c.file_name(f))).collect();
        files.extend(["report.md".to_string(), "report.html".to_string()]);
        files
    })?;
    // The utility-space chart draws the Pareto frontier, so the report asks for it.
    let record = run.simulate(AnalysisLevel::Frontier)?;
    let mut inline = Vec::new();
    for chart in chart::charts_of(&record) {
        for format in FORMATS {
            let bytes = chart::render(&record, &chart, format).runtime()?;
            run.plan.write(&chart.file_name(format), &bytes).map_err(output_error)?;
            if format == ChartFormat::Svg {
                // The page inlines exactly the bytes published beside it.
                let svg = String::from_utf8(bytes).expect("plotters writes UTF-8 SVG");
                inline.push(report::InlineChart { name: chart.stem(), svg });
            }
        }
    }
    let names: Vec<&str> = inline.iter().map(|c| c.name.as_str()).collect();
    let mut doc = report::document(&record, &names);
    let sections = sweeps(&mut run, &record, &mut inline)?;
    // The sweeps go after the run's own charts, before the method.
    let at = doc
        .iter()
        .position(|b| matches!(b, report::Block::Heading(2, h) if h == "Method"))
        .unwrap_or(doc.len());
    doc.splice(at..at, report::sweeps::blocks(&sections));
    if let Some((summary, charts)) = sensitivity(args) {
        report::add_sensitivity(&mut doc, &summary);
        inline.extend(charts);
    }
    run.plan.write("report.md", report::markdown(&doc).as_bytes()).map_err(output_error)?;
    run.plan.write("report.html", report::html(&doc, &inline).as_bytes()).map_err(output_error)?;
    let html = run.plan.final_path("report.html");
    let written = run.plan.publish().map_err(output_error)?;
    print_stdout(&format!(
        "{}: {}\nreport: {}\n",
        record.scenario.name,
        record.outcome.summary,
        html.display()
    ))?;
    stderr_line!("wrote {}", list_paths(&written));
    Ok(())
}

/// The findings and charts of a sensitivity analysis of this very scenario text in
/// OUT/<stem>/ (`accord sensitivity`), if there is one.
fn sensitivity(args: &Args) -> Option<(report::SensitivitySummary, Vec<report::InlineChart>)> {
    use sha2::{Digest, Sha256};
    let stem = accord::export::publish::folder_name(&args.scenario).ok()?;
    let dir = args.out.join(stem);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("sensitivity.json")).ok()?).ok()?;
    let source = std::fs::read(&args.scenario).ok()?;
    let sha: String = Sha256::digest(&source).iter().map(|b| format!("{b:02x}")).collect();
    if json["scenario"]["sha256"].as_str()? != sha {
        return None;
    }
    let method = match json["method"].as_str()? {
        "oat" => "one-at-a-time",
        "morris" => "Morris",
        _ => "Sobol'",
    };
    let findings = json["findings"].as_array()?.iter().filter_map(|f| f.as_str()).map(String::from);
    let mut charts = Vec::new();
    let mut names = Vec::new();
    for metric in json["metrics"].as_array()?.iter().filter_map(|m| m.as_str()) {
        let stem = format!("sensitivity-{metric}");
        if let Ok(svg) = std::fs::read_to_string(dir.join(format!("{stem}.svg")))
            && dir.join(format!("{stem}.png")).is_file()
        {
            names.push(stem.clone());
            charts.push(report::InlineChart { name: stem, svg });
        }
    }
    let summary = report::SensitivitySummary {
        method: method.to_string(),
        runs: json["runs"].as_u64()?,
        findings: findings.collect(),
        charts: names,
    };
    Some((summary, charts))
}

/// Runs the report's sweeps (the scenario's `[[sweeps]]`, or each party's reservation value
/// around its own) in memory, draws the charts worth showing into the report's set, and
/// returns the sections that describe them.
fn sweeps(
    run: &mut super::run::Prepared,
    record: &accord::export::record::RunRecord,
    inline: &mut Vec<report::InlineChart>,
) -> Result<Vec<report::sweeps::SweepSection>, CliError> {
    let plans = memory::report_sweeps(&run.scenario);
    let mut sections = Vec::new();
    for (k, plan) in plans.iter().enumerate() {
        let table = memory::run_in_memory(&run.scenario, &plan.vary, plan.replicates).runtime()?;
        let resets: Vec<Vec<u32>> = table
            .axes
            .iter()
            .map(|axis| {
                let mut rounds: Vec<u32> = record
                    .events
                    .iter()
                    .filter(|e| e.set.0.iter().any(|(path, _)| *path == axis.path))
                    .map(|e| e.round)
                    .collect();
                rounds.dedup();
                rounds
            })
            .collect();
        let title = plan.name.clone().unwrap_or_else(|| {
            let words: Vec<String> = table
                .axes
                .iter()
                .map(|a| sweep::words::path_words(&a.path, &table.labels))
                .collect();
            let title = words.join(" and ");
            let mut chars = title.chars();
            chars.next().map_or(title.clone(), |c| c.to_uppercase().chain(chars).collect())
        });
        let prefix = format!("report-sweep{}-", k + 1);
        let (section, charts) =
            report::sweeps::section(&table, title, plan.question.clone(), &prefix, &resets);
        for (chart, stem) in charts {
            for format in FORMATS {
                let bytes = sweep::render(&table, &chart, format).runtime()?;
                let file = format!("{stem}.{format}");
                run.plan.declare(&file).map_err(output_error)?;
                run.plan.write(&file, &bytes).map_err(output_error)?;
                if format == ChartFormat::Svg {
                    let svg = String::from_utf8(bytes).expect("plotters writes UTF-8 SVG");
                    inline.push(report::InlineChart { name: stem.clone(), svg });
                }
            }
        }
        sections.push(section);
    }
    Ok(sections)
}
