//! Bad input never panics: random edits of the shipped scenarios are checked, and whatever
//! still validates is run.

use proptest::prelude::*;

use crate::run::{AnalysisLevel, RunConfig, simulate};
use crate::scenario::check_str;

const SHIPPED: &[&str] = &[
    include_str!("../../scenarios/us-ukraine-minerals-2025.toml"),
    include_str!("../../scenarios/us-ukraine-eu-lng-2025.toml"),
    include_str!("../../scenarios/textbook-rubinstein.toml"),
    include_str!("../../scenarios/textbook-integrative.toml"),
];

/// An edit: replace the characters in `[at, at + len)` (as fractions of the text) with
/// `insert`, drawn from characters that matter to TOML and to the format.
fn edit() -> impl Strategy<Value = (f64, usize, String)> {
    (0.0f64..1.0, 0usize..12, "[\\[\\]{}=\".,0-9a-z_ \\n#-]{0,8}")
}

fn apply(text: &str, edits: &[(f64, usize, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, len, insert) in edits {
        let start = ((chars.len() as f64) * at) as usize;
        let end = (start + len).min(chars.len());
        chars.splice(start..end, insert.chars());
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn edited_scenarios_never_panic(which in 0..SHIPPED.len(), edits in proptest::collection::vec(edit(), 1..4)) {
        let text = apply(SHIPPED[which], &edits);
        let checked = check_str("edited.toml", &text);
        // Rendering touches every span; it must not panic either.
        let rendered = checked.render();
        prop_assert_eq!(checked.scenario.is_some(), checked.n_errors() == 0);
        prop_assert!(checked.n_errors() == 0 || rendered.contains("edited.toml:"));
        if let Some(scenario) = &checked.scenario
            && scenario.max_rounds() <= 400
        {
            let record = simulate(scenario, &RunConfig { seed: 1, file: String::new(), analysis: AnalysisLevel::Solutions });
            prop_assert!(record.outcome.round <= scenario.max_rounds());
        }
    }
}

#[test]
fn ranges_too_wide_for_floating_point_are_refused() {
    let text = SHIPPED[2].replace("range = [0.0, 1.0]", "range = [-1e308, 1e308]");
    assert_ne!(text, SHIPPED[2], "fixture edit did not apply");
    let checked = check_str("wide.toml", &text);
    assert!(checked.scenario.is_none());
    assert!(checked.render().contains("range is too wide"), "{}", checked.render());
}

/// Values that have each found a problem without a fix: non-finite and huge numbers,
/// integers out of range, dates, negative and zero values, empty strings and lists.
const HOSTILE: &[&str] = &[
    "nan",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "5e-324",
    "-1",
    "0",
    "-0.0",
    "1.5",
    "2",
    "1000000000",
    "9223372036854775807",
    "-9223372036854775808",
    "1979-05-27",
    "1979-05-27T07:32:00Z",
    "07:32:00",
    "\"\"",
    "\" \"",
    "\"x\"",
    "\"parties.nobody.reservation\"",
    "\"parties..weights\"",
    "[]",
    "[\"\"]",
    "[\"a\", \"a\"]",
    "[1, 0]",
    "[[0, 2.0], [1, -1]]",
    "{}",
    "true",
];

/// Where values sit in `text`: the byte range after each `= ` up to the end of the value
/// (a comma, a closing brace or bracket, a comment or the line's end).
fn value_slots(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut slots = Vec::new();
    for (i, _) in text.match_indices("= ") {
        let start = i + 2;
        let end = bytes[start..]
            .iter()
            .position(|b| matches!(b, b',' | b'}' | b'\n' | b'#'))
            .map_or(text.len(), |n| start + n);
        if end > start && !text[start..end].starts_with(['"', '[', '{'])
            || text[start..].starts_with('"')
        {
            let end = if text[start..].starts_with('"') {
                text[start + 1..].find('"').map_or(end, |n| start + n + 2)
            } else {
                end
            };
            slots.push(start..end);
        }
    }
    slots
}

/// Keys that name nothing: unknown fields, malformed and unknown event paths.
const HOSTILE_KEYS: &[&str] = &[
    "zzz",
    "\"\"",
    "\"parties.nobody.reservation\"",
    "\"parties..reservation\"",
    "\"parties.us.weights.nothing\"",
    "\"parties.us.strategy.bogus\"",
    "\"scenario.max_rounds\"",
    "\"issues.x.range\"",
];

/// Where keys sit in `text`: the byte range before each ` = ` back to the line's start or
/// the `{` or `,` before it.
fn key_slots(text: &str) -> Vec<std::ops::Range<usize>> {
    text.match_indices(" = ")
        .map(|(end, _)| {
            let start = text[..end].rfind(['\n', '{', ',']).map_or(0, |i| i + 1);
            let start = start + text[start..end].len() - text[start..end].trim_start().len();
            start..end
        })
        .filter(|r| !r.is_empty())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Issue 7 item 4: every error says how to fix it. Any value of a shipped scenario
    /// replaced by a hostile one gives errors that each carry a `= help:` line.
    #[test]
    fn every_error_has_a_help_line(
        which in 0..SHIPPED.len(),
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), 0..HOSTILE.len()), 0..3),
        key in any::<proptest::sample::Index>(),
        key_value in 0..HOSTILE_KEYS.len(),
    ) {
        let mut text = SHIPPED[which].to_string();
        for (slot, value) in picks {
            let slots = value_slots(&text);
            let range = slots[slot.index(slots.len())].clone();
            text.replace_range(range, HOSTILE[value]);
        }
        let keys = key_slots(&text);
        let range = keys[key.index(keys.len())].clone();
        text.replace_range(range, HOSTILE_KEYS[key_value]);
        let checked = check_str("edited.toml", &text);
        for d in &checked.diagnostics {
            prop_assert!(
                d.severity != crate::scenario::Severity::Error || d.help.is_some(),
                "no help for: {}\n{}", d.message, d.render("edited.toml", &text)
            );
        }
    }
}
