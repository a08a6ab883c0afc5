//! The commented starting scenario that `accord new` writes.
//!
//! The template is generated for any number of parties and issues, and is valid as written:
//! a unit test checks every size through the same reader and validator as any file. Every
//! field carries a one-line comment; the full reference is `docs/scenario.md` and the
//! modelling advice `docs/GUIDE.md`. This module only builds text; writing it is the CLI's.

use std::fmt::Write;

use crate::model::StrategyKind;

/// The fewest and most parties a template can have.
pub const PARTIES: std::ops::RangeInclusive<usize> = 2..=12;
/// The fewest and most issues a template can have.
pub const ISSUES: std::ops::RangeInclusive<usize> = 1..=20;

/// What the template should contain.
#[derive(Clone, Debug)]
pub struct TemplateConfig {
    /// The scenario's display name.
    pub name: String,
    /// How many parties (within [`PARTIES`]).
    pub n_parties: usize,
    /// How many issues (within [`ISSUES`]).
    pub n_issues: usize,
}

/// The levels of the template's ordinal issues.
const LEVELS: [&str; 3] = ["low", "medium", "high"];

/// The template's TOML text.
///
/// Issues alternate between continuous (odd positions) and ordinal (even positions); the
/// parties' ideals are spread over each issue, so their interests conflict, and each party
/// cares most about a different issue, so there is room to trade. Weights are whole
/// hundredths that sum to exactly 1.
pub fn template(config: &TemplateConfig) -> String {
    let (n, m) = (config.n_parties, config.n_issues);
    let mut s = String::new();
    let name = config.name.replace('\\', "\\\\").replace('"', "\\\"");
    s.push_str(&format!(
        "# A scenario for accord: {n} parties, {m} issue{}.\n\
         # Fill in the names, then the weights, ideals and reservations: they decide everything.\n\
         # Modelling advice: docs/GUIDE.md. Every field: docs/scenario.md.\n\
         # Check it with `accord validate FILE`, play it with `accord run FILE`,\n\
         # write it up with `accord report FILE`.\n\n",
        if m == 1 { "" } else { "s" }
    ));
    s.push_str("[scenario]\n");
    let _ = writeln!(s, "name = \"{name}\"  # display name in transcripts, charts and reports");
    s.push_str("description = \"\"  # free text: sources, caveats, what one round stands for\n");
    s.push_str("max_rounds = 50  # the deadline: no deal after this many rounds\n");
    s.push_str("seed = 0  # all randomness flows from this; `accord run --seed N` overrides it\n");
    let order: Vec<String> = (1..=n).map(|p| format!("\"party_{p}\"")).collect();
    let _ = writeln!(s, "order = [{}]  # who proposes first, then who answers", order.join(", "));
    s.push_str("breakdown_risk = 0.0  # chance per round that outside events end the talks\n");
    s.push_str(
        "information = \"complete\"  # \"complete\": parties know each other's preferences; \
         \"learned\": they infer them\n",
    );

    for i in 1..=m {
        s.push_str("\n[[issues]]\n");
        let _ = writeln!(
            s,
            "id = \"issue_{i}\"  # lowercase letters, digits and _; used in the tables below"
        );
        let _ = writeln!(s, "label = \"Issue {i}\"  # human-readable name");
        if is_continuous(i) {
            s.push_str("range = [0.0, 100.0]  # continuous: any number from min to max\n");
            s.push_str("unit = \"%\"  # shown after values\n");
        } else {
            let levels: Vec<String> = LEVELS.iter().map(|l| format!("\"{l}\"")).collect();
            let _ = writeln!(
                s,
                "levels = [{}]  # ordinal: one of these, listed so that neighbours are similar",
                levels.join(", ")
            );
        }
    }

    for p in 1..=n {
        s.push_str("\n[[parties]]\n");
        let _ = writeln!(s, "id = \"party_{p}\"  # used in `order`, event paths and outputs");
        let _ = writeln!(s, "name = \"Party {p}\"  # display name");
        s.push_str(
            "reservation = 0.3  # utility of no deal (its BATNA), on the 0..1 scale of deals\n",
        );
        s.push_str(
            "discount = 0.99  # patience: a deal at round r is worth discount^r of its value\n",
        );
        // The first party holds firm and the others concede early, so that runs show both.
        let kind = if p == 1 { "boulware" } else { "conceder" };
        let entry = StrategyKind::named(kind).expect("a kind of the table");
        let others: Vec<&str> =
            StrategyKind::choosable().map(|k| k.name).filter(|k| *k != kind).collect();
        let _ = writeln!(
            s,
            "strategy = {}  # {}; others: {}",
            strategy_inline(entry),
            entry.doc,
            others.join(", ")
        );
        let weights = weights(p, m);
        let entries: Vec<String> =
            (1..=m).map(|i| format!("issue_{i} = {}", hundredths(weights[i - 1]))).collect();
        let _ = writeln!(
            s,
            "weights = {{ {} }}  # how much each issue matters; normalized to sum 1",
            entries.join(", ")
        );
        let ideals: Vec<String> =
            (1..=m).map(|i| format!("issue_{i} = {}", ideal(p, n, i))).collect();
        let _ = writeln!(
            s,
            "ideal = {{ {} }}  # best term per issue; value falls linearly away from it",
            ideals.join(", ")
        );
    }

    s.push_str(
        "\n# Optional: an explicit value function replaces the straight line from an ideal,\n\
         # e.g. under a party: value.issue_1 = [[0.0, 0.0], [50.0, 1.0], [100.0, 1.0]]\n\
         \n# Optional: a shock at the start of a round (any number of these).\n\
         # [[events]]\n\
         # round = 20  # the round at whose start it applies\n\
         # description = \"A summit improves party_1's outside option\"  # shown on charts\n\
         # set = { \"parties.party_1.reservation\" = 0.4 }  # parameter changes, by dotted path\n\
         \n# Optional: what really happened, so that runs report their distance to it.\n\
         # [observed]\n",
    );
    let terms: Vec<String> = (1..=m).map(|i| format!("issue_{i} = {}", ideal(1, 1, i))).collect();
    let _ = writeln!(s, "# terms = {{ {} }}  # the agreed terms", terms.join(", "));
    s.push_str("# description = \"Signed on ...\"  # where the figures come from\n");
    s
}

