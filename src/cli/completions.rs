//! `accord completions SHELL`: a shell completion script on stdout, generated from the clap
//! types by `clap_complete`, so it can never fall behind the commands.

use clap::CommandFactory;
use clap_complete::Shell;

use super::{Cli, CliError, print_stdout};

/// Arguments of `accord completions`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: CompletionShell,
}

/// The shells accord writes completions for.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum CompletionShell {
    /// Bash: `source <(accord completions bash)`.
    Bash,
    /// Zsh: write to a directory on `$fpath` as `_accord`.
    Zsh,
    /// Fish: write to `~/.config/fish/completions/accord.fish`.
    Fish,
    /// PowerShell: `accord completions powershell | Out-String | Invoke-Expression`.
    Powershell,
}

pub fn exec(args: &Args) -> Result<(), CliError> {
    let shell = match args.shell {
        CompletionShell::Bash => Shell::Bash,
        CompletionShell::Zsh => Shell::Zsh,
        CompletionShell::Fish => Shell::Fish,
        CompletionShell::Powershell => Shell::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "accord", &mut script);
    print_stdout(&String::from_utf8_lossy(&script))
}
