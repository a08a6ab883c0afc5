//! Writes an [`Imported`] scenario as commented accord TOML.

use std::fmt::Write;

use crate::model::StrategyKind;
use crate::scenario::template::strategy_inline;

use super::{DiscountReading, ImportConfig, Imported, IssueDomain, Values, unique_ids};

/// The scenario as TOML text, with comments saying where it came from and what was
/// normalized or assumed. Numbers are written in Rust's shortest round-trip form, so the
/// text holds exactly the computed values.
pub fn to_toml(imported: &Imported, config: &ImportConfig) -> String {
    let issue_names: Vec<String> = imported.issues.iter().map(|i| i.name.clone()).collect();
    let issue_ids = unique_ids(&issue_names);
    let party_names: Vec<String> = imported.parties.iter().map(|p| p.name.clone()).collect();
    let party_ids = unique_ids(&party_names);
    let tool = imported.tool;

    let mut s = String::new();
    let _ = writeln!(s, "# Imported from {tool} by `accord import`, from:");
    for source in &imported.sources {
        let _ = writeln!(s, "#   {}", comment(source));
    }
    s.push_str(
        "# What the import assumed and normalized is said next to each value; docs/interop.md\n\
         # explains every mapping. Check with `accord validate`, play with `accord run`.\n\n",
    );

    s.push_str("[scenario]\n");
    let _ = writeln!(s, "name = {}", string(&imported.name));
    let _ = writeln!(
        s,
        "description = {}",
        string(&format!("Imported from {tool}: {}", imported.sources.join(", ")))
    );
    let _ = writeln!(
        s,
        "max_rounds = {}  # {tool} sets the deadline per session, not in the scenario: set by --rounds",
        config.max_rounds
    );

    for (issue, id) in imported.issues.iter().zip(&issue_ids) {
        s.push_str("\n[[issues]]\n");
        let _ = writeln!(s, "id = {}", string(id));
        let _ = writeln!(s, "label = {}", string(&issue.name));
        match (&issue.domain, issue.integers) {
            (_, Some((lo, hi))) => {
                let _ = write!(s, "range = [{lo}, {hi}]\nstep = 1");
            }
            (IssueDomain::Levels(levels), None) => {
                let levels: Vec<String> = levels.iter().map(|l| string(l)).collect();
                let _ = write!(s, "levels = [{}]", levels.join(", "));
            }
            (IssueDomain::Range { min, max }, None) => {
                let _ = write!(s, "range = [{}, {}]", num(*min), num(*max));
            }
        }
        match &issue.note {
            Some(note) => {
                let _ = writeln!(s, "  # {}", comment(note));
            }
            None => s.push('\n'),
        }
    }

    for ((party, id), source) in
        imported.parties.iter().zip(&party_ids).zip(&party_sources(imported))
    {
        s.push_str("\n[[parties]]\n");
        let _ = writeln!(s, "# from {}", comment(source));
        for note in &party.notes {
            let _ = writeln!(s, "# {}", comment(note));
        }
        let _ = writeln!(s, "id = {}", string(id));
        let _ = writeln!(s, "name = {}", string(&party.name));
        let _ = write!(s, "reservation = {}", num(party.reservation));
        match &party.reservation_note {
            Some(note) => {
                let _ = writeln!(s, "  # {}", comment(note));
            }
            None => s.push('\n'),
        }
        if let Some((d, reading)) = party.discount {
            let (per_round, how, other) = match reading {
                DiscountReading::Time => (
                    d.powf(1.0 / f64::from(config.max_rounds)),
                    format!(
                        "{d:?} at the deadline (time-based), so {d:?}^(1/{}) per round",
                        config.max_rounds
                    ),
                    format!("--discount round would read it as {d:?} per round"),
                ),
                DiscountReading::Round => (
                    d,
                    format!("{d:?} read as a factor per round"),
                    format!(
                        "--discount time would read it as {d:?} at the deadline, {:?} per round",
                        d.powf(1.0 / f64::from(config.max_rounds))
                    ),
                ),
            };
            let _ = writeln!(s, "discount = {}  # {tool} discount {how}; {other}", num(per_round));
        }
        // A kind of the table is written with its defaults; anything else is left for
        // validation to report, as in a hand-written file.
        let strategy = StrategyKind::named(&config.strategy)
            .map_or_else(|| format!("{{ kind = {} }}", string(&config.strategy)), strategy_inline);
        let _ = writeln!(
            s,
            "strategy = {strategy}  # {tool} files hold preferences, not behaviour: set by --strategy"
        );
        let weights: Vec<String> = issue_ids
            .iter()
            .zip(&party.weights)
            .map(|(id, w)| format!("{id} = {}", num(*w)))
            .collect();
        let _ = writeln!(s, "weights = {{ {} }}", weights.join(", "));
        for ((issue, id), values) in imported.issues.iter().zip(&issue_ids).zip(&party.values) {
            match values {
                Values::Levels(vs) => {
                    // Importers give level values only to level issues.
                    let IssueDomain::Levels(levels) = &issue.domain else { continue };
                    let entries: Vec<String> = levels
                        .iter()
                        .zip(vs)
                        .map(|(l, v)| format!("{} = {}", key(l), num(*v)))
                        .collect();
                    let _ = writeln!(s, "value.{id} = {{ {} }}", entries.join(", "));
                }
                Values::Points(points) => {
                    let entries: Vec<String> =
                        points.iter().map(|(x, v)| format!("[{}, {}]", num(*x), num(*v))).collect();
                    let _ = writeln!(s, "value.{id} = [{}]", entries.join(", "));
                }
            }
        }
    }
    s
}

/// The source file of each party: the sources after the first (the domain), in order.
fn party_sources(imported: &Imported) -> Vec<String> {
    let skip = imported.sources.len().saturating_sub(imported.parties.len());
    imported.sources.iter().skip(skip).cloned().collect()
}

/// A TOML basic string.
fn string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A TOML key: bare when TOML allows it, quoted otherwise.
fn key(text: &str) -> String {
    let bare =
        !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare { text.to_string() } else { string(text) }
}

/// A number in its shortest round-trip form (`1.0`, `0.25`, `1e-7`).
fn num(x: f64) -> String {
    format!("{x:?}")
}

/// Text safe inside a `#` comment (one line).
fn comment(text: &str) -> String {
    text.replace(['\n', '\r'], " ")
}
