//! Scenario files: reading TOML, validating it, and reporting problems with their place.
//!
//! The pipeline is text → [`schema::RawScenario`] (`read`) → [`Scenario`] (`validate`).
//! Every problem is collected, so one run of `accord validate` lists them all. This module
//! owns the file format; it does not run anything. The user-facing reference for the format
//! is `docs/scenario.md`.

mod diagnostic;
#[cfg(test)]
mod proptests;
mod read;
pub mod schema;
pub mod template;
mod validate;

use std::path::Path;

pub use diagnostic::{Diagnostic, Severity, line_col};

use crate::model::Scenario;

/// The result of checking one scenario source: the scenario (if valid) and every diagnostic.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The file name used in diagnostics.
    pub file: String,
    /// The source text, kept for rendering snippets.
    pub source: String,
    /// The validated scenario, present exactly when there are no errors.
    pub scenario: Option<Scenario>,
    /// Errors and warnings, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Number of errors.
    pub fn n_errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }

    /// Number of warnings.
    pub fn n_warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }

    /// Every diagnostic rendered as `file:line:col: ...` with snippets, in source order.
    pub fn render(&self) -> String {
        self.diagnostics.iter().map(|d| d.render(&self.file, &self.source)).collect()
    }

    /// Adds a warning found by a later check (the zone-of-agreement check, say).
    pub fn push_warning(&mut self, warning: Diagnostic) {
        self.diagnostics.push(warning);
        diagnostic::sort(&mut self.diagnostics);
    }
}

/// Checks scenario text; `file` is the name shown in diagnostics.
pub fn check_str(file: &str, source: &str) -> Checked {
    let (raw, mut diagnostics) = read::read(source);
    let (scenario, more) = if diagnostics.iter().any(|d| d.message.starts_with("invalid TOML")) {
        (None, Vec::new())
    } else {
        validate::validate(&raw)
    };
    diagnostics.extend(more);
    diagnostic::sort(&mut diagnostics);
    let has_errors = diagnostics.iter().any(|d| d.severity == Severity::Error);
    Checked {
        file: file.to_string(),
        source: source.to_string(),
        scenario: if has_errors { None } else { scenario },
        diagnostics,
    }
}

/// Reads and checks a scenario file. Only IO problems are `Err`; invalid content is reported
/// in [`Checked::diagnostics`].
pub fn load(path: &Path) -> std::io::Result<Checked> {
    let source = std::fs::read_to_string(path)?;
    Ok(check_str(&path.display().to_string(), &source))
}
