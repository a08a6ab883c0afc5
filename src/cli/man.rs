//! `accord man`: the manual page, generated from the clap types by `clap_mangen`.
//!
//! Without `--out` the page of `accord` itself goes to stdout (`accord man | man -l -`);
//! with `--out DIR` one page per command is written there (`accord.1`, `accord-run.1`, ...),
//! ready for a `man1` directory.

use std::path::PathBuf;

use anyhow::Context;
use clap::CommandFactory;

use super::{Cli, CliError, ExitCodeExt, print_stdout};

/// Arguments of `accord man`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write accord.1 and one accord-COMMAND.1 per command into this directory (created if
    /// needed) instead of printing accord.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let cmd = Cli::command();
    match &args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .context("cannot render the man page")
                .runtime()?;
            print_stdout(&String::from_utf8_lossy(&page))
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .and_then(|()| clap_mangen::generate_to(cmd, dir))
                .with_context(|| format!("cannot write the man pages to {}", dir.display()))
                .runtime()?;
            print_stdout(&format!("wrote the man pages to {}\n", dir.display()))
        }
    }
}
