//! Validation rules, one small scenario each.

use crate::scenario::{Severity, check_str};

/// A valid two-party scenario; tests edit it with `replace`.
const BASE: &str = r#"
[scenario]
name = "base"
max_rounds = 20

[[issues]]
id = "share"
range = [0, 100]
unit = "%"

[[issues]]
id = "guarantee"
levels = ["none", "weak", "strong"]

[[parties]]
id = "us"
reservation = 0.2
strategy = { kind = "boulware", exponent = 0.3 }
weights = { share = 0.6, guarantee = 0.4 }
ideal = { share = 100, guarantee = "none" }

[[parties]]
id = "ua"
reservation = 0.2
strategy = { kind = "linear" }
weights = { share = 0.3, guarantee = 0.7 }
ideal = { share = 0, guarantee = "strong" }
"#;

/// `(severity, "line:col message")` of every diagnostic.
fn problems(toml: &str) -> Vec<String> {
    let checked = check_str("t.toml", toml);
    checked
        .diagnostics
        .iter()
        .map(|d| {
            let (line, col) = d.line_col(toml);
            let label = if d.severity == Severity::Error { "error" } else { "warning" };
            format!("{label} {line}:{col} {}", d.message)
        })
        .collect()
}

fn with(old: &str, new: &str) -> String {
    assert!(BASE.contains(old), "`{old}` not in the base scenario");
    BASE.replacen(old, new, 1)
}

#[test]
fn the_base_scenario_is_valid() {
    assert_eq!(problems(BASE), Vec::<String>::new());
    assert!(check_str("t.toml", BASE).scenario.is_some());
}

#[test]
fn an_issue_without_weight_needs_no_ideal() {
    let toml = with(
        "weights = { share = 0.3, guarantee = 0.7 }\nideal = { share = 0, guarantee = \"strong\" }",
        "weights = { share = 0.0, guarantee = 1.0 }\nideal = { guarantee = \"strong\" }",
    );
    assert_eq!(problems(&toml), Vec::<String>::new());
}

#[test]
fn an_issue_with_weight_needs_an_ideal_or_value() {
    let toml =
        with("ideal = { share = 0, guarantee = \"strong\" }", "ideal = { guarantee = \"strong\" }");
    assert_eq!(problems(&toml), ["error 27:9 parties[1].ideal: no ideal for `share`"]);
}

#[test]
fn an_event_cannot_give_weight_to_an_issue_without_ideal() {
    let toml = with(
        "weights = { share = 0.3, guarantee = 0.7 }\nideal = { share = 0, guarantee = \"strong\" }",
        "weights = { share = 0.0, guarantee = 1.0 }\nideal = { guarantee = \"strong\" }",
    ) + "\n[[events]]\nround = 2\ndescription = \"x\"\nset = { \"parties.ua.weights.share\" = 0.5 }\n";
    assert_eq!(
        problems(&toml),
        [
            "error 32:38 events[0].set.\"parties.ua.weights.share\": gives weight to `share`, for which `ua` has no ideal or value"
        ]
    );
}

#[test]
fn event_exponents_keep_to_the_range_of_the_strategy_kind() {
    let event = |path: &str, value: &str| {
        format!(
            "{BASE}\n[[events]]\nround = 2\ndescription = \"x\"\nset = {{ \"{path}\" = {value} }}\n"
        )
    };
    assert_eq!(problems(&event("parties.us.strategy.exponent", "0.5")), Vec::<String>::new());
    assert_eq!(
        problems(&event("parties.us.strategy.exponent", "2.0")),
        [
            "error 32:42 events[0].set.\"parties.us.strategy.exponent\": expected a boulware exponent in (0, 1), got 2"
        ]
    );
    assert_eq!(
        problems(&event("parties.ua.strategy.exponent", "2.0")),
        [
            "error 32:9 events[0].set.\"parties.ua.strategy.exponent\": `parties.ua.strategy.exponent`: party `ua` plays `linear`, whose exponent is fixed at 1; give it kind = \"time_dependent\" to vary the exponent"
        ]
    );
}

#[test]
fn event_paths_get_a_suggestion() {
    let toml = format!(
        "{BASE}\n[[events]]\nround = 2\ndescription = \"x\"\nset = {{ \"parties.ua.weights.shares\" = 0.5 }}\n"
    );
    let checked = check_str("t.toml", &toml);
    assert_eq!(
        checked.diagnostics[0].help.as_deref(),
        Some("did you mean `parties.ua.weights.share`?")
    );
}

