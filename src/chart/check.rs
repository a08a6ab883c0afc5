//! Reading a `run.json` for charts: its structure (serde) and what it says (this module),
//! with every problem located by JSON line and column.
//!
//! A record drawn from a damaged or hand-edited file must not put values over the title,
//! divide by an inverted range or name a party that does not exist. [`read_record`] checks
//! what the charts and report rely on: at least one party and one issue, unique ids, an
//! order of the known parties, finite and ordered ranges, known levels, proposers and
//! responders, terms inside their issue's range, utilities and reservation values in
//! [0, 1], rounds in order. It does not recompute the analysis or replay the run: numbers
//! that are consistent in form are drawn as given.
//!
//! Locations come from one pass over the text for the paths of the problems found (the
//! parsed record has no spans), so a clean file costs nothing extra.

use std::collections::BTreeSet;
use std::fmt;

use crate::export::record::{PartyValues, RunRecord, SCHEMA_VERSION, TermValue, Terms};

/// The most problems reported for one file.
pub const MAX_PROBLEMS: usize = 20;

/// One problem in a run.json: where, and what.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordError {
    /// 1-based line of the offending value.
    pub line: usize,
    /// 1-based column (in characters) of the offending value.
    pub column: usize,
    /// The JSON path of the value (`offers[3].proposer`), empty for a syntax error.
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}:{}: {}", self.line, self.column, self.message)
        } else {
            write!(f, "{}:{}: {}: {}", self.line, self.column, self.path, self.message)
        }
    }
}

/// Reads and checks a run.json: the record, or its problems (at most [`MAX_PROBLEMS`], in
/// file order, with the count of the rest in the last message).
pub fn read_record(text: &str) -> Result<RunRecord, Vec<RecordError>> {
    let record: RunRecord = serde_json::from_str(text).map_err(|err| {
        // serde_json counts columns from 0 at the start of a line in some errors.
        let (line, column) = (err.line().max(1), err.column().max(1));
        let message = format!("not a run.json this accord can read: {}", strip_position(&err));
        vec![RecordError { line, column, path: String::new(), message }]
    })?;
    let mut problems = Problems::default();
    if record.schema_version != SCHEMA_VERSION {
        problems.add(
            vec![Seg::key("schema_version")],
            format!(
                "schema_version {} is not the {SCHEMA_VERSION} this accord reads; rerun the \
                 scenario with this version",
                record.schema_version
            ),
        );
    } else {
        check(&record, &mut problems);
    }
    if problems.found.is_empty() {
        return Ok(record);
    }
    Err(problems.located(text))
}

