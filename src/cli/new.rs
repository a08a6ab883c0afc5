//! `accord new NAME`: write a commented starting scenario to NAME.toml.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, anyhow};

use accord::scenario::template::{self, TemplateConfig};

use super::{CliError, ExitCodeExt, print_stdout};

/// Arguments of `accord new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The file to write: NAME.toml (".toml" is added if missing); never overwritten.
    #[arg(value_name = "NAME")]
    pub name: PathBuf,
    // The ranges are `template::PARTIES` and `template::ISSUES`.
    /// How many parties (2 to 12).
    #[arg(long, default_value_t = 2, value_name = "N",
          value_parser = clap::value_parser!(u8).range(2..=12))]
    pub parties: u8,
    /// How many issues (1 to 20); odd ones continuous, even ones ordinal.
    #[arg(long, default_value_t = 2, value_name = "M",
          value_parser = clap::value_parser!(u8).range(1..=20))]
    pub issues: u8,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let mut path = args.name.clone();
    if path.extension().is_none_or(|e| e != "toml") {
        path.as_mut_os_string().push(".toml");
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let config = TemplateConfig {
        name: stem,
        n_parties: usize::from(args.parties),
        n_issues: usize::from(args.issues),
    };
    let text = template::template(&config);
    // `create_new` refuses an existing file atomically: no check-then-write race.
    let mut file = match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
        Ok(f) => f,
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::bad_input(anyhow!(
                "{} already exists; accord new never overwrites a file\n  = help: choose another NAME, or remove the file first",
                path.display()
            )));
        }
        Err(err) => {
            return Err(CliError::runtime(
                anyhow::Error::new(err).context(format!("cannot create {}", path.display())),
            ));
        }
    };
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {}", path.display()))
        .runtime()?;
    print_stdout(&format!(
        "wrote {p}: {n} parties, {m} issues\nnext: edit it (docs/GUIDE.md), then `accord validate {p}` and `accord run {p}`\n",
        p = path.display(),
        n = config.n_parties,
        m = config.n_issues,
    ))
}