#[test]
fn events_past_the_deadline_draw_a_warning() {
    let toml = format!(
        "{BASE}\n[[events]]\nround = 20\ndescription = \"late\"\nset = {{ \"parties.ua.reservation\" = 0.5 }}\n"
    );
    assert_eq!(
        problems(&toml),
        [
            "warning 30:9 events[0].round: round 20 is at or past the deadline (20 rounds); the event never happens"
        ]
    );
}

#[test]
fn observed_round_must_not_be_negative() {
    let toml =
        format!("{BASE}\n[observed]\nterms = {{ share = 50, guarantee = \"none\" }}\nround = -1\n");
    assert_eq!(problems(&toml), ["error 31:9 observed.round: must be >= 0, got -1"]);
    let ok = toml.replace("round = -1", "round = 12");
    let scenario = check_str("t.toml", &ok).scenario.unwrap();
    assert_eq!(scenario.observed().unwrap().round, Some(12));
}

#[test]
fn weights_that_do_not_sum_to_one_are_normalized_with_a_warning() {
    let toml = with(
        "weights = { share = 0.6, guarantee = 0.4 }",
        "weights = { share = 3, guarantee = 2 }",
    );
    assert_eq!(
        problems(&toml),
        ["warning 19:11 parties[0].weights: weights sum to 5, not 1; they are normalized"]
    );
    let scenario = check_str("t.toml", &toml).scenario.unwrap();
    assert_eq!(scenario.parties()[0].preferences().weights(), &[0.6, 0.4]);
}

#[test]
fn value_tables_must_cover_every_level_and_stay_in_the_unit_interval() {
    let toml = with(
        "ideal = { share = 100, guarantee = \"none\" }",
        "ideal = { share = 100 }\nvalue.guarantee = { none = 1.0, weak = 1.5 }",
    );
    assert_eq!(
        problems(&toml),
        [
            "error 21:19 parties[0].value.guarantee: no value for level `strong`",
            "error 21:40 parties[0].value.guarantee.weak: values must be in [0, 1], got 1.5",
        ]
    );
}

#[test]
fn points_must_increase_within_the_range() {
    let toml = with(
        "ideal = { share = 100, guarantee = \"none\" }",
        "ideal = { guarantee = \"none\" }\nvalue.share = [[0, 0.0], [120, 1.0], [50, 0.5]]",
    );
    assert_eq!(
        problems(&toml),
        [
            "error 21:26 parties[0].value.share[1]: x = 120 is outside the range [0, 100]",
            "error 21:38 parties[0].value.share[2]: x values must strictly increase",
        ]
    );
}

#[test]
fn rubinstein_needs_two_parties() {
    let toml = format!(
        "{}\n[[parties]]\nid = \"eu\"\nreservation = 0\nstrategy = {{ kind = \"hardliner\" }}\nweights = {{ share = 1, guarantee = 0 }}\nideal = {{ share = 50 }}\n",
        BASE.replace("{ kind = \"linear\" }", "{ kind = \"rubinstein\" }")
    );
    assert_eq!(
        problems(&toml),
        [
            "error 25:21 parties[1].strategy.kind: `rubinstein` needs exactly two parties, the scenario has 3"
        ]
    );
}

fn with_assumptions(entries: &str) -> String {
    format!("{BASE}\n{entries}")
}

#[test]
fn assumptions_are_read_with_their_sources() {
    let toml = with_assumptions(
        "[[assumptions]]\npath = \"parties.us.reservation\"\nlow = 0.1\nhigh = 0.4\n\
         source = \"Reuters, 28 Feb 2025\"\nconfidence = \"medium\"\n\n\
         [[assumptions]]\npath = \"parties.us.strategy.exponent\"\nlow = 0.1\nhigh = 0.5\n\
         source = \"judgement\"\n",
    );
    assert_eq!(problems(&toml), Vec::<String>::new());
    let scenario = check_str("t.toml", &toml).scenario.expect("valid");
    let a = scenario.assumptions();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0].name, "parties.us.reservation");
    assert_eq!((a[0].low, a[0].high), (0.1, 0.4));
    assert_eq!(a[0].source, "Reuters, 28 Feb 2025");
    assert_eq!(a[0].confidence, Some(crate::model::Confidence::Medium));
    assert_eq!(a[1].confidence, None);
}