/// serde_json's message without its own " at line L column C" suffix.
fn strip_position(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// A step of a JSON path.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

impl Seg {
    fn key(name: &str) -> Seg {
        Seg::Key(name.to_string())
    }
}

fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Problems found, by path, in the order found.
#[derive(Default)]
struct Problems {
    found: Vec<(Vec<Seg>, String)>,
    /// Whether problems were left out (past [`MAX_PROBLEMS`], or not looked for).
    more: bool,
}

impl Problems {
    fn add(&mut self, path: Vec<Seg>, message: String) {
        if self.found.len() < MAX_PROBLEMS {
            self.found.push((path, message));
        } else {
            self.more = true;
        }
    }

    /// The problems with their lines and columns, in file order.
    fn located(self, text: &str) -> Vec<RecordError> {
        let wanted: Vec<&[Seg]> = self.found.iter().map(|(p, _)| p.as_slice()).collect();
        let offsets = locate(text, &wanted);
        let mut errors: Vec<(usize, RecordError)> = self
            .found
            .into_iter()
            .zip(offsets)
            .map(|((path, message), offset)| {
                let offset = offset.unwrap_or(0);
                let (line, column) = line_column(text, offset);
                (offset, RecordError { line, column, path: path_text(&path), message })
            })
            .collect();
        errors.sort_by_key(|(offset, _)| *offset);
        let mut errors: Vec<RecordError> = errors.into_iter().map(|(_, e)| e).collect();
        if self.more
            && let Some(last) = errors.last_mut()
        {
            last.message.push_str(" (further problems not shown)");
        }
        errors
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The byte offset of the value at each wanted path, in one pass over valid JSON.
fn locate(text: &str, wanted: &[&[Seg]]) -> Vec<Option<usize>> {
    let mut found = vec![None; wanted.len()];
    let mut scanner = Scanner { bytes: text.as_bytes(), at: 0 };
    let mut path = Vec::new();
    scanner.value(&mut path, wanted, &mut found);
    found
}

struct Scanner<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Scanner<'_> {
    fn skip_ws(&mut self) {
        while self.at < self.bytes.len() && self.bytes[self.at].is_ascii_whitespace() {
            self.at += 1;
        }
    }

    /// Scans one value starting at the current position, recording its offset if wanted.
    fn value(&mut self, path: &mut Vec<Seg>, wanted: &[&[Seg]], found: &mut [Option<usize>]) {
        self.skip_ws();
        for (k, w) in wanted.iter().enumerate() {
            if found[k].is_none() && *w == path.as_slice() {
                found[k] = Some(self.at);
            }
        }
        if found.iter().all(Option::is_some) {
            self.at = self.bytes.len();
            return;
        }
        match self.bytes.get(self.at) {
            Some(b'{') => {
                self.at += 1;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.at) {
                        Some(b'}') | None => {
                            self.at += 1;
                            return;
                        }
                        Some(b',') => self.at += 1,
                        _ => {
                            let key = self.string();
                            self.skip_ws();
                            self.at += 1; // ':'
                            path.push(Seg::Key(key));
                            self.value(path, wanted, found);
                            path.pop();
                        }
                    }
                }
            }
            Some(b'[') => {
                self.at += 1;
                let mut idx = 0;
                loop {
                    self.skip_ws();
                    match self.bytes.get(self.at) {
                        Some(b']') | None => {
                            self.at += 1;
                            return;
                        }
                        Some(b',') => self.at += 1,
                        _ => {
                            path.push(Seg::Index(idx));
                            self.value(path, wanted, found);
                            path.pop();
                            idx += 1;
                        }
                    }
                }
            }
            Some(b'"') => {
                self.string();
            }
            _ => {
                while self.at < self.bytes.len()
                    && !matches!(self.bytes[self.at], b',' | b'}' | b']')
                    && !self.bytes[self.at].is_ascii_whitespace()
                {
                    self.at += 1;
                }
            }
        }
    }

    /// Scans a string and returns its content (escapes decoded by serde_json).
    fn string(&mut self) -> String {
        let start = self.at;
        self.at += 1;
        while self.at < self.bytes.len() {
            match self.bytes[self.at] {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    break;
                }
                _ => self.at += 1,
            }
        }
        let raw = std::str::from_utf8(&self.bytes[start..self.at.min(self.bytes.len())]);
        raw.ok().and_then(|r| serde_json::from_str(r).ok()).unwrap_or_default()
    }
}

/// Tolerance for numbers that should lie in a range.
const TOL: f64 = 1e-9;

