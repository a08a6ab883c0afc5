//! Protocol and strategy behaviour on whole negotiations, as compact transcripts.

use std::fmt::Write as _;

use crate::export::record::{RunRecord, TermValue};
use crate::run::{AnalysisLevel, RunConfig, simulate};
use crate::scenario::check_str;

/// Runs a scenario given as TOML and returns a compact transcript: one line per offer
/// (`round proposer: terms -> answers`), then the end.
fn play(toml: &str) -> RunRecord {
    let checked = check_str("test.toml", toml);
    let Some(scenario) = &checked.scenario else {
        panic!("invalid test scenario:\n{}", checked.render());
    };
    simulate(
        scenario,
        &RunConfig {
            seed: scenario.seed(),
            file: String::new(),
            analysis: AnalysisLevel::Solutions,
        },
    )
}

fn compact(record: &RunRecord) -> String {
    let mut out = String::new();
    for event in &record.events {
        let _ = writeln!(out, "event@{} {}", event.round, event.description);
    }
    for offer in &record.offers {
        let terms: Vec<String> = offer
            .terms
            .values()
            .map(|v| match v {
                TermValue::Number(x) => format!("{:.3}", x),
                TermValue::Level(l) => l.to_string(),
            })
            .collect();
        let answers: Vec<String> =
            offer.responses.iter().map(|r| format!("{} {}", r.party, r.response)).collect();
        let _ = writeln!(
            out,
            "{} {}: {} -> {}",
            offer.round,
            offer.proposer,
            terms.join(" "),
            answers.join(", ")
        );
    }
    let _ = write!(out, "{}", record.outcome.summary);
    out
}

fn check(toml: &str, expect: expect_test_shim::Expect) {
    expect.assert_eq(&compact(&play(toml)));
}

