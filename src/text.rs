//! Text from a scenario file on its way to a reader: made safe for a terminal or a Markdown
//! document, padded into columns of a bounded width, and counted with the right noun.
//!
//! Names, labels, units and descriptions come from the user's file and may hold anything
//! TOML allows: terminal control sequences, Markdown or HTML markup, tens of thousands of
//! characters. Everything that prints them goes through this module. (HTML and SVG escape
//! on their own, in `report` and `chart`.)

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` changes what a terminal shows beyond printing a glyph: C0 and C1 control
/// characters (escape, bell, carriage return, ...), DEL, and the Unicode bidirectional
/// overrides that reorder the text around them.
fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` as it can be printed to a terminal: every control character (escape, bell, `\r`,
/// `\n`, tab, ...) and every bidirectional override is written as a Rust escape (`\u{1b}`,
/// `\r`), so that a name can neither clear the screen nor hide what follows it.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            // `\r`, `\n`, `\t` by name, the rest as `\u{..}`.
            match c {
                '\r' | '\n' | '\t' => {
                    let _ = write!(out, "{}", c.escape_default());
                }
                _ => {
                    let _ = write!(out, "{}", c.escape_unicode());
                }
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// [`terminal`], keeping line breaks: for multi-line messages whose lines are ours.
pub fn terminal_lines(text: &str) -> String {
    text.split('\n').map(terminal).collect::<Vec<_>>().join("\n")
}

/// The widest a padded column gets, in characters: longer cells overflow their column
/// instead of widening every row (a name of 70,000 characters is printed whole, once).
pub const MAX_COLUMN: usize = 32;

/// The width of a column holding `cells`: the widest cell, at least `min`, at most
/// [`MAX_COLUMN`].
pub fn column_width<'a>(cells: impl IntoIterator<Item = &'a str>, min: usize) -> usize {
    cells.into_iter().map(|c| c.chars().count()).max().unwrap_or(0).clamp(min, MAX_COLUMN.max(min))
}

/// `text` followed by spaces up to `width` characters (nothing added if it is longer).
///
/// Rust's `{:<width$}` panics for widths above 65,535; this never panics.
pub fn pad_right(text: &str, width: usize) -> String {
    let n = text.chars().count();
    let mut out = String::with_capacity(text.len() + width.saturating_sub(n));
    out.push_str(text);
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out
}

/// Spaces up to `width` characters, then `text` (nothing added if it is longer).
pub fn pad_left(text: &str, width: usize) -> String {
    let n = text.chars().count();
    let mut out = String::with_capacity(text.len() + width.saturating_sub(n));
    out.extend(std::iter::repeat_n(' ', width.saturating_sub(n)));
    out.push_str(text);
    out
}

/// `text` as literal Markdown text: the characters that would start markup (`*`, `_`,
/// `` ` ``, `[`, `#`, ...) are backslash-escaped, `<`, `>` and `&` become entities (so
/// `<script>`, `<img onerror=...>` and `<!--` are shown, never interpreted), and line breaks
/// become spaces when `single_line` (table cells, headings).
pub fn markdown(text: &str, single_line: bool) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' if single_line => out.push(' '),
            c if c.is_control() && c != '\n' && c != '\t' => {
                let _ = write!(out, "{}", c.escape_unicode());
            }
            c => out.push(c),
        }
    }
    out
}

/// `1 issue`, `3 issues`: a count with its noun in the right number (regular plurals only).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// [`count`] for nouns whose plural is not `noun + s` (`1 party`, `2 parties`).
pub fn count_irregular(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 { format!("1 {singular}") } else { format!("{n} {plural}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_escapes_control_and_bidi_characters_only() {
        assert_eq!(terminal("US–Ukraine"), "US–Ukraine");
        assert_eq!(terminal("a\u{1b}[2Jb\u{7}\r\n\t"), "a\\u{1b}[2Jb\\u{7}\\r\\n\\t");
        assert_eq!(terminal("x\u{202e}y\u{9b}"), "x\\u{202e}y\\u{9b}");
        assert!(!terminal("\u{1b}\u{7f}\u{85}\u{2066}").chars().any(is_unsafe_for_terminal));
    }

    #[test]
    fn padding_counts_characters_and_never_panics() {
        assert_eq!(pad_right("é", 3), "é  ");
        assert_eq!(pad_left("ab", 4), "  ab");
        let long = "x".repeat(70_000);
        assert_eq!(pad_right(&long, 100_000).len(), 100_000);
        assert_eq!(column_width([long.as_str(), "ab"], 5), MAX_COLUMN);
        assert_eq!(column_width(["ab"], 5), 5);
    }

    #[test]
    fn markdown_shows_markup_as_text() {
        assert_eq!(markdown("<script>x</script>", true), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(
            markdown("<!-- a|b *c* car_cut\n# h", true),
            "&lt;!-- a\\|b \\*c\\* car\\_cut \\# h"
        );
        assert_eq!(markdown("a\nb", false), "a\nb");
    }

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1, "issue"), "1 issue");
        assert_eq!(count(0, "issue"), "0 issues");
        assert_eq!(count_irregular(1, "party", "parties"), "1 party");
        assert_eq!(count_irregular(2, "party", "parties"), "2 parties");
    }
}
