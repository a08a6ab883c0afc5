//! `accord sensitivity`: which declared assumptions move the outcome, and how much.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use accord::chart::ChartFormat;
use accord::chart::bars;
use accord::export::publish::{self, FolderUpdate};
use accord::report::{self, Block};
use accord::sensitivity::analysis::{self, Factor, MetricResult};
use accord::sensitivity::{Method, Plan, findings};
use accord::sweep::{self, Shard, SweepConfig, SweepOutcome};

use super::sweep::{hex, sweep_error};
use super::{CliError, into_scenario, list_paths, load, print_stdout};

/// Arguments of `accord sensitivity`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = AFTER_HELP)]
pub struct Args {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// How to vary the assumptions: one at a time (oat), Morris elementary effects
    /// (morris) or Sobol' indices (sobol).
    #[arg(long, value_enum, default_value_t = MethodArg::Sobol)]
    pub method: MethodArg,
    /// Base samples N of a Sobol' analysis (N (d + 2) runs; default 1024) or trajectories
    /// r of a Morris analysis (r (d + 1) runs; default 20).
    #[arg(long, value_name = "N")]
    pub samples: Option<u64>,
    /// Analyse only these metrics (sweep.csv column names, such as agreement, round,
    /// gain.us, terms.mineral_share); repeat for several [default: every number and level].
    #[arg(long = "metric", value_name = "NAME")]
    pub metrics: Vec<String>,
    /// Vary PATH over a..b instead of the declared assumptions; repeat for several.
    #[arg(long = "vary", value_name = "PATH=a..b")]
    pub vary: Vec<String>,
    /// Base seed of the design, the bootstrap and the runs [default: the scenario's `seed`].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Worker threads [default: the CPUs this process may use].
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// Run only shard K of N of the runs (or `slurm`), into OUT/<stem>.shard-K-of-N/; then
    /// `accord merge` the shards into OUT and rerun this command with --resume (no --shard)
    /// to estimate.
    #[arg(long, value_name = "K/N|slurm")]
    pub shard: Option<String>,
    /// Folder for the results: OUT/<scenario-stem>/ gets sensitivity.csv, sensitivity.json,
    /// sensitivity.md, sensitivity.html, the charts and the runs as sweep.csv and sweep.json.
    #[arg(long, value_name = "OUT", default_value = "output")]
    pub out: PathBuf,
    /// Continue an interrupted analysis in OUT (the same command, plus --resume).
    #[arg(long, conflicts_with = "force")]
    pub resume: bool,
    /// Replace the sweep that OUT/<stem>/ holds.
    #[arg(long)]
    pub force: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

const AFTER_HELP: &str = "\
The assumptions are the scenario's [[assumptions]] (path, low, high, source), or the
--vary PATH=a..b ranges. Findings are printed in plain words; every index of a Sobol'
analysis carries a 95% bootstrap interval. See docs/sensitivity.md.

Examples:
  accord sensitivity scenarios/us-ukraine-minerals-2025.toml
  accord sensitivity s.toml --method oat --metric agreement --metric gain.us
  accord sensitivity s.toml --method morris --samples 40 --vary parties.us.discount=0.99..0.999";

/// `--method`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MethodArg {
    /// One at a time: each assumption at its low and high end, the others at their values.
    Oat,
    /// Morris elementary effects: mu*, mu and sigma per assumption.
    Morris,
    /// Sobol' first-order and total indices with bootstrap intervals.
    Sobol,
}

