//! The `accord` binary: parse arguments, run the command, map failures to exit codes.

use std::process::ExitCode;

use clap::Parser;

/// `eprintln!` that never panics: a message that cannot be written (stderr closed, as in
/// `accord ... 2>&1 | head -1`) is dropped, and the command still ends with its own exit code.
macro_rules! stderr_line {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// `eprint!` that never panics (see `stderr_line!`).
macro_rules! stderr_text {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($arg)*);
    }};
}

mod cli;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::exec(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // The message may quote the user's file names or input: no control sequence
            // reaches the terminal.
            stderr_line!("error: {}", accord::text::terminal_lines(&err.to_string()));
            ExitCode::from(err.code())
        }
    }
}
