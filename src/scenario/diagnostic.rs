//! Problems found in a scenario file, with their place in the source and a way to fix them.
//!
//! A [`Diagnostic`] holds a byte span, so it can be rendered against the source text as
//! `file:line:col: error: message`, the offending line with a caret underline, and a help line.

use std::fmt::Write as _;
use std::ops::Range;

use crate::text::terminal;

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

    /// Renders the diagnostic: location line, snippet with caret, help. For many
    /// diagnostics of one source, index it once and use [`Diagnostic::render_indexed`].
    pub fn render(&self, file: &str, source: &str) -> String {
        self.render_indexed(file, source, &LineIndex::new(source))
    }

    /// [`Diagnostic::render`] with the source's line index built once by the caller.
    ///
    /// Whatever the input, the output is bounded and safe for a terminal: the snippet shows
    /// at most [`SNIPPET_CHARS`] characters of the line around the caret (`…` where it is
    /// cut), messages at most [`MESSAGE_CHARS`], and control characters are escaped.
    pub fn render_indexed(&self, file: &str, source: &str, index: &LineIndex) -> String {
        let (line, col) = index.line_col(source, self.span.start);
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = terminal(file);
        let mut out = format!("{file}:{line}:{col}: {label}: {}\n", shown(&self.message));
        let line_text = index.line_text(source, line);
        let line_start = index.line_start(line);
        let from = (self.span.start.min(source.len()) - line_start).min(line_text.len());
        let from = floor_char_boundary(line_text, from);
        let to = self.span.end.clamp(self.span.start, source.len()).saturating_sub(line_start);
        let to = floor_char_boundary(line_text, to.clamp(from, line_text.len()));
        let snippet = Snippet::new(line_text, from, to);
        let line_no = line.to_string();
        let pad = " ".repeat(line_no.len());
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line_no} | {}", snippet.text.trim_end());
        let _ = writeln!(out, "{pad} | {}{}", " ".repeat(snippet.caret), "^".repeat(snippet.width));
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {}", shown(help));
        }
        out
    }
}

/// The most characters of a source line a snippet shows.
pub const SNIPPET_CHARS: usize = 100;
/// Characters of the line shown before the caret when the line is cut.
const BEFORE_CARET: usize = 40;
/// The most characters of a message or help line shown.
pub const MESSAGE_CHARS: usize = 400;

/// A message as printed: escaped for the terminal and cut to [`MESSAGE_CHARS`].
fn shown(message: &str) -> String {
    match message.char_indices().nth(MESSAGE_CHARS) {
        Some((end, _)) => format!("{}…", terminal(&message[..end])),
        None => terminal(message).into_owned(),
    }
}

/// A line of source as shown under a location: cut around the caret, tabs as four spaces,
/// control characters escaped; `caret` and `width` are in displayed characters.
struct Snippet {
    text: String,
    caret: usize,
    width: usize,
}

impl Snippet {
    /// The snippet of `line` underlining the bytes `from..to` (char boundaries).
    fn new(line: &str, from: usize, to: usize) -> Snippet {
        let before = &line[..from];
        let total = line.chars().take(SNIPPET_CHARS + 1).count();
        let (start, end) = if total <= SNIPPET_CHARS {
            (0, line.len())
        } else {
            let start = before.char_indices().rev().nth(BEFORE_CARET - 1).map_or(0, |(i, _)| i);
            let end = line[start..]
                .char_indices()
                .nth(SNIPPET_CHARS)
                .map_or(line.len(), |(i, _)| start + i);
            (start, end)
        };
        let mut text = String::new();
        if start > 0 {
            text.push('…');
        }
        let mut caret = text.chars().count();
        let mut width = 0;
        for (i, c) in line[start..end].char_indices() {
            let shown = display(c);
            let n = shown.chars().count();
            text.push_str(&shown);
            if start + i < from {
                caret += n;
            } else if start + i < to {
                width += n;
            }
        }
        if end < line.len() {
            text.push('…');
        }
        Snippet { text, caret, width: width.max(1) }
    }
}

/// One character as a snippet shows it.
fn display(c: char) -> std::borrow::Cow<'static, str> {
    match c {
        '\t' => "    ".into(),
        c => {
            let mut buf = [0u8; 4];
            match terminal(c.encode_utf8(&mut buf)) {
                std::borrow::Cow::Borrowed(s) => s.to_string().into(),
                std::borrow::Cow::Owned(s) => s.into(),
            }
        }
    }
}

/// Where each line of a source starts, found in one pass, so that the line and column of
/// any number of places cost a binary search and a count within one line.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line; the first is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `source`.
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(source.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 1-based line holding byte `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset).max(1)
    }

    /// Byte offset where 1-based `line` starts.
    fn line_start(&self, line: usize) -> usize {
        self.starts[line - 1]
    }

    /// 1-based line and character column of byte `offset` of `source` (the indexed text).
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.line(offset);
        let col = source[self.line_start(line)..offset].chars().count() + 1;
        (line, col)
    }

    /// The text of 1-based `line`, without its line break.
    fn line_text<'s>(&self, source: &'s str, line: usize) -> &'s str {
        let start = self.line_start(line).min(source.len());
        let end = self.starts.get(line).map_or(source.len(), |next| next - 1);
        let text = &source[start..end.max(start)];
        text.strip_suffix('\r').unwrap_or(text)
    }
}

/// Sorts diagnostics into source order (errors before warnings at the same place).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));
}

/// 1-based line and character column of a byte offset (one scan of the text before it; for
/// many offsets of one source, use a [`LineIndex`]).
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(source).line_col(source, offset)
}

fn floor_char_boundary(source: &str, mut offset: usize) -> usize {
    offset = offset.min(source.len());
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

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let src = format!("name = \"{}\" bad = 1\n", "a".repeat(1_000_000));
        let start = src.find("bad").unwrap();
        let diag = Diagnostic::error(start..start + 3, "unknown field `bad`");
        let out = diag.render("s.toml", &src);
        assert!(out.len() < 400, "{out}");
        assert!(out.starts_with("s.toml:1:1000011: error: unknown field `bad`\n"), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        let at = lines[2][..lines[2].find("bad").unwrap()].chars().count();
        assert_eq!(lines[3].find('^'), Some(at), "the caret is under the span:\n{out}");
        assert!(lines[2].contains("…aaaa") && lines[2].ends_with("bad = 1"), "{out}");
    }

    #[test]
    fn control_characters_and_tabs_are_shown_escaped_with_the_caret_in_place() {
        let src = "\tname = \"a\u{1b}[2J\" x\n";
        let start = src.find('x').unwrap();
        let out = Diagnostic::error(start..start + 1, "bad\u{7}").render("s.toml", src);
        assert!(!out.contains(['\u{1b}', '\u{7}', '\t']), "{out}");
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], "s.toml:1:17: error: bad\\u{7}");
        assert_eq!(lines[3].find('^'), lines[2].find(" x").map(|i| i + 1), "{out}");
    }

    #[test]
    fn the_line_index_agrees_with_a_scan() {
        let src = "a\nbé\r\n\nlast";
        let index = LineIndex::new(src);
        for offset in 0..=src.len() + 2 {
            let o = floor_char_boundary(src, offset.min(src.len()));
            let before = &src[..o];
            let line = before.matches('\n').count() + 1;
            let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
            assert_eq!(index.line_col(src, offset), (line, col), "offset {offset}");
        }
    }
}
