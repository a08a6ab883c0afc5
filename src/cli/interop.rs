//! `accord import` and `accord export`: other tools' scenario formats.
//!
//! The library (`accord::interop`) reads and writes texts; this file reads and writes the
//! files, and runs every imported scenario through the normal checks before writing it.

use std::path::{Path, PathBuf};

use anyhow::{Context, anyhow};

use accord::interop::{self, DiscountReading, ImportConfig, Source};
use accord::model::StrategyKind;
use accord::scenario;

use super::{CliError, ExitCodeExt, into_scenario, load, print_stdout};

/// Arguments of `accord import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The format to read.
    #[command(subcommand)]
    pub format: ImportFormat,
}

/// The formats `accord import` reads.
#[derive(Debug, clap::Subcommand)]
pub enum ImportFormat {
    /// A GENIUS domain file and one profile file per party (XML).
    Genius {
        /// The domain file (issues and their values).
        #[arg(value_name = "DOMAIN.xml")]
        domain: PathBuf,
        /// One profile per party (weights, evaluations, reservation, discount), in order.
        #[arg(value_name = "PROFILE.xml", required = true, num_args = 1..)]
        profiles: Vec<PathBuf>,
        #[command(flatten)]
        common: ImportCommon,
    },
    /// A NegMAS scenario folder: a domain YAML (type ...OutcomeSpace) and one utility
    /// function YAML per party.
    Negmas {
        /// The folder.
        #[arg(value_name = "FOLDER")]
        folder: PathBuf,
        #[command(flatten)]
        common: ImportCommon,
    },
}

/// What every import takes.
#[derive(Debug, clap::Args)]
pub struct ImportCommon {
    /// Write the scenario here instead of to stdout.
    #[arg(short = 'o', long = "out", value_name = "OUT.toml")]
    pub out: Option<PathBuf>,
    /// The deadline in rounds (the files do not say).
    #[arg(long, value_name = "N", default_value_t = 100,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    pub rounds: u32,
    /// The strategy kind every party gets, with its default parameters (the files do not
    /// say); see docs/scenario.md.
    #[arg(long, value_name = "KIND", default_value = "boulware", value_parser = choosable_kinds())]
    pub strategy: String,
    /// How to read discount factors: `time` (what is left at the deadline, GENIUS's meaning)
    /// or `round` (per round) [default: time for GENIUS; the file's `factor` for NegMAS].
    #[arg(long, value_enum, value_name = "READING")]
    pub discount: Option<Reading>,
}

/// How to read a discount factor.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Reading {
    /// What is left at the deadline: per round d^(1/rounds).
    Time,
    /// A factor per round.
    Round,
}

impl From<Reading> for DiscountReading {
    fn from(r: Reading) -> DiscountReading {
        match r {
            Reading::Time => DiscountReading::Time,
            Reading::Round => DiscountReading::Round,
        }
    }
}

/// Arguments of `accord export`.
#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The format to write.
    #[command(subcommand)]
    pub format: ExportFormat,
}

/// The formats `accord export` writes.
#[derive(Debug, clap::Subcommand)]
pub enum ExportFormat {
    /// GENIUS XML: DIR/domain.xml and one profile per party.
    Genius {
        /// The scenario file (TOML).
        #[arg(value_name = "SCENARIO")]
        scenario: PathBuf,
        /// The folder to write (created if needed; files of the same names are replaced).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// How to write discounts: `time` (per-round discount^rounds, what is left at the
        /// deadline, GENIUS's meaning) or `round` (the per-round factor as it is).
        #[arg(long, value_enum, value_name = "READING", default_value = "time")]
        discount: Reading,
    },
}

pub fn import(args: &ImportArgs) -> Result<(), CliError> {
    let (imported, common) = match &args.format {
        ImportFormat::Genius { domain, profiles, common } => {
            let domain_text = read(domain)?;
            let texts = profiles.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
            let names: Vec<String> = profiles.iter().map(|p| p.display().to_string()).collect();
            let domain_name = domain.display().to_string();
            let sources: Vec<Source<'_>> =
                names.iter().zip(&texts).map(|(n, t)| Source { name: n, text: t }).collect();
            let reading = common.discount.map_or(DiscountReading::Time, DiscountReading::from);
            let imported = interop::genius::import(
                &Source { name: &domain_name, text: &domain_text },
                &sources,
                reading,
            )
            .bad_input()?;
            (imported, common)
        }
        ImportFormat::Negmas { folder, common } => {
            let files = yaml_files(folder)?;
            let texts = files.iter().map(|p| read(p)).collect::<Result<Vec<_>, _>>()?;
            let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
            let sources: Vec<Source<'_>> =
                names.iter().zip(&texts).map(|(n, t)| Source { name: n, text: t }).collect();
            let imported = interop::negmas::import(
                &folder.display().to_string(),
                &sources,
                common.discount.map(DiscountReading::from),
            )
            .bad_input()?;
            (imported, common)
        }
    };
    let config = ImportConfig {
        max_rounds: common.rounds,
        strategy: common.strategy.clone(),
        discount: common.discount.map_or(DiscountReading::Time, DiscountReading::from),
    };
    let text = interop::to_toml(&imported, &config);
    // The same checks as any scenario file: an import can produce nothing a file could not.
    let shown = common.out.as_ref().map_or("<stdout>".to_string(), |p| p.display().to_string());
    let checked = scenario::check_str(&shown, &text);
    stderr_text!("{}", checked.render());
    if checked.scenario.is_none() {
        return Err(CliError::bad_input(anyhow!(
            "the imported scenario does not pass validation (above); nothing was written"
        )));
    }
    match &common.out {
        None => print_stdout(&text),
        Some(path) => {
            write_atomically(path, &text).runtime()?;
            stderr_line!(
                "wrote {}: {} issues, {} parties, from {}",
                path.display(),
                imported.issues.len(),
                imported.parties.len(),
                imported.tool
            );
            Ok(())
        }
    }
}

pub fn export(args: &ExportArgs) -> Result<(), CliError> {
    let ExportFormat::Genius { scenario, out, discount } = &args.format;
    let scenario = into_scenario(&load(scenario)?)?;
    let exported = interop::genius::export(&scenario, (*discount).into()).bad_input()?;
    std::fs::create_dir_all(out)
        .with_context(|| format!("cannot create {}", out.display()))
        .runtime()?;
    let mut written = Vec::new();
    for (name, text) in &exported.files {
        let path = out.join(name);
        write_atomically(&path, text).runtime()?;
        written.push(path.display().to_string());
    }
    for note in &exported.notes {
        stderr_line!("note: {note}");
    }
    stderr_line!("wrote {}", written.join(", "));
    Ok(())
}

/// The kinds a party can be given by name alone (those with a default form), from the
/// kinds table, so that `--help` and completions list them.
fn choosable_kinds() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(StrategyKind::choosable().map(|k| k.name))
}

fn read(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {}", path.display()))
        .bad_input()
}

/// The folder's `.yml`/`.yaml` files, sorted by name, hidden files left out (as NegMAS does).
fn yaml_files(folder: &Path) -> Result<Vec<PathBuf>, CliError> {
    let entries = std::fs::read_dir(folder)
        .with_context(|| format!("cannot read the folder {}", folder.display()))
        .bad_input()?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            !name.starts_with('.') && (name.ends_with(".yml") || name.ends_with(".yaml"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// Writes `text` to a temporary file beside `path`, then renames it over `path`: readers see
/// the old file or the new one, never half of one.
fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| anyhow!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.tmp{}", name.to_string_lossy(), std::process::id()));
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
        .with_context(|| format!("cannot write {}", path.display()))
}
