//! `accord validate`: check scenario files and report every problem at once.

use std::path::PathBuf;

use accord::model::Scenario;
use accord::scenario::{self, Diagnostic};

use super::{CliError, count, print_stdout};

/// Arguments of `accord validate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Scenario files to check.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let mut n_errors = 0;
    let mut bad_files: Vec<String> = Vec::new();
    for path in &args.scenarios {
        let mut checked = match scenario::load(path) {
            Ok(c) => c,
            Err(err) => {
                stderr_line!("error: {}", accord::text::terminal(&err.to_string()));
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
        if let Some(scenario) = &checked.scenario {
            for warning in chart_warnings(scenario) {
                checked.push_warning(warning);
            }
        }
        stderr_text!("{}", checked.render());
        if checked.n_errors() > 0 {
            n_errors += checked.n_errors();
            bad_files.push(path.display().to_string());
        } else {
            let warnings = match checked.n_warnings() {
                0 => String::new(),
                n => format!(" ({})", count(n, "warning")),
            };
            let shown = accord::text::terminal(&path.display().to_string()).into_owned();
            print_stdout(&format!("ok: {shown}{warnings}\n"))?;
        }
    }
    if n_errors > 0 {
        let files = match bad_files.as_slice() {
            [one] => one.clone(),
            many => format!("{} files", many.len()),
        };
        return Err(CliError::bad_input(anyhow::anyhow!(
            "{} in {files}",
            count(n_errors, "problem")
        )));
    }
    Ok(())
}

/// A warning when no deal gives every party more than its reservation value. Only the zone
/// is computed (a pass that stops at the first deal that shows one), not the solutions.
fn zone_warning(scenario: &Scenario) -> Option<Diagnostic> {
    let problem = accord::analysis::Problem::new(scenario).ok()?;
    (!problem.zone_of_agreement()).then(|| {
        Diagnostic::warning(
            0..0,
            "scenario: no zone of agreement: no deal gives every party more than its reservation value",
        )
        .with_help("the talks can only fail; lower some `reservation` values or change `weights`/`ideal`")
    })
}

/// Warnings where the charts of this scenario will split or leave something out.
fn chart_warnings(scenario: &Scenario) -> Vec<Diagnostic> {
    let (parties, issues) = (scenario.parties().len(), scenario.issues().len());
    accord::chart::readability_warnings(parties, issues, scenario.events().len())
        .into_iter()
        .map(|message| Diagnostic::warning(0..0, message))
        .collect()
}
