//! Parameter paths and metrics in words, for axis titles and captions: "Ukraine's weight on
//! security guarantee (raw weight)", "Breakdown risk per round (probability)".

use crate::sweep::output::Labels;
use crate::sweep::table::MetricId;

/// A number for sentences and labels: at most 4 decimals, no trailing zeros (`0.3`, not
/// `0.30000000000000004`).
pub fn number(x: f64) -> String {
    crate::chart::axis::short_number(x, 4)
}

/// `name's`, or `name'` for a name ending in s, at the start of a sentence or title: "Ukraine's",
/// "The United States'", "The European Union's" (see [`takes_article`]).
pub fn possessive(name: &str) -> String {
    let bare = bare_possessive(name);
    if takes_article(name) { format!("The {bare}") } else { bare }
}

/// [`possessive`] inside a sentence: "the United States'", "Ukraine's".
pub fn possessive_in_sentence(name: &str) -> String {
    let bare = bare_possessive(name);
    if takes_article(name) { format!("the {bare}") } else { bare }
}

/// `name'` for names ending in s that read as plurals or longer proper names ("United States",
/// "Netherlands", "Texas"), `name's` otherwise, short names and ids included ("us's", "EU's").
fn bare_possessive(name: &str) -> String {
    let ends_in_s = name.ends_with('s') || name.ends_with('S');
    let several_words = name.split_whitespace().nth(1).is_some();
    if ends_in_s && (several_words || name.chars().count() > 3) {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// True for names of several words that English gives "the": plurals ("United States",
/// "Netherlands" is one word and does not qualify, "Gulf States"), unions and federations
/// ("European Union", "Russian Federation", "United Kingdom") and "X of Y" names ("Republic
/// of Korea"). A heuristic: a name that already starts with "The" or "the" gets nothing more.
pub fn takes_article(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.len() < 2 || words[0].eq_ignore_ascii_case("the") {
        return false;
    }
    let first = words[0];
    let last = words[words.len() - 1];
    last.ends_with('s')
        || words.contains(&"of")
        || ["United", "European", "Russian", "Islamic", "Federal", "Federated"].contains(&first)
        || ["Union", "Federation", "Kingdom", "Republic", "Emirates", "Alliance"].contains(&last)
}

/// An issue in a few words: its label if short, else its id with spaces.
pub fn issue_words(labels: &Labels, id: &str) -> String {
    match labels.issues.iter().find(|i| i.id == id) {
        Some(issue) if issue.label.chars().count() <= 40 && !issue.label.trim().is_empty() => {
            issue.label.trim().to_string()
        }
        _ => id.replace('_', " "),
    }
}

fn lower_first(text: &str) -> String {
    // Keep acronyms ("US security guarantee") as written.
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(text.chars().skip(1)).collect()
        }
        _ => text.to_string(),
    }
}

fn party_name(labels: &Labels, id: &str) -> String {
    labels.parties.iter().find(|p| p.id == id).map_or(id.to_string(), |p| p.name.clone())
}

/// A parameter path in words, with its unit.
pub fn path_title(path: &str, labels: &Labels) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        ["scenario", "breakdown_risk"] => "Breakdown risk per round (probability)".into(),
        ["scenario", "max_rounds"] => "Deadline (rounds)".into(),
        ["parties", party, rest @ ..] => {
            let who = possessive(&party_name(labels, party));
            match rest {
                ["reservation"] => format!("{who} reservation value (utility)"),
                ["discount"] => format!("{who} discount factor per round"),
                ["weights", issue] => {
                    format!("{who} weight on {} (raw weight)", issue_words(labels, issue))
                }
                ["strategy"] => format!("{who} strategy"),
                ["strategy", "exponent"] => format!("{who} concession exponent"),
                ["strategy", "factor"] => format!("{who} tit-for-tat factor"),
                ["strategy", "initial_concession"] => {
                    format!("{who} initial concession (utility)")
                }
                _ => path.to_string(),
            }
        }
        _ => path.to_string(),
    }
}