fn check(record: &RunRecord, problems: &mut Problems) {
    let s = &record.scenario;
    let root = |name: &str| vec![Seg::key(name)];
    let at =
        |base: &[Seg], more: &[Seg]| -> Vec<Seg> { base.iter().chain(more).cloned().collect() };

    // Parties and issues: the frame everything else refers to.
    let party_ids: Vec<&str> = record.parties.iter().map(|p| p.id.as_str()).collect();
    if record.parties.is_empty() {
        problems.add(root("parties"), "a run has at least one party; this record has none".into());
    }
    for (k, party) in record.parties.iter().enumerate() {
        let here = vec![Seg::key("parties"), Seg::Index(k)];
        if party.id.is_empty() || party_ids[..k].contains(&party.id.as_str()) {
            problems
                .add(at(&here, &[Seg::key("id")]), "party ids must be unique and non-empty".into());
        }
        for (field, value) in
            [("initial_reservation", party.initial_reservation), ("reservation", party.reservation)]
        {
            unit_interval(problems, at(&here, &[Seg::key(field)]), value);
        }
        for (field, value) in
            [("utility", party.utility), ("discounted_utility", party.discounted_utility)]
        {
            if let Some(v) = value {
                unit_interval(problems, at(&here, &[Seg::key(field)]), v);
            }
        }
        if !(party.discount > 0.0 && party.discount <= 1.0) {
            problems.add(
                at(&here, &[Seg::key("discount")]),
                format!("must be in (0, 1], found {:?}", party.discount),
            );
        }
        unit_interval(problems, at(&here, &[Seg::key("payoff")]), party.payoff);
        if !(-1.0 - TOL..=1.0 + TOL).contains(&party.gain) {
            let found = party.gain;
            problems.add(
                at(&here, &[Seg::key("gain")]),
                format!("must be in [-1, 1], found {found:?}"),
            );
        }
    }
    let issue_ids: Vec<&str> = s.issues.iter().map(|i| i.id.as_str()).collect();
    if s.issues.is_empty() {
        problems.add(
            vec![Seg::key("scenario"), Seg::key("issues")],
            "a run has at least one issue; this record has none".into(),
        );
    }
    for (k, issue) in s.issues.iter().enumerate() {
        let here = vec![Seg::key("scenario"), Seg::key("issues"), Seg::Index(k)];
        if issue.id.is_empty() || issue_ids[..k].contains(&issue.id.as_str()) {
            problems
                .add(at(&here, &[Seg::key("id")]), "issue ids must be unique and non-empty".into());
        }
        match issue.kind.as_str() {
            "continuous" => match issue.range {
                Some([lo, hi])
                    if lo.is_finite() && hi.is_finite() && lo < hi && (hi - lo).is_finite() => {}
                Some([lo, hi]) => problems.add(
                    at(&here, &[Seg::key("range")]),
                    format!("must be [min, max] with finite min < max, found [{lo:?}, {hi:?}]"),
                ),
                None => problems.add(
                    at(&here, &[Seg::key("kind")]),
                    "a continuous issue needs a `range`".into(),
                ),
            },
            "ordinal" => match &issue.levels {
                Some(levels) if !levels.is_empty() => {
                    let unique: BTreeSet<&String> = levels.iter().collect();
                    if unique.len() != levels.len() {
                        problems.add(
                            at(&here, &[Seg::key("levels")]),
                            "level names must be unique".into(),
                        );
                    }
                }
                _ => problems
                    .add(at(&here, &[Seg::key("kind")]), "an ordinal issue needs `levels`".into()),
            },
            other => problems.add(
                at(&here, &[Seg::key("kind")]),
                format!("unknown issue kind `{other}`; expected `continuous` or `ordinal`"),
            ),
        }
    }
    let order_ids: BTreeSet<&str> = s.order.iter().map(String::as_str).collect();
    let known: BTreeSet<&str> = party_ids.iter().copied().collect();
    if order_ids.len() != s.order.len() || order_ids != known {
        problems.add(
            vec![Seg::key("scenario"), Seg::key("order")],
            format!(
                "must name each of the {} parties ({}) once, found {:?}",
                party_ids.len(),
                party_ids.join(", "),
                s.order
            ),
        );
    }
    if !(0.0..=1.0).contains(&s.breakdown_risk) {
        problems.add(
            vec![Seg::key("scenario"), Seg::key("breakdown_risk")],
            format!("must be in [0, 1], found {:?}", s.breakdown_risk),
        );
    }

    // The outcome.
    let outcome = &record.outcome;
    let oc = |name: &str| vec![Seg::key("outcome"), Seg::key(name)];
    if !matches!(outcome.kind.as_str(), "agreement" | "deadline" | "walk_out" | "breakdown") {
        problems.add(
            oc("kind"),
            format!(
                "unknown outcome `{}`; expected `agreement`, `deadline`, `walk_out` or `breakdown`",
                outcome.kind
            ),
        );
    }
    if outcome.round > s.max_rounds {
        problems.add(
            oc("round"),
            format!(
                "round {} is past the deadline of {}",
                outcome.round,
                crate::text::count(s.max_rounds as usize, "round")
            ),
        );
    }
    for (field, id) in [("proposer", &outcome.proposer), ("walked_out", &outcome.walked_out)] {
        if let Some(id) = id
            && !known.contains(id.as_str())
        {
            problems.add(oc(field), format!("unknown party `{id}`"));
        }
    }
    if let Some(terms) = &outcome.terms {
        check_terms(record, problems, &oc("terms"), terms);
    }

    // Events and offers, in round order.
    let mut last_round = 0;
    for (k, event) in record.events.iter().enumerate() {
        let here = vec![Seg::key("events"), Seg::Index(k)];
        if event.round < last_round || event.round > s.max_rounds {
            problems.add(
                at(&here, &[Seg::key("round")]),
                format!("round {} is out of order or past the deadline", event.round),
            );
        }
        last_round = event.round;
        for (path, value) in &event.set.0 {
            if !value.is_finite() {
                problems.add(
                    at(&here, &[Seg::key("set"), Seg::Key(path.to_string())]),
                    "must be a finite number".into(),
                );
            }
        }
    }
    let mut last_round = 0;
    for (k, offer) in record.offers.iter().enumerate() {
        let here = vec![Seg::key("offers"), Seg::Index(k)];
        if offer.round < last_round || offer.round > s.max_rounds {
            problems.add(
                at(&here, &[Seg::key("round")]),
                format!("round {} is out of order (after round {last_round}) or past the deadline of {}", offer.round, s.max_rounds),
            );
        }
        last_round = offer.round;
        if !known.contains(offer.proposer.as_str()) {
            problems.add(
                at(&here, &[Seg::key("proposer")]),
                format!("unknown party `{}`", offer.proposer),
            );
        }
        check_terms(record, problems, &at(&here, &[Seg::key("terms")]), &offer.terms);
        check_party_values(
            record,
            problems,
            &at(&here, &[Seg::key("utilities")]),
            &offer.utilities,
        );
        for (r, response) in offer.responses.iter().enumerate() {
            let there = at(&here, &[Seg::key("responses"), Seg::Index(r)]);
            if !known.contains(response.party.as_str()) {
                problems.add(
                    at(&there, &[Seg::key("party")]),
                    format!("unknown party `{}`", response.party),
                );
            }
            if !matches!(response.response.as_str(), "accept" | "reject" | "walk_away") {
                problems.add(
                    at(&there, &[Seg::key("response")]),
                    format!(
                        "unknown response `{}`; expected `accept`, `reject` or `walk_away`",
                        response.response
                    ),
                );
            }
        }
        if problems.found.len() >= MAX_PROBLEMS {
            // Enough to act on; the count of the rest is not worth a scan of every offer.
            problems.more = true;
            return;
        }
    }

    // The analysis.
    let an = |more: &[Seg]| at(&[Seg::key("analysis")], more);
    let analysis = &record.analysis;
    check_party_values(record, problems, &an(&[Seg::key("disagreement")]), &analysis.disagreement);
    if let Some(ideal) = &analysis.ideal {
        check_party_values(record, problems, &an(&[Seg::key("ideal")]), ideal);
    }
    for (name, solution) in [
        ("nash", &analysis.nash),
        ("kalai_smorodinsky", &analysis.kalai_smorodinsky),
        ("utilitarian", &analysis.utilitarian),
    ] {
        if let Some(solution) = solution {
            check_terms(
                record,
                problems,
                &an(&[Seg::key(name), Seg::key("terms")]),
                &solution.terms,
            );
            check_party_values(
                record,
                problems,
                &an(&[Seg::key(name), Seg::key("utilities")]),
                &solution.utilities,
            );
        }
    }
    if let Some(observed) = &analysis.observed {
        check_terms(
            record,
            problems,
            &an(&[Seg::key("observed"), Seg::key("terms")]),
            &observed.terms,
        );
        check_party_values(
            record,
            problems,
            &an(&[Seg::key("observed"), Seg::key("utilities")]),
            &observed.utilities,
        );
    }
    if let Some(frontier) = &analysis.frontier {
        for (k, point) in frontier.iter().enumerate() {
            for (axis, v) in point.iter().enumerate() {
                unit_interval(
                    problems,
                    an(&[Seg::key("frontier"), Seg::Index(k), Seg::Index(axis)]),
                    *v,
                );
            }
        }
    }
    for (field, value) in [
        ("total_payoff", Some(record.welfare.total_payoff)),
        ("total_utility", record.welfare.total_utility),
    ] {
        if let Some(v) = value
            && !v.is_finite()
        {
            problems
                .add(vec![Seg::key("welfare"), Seg::key(field)], "must be a finite number".into());
        }
    }
}