fn usage(problem: String, help: &str) -> CliError {
    CliError::bad_input(anyhow::anyhow!("{problem}\n  = help: {help}"))
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let checked = load(&args.scenario)?;
    let scenario = into_scenario(&checked)?;
    let stem = publish::folder_name(&args.scenario).map_err(|e| sweep_error(e.into()))?;
    let factors = analysis::factors(&scenario, &args.vary).map_err(sweep_error)?;
    let method = match args.method {
        MethodArg::Oat => Method::Oat,
        MethodArg::Morris => Method::Morris,
        MethodArg::Sobol => Method::Sobol,
    };
    let samples = match (method, args.samples) {
        (Method::Oat, Some(_)) => {
            return Err(usage(
                "--samples does not apply to --method oat (it runs 1 + 2d points)".into(),
                "drop --samples, or choose --method morris|sobol",
            ));
        }
        (_, Some(0)) => return Err(usage("--samples 0 runs nothing".into(), "give 1 or more")),
        (Method::Morris, Some(1)) => {
            return Err(usage(
                "one Morris trajectory gives no spread".into(),
                "give --samples 2 or more (20 is usual)",
            ));
        }
        (Method::Oat, None) => 1,
        (Method::Morris, None) => 20,
        (Method::Sobol, None) => 1024,
        (_, Some(n)) => n,
    };
    let d = factors.len() as u64;
    let runs = match method {
        Method::Oat => Some(1 + 2 * d),
        Method::Morris => samples.checked_mul(d + 1),
        Method::Sobol => samples.checked_mul(d + 2),
    };
    match runs {
        Some(n) if n <= 10_000_000 => {}
        _ => {
            return Err(usage(
                format!("{samples} samples of {d} assumptions is more than 10,000,000 runs"),
                "give fewer --samples",
            ));
        }
    }
    // Metrics: checked before anything runs.
    let all: Vec<String> = accord::export::row::metrics(&scenario)
        .into_iter()
        .filter(|m| !matches!(m.kind, accord::export::row::MetricKind::Text))
        .map(|m| m.name)
        .collect();
    for m in &args.metrics {
        if !all.contains(m) {
            return Err(usage(
                format!("--metric `{m}`: no such metric"),
                &format!("metrics of this scenario are {}", all.join(", ")),
            ));
        }
    }
    let wanted: Vec<String> = if args.metrics.is_empty() {
        all
    } else {
        all.into_iter().filter(|m| args.metrics.contains(m)).collect()
    };

    let seed = args.seed.unwrap_or(scenario.seed());
    let plan = Plan::new(method, factors.len(), samples as usize, seed);
    let design = analysis::sweep_design(&factors, &plan, seed).map_err(sweep_error)?;
    let env = |name: &str| std::env::var(name).ok();
    let shard = match &args.shard {
        Some(text) => Shard::parse(text, &env).map_err(sweep_error)?,
        None => Shard::WHOLE,
    };
    let available = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = match args.threads {
        Some(0) => return Err(usage("--threads 0 runs nothing".into(), "give 1 or more")),
        Some(n) => n,
        None => sweep::default_threads(&env, available),
    };
    let config = SweepConfig {
        design,
        replicates: 1,
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
    let outcome =
        super::sweep::run_with_progress(&scenario, &config, sweep::DEFAULT_MAX_RUNS, args.quiet);
    let dir = match outcome? {
        SweepOutcome::Complete { dir, ran, runs } => {
            let secs = began.elapsed().as_secs_f64();
            stderr_line!(
                "ran {} of {} runs in {secs:.1} s ({:.0} runs/s, {threads} threads)",
                ran,
                runs,
                if secs > 0.0 { ran as f64 / secs } else { 0.0 }
            );
            dir
        }
        SweepOutcome::AlreadyComplete { dir } => dir,
        SweepOutcome::Interrupted { dir, done, total } => {
            return Err(CliError::interrupted(anyhow::anyhow!(
                "interrupted after {done} of {total} runs; the rows so far are in {}\n  = help: \
                 rerun the same command with --resume to finish",
                dir.join(sweep::output::PARTIAL_CSV).display()
            )));
        }
    };
    if !shard.is_whole() {
        stderr_line!(
            "shard {}/{} is complete in {}\n  then: accord merge {}/{}.shard-*-of-{} --out {} and \
             rerun this command with --resume and without --shard to estimate",
            shard.index,
            shard.count,
            dir.display(),
            args.out.display(),
            config.stem,
            shard.count,
            args.out.display()
        );
        return Ok(());
    }

    // Read the runs back and estimate.
    let sidecar = sweep::output::read_sidecar(&dir)
        .map_err(sweep_error)?
        .ok_or_else(|| CliError::runtime(anyhow::anyhow!("{}: no sweep.json", dir.display())))?;
    let csv_path = dir.join(sweep::output::SWEEP_CSV);
    let file = File::open(&csv_path).map_err(|e| {
        CliError::runtime(anyhow::anyhow!("cannot read {}: {e}", csv_path.display()))
    })?;
    let values = analysis::read_metrics(&sidecar, BufReader::new(file), &wanted).map_err(|e| {
        CliError::runtime(anyhow::anyhow!("cannot read {}: {e}", csv_path.display()))
    })?;
    let estimated = Instant::now();
    let boot = analysis::bootstrap(&plan);
    let results: Vec<MetricResult> = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(CliError::runtime)?
        .install(|| {
            wanted
                .par_iter()
                .zip(values.par_iter())
                .map(|(m, v)| analysis::analyse(&plan, m, v, &boot))
                .collect()
        });
    stderr_line!(
        "estimated {} in {:.1} s",
        accord::text::count(results.len(), "metric"),
        estimated.elapsed().as_secs_f64()
    );
    let found = findings::findings(method, &results, &factors, &scenario);

    let mut update = FolderUpdate::new(&dir).map_err(CliError::runtime)?;
    let write = |update: &mut FolderUpdate, name: &str, bytes: &[u8]| {
        update.write(name, bytes).map_err(CliError::runtime)
    };
    write(&mut update, "sensitivity.csv", analysis::csv(method, &factors, &results).as_bytes())?;
    let json = sidecar_json(&sidecar, &plan, &factors, &results, &found);
    write(&mut update, "sensitivity.json", json.as_bytes())?;
    let mut inline = Vec::new();
    for r in &results {
        let wanted = if args.metrics.is_empty() {
            accord::sensitivity::charts::default_charted(&r.metric)
        } else {
            true
        };
        let Some(chart) =
            accord::sensitivity::charts::chart(method, r, &factors, &scenario).filter(|_| wanted)
        else {
            continue;
        };
        for format in [ChartFormat::Svg, ChartFormat::Png] {
            let file = format!(
                "sensitivity-{}.{}",
                r.metric,
                if format == ChartFormat::Svg { "svg" } else { "png" }
            );
            let bytes = bars::render(&chart, &file, format).map_err(CliError::runtime)?;
            write(&mut update, &file, &bytes)?;
            if format == ChartFormat::Svg {
                // The page inlines exactly the bytes published beside it.
                let svg = String::from_utf8(bytes).expect("plotters writes UTF-8 SVG");
                inline.push(report::InlineChart { name: format!("sensitivity-{}", r.metric), svg });
            }
        }
    }
    let mut doc = document(&scenario, &plan, &factors, &found, sidecar.runs);
    let figures_at = doc
        .iter()
        .position(|b| matches!(b, Block::Heading(2, t) if t == "Assumptions"))
        .unwrap_or(doc.len());
    let figures: Vec<Block> = inline
        .iter()
        .map(|c| {
            Block::Figure(c.name.clone(), "How much each assumption moves this outcome.".into())
        })
        .collect();
    doc.splice(figures_at..figures_at, figures);
    write(&mut update, "sensitivity.md", report::markdown(&doc).as_bytes())?;
    write(&mut update, "sensitivity.html", report::html(&doc, &inline).as_bytes())?;
    let written = update.publish().map_err(CliError::runtime)?;

    let mut out = format!(
        "{}: {} analysis of {} over {} runs\n\n",
        scenario.name(),
        method_name(method),
        accord::text::count(factors.len(), "assumption"),
        sidecar.runs
    );
    for f in &found {
        out.push_str(f);
        out.push_str("\n\n");
    }
    print_stdout(out.trim_end_matches('\n'))?;
    print_stdout("\n")?;
    stderr_line!("wrote {}", list_paths(&written));
    Ok(())
}

fn method_name(method: Method) -> &'static str {
    match method {
        Method::Oat => "one-at-a-time",
        Method::Morris => "Morris",
        Method::Sobol => "Sobol'",
    }
}