#[test]
fn bad_assumptions_are_located_with_a_fix() {
    let toml = with_assumptions(
        "[[assumptions]]\npath = \"parties.us.reservaton\"\nlow = 0.1\nhigh = 0.4\nsource = \"x\"\n\n\
         [[assumptions]]\npath = \"parties.us.discount\"\nlow = 0.9\nhigh = 1.5\nsource = \"x\"\n\n\
         [[assumptions]]\npath = \"parties.ua.reservation\"\nlow = 0.4\nhigh = 0.3\nsource = \"\"\n\
         confidence = \"sure\"\n\n\
         [[assumptions]]\npath = \"parties.us.strategy\"\nlow = 0\nhigh = 1\nsource = \"x\"\n\n\
         [[assumptions]]\nlow = 0\n\n\
         [[assumptions]]\npath = \"parties.ua.strategy.exponent\"\nlow = 1\nhigh = 2\nsource = \"x\"\n",
    );
    let found = problems(&toml);
    let expect = [
        "error 30:8 assumptions[0].path: unknown parameter path `parties.us.reservaton`",
        "error 38:8 assumptions[1].high: `parties.us.discount`: expected a discount factor in (0, 1], got 1.5",
        "error 44:8 assumptions[2].high: must be above low (0.4), got 0.3",
        "error 45:10 assumptions[2].source: must not be empty",
        "error 46:14 assumptions[2].confidence: unknown value `sure`",
        "error 49:8 assumptions[3].path: `parties.us.strategy` is a strategy kind, not a number",
        "error 54:1 assumptions[4].path: missing",
        "error 58:8 assumptions[5].path: `parties.ua.strategy.exponent`: party `ua` plays `linear`",
    ];
    for e in expect {
        assert!(found.iter().any(|f| f.starts_with(e)), "missing `{e}` in {found:#?}");
    }
    assert!(check_str("t.toml", &toml).scenario.is_none());
    let checked = check_str("t.toml", &toml);
    let rendered = checked.render();
    assert!(rendered.contains("did you mean `parties.us.reservation`?"), "{rendered}");
}

#[test]
fn a_value_outside_its_assumed_range_or_reset_by_an_event_draws_a_warning() {
    let toml = with_assumptions(
        "[[events]]\nround = 4\ndescription = \"shock\"\nset = { \"parties.ua.reservation\" = 0.1 }\n\n\
         [[assumptions]]\npath = \"parties.us.reservation\"\nlow = 0.3\nhigh = 0.4\nsource = \"x\"\n\n\
         [[assumptions]]\npath = \"parties.ua.reservation\"\nlow = 0.1\nhigh = 0.4\nsource = \"x\"\n\n\
         [[assumptions]]\npath = \"parties.ua.reservation\"\nlow = 0.1\nhigh = 0.3\nsource = \"x\"\n",
    );
    let found = problems(&toml);
    assert!(
        found.iter().any(|f| f.starts_with(
            "warning 35:8 assumptions[0].path: `parties.us.reservation` is 0.2 in this file, \
             outside the assumed range [0.3, 0.4]"
        )),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with(
            "warning 41:8 assumptions[1].path: an event sets `parties.ua.reservation` at round 4, \
             so varying it moves rounds 0-3 only"
        )),
        "{found:#?}"
    );
    assert!(
        found.iter().any(|f| f.starts_with(
            "error 47:8 assumptions[2].path: `parties.ua.reservation` is declared twice"
        )),
        "{found:#?}"
    );
}

#[test]
fn the_shipped_scenarios_declare_their_assumptions_without_warnings() {
    for (file, text) in [
        ("minerals", include_str!("../../../scenarios/us-ukraine-minerals-2025.toml")),
        ("lng", include_str!("../../../scenarios/us-ukraine-eu-lng-2025.toml")),
    ] {
        let checked = check_str(file, text);
        assert_eq!(checked.n_errors() + checked.n_warnings(), 0, "{}", checked.render());
        let scenario = checked.scenario.expect("valid");
        assert!(scenario.assumptions().len() >= 6, "{file}");
        assert!(scenario.assumptions().iter().all(|a| !a.source.trim().is_empty()));
    }
}