fn unit_interval(problems: &mut Problems, path: Vec<Seg>, value: f64) {
    if !(-TOL..=1.0 + TOL).contains(&value) {
        problems.add(path, format!("a utility must be in [0, 1], found {value:?}"));
    }
}

/// Terms name every issue once, in order, with a value of the issue's kind inside its range.
fn check_terms(record: &RunRecord, problems: &mut Problems, path: &[Seg], terms: &Terms) {
    let issues = &record.scenario.issues;
    let ids: Vec<&str> = terms.0.iter().map(|(id, _)| id.as_str()).collect();
    let expected: Vec<&str> = issues.iter().map(|i| i.id.as_str()).collect();
    if ids != expected {
        problems.add(
            path.to_vec(),
            format!("must give the issues {expected:?} in that order, found {ids:?}"),
        );
        return;
    }
    for ((id, value), issue) in terms.0.iter().zip(issues) {
        let here: Vec<Seg> = path.iter().cloned().chain([Seg::Key(id.to_string())]).collect();
        match (value, issue.range, &issue.levels) {
            (TermValue::Number(x), Some([lo, hi]), _) if issue.kind == "continuous" => {
                let slack = TOL * (hi - lo).abs().max(1.0);
                if !(lo - slack..=hi + slack).contains(x) {
                    problems
                        .add(here, format!("{x:?} is outside the issue's range [{lo:?}, {hi:?}]"));
                }
            }
            (TermValue::Level(level), _, Some(levels)) if issue.kind == "ordinal" => {
                if !levels.iter().any(|l| l == level.as_str()) {
                    problems
                        .add(here, format!("unknown level `{level}`; the levels are {levels:?}"));
                }
            }
            (TermValue::Number(_), ..) => {
                problems.add(here, "expected a level name for this ordinal issue".into())
            }
            (TermValue::Level(_), ..) => {
                problems.add(here, "expected a number for this continuous issue".into())
            }
        }
    }
}

