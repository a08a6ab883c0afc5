//! The `accord` binary: parse arguments, run the command, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(cli::Failure::BadInput(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
        Err(cli::Failure::Runtime(err)) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
