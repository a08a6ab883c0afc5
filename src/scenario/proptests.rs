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