/// Per-party values name every party once, in order, each in [0, 1].
fn check_party_values(
    record: &RunRecord,
    problems: &mut Problems,
    path: &[Seg],
    values: &PartyValues,
) {
    let ids: Vec<&str> = values.0.iter().map(|(id, _)| id.as_str()).collect();
    let expected: Vec<&str> = record.parties.iter().map(|p| p.id.as_str()).collect();
    if ids != expected {
        problems.add(
            path.to_vec(),
            format!("must give the parties {expected:?} in that order, found {ids:?}"),
        );
        return;
    }
    for (id, v) in &values.0 {
        unit_interval(
            problems,
            path.iter().cloned().chain([Seg::Key(id.to_string())]).collect(),
            *v,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_one_based_lines_and_character_columns() {
        let text = "{\n  \"a\": [1, {\"b\": \"é\", \"c\": 2}]\n}";
        let wanted = [Seg::key("a"), Seg::Index(1), Seg::key("c")];
        let offset = locate(text, &[&wanted])[0].unwrap();
        assert_eq!(line_column(text, offset), (2, 28));
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(path_text(&wanted), "a[1].c");
    }

    #[test]
    fn syntax_errors_are_located_from_one() {
        let errors = read_record("{\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].line >= 1 && errors[0].column >= 1, "{:?}", errors[0]);
        let errors = read_record("").unwrap_err();
        assert!(errors[0].line >= 1 && errors[0].column >= 1, "{:?}", errors[0]);
        assert!(!errors[0].message.contains(" at line "), "{}", errors[0].message);
    }
}
