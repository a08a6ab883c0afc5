//! Problems found in a scenario file, with their place in the source and a way to fix them.
//!
//! A [`Diagnostic`] holds a byte span, so it can be rendered against the source text as
//! `file:line:col: error: message`, the offending line with a caret underline, and a help line.

use std::fmt::Write as _;
use std::ops::Range;

/// How serious a problem is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file is valid but probably not what was meant.
    Warning,
}

/// One problem at one place in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Byte range in the source that the problem is about.
    pub span: Range<usize>,
    /// What is wrong, starting lowercase, with the TOML path first (`parties[1].reservation: ...`).
    pub message: String,
    /// How to fix it, if there is something useful to say.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Error, span, message: message.into(), help: None }
    }

    /// A warning at `span`.
    pub fn warning(span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, span, message: message.into(), help: None }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_col(&self, source: &str) -> (usize, usize) {
        line_col(source, self.span.start)
    }

    /// Renders the diagnostic: location line, snippet with caret, help.
    pub fn render(&self, file: &str, source: &str) -> String {
        let (line, col) = self.line_col(source);
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{file}:{line}:{col}: {label}: {}\n", self.message);
        let line_text = source.lines().nth(line - 1).unwrap_or("");
        let line_no = line.to_string();
        let pad = " ".repeat(line_no.len());
        let span_chars = source
            .get(self.span.clone())
            .map(|s| s.lines().next().unwrap_or("").chars().count())
            .unwrap_or(0)
            .max(1);
        let room = line_text.chars().count().saturating_sub(col - 1).max(1);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line_no} | {line_text}");
        let _ =
            writeln!(out, "{pad} | {}{}", " ".repeat(col - 1), "^".repeat(span_chars.min(room)));
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }
}

/// Sorts diagnostics into source order (errors before warnings at the same place).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
}

/// 1-based line and character column of a byte offset.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = &source[..floor_char_boundary(source, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "a = 1\nname = \"US–Ukraine\" x\n";
        let offset = src.find('x').unwrap();
        assert_eq!(line_col(src, offset), (2, 21));
        assert_eq!(line_col(src, 0), (1, 1));
    }

    #[test]
    fn renders_location_snippet_caret_and_help() {
        let src = "[[parties]]\nreservation = 1.3\n";
        let start = src.find("1.3").unwrap();
        let diag = Diagnostic::error(
            start..start + 3,
            "parties[0].reservation: must be in [0, 1], got 1.3",
        )
        .with_help("the reservation is the utility of walking away");
        insta::assert_snapshot!(diag.render("s.toml", src), @r"
        s.toml:2:15: error: parties[0].reservation: must be in [0, 1], got 1.3
          |
        2 | reservation = 1.3
          |               ^^^
          = help: the reservation is the utility of walking away
        ");
    }
}
