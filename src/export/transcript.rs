//! The readable transcript of a run, as printed by `accord run`.

use std::fmt::Write as _;

use crate::export::compare;
use crate::export::record::{RunRecord, TermValue, Terms};
use crate::model::Scenario;

/// Renders the run for people: header, offers round by round, events, outcome, analysis.
pub fn transcript(record: &RunRecord, scenario: &Scenario) -> String {
    let mut out = String::new();
    let s = &record.scenario;
    let _ = writeln!(out, "{}", s.name);
    let file = if s.file.is_empty() { String::new() } else { format!("{} · ", s.file) };
    let _ = writeln!(
        out,
        "{file}seed {} · {} parties · {} issues · deadline {} rounds · {} information\n",
        record.seed,
        record.parties.len(),
        s.issues.len(),
        s.max_rounds,
        s.information
    );

    let name = |id: &str| {
        record.parties.iter().find(|p| p.id == id).map_or(id.to_string(), |p| p.name.clone())
    };
    let mut events = record.events.iter().peekable();
    for offer in &record.offers {
        while let Some(event) = events.next_if(|e| e.round <= offer.round) {
            write_event(&mut out, event);
        }
        let _ = writeln!(
            out,
            "round {:>3}  {} offers: {}",
            offer.round,
            name(&offer.proposer),
            inline_terms(scenario, &offer.terms)
        );
        let utilities: Vec<String> =
            offer.utilities.0.iter().map(|(id, u)| format!("{id} {u:.3}")).collect();
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
    let _ = writeln!(out, "\nOutcome: {}", outcome.summary);
    if let Some(terms) = &outcome.terms {
        let width = terms.0.iter().map(|(id, _)| id.len()).max().unwrap_or(0);
        for (i, (id, value)) in terms.0.iter().enumerate() {
            let _ = writeln!(out, "  {id:<width$}  {}", format_term(scenario, i, value));
        }
    }
    let name_width = record.parties.iter().map(|p| p.name.len()).max().unwrap_or(5).max(5);
    let _ = writeln!(
        out,
        "\n  {:<name_width$}  {:<14}  {:>7}  {:>10}  {:>11}  {:>7}",
        "party", "strategy", "utility", "discounted", "reservation", "gain"
    );
    for p in &record.parties {
        let _ = writeln!(
            out,
            "  {:<name_width$}  {:<14}  {:>7}  {:>10}  {:>11.3}  {:>+7.3}",
            p.name,
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
    let mut line = format!("event {:>3}  {}", event.round, event.description);
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
        let _ = writeln!(out, "  {finding}");
    }
    if record.analysis.error.is_some() {
        return;
    }
    let ids: Vec<&str> = record.parties.iter().map(|p| p.id.as_str()).collect();
    let col = ids.iter().map(|id| id.len()).max().unwrap_or(0).max(6);
    let mut header = format!("  {:<19}", "");
    for id in &ids {
        let _ = write!(header, "  {id:>col$}");
    }
    let _ = writeln!(out, "{header}  distance from deal");
    let rows = compare::comparisons(record);
    for row in &rows {
        let mut line = format!("  {:<19}", row.label);
        for u in &row.utilities {
            let _ = write!(line, "  {u:>col$.3}");
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
        .map(|(i, (id, v))| format!("{id} {}", format_term(scenario, i, v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn format_term(scenario: &Scenario, issue_idx: usize, value: &TermValue) -> String {
    match value {
        TermValue::Number(x) => scenario.issues()[issue_idx].format_value(*x),
        TermValue::Level(level) => level.clone(),
    }
}