/// The written-up analysis: findings, the assumptions with their sources, the method.
fn document(
    scenario: &accord::model::Scenario,
    plan: &Plan,
    factors: &[Factor],
    found: &[String],
    runs: u64,
) -> Vec<Block> {
    let mut doc = vec![
        Block::Heading(1, format!("Sensitivity: {}", scenario.name())),
        Block::Heading(2, "Findings".into()),
    ];
    doc.extend(found.iter().map(|f| Block::Paragraph(f.clone())));
    doc.push(Block::Heading(2, "Assumptions".into()));
    doc.push(Block::Table(
        ["Parameter", "Value", "Range", "Source"].map(String::from).into(),
        factors
            .iter()
            .map(|f| {
                vec![
                    f.axis.name.clone(),
                    f.value.to_string(),
                    format!("{}–{}", f.low, f.high),
                    f.source.clone().unwrap_or_else(|| "--vary".into()),
                ]
            })
            .collect(),
    ));
    doc.push(Block::Heading(2, "Method".into()));
    doc.push(Block::Paragraph(format!(
        "{} analysis, {runs} runs, seed {}. Design: {}. Intervals are 95% bootstrap percentile \
         intervals ({} resamples). See docs/sensitivity.md.",
        method_name(plan.method),
        plan.seed,
        plan.rule(),
        analysis::RESAMPLES
    )));
    doc
}

fn sidecar_json(
    sidecar: &sweep::Sidecar,
    plan: &Plan,
    factors: &[Factor],
    results: &[MetricResult],
    found: &[String],
) -> String {
    let value = serde_json::json!({
        "schema_version": 1,
        "accord_version": env!("CARGO_PKG_VERSION"),
        "scenario": sidecar.scenario,
        "method": plan.method.as_str(),
        "samples": plan.samples,
        "seed": plan.seed,
        "design_rule": plan.rule(),
        "runs": sidecar.runs,
        "bootstrap_resamples": analysis::RESAMPLES,
        "confidence": accord::sensitivity::estimate::CONFIDENCE,
        "assumptions": factors.iter().map(|f| serde_json::json!({
            "path": f.axis.name,
            "low": f.low,
            "high": f.high,
            "value": f.value,
            "source": f.source,
        })).collect::<Vec<_>>(),
        "metrics": results.iter().map(|r| r.metric.clone()).collect::<Vec<_>>(),
        "findings": found,
    });
    let mut text = serde_json::to_string_pretty(&value).expect("json serializes");
    text.push('\n');
    text
}