/// A tiny stand-in for `expect_test`: compares against an inline string, trimming the
/// indentation of raw-string literals, and prints the actual text on mismatch.
mod expect_test_shim {
    pub struct Expect(pub &'static str);

    impl Expect {
        pub fn assert_eq(&self, actual: &str) {
            let expected: Vec<&str> =
                self.0.trim().lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let actual_lines: Vec<&str> = actual.lines().map(str::trim).collect();
            assert_eq!(actual_lines, expected, "\nactual transcript:\n{actual}\n");
        }
    }
}

use expect_test_shim::Expect;

/// Two issues; parties `a` and `b` with opposed ideals; strategies filled in per test.
fn two_party(a_strategy: &str, b_strategy: &str, extra: &str) -> String {
    format!(
        r#"
[scenario]
name = "t"
max_rounds = 10
{extra}

[[issues]]
id = "x"
range = [0, 1]

[[issues]]
id = "g"
levels = ["none", "some", "full"]

[[parties]]
id = "a"
reservation = 0.1
strategy = {a_strategy}
weights = {{ x = 0.5, g = 0.5 }}
ideal = {{ x = 1.0, g = "full" }}

[[parties]]
id = "b"
reservation = 0.1
strategy = {b_strategy}
weights = {{ x = 0.5, g = 0.5 }}
ideal = {{ x = 0.0, g = "none" }}
"#
    )
}

#[test]
fn responder_accepts_an_offer_worth_its_own_next_offer() {
    let toml = two_party(
        r#"{ kind = "scripted", offers = [{ x = 0.5, g = "some" }] }"#,
        r#"{ kind = "scripted", offers = [{ x = 0.5, g = "some" }] }"#,
        "",
    );
    check(&toml, Expect("0 a: 0.500 some -> b accept\nagreement at round 0 on an offer by a"));
}

#[test]
fn a_rejecting_party_counters_in_the_next_round() {
    let toml = two_party(
        r#"{ kind = "scripted", offers = [{ x = 0.9, g = "full" }, { x = 0.6, g = "some" }] }"#,
        r#"{ kind = "scripted", offers = [{ x = 0.2, g = "none" }, { x = 0.4, g = "some" }] }"#,
        "",
    );
    check(
        &toml,
        Expect(
            "0 a: 0.900 full -> b reject
             1 b: 0.200 none -> a reject
             2 a: 0.600 some -> b reject
             3 b: 0.400 some -> a reject
             4 a: 0.600 some -> b reject
             5 b: 0.400 some -> a reject
             6 a: 0.600 some -> b reject
             7 b: 0.400 some -> a reject
             8 a: 0.600 some -> b reject
             9 b: 0.400 some -> a reject
             no agreement within the deadline of 10 rounds",
        ),
    );
}

#[test]
fn order_decides_who_proposes_first() {
    let toml = two_party(
        r#"{ kind = "scripted", offers = [{ x = 0.5, g = "some" }] }"#,
        r#"{ kind = "scripted", offers = [{ x = 0.5, g = "some" }] }"#,
        r#"order = ["b", "a"]"#,
    );
    check(&toml, Expect("0 b: 0.500 some -> a accept\nagreement at round 0 on an offer by b"));
}

#[test]
fn hardliners_never_agree() {
    let record = play(&two_party(r#"{ kind = "hardliner" }"#, r#"{ kind = "hardliner" }"#, ""));
    assert_eq!(record.outcome.kind, "deadline");
    assert_eq!(record.offers.len(), 10);
}

#[test]
fn a_party_walks_out_when_an_event_puts_its_outside_option_beyond_reach() {
    let toml = format!(
        "{}\n[[events]]\nround = 3\ndescription = \"b finds a better partner\"\n\
         set = {{ \"parties.b.reservation\" = 1.0, \"parties.b.discount\" = 0.9 }}\n",
        two_party(r#"{ kind = "hardliner" }"#, r#"{ kind = "hardliner" }"#, "")
    );
    check(
        &toml,
        Expect(
            "event@3 b finds a better partner
             0 a: 1.000 full -> b reject
             1 b: 0.000 none -> a reject
             2 a: 1.000 full -> b reject
             b walked out at round 3: no deal could beat its outside option any more",
        ),
    );
}

#[test]
fn an_event_can_end_the_talks() {
    let toml = format!(
        "{}\n[[events]]\nround = 2\ndescription = \"summit collapses\"\nends_talks = true\n",
        two_party(r#"{ kind = "hardliner" }"#, r#"{ kind = "hardliner" }"#, "")
    );
    check(
        &toml,
        Expect(
            "event@2 summit collapses
             0 a: 1.000 full -> b reject
             1 b: 0.000 none -> a reject
             talks ended by an event at round 2: summit collapses",
        ),
    );
}

#[test]
fn breakdown_risk_ends_talks_reproducibly_per_seed() {
    let toml =
        two_party(r#"{ kind = "hardliner" }"#, r#"{ kind = "hardliner" }"#, "breakdown_risk = 0.3");
    let first = play(&toml);
    assert_eq!(first.outcome.kind, "breakdown");
    assert_eq!(compact(&first), compact(&play(&toml)));
    let rounds: Vec<u32> = (0..20)
        .map(|seed| {
            play(&toml.replace("breakdown_risk", &format!("seed = {seed}\nbreakdown_risk")))
        })
        .map(|r| r.outcome.round)
        .collect();
    // Different seeds break down at different rounds (the draws really come from the seed).
    let distinct: std::collections::BTreeSet<u32> = rounds.iter().copied().collect();
    assert!(distinct.len() > 2, "{rounds:?}");
}

#[test]
fn in_three_party_talks_the_first_to_reject_proposes_next() {
    let toml = r#"
[scenario]
name = "t"
max_rounds = 3

[[issues]]
id = "x"
range = [0, 1]

[[parties]]
id = "a"
reservation = 0
strategy = { kind = "scripted", offers = [{ x = 0.5 }] }
weights = { x = 1 }
ideal = { x = 1 }

[[parties]]
id = "b"
reservation = 0
strategy = { kind = "scripted", offers = [{ x = 0.5 }] }
weights = { x = 1 }
ideal = { x = 0 }

[[parties]]
id = "c"
reservation = 0
strategy = { kind = "scripted", offers = [{ x = 0.9 }] }
weights = { x = 1 }
ideal = { x = 1 }
"#;
    check(
        toml,
        Expect(
            "0 a: 0.500 -> b accept, c reject
             1 c: 0.900 -> a accept, b reject
             2 b: 0.500 -> c reject
             no agreement within the deadline of 3 rounds",
        ),
    );
}

#[test]
fn rubinstein_parties_agree_at_once_on_the_closed_form_share() {
    let toml = r#"
[scenario]
name = "pie"
max_rounds = 50

[[issues]]
id = "share"
range = [0, 1]

[[parties]]
id = "one"
reservation = 0
discount = 0.9
strategy = { kind = "rubinstein" }
weights = { share = 1 }
ideal = { share = 1 }

[[parties]]
id = "two"
reservation = 0
discount = 0.8
strategy = { kind = "rubinstein" }
weights = { share = 1 }
ideal = { share = 0 }
"#;
    let record = play(toml);
    assert_eq!(record.outcome.kind, "agreement");
    assert_eq!(record.outcome.round, 0);
    let Some(TermValue::Number(share)) = record.outcome.terms.as_ref().map(|t| t.0[0].1.clone())
    else {
        panic!("no numeric share");
    };
    let closed_form = (1.0 - 0.8) / (1.0 - 0.9 * 0.8);
    assert!((share - closed_form).abs() < 1e-12, "{share} vs {closed_form}");
}

/// One pie, linear opposed values, reservations 0: the Nash split is 50/50.
fn pie(a: &str, b: &str, information: &str) -> String {
    format!(
        r#"
[scenario]
name = "pie"
max_rounds = 40
information = "{information}"

[[issues]]
id = "share"
range = [0, 100]

[[issues]]
id = "extra"
range = [0, 100]

[[parties]]
id = "a"
reservation = 0
strategy = {a}
weights = {{ share = 0.7, extra = 0.3 }}
ideal = {{ share = 100, extra = 100 }}

[[parties]]
id = "b"
reservation = 0
strategy = {b}
weights = {{ share = 0.3, extra = 0.7 }}
ideal = {{ share = 0, extra = 0 }}
"#
    )
}

#[test]
fn time_dependent_parties_reach_a_pareto_optimal_deal() {
    let record = play(&pie(r#"{ kind = "boulware" }"#, r#"{ kind = "conceder" }"#, "complete"));
    assert_eq!(record.outcome.kind, "agreement");
    let deal = record.analysis.deal.as_ref().unwrap();
    assert!(deal.pareto_optimal, "gap {}", deal.pareto_gap);
    // The Boulware party holds out and gets more than the conceder.
    assert!(record.parties[0].utility.unwrap() > record.parties[1].utility.unwrap());
}

#[test]
fn conceders_agree_earlier_than_boulware_parties() {
    let fast = play(&pie(
        r#"{ kind = "conceder", exponent = 4 }"#,
        r#"{ kind = "conceder", exponent = 4 }"#,
        "complete",
    ));
    let slow = play(&pie(
        r#"{ kind = "boulware", exponent = 0.2 }"#,
        r#"{ kind = "boulware", exponent = 0.2 }"#,
        "complete",
    ));
    assert_eq!(fast.outcome.kind, "agreement");
    assert_eq!(slow.outcome.kind, "agreement");
    assert!(
        fast.outcome.round < slow.outcome.round,
        "{} vs {}",
        fast.outcome.round,
        slow.outcome.round
    );
}

#[test]
fn zeuthen_parties_converge_near_the_nash_solution() {
    let toml = pie(r#"{ kind = "zeuthen" }"#, r#"{ kind = "zeuthen" }"#, "complete");
    let record = play(&toml.replace("max_rounds = 40", "max_rounds = 200"));
    assert_eq!(record.outcome.kind, "agreement");
    let distance = record.analysis.deal.as_ref().unwrap().distance_to_nash.unwrap();
    assert!(distance < 0.02, "distance to Nash {distance}\n{}", compact(&record));
}

#[test]
fn tit_for_tat_meets_a_conceder_but_not_a_hardliner() {
    let tft = r#"{ kind = "tit_for_tat", initial_concession = 0.05 }"#;
    let with_conceder = play(&pie(tft, r#"{ kind = "conceder" }"#, "complete"));
    assert_eq!(with_conceder.outcome.kind, "agreement", "{}", compact(&with_conceder));
    let with_hardliner = play(&pie(tft, r#"{ kind = "hardliner" }"#, "complete"));
    assert_eq!(with_hardliner.outcome.kind, "deadline", "{}", compact(&with_hardliner));
    // It opened with one concession and then held: it only reciprocates.
    let own: Vec<f64> = with_hardliner
        .offers
        .iter()
        .filter(|o| o.proposer == "a")
        .map(|o| o.utilities.0[0].1)
        .collect();
    assert!(
        (own[0] - 1.0).abs() < 1e-9 && own[1..].iter().all(|u| (u - 0.95).abs() < 1e-9),
        "{own:?}"
    );
}

#[test]
fn learned_opponent_models_still_find_the_trade_off() {
    let record = play(&pie(r#"{ kind = "linear" }"#, r#"{ kind = "linear" }"#, "learned"));
    assert_eq!(record.outcome.kind, "agreement", "{}", compact(&record));
    let deal = record.analysis.deal.as_ref().unwrap();
    // Without knowing the others' weights the deal may leave something on the table, but
    // the estimates pick up who cares about which issue.
    assert!(deal.pareto_gap < 0.1, "gap {}", deal.pareto_gap);
}
