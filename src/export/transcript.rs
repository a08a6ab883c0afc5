//! The readable transcript of a run, as printed by `accord run`.

use std::fmt::Write as _;

use crate::export::compare;
use crate::export::record::{RunRecord, TermValue, Terms};
use crate::model::Scenario;
use crate::text::{column_width, count, count_irregular, pad_left, pad_right, terminal};

/// Renders the run for people: header, offers round by round, events, outcome, analysis.
///
/// Every text from the scenario goes through [`terminal`] (no control sequence reaches the
/// terminal) and columns are padded to at most [`crate::text::MAX_COLUMN`] characters, so
/// the transcript of a valid scenario never panics and stays readable whatever its names.
pub fn transcript(record: &RunRecord, scenario: &Scenario) -> String {
    let mut out = String::new();
    let s = &record.scenario;
    let _ = writeln!(out, "{}", terminal(&s.name));
    let file = if s.file.is_empty() { String::new() } else { format!("{} · ", terminal(&s.file)) };
    let _ = writeln!(
        out,
        "{file}seed {} · {} · {} · deadline {} · {} information\n",
        record.seed,
        count_irregular(record.parties.len(), "party", "parties"),
        count(s.issues.len(), "issue"),
        count(s.max_rounds as usize, "round"),
        terminal(&s.information)
    );

    let name = |id: &str| {
        let name = record.parties.iter().find(|p| p.id == id).map_or(id, |p| p.name.as_str());
        terminal(name).into_owned()
    };
    let mut events = record.events.iter().peekable();
    for offer in &record.offers {
        while let Some(event) = events.next_if(|e| e.round <= offer.round) {
            write_event(&mut out, event);
        }
        let _ = writeln!(
            out,
            "round {}  {} offers: {}",
            pad_left(&offer.round.to_string(), 3),
            name(&offer.proposer),
            inline_terms(scenario, &offer.terms)
        );
        let utilities: Vec<String> =
            offer.utilities.0.iter().map(|(id, u)| format!("{} {u:.3}", terminal(id))).collect();
        let answers: Vec<String> = offer
            .responses
            .iter()
            .map(|r| {
                let verb = match r.response.as_str() {
                    "accept" => "accepts",
                    "reject" => "rejects",
                    _ => "walks away",
                };
                format!("{} {verb}", name(&r.party))
            })
            .collect();
        let _ =
            writeln!(out, "           utility: {} · {}", utilities.join(", "), answers.join(", "));
    }
    for event in events {
        write_event(&mut out, event);
    }

    let outcome = &record.outcome;
    let _ = writeln!(out, "\nOutcome: {}", terminal(&outcome.summary));
    if let Some(terms) = &outcome.terms {
        let ids: Vec<String> = terms.0.iter().map(|(id, _)| terminal(id).into_owned()).collect();
        let width = column_width(ids.iter().map(String::as_str), 0);
        for (i, (id, (_, value))) in ids.iter().zip(&terms.0).enumerate() {
            let _ =
                writeln!(out, "  {}  {}", pad_right(id, width), format_term(scenario, i, value));
        }
    }
    let names: Vec<String> =
        record.parties.iter().map(|p| terminal(&p.name).into_owned()).collect();
    let name_width = column_width(names.iter().map(String::as_str), 5);
    let _ = writeln!(
        out,
        "\n  {}  {:<14}  {:>7}  {:>10}  {:>11}  {:>7}",
        pad_right("party", name_width),
        "strategy",
        "utility",
        "discounted",
        "reservation",
        "gain"
    );
    for (p, name) in record.parties.iter().zip(&names) {
        let _ = writeln!(
            out,
            "  {}  {:<14}  {:>7}  {:>10}  {:>11.3}  {:>+7.3}",
            pad_right(name, name_width),
            p.strategy,
            p.utility.map_or("-".to_string(), |u| format!("{u:.3}")),
            p.discounted_utility.map_or("-".to_string(), |u| format!("{u:.3}")),
            p.reservation,
            p.gain
        );
    }
    let _ = writeln!(out, "  total payoff {:.3}", record.welfare.total_payoff);

    write_analysis(&mut out, record, scenario);
    out
}

fn write_event(out: &mut String, event: &crate::export::record::EventRecord) {
    let changes: Vec<String> =
        event.set.0.iter().map(|(path, v)| format!("{path} = {v}")).collect();
    let changes: Vec<String> = changes.iter().map(|c| terminal(c).into_owned()).collect();
    let mut line = format!(
        "event {}  {}",
        pad_left(&event.round.to_string(), 3),
        terminal(&event.description)
    );
    if !changes.is_empty() {
        let _ = write!(line, " ({})", changes.join(", "));
    }
    if event.ends_talks {
        line.push_str(" — the talks end");
    }
    let _ = writeln!(out, "{line}");
}

fn write_analysis(out: &mut String, record: &RunRecord, scenario: &Scenario) {
    let _ =
        writeln!(out, "\nAnalysis (undiscounted utilities, parameters as at the end of the talks)");
    for finding in compare::findings(record) {
        let _ = writeln!(out, "  {}", terminal(&finding));
    }
    if record.analysis.error.is_some() {
        return;
    }
    // One column per party, headed by its name as in the party table above.
    let names: Vec<String> =
        record.parties.iter().map(|p| terminal(&p.name).into_owned()).collect();
    let col = column_width(names.iter().map(String::as_str), 6);
    let mut header = format!("  {:<19}", "");
    for name in &names {
        let _ = write!(header, "  {}", pad_left(name, col));
    }
    let _ = writeln!(out, "{header}  distance from deal");
    let rows = compare::comparisons(record);
    for row in &rows {
        let mut line = format!("  {:<19}", row.label);
        for u in &row.utilities {
            let _ = write!(line, "  {}", pad_left(&format!("{u:.3}"), col));
        }
        if let Some(d) = row.distance {
            let _ = write!(line, "  {d:.3}");
        }
        let _ = writeln!(out, "{line}");
    }
    for row in rows.iter().filter(|r| r.label != "Deal" && r.label != "Utilitarian") {
        if let Some(terms) = &row.terms {
            let _ = writeln!(out, "  {} terms: {}", row.label, inline_terms(scenario, terms));
        }
    }
}

fn inline_terms(scenario: &Scenario, terms: &Terms) -> String {
    terms
        .0
        .iter()
        .enumerate()
        .map(|(i, (id, v))| format!("{} {}", terminal(id), format_term(scenario, i, v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn format_term(scenario: &Scenario, issue_idx: usize, value: &TermValue) -> String {
    match value {
        TermValue::Number(x) => {
            terminal(&scenario.issues()[issue_idx].format_value(*x)).into_owned()
        }
        TermValue::Level(level) => terminal(level).into_owned(),
    }
}