/// A parameter path in words without its unit, for sentences ("the United States'
/// reservation value").
pub fn path_words(path: &str, labels: &Labels) -> String {
    let title = path_title(path, labels);
    let bare = match title.rfind(" (") {
        Some(at) if title.ends_with(')') => title[..at].to_string(),
        _ => title,
    };
    // Names of parties keep their capitals; "Breakdown risk" and "The United States'" do not.
    if path.starts_with("scenario.") || bare.starts_with("The ") {
        lower_first(&bare)
    } else {
        bare
    }
}

/// A metric's title with its unit: the y axis, or the colour scale.
pub fn metric_title(metric: MetricId, labels: &Labels) -> String {
    match metric {
        MetricId::Agreement => "Runs ending in a deal (%)".into(),
        MetricId::Gain(p) => format!(
            "{} gain over no deal (utility)",
            possessive(&labels.parties.get(p).map_or("Party".into(), |q| q.name.clone()))
        ),
        MetricId::Round => "Round of the deal".into(),
        MetricId::Terms(i) => match labels.issues.get(i) {
            Some(issue) if !issue.unit.trim().is_empty() => {
                format!("{} ({})", issue.label.trim(), issue.unit.trim())
            }
            Some(issue) => issue.label.trim().to_string(),
            None => "Terms".into(),
        },
    }
}

/// What a chart of a metric shows, for its subtitle: "Agreement rate", "Gains".
pub fn metric_name(metric: MetricId, labels: &Labels) -> String {
    match metric {
        MetricId::Agreement => "Share of runs ending in a deal".into(),
        MetricId::Gain(p) => format!(
            "{} gain over its reservation value",
            possessive(&labels.parties.get(p).map_or("Party".into(), |q| q.name.clone()))
        ),
        MetricId::Round => "Round of the deal (runs with a deal)".into(),
        MetricId::Terms(i) => format!(
            "Terms agreed on {} (runs with a deal)",
            labels.issues.get(i).map_or("terms".into(), |x| issue_words(labels, &x.id))
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::output::{IssueLabel, PartyLabel};

    fn labels() -> Labels {
        Labels {
            parties: vec![
                PartyLabel { id: "us".into(), name: "United States".into() },
                PartyLabel { id: "ukraine".into(), name: "Ukraine".into() },
            ],
            issues: vec![IssueLabel {
                id: "security_guarantee".into(),
                label: "US security guarantee for Ukraine".into(),
                unit: String::new(),
                range: None,
                levels: vec!["none".into(), "nato_like".into()],
            }],
            scenario_values: vec![],
        }
    }

    #[test]
    fn paths_read_as_words_with_units() {
        let l = labels();
        assert_eq!(
            path_title("parties.us.reservation", &l),
            "The United States' reservation value (utility)"
        );
        assert_eq!(
            path_words("parties.us.reservation", &l),
            "the United States' reservation value"
        );
        assert_eq!(possessive("Ukraine"), "Ukraine's");
        assert_eq!(possessive("Netherlands"), "Netherlands'");
        assert_eq!(possessive_in_sentence("us"), "us's");
        assert_eq!(possessive_in_sentence("US"), "US's");
        assert_eq!(possessive_in_sentence("European Union"), "the European Union's");
        assert_eq!(possessive_in_sentence("Saudi Arabia"), "Saudi Arabia's");
        assert_eq!(possessive_in_sentence("The Gulf States"), "The Gulf States'");
        assert_eq!(
            path_title("parties.ukraine.weights.security_guarantee", &l),
            "Ukraine's weight on US security guarantee for Ukraine (raw weight)"
        );
        assert_eq!(
            path_title("scenario.breakdown_risk", &l),
            "Breakdown risk per round (probability)"
        );
        assert_eq!(
            path_words("parties.us.reservation", &l),
            "the United States' reservation value"
        );
        assert_eq!(path_words("scenario.breakdown_risk", &l), "breakdown risk per round");
        assert_eq!(path_words("scenario.max_rounds", &l), "deadline");
        assert_eq!(path_title("parties.eu.discount", &l), "eu's discount factor per round");
    }
}
