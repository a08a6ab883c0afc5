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

use std::io::{self, Read};
use std::path::Path;

pub use diagnostic::{Diagnostic, LineIndex, Severity, line_col};

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

    /// The first [`MAX_SHOWN`] diagnostics rendered as `file:line:col: ...` with snippets,
    /// in source order, then a note counting the rest. The source is indexed once, so this
    /// costs time linear in the file whatever the number of problems.
    pub fn render(&self) -> String {
        let index = LineIndex::new(&self.source);
        let mut out: String = self
            .diagnostics
            .iter()
            .take(MAX_SHOWN)
            .map(|d| d.render_indexed(&self.file, &self.source, &index))
            .collect();
        let rest = &self.diagnostics[self.diagnostics.len().min(MAX_SHOWN)..];
        if !rest.is_empty() {
            let errors = rest.iter().filter(|d| d.severity == Severity::Error).count();
            let kinds = match (errors, rest.len() - errors) {
                (_, 0) => crate::text::count(errors, "more error"),
                (0, w) => crate::text::count(w, "more warning"),
                (e, w) => format!(
                    "{} and {}",
                    crate::text::count(e, "more error"),
                    crate::text::count(w, "warning")
                ),
            };
            out.push_str(&format!(
                "note: {}: {kinds} not shown (the first {MAX_SHOWN} are above)\n",
                crate::text::terminal(&self.file)
            ));
        }
        out
    }

    /// Adds a warning found by a later check (the zone-of-agreement check, say).
    pub fn push_warning(&mut self, warning: Diagnostic) {
        self.diagnostics.push(warning);
        diagnostic::sort(&mut self.diagnostics);
    }
}

/// The most diagnostics [`Checked::render`] prints; the rest are counted.
pub const MAX_SHOWN: usize = 50;

/// The largest scenario file accord reads, in bytes (8 MiB; real scenarios are a few KB).
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// Why a scenario file could not be read at all (its content is judged by [`Checked`]).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A FIFO, device, folder or socket: reading it could block or never end.
    #[error(
        "{path}: not a regular file but {kind}; give a scenario file (TOML), not a pipe, \
         device or folder"
    )]
    NotAFile {
        /// The path as given.
        path: String,
        /// What it is (`a folder`, `a FIFO`, ...).
        kind: &'static str,
    },
    /// Larger than [`MAX_FILE_BYTES`].
    #[error(
        "{path}: the file is larger than the limit of {} MiB for a scenario file; is it \
         the right file?",
        MAX_FILE_BYTES / (1024 * 1024)
    )]
    TooLarge {
        /// The path as given.
        path: String,
    },
    /// The system could not open or read it.
    #[error("cannot read the scenario file {path}: {error}")]
    Io {
        /// The path as given.
        path: String,
        /// What the system said.
        error: io::Error,
    },
}

/// Checks scenario text; `file` is the name shown in diagnostics.
pub fn check_str(file: &str, source: &str) -> Checked {
    let diagnostics = control_characters(source);
    if !diagnostics.is_empty() {
        return Checked {
            file: file.to_string(),
            source: source.to_string(),
            scenario: None,
            diagnostics,
        };
    }
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

/// Checks the bytes of a scenario file: text that is not UTF-8 is one error at the first
/// bad byte (with its line and column), then as [`check_str`].
pub fn check_bytes(file: &str, bytes: &[u8]) -> Checked {
    match std::str::from_utf8(bytes) {
        Ok(source) => check_str(file, source),
        Err(err) => {
            let at = err.valid_up_to();
            let len = err.error_len().unwrap_or(bytes.len() - at).max(1);
            let (what, help) =
                if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
                    (
                        "the file is UTF-16 text; scenario files are UTF-8",
                        "save it as UTF-8 (in most editors: Save As, encoding UTF-8)",
                    )
                } else if bytes.iter().take(8192).any(|b| *b == 0) {
                    (
                        "the file looks binary (it holds NUL bytes and is not UTF-8 text)",
                        "give a scenario file: TOML text in UTF-8",
                    )
                } else {
                    (
                        "invalid UTF-8: scenario files are UTF-8 text",
                        "save the file as UTF-8, or retype the character at this place",
                    )
                };
            let byte = bytes[at];
            let source = String::from_utf8_lossy(bytes).into_owned();
            let message = format!("{what} (byte 0x{byte:02X} at byte offset {at})");
            Checked {
                file: file.to_string(),
                source,
                scenario: None,
                diagnostics: vec![Diagnostic::error(at..at + len, message).with_help(help)],
            }
        }
    }
}

/// Control characters TOML forbids (every one but tab, line feed, and carriage return
/// before a line feed), each as an error naming it: a NUL or an escape byte in a file is
/// hard to see, and the TOML parser's own message speaks of what it expected instead.
fn control_characters(source: &str) -> Vec<Diagnostic> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    for (i, c) in source.char_indices() {
        let allowed = match c {
            '\t' | '\n' => true,
            '\r' => bytes.get(i + 1) == Some(&b'\n'),
            c => !c.is_control(),
        };
        if !allowed {
            let name = match c {
                '\0' => "a NUL byte (U+0000)".to_string(),
                '\u{1b}' => "an escape character (U+001B)".to_string(),
                '\r' => "a carriage return (U+000D) not followed by a line feed".to_string(),
                '\u{7f}' => "a delete character (U+007F)".to_string(),
                c => format!("the control character U+{:04X}", c as u32),
            };
            out.push(
                Diagnostic::error(i..i + c.len_utf8(), format!("the file holds {name}")).with_help(
                    "TOML allows no control characters but tab and line breaks; delete it, \
                         or write it as an escape such as \\u001B inside a string",
                ),
            );
        }
    }
    out
}

/// Reads and checks a scenario file. Only a file that cannot be read is `Err` (missing,
/// unreadable, not a regular file, larger than [`MAX_FILE_BYTES`]); invalid content,
/// including text that is not UTF-8, is reported in [`Checked::diagnostics`].
pub fn load(path: &Path) -> Result<Checked, LoadError> {
    let shown = path.display().to_string();
    let io_error = |error| LoadError::Io { path: shown.clone(), error };
    // Look before opening: opening a FIFO for reading blocks until someone writes to it.
    let meta = std::fs::metadata(path).map_err(io_error)?;
    not_a_file(&meta)
        .map_or(Ok(()), |kind| Err(LoadError::NotAFile { path: shown.clone(), kind }))?;
    let file = open_nonblocking(path).map_err(io_error)?;
    // And again on what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(io_error)?;
    not_a_file(&meta)
        .map_or(Ok(()), |kind| Err(LoadError::NotAFile { path: shown.clone(), kind }))?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: shown });
    }
    // A file that grows while read (or a /proc file of size 0) stops at the limit too.
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io_error)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { path: shown });
    }
    Ok(check_bytes(&shown, &bytes))
}

/// What a path is if it is not a regular file.
fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some("a device");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}

/// Opens for reading without blocking on a FIFO that replaced the file since it was looked at.
fn open_nonblocking(path: &Path) -> io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    options.open(path)
}