/// `{ kind = "boulware", exponent = 0.2 }`: a kind with every parameter at its default, as
/// the kinds table gives it (a required parameter without default is left out).
pub fn strategy_inline(kind: &StrategyKind) -> String {
    let mut fields = vec![format!("kind = \"{}\"", kind.name)];
    for param in kind.params {
        if let Some(default) = param.default {
            fields.push(format!("{} = {default:?}", param.name));
        }
    }
    format!("{{ {} }}", fields.join(", "))
}

fn is_continuous(issue: usize) -> bool {
    issue % 2 == 1
}

/// Party `p`'s weights in hundredths: twice as much on its priority issue as on each other
/// issue, the rounding remainder on the priority issue, so that they sum to exactly 100.
fn weights(p: usize, n_issues: usize) -> Vec<usize> {
    let priority = (p - 1) % n_issues;
    let unit = 100 / (n_issues + 1);
    let mut w: Vec<usize> =
        (0..n_issues).map(|i| if i == priority { 2 * unit } else { unit }).collect();
    let sum: usize = w.iter().sum();
    w[priority] += 100 - sum;
    w
}

fn hundredths(w: usize) -> String {
    if w == 100 { "1.0".to_string() } else { format!("0.{w:02}") }
}

/// Party `p`'s ideal on issue `i`: the parties spread evenly from one end of the issue to the
/// other, odd parties starting from the top.
fn ideal(p: usize, n_parties: usize, issue: usize) -> String {
    let pos = if n_parties == 1 { 0.0 } else { (p - 1) as f64 / (n_parties - 1) as f64 };
    // Issues 1 and 2 run one way, 3 and 4 the other, and so on, so that ideals do not all align.
    let pos = if (issue - 1) % 4 >= 2 { pos } else { 1.0 - pos };
    if is_continuous(issue) {
        format!("{:.1}", (pos * 100.0).round())
    } else {
        let idx = (pos * (LEVELS.len() - 1) as f64).round() as usize;
        format!("\"{}\"", LEVELS[idx])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(n: usize, m: usize) -> crate::scenario::Checked {
        let text =
            template(&TemplateConfig { name: "Test \"x\"".into(), n_parties: n, n_issues: m });
        crate::scenario::check_str("new.toml", &text)
    }

    #[test]
    fn template_is_valid_without_warnings_for_every_size() {
        for n in PARTIES {
            for m in ISSUES {
                let checked = check(n, m);
                assert!(
                    checked.diagnostics.is_empty(),
                    "{n} parties, {m} issues:\n{}",
                    checked.render()
                );
                let scenario = checked.scenario.expect("valid");
                assert_eq!((scenario.parties().len(), scenario.issues().len()), (n, m));
            }
        }
    }

    #[test]
    fn weights_are_whole_hundredths_summing_to_one_with_a_priority() {
        for m in ISSUES {
            for p in 1..=5 {
                let w = weights(p, m);
                assert_eq!(w.iter().sum::<usize>(), 100);
                let max = w.iter().max().copied().unwrap_or(0);
                assert_eq!(w[(p - 1) % m], max);
            }
        }
    }

    #[test]
    fn strategies_are_written_with_the_defaults_of_the_kinds_table() {
        let inline = |name| strategy_inline(StrategyKind::named(name).expect("a kind"));
        assert_eq!(inline("boulware"), "{ kind = \"boulware\", exponent = 0.2 }");
        assert_eq!(inline("hardliner"), "{ kind = \"hardliner\" }");
        assert!(inline("tit_for_tat").contains("initial_concession = 0.05"));
    }

    #[test]
    fn every_field_line_has_a_comment() {
        let text = template(&TemplateConfig { name: "x".into(), n_parties: 3, n_issues: 4 });
        for line in text.lines().filter(|l| l.contains(" = ") && !l.starts_with('#')) {
            assert!(line.contains("  # "), "no comment on `{line}`");
        }
        assert!(text.contains("docs/GUIDE.md"));
    }
}
