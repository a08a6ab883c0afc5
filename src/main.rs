//! The `accord` binary: parse arguments, run the command, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::exec(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The message may quote the user's file names or input: no control sequence
            // reaches the terminal.
            eprintln!("error: {}", accord::text::terminal_lines(&err.to_string()));
            ExitCode::from(err.code())
        }
    }
}
