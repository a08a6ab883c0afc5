//! Invariants of whole runs on random scenarios.

use proptest::prelude::*;

use crate::export::to_json;
use crate::run::{AnalysisLevel, RunConfig, simulate};
use crate::scenario::check_str;

/// A random strategy table; `two_parties` allows `rubinstein`.
fn strategy(two_parties: bool) -> impl Strategy<Value = String> {
    let kinds = prop_oneof![
        (0.05f64..0.95).prop_map(|e| format!("{{ kind = \"boulware\", exponent = {e} }}")),
        Just("{ kind = \"linear\" }".to_string()),
        (1.1f64..5.0).prop_map(|e| format!("{{ kind = \"conceder\", exponent = {e} }}")),
        Just("{ kind = \"hardliner\" }".to_string()),
        (0.2f64..2.0, 0.0f64..0.2).prop_map(|(f, c)| format!(
            "{{ kind = \"tit_for_tat\", factor = {f}, initial_concession = {c} }}"
        )),
        Just("{ kind = \"zeuthen\" }".to_string()),
    ];
    if two_parties {
        prop_oneof![kinds, Just("{ kind = \"rubinstein\" }".to_string())].boxed()
    } else {
        kinds.boxed()
    }
}

/// One party: reservation, discount, strategy, and per issue a weight and an ideal position
/// (a fraction of the range, or a level index).
fn party(n_issues: usize, two_parties: bool) -> impl Strategy<Value = String> {
    (
        0.0f64..0.6,
        0.9f64..=1.0,
        strategy(two_parties),
        proptest::collection::vec((0.0f64..1.0, 0.0f64..=1.0), n_issues),
    )
        .prop_map(move |(reservation, discount, strategy, issues)| {
            let weights: Vec<String> = issues
                .iter()
                .enumerate()
                .map(|(i, (w, _))| format!("i{i} = {}", w + 0.01))
                .collect();
            let ideals: Vec<String> = issues
                .iter()
                .enumerate()
                .map(|(i, (_, pos))| {
                    if i % 2 == 1 {
                        let level = ["l0", "l1", "l2"][((pos * 2.0).round()) as usize];
                        format!("i{i} = \"{level}\"")
                    } else {
                        format!("i{i} = {}", pos * 100.0)
                    }
                })
                .collect();
            format!(
                "reservation = {reservation}\ndiscount = {discount}\nstrategy = {strategy}\n\
                 weights = {{ {} }}\nideal = {{ {} }}\n",
                weights.join(", "),
                ideals.join(", ")
            )
        })
}

prop_compose! {
    fn scenario()(n_parties in 2usize..=4, n_issues in 1usize..=3)
        (parties in proptest::collection::vec(party(n_issues, n_parties == 2), n_parties),
         n_issues in Just(n_issues),
         max_rounds in 1u32..40,
         risk in prop_oneof![Just(0.0), 0.0f64..0.2],
         learned in any::<bool>(),
         seed in any::<u32>(),
         event in proptest::option::of((0u32..40, 0.0f64..=1.0)))
        -> String
    {
        let mut toml = format!(
            "[scenario]\nname = \"random\"\nmax_rounds = {max_rounds}\nseed = {seed}\n\
             breakdown_risk = {risk}\ninformation = \"{}\"\n",
            if learned { "learned" } else { "complete" }
        );
        for i in 0..n_issues {
            if i % 2 == 1 {
                toml += &format!("\n[[issues]]\nid = \"i{i}\"\nlevels = [\"l0\", \"l1\", \"l2\"]\n");
            } else {
                toml += &format!("\n[[issues]]\nid = \"i{i}\"\nrange = [0, 100]\n");
            }
        }
        for (p, body) in parties.iter().enumerate() {
            toml += &format!("\n[[parties]]\nid = \"p{p}\"\n{body}");
        }
        if let Some((round, reservation)) = event {
            toml += &format!(
                "\n[[events]]\nround = {round}\ndescription = \"shock\"\n\
                 set = {{ \"parties.p0.reservation\" = {reservation} }}\n"
            );
        }
        toml
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn runs_end_by_the_deadline_with_rational_deals(toml in scenario()) {
        let checked = check_str("random.toml", &toml);
        let scenario = checked.scenario.as_ref().unwrap_or_else(|| panic!("{}\n{toml}", checked.render()));
        let config = RunConfig { seed: scenario.seed(), file: String::new(), analysis: AnalysisLevel::Solutions };
        let record = simulate(scenario, &config);
        let max_rounds = scenario.max_rounds();

        // Every run ends by the deadline, with at most one offer per round.
        prop_assert!(record.outcome.round <= max_rounds);
        prop_assert!(record.offers.len() as u32 <= max_rounds);
        prop_assert!(record.offers.iter().all(|o| o.round < max_rounds));
        // Utilities stay in [0, 1].
        for offer in &record.offers {
            prop_assert!(offer.utilities.values().all(|u| (0.0..=1.0).contains(u)));
            prop_assert!(offer.responses.len() < scenario.parties().len());
        }
        // A deal is worth at least the reservation value to everyone who agreed to it.
        if record.outcome.kind == "agreement" {
            for party in &record.parties {
                let u = party.discounted_utility.unwrap();
                prop_assert!((0.0..=1.0).contains(&u));
                prop_assert!(u >= party.reservation - 1e-9, "{} got {u} < {}", party.id, party.reservation);
            }
        } else {
            prop_assert!(record.parties.iter().all(|p| p.payoff == p.reservation));
        }
        // Same scenario and seed, same bytes.
        prop_assert_eq!(to_json(&record), to_json(&simulate(scenario, &config)));
    }
}
