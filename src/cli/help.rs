//! `accord help`: the help of accord or of one of its commands.
//!
//! clap's own help command refuses `accord help --help` (exit 2); this one is an ordinary
//! command, so its own `--help` works like every other command's.

use clap::CommandFactory;

use super::{Cli, CliError, print_stdout};

/// Arguments of `accord help`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The command to explain (`accord help run`); none explains accord itself.
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let mut cli = Cli::command();
    cli.build();
    let help = match &args.command {
        None => cli.render_long_help(),
        Some(name) => match cli.find_subcommand_mut(name) {
            Some(command) => command.render_long_help(),
            None => {
                let names: Vec<String> =
                    cli.get_subcommands().map(|c| format!("`{}`", c.get_name())).collect();
                return Err(CliError::bad_input(anyhow::anyhow!(
                    "no command `{}`; the commands are {}",
                    accord::text::terminal(name),
                    names.join(", ")
                )));
            }
        },
    };
    print_stdout(&help.to_string())
}
