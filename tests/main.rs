//! Integration tests: the real `accord` binary, driven through its command line.

mod cli;
mod determinism;
mod interop;
mod regression;
mod sensitivity;
mod sweep;
mod sweep_charts;
mod util;
