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
