//! Reads TOML text into the raw schema, collecting every syntax, type and unknown-key problem.
//!
//! Why not `#[derive(Deserialize)]`: serde stops at the first problem, and `accord validate`
//! must report every problem in a file at once, each with its line and column. So the file is
//! parsed with toml's recoverable parser into a spanned tree, and this module walks that tree
//! by hand, recording a [`Diagnostic`] for each problem and carrying on. Range and
//! cross-reference checks (does this issue exist, is this in [0, 1]) belong to `validate.rs`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::schema::{
    Entries, RawAssumption, RawEvent, RawHeader, RawIssue, RawObserved, RawParty, RawScenario,
    RawStrategy, RawSweep, RawTerm, RawValue, Spanned,
};

type Value<'i> = toml::Spanned<DeValue<'i>>;

/// Parses `source`; returns the raw scenario and every problem found (errors only).
///
/// If the TOML itself does not parse, only the syntax errors are returned (with an empty
/// scenario): checking the fields of a half-parsed file would mostly report follow-on noise.
pub fn read(source: &str) -> (RawScenario, Vec<Diagnostic>) {
    let (root, syntax_errors) = DeTable::parse_recoverable(source);
    if !syntax_errors.is_empty() {
        let mut diags: Vec<Diagnostic> = Vec::new();
        let mut lines_seen = std::collections::BTreeSet::new();
        let index = crate::scenario::diagnostic::LineIndex::new(source);
        for err in syntax_errors {
            let span = err.span().unwrap_or(0..0);
            // The recoverable parser often reports several follow-on errors for one mistake;
            // the first on each line is the one worth reading.
            if !lines_seen.insert(index.line(span.start)) {
                continue;
            }
            diags.push(
                Diagnostic::error(span, format!("invalid TOML: {}", err.message()))
                    .with_help("see https://toml.io for the syntax; strings need quotes"),
            );
        }
        return (RawScenario::default(), diags);
    }
    let mut reader = Reader { diags: Vec::new(), present: Default::default() };
    let mut raw = reader.scenario(root.get_ref());
    raw.present = reader.present;
    let mut diags = reader.diags;
    crate::scenario::diagnostic::sort(&mut diags);
    (raw, diags)
}

struct Reader {
    diags: Vec<Diagnostic>,
    present: std::collections::BTreeSet<String>,
}

const TOP_KEYS: &[&str] =
    &["scenario", "issues", "parties", "events", "observed", "assumptions", "sweeps"];
const HEADER_KEYS: &[&str] =
    &["name", "description", "max_rounds", "seed", "order", "breakdown_risk", "information"];
const ISSUE_KEYS: &[&str] = &["id", "label", "description", "range", "unit", "step", "levels"];
const PARTY_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "reservation",
    "discount",
    "strategy",
    "weights",
    "ideal",
    "value",
];
const STRATEGY_KEYS: &[&str] = &["kind", "exponent", "factor", "initial_concession", "offers"];
const EVENT_KEYS: &[&str] = &["round", "description", "set", "ends_talks"];
const OBSERVED_KEYS: &[&str] = &["terms", "description", "round"];
const ASSUMPTION_KEYS: &[&str] = &["path", "low", "high", "source", "confidence"];
const SWEEP_KEYS: &[&str] = &["name", "question", "vary", "replicates"];

impl Reader {
    fn scenario(&mut self, root: &DeTable<'_>) -> RawScenario {
        let mut raw = RawScenario::default();
        for (key, value) in self.fields(root, "", TOP_KEYS, "the top level") {
            match key {
                "scenario" => {
                    raw.scenario = self.table_of(value, "scenario", |r, t| r.header(t));
                }
                "issues" => {
                    raw.issues = self.array_of_tables(value, "issues", |r, t, p| r.issue(t, p))
                }
                "parties" => {
                    raw.parties = self.array_of_tables(value, "parties", |r, t, p| r.party(t, p));
                }
                "events" => {
                    raw.events = self.array_of_tables(value, "events", |r, t, p| r.event(t, p))
                }
                "observed" => {
                    raw.observed = self.table_of(value, "observed", |r, t| r.observed(t));
                }
                "assumptions" => {
                    raw.assumptions =
                        self.array_of_tables(value, "assumptions", |r, t, p| r.assumption(t, p));
                }
                "sweeps" => {
                    raw.sweeps = self.array_of_tables(value, "sweeps", |r, t, p| r.sweep(t, p));
                }
                _ => unreachable!("fields() yields known keys only"),
            }
        }
        raw
    }

    fn header(&mut self, table: &DeTable<'_>) -> RawHeader {
        let mut h = RawHeader::default();
        for (key, value) in self.fields(table, "scenario.", HEADER_KEYS, "[scenario]") {
            let path = format!("scenario.{key}");
            match key {
                "name" => h.name = self.string(value, &path),
                "description" => h.description = self.string(value, &path),
                "max_rounds" => h.max_rounds = self.integer(value, &path),
                "seed" => h.seed = self.integer(value, &path),
                "order" => h.order = self.array(value, &path, |r, v, p| r.string(v, p)),
                "breakdown_risk" => h.breakdown_risk = self.number(value, &path),
                "information" => h.information = self.string(value, &path),
                _ => unreachable!(),
            }
        }
        h
    }

    fn issue(&mut self, table: &DeTable<'_>, prefix: &str) -> RawIssue {
        let mut issue = RawIssue::default();
        for (key, value) in self.fields(table, prefix, ISSUE_KEYS, "[[issues]]") {
            let path = format!("{prefix}{key}");
            match key {
                "id" => issue.id = self.string(value, &path),
                "label" => issue.label = self.string(value, &path),
                "description" => issue.description = self.string(value, &path),
                "range" => issue.range = self.array(value, &path, |r, v, p| r.number(v, p)),
                "unit" => issue.unit = self.string(value, &path),
                "step" => issue.step = self.number(value, &path),
                "levels" => issue.levels = self.array(value, &path, |r, v, p| r.string(v, p)),
                _ => unreachable!(),
            }
        }
        issue
    }

    fn party(&mut self, table: &DeTable<'_>, prefix: &str) -> RawParty {
        let mut party = RawParty::default();
        for (key, value) in self.fields(table, prefix, PARTY_KEYS, "[[parties]]") {
            let path = format!("{prefix}{key}");
            match key {
                "id" => party.id = self.string(value, &path),
                "name" => party.name = self.string(value, &path),
                "description" => party.description = self.string(value, &path),
                "reservation" => party.reservation = self.number(value, &path),
                "discount" => party.discount = self.number(value, &path),
                "strategy" => {
                    party.strategy = self.table_of(value, &path, |r, t| r.strategy(t, &path))
                }
                "weights" => party.weights = self.entries(value, &path, |r, v, p| r.number(v, p)),
                "ideal" => party.ideal = self.entries(value, &path, |r, v, p| r.term(v, p)),
                "value" => party.value = self.entries(value, &path, |r, v, p| r.value_fn(v, p)),
                _ => unreachable!(),
            }
        }
        party
    }

    fn strategy(&mut self, table: &DeTable<'_>, path: &str) -> RawStrategy {
        let mut s = RawStrategy::default();
        let prefix = format!("{path}.");
        for (key, value) in self.fields(table, &prefix, STRATEGY_KEYS, "strategy") {
            let path = format!("{prefix}{key}");
            match key {
                "kind" => s.kind = self.string(value, &path),
                "exponent" => s.exponent = self.number(value, &path),
                "factor" => s.factor = self.number(value, &path),
                "initial_concession" => s.initial_concession = self.number(value, &path),
                "offers" => {
                    s.offers =
                        self.array(value, &path, |r, v, p| r.entries(v, p, |r, v, p| r.term(v, p)));
                }
                _ => unreachable!(),
            }
        }
        s
    }

    fn event(&mut self, table: &DeTable<'_>, prefix: &str) -> RawEvent {
        let mut event = RawEvent::default();
        for (key, value) in self.fields(table, prefix, EVENT_KEYS, "[[events]]") {
            let path = format!("{prefix}{key}");
            match key {
                "round" => event.round = self.integer(value, &path),
                "description" => event.description = self.string(value, &path),
                "set" => event.set = self.entries(value, &path, |r, v, p| r.number(v, p)),
                "ends_talks" => event.ends_talks = self.boolean(value, &path),
                _ => unreachable!(),
            }
        }
        event
    }

    fn observed(&mut self, table: &DeTable<'_>) -> RawObserved {
        let mut obs = RawObserved::default();
        for (key, value) in self.fields(table, "observed.", OBSERVED_KEYS, "[observed]") {
            let path = format!("observed.{key}");
            match key {
                "terms" => obs.terms = self.entries(value, &path, |r, v, p| r.term(v, p)),
                "description" => obs.description = self.string(value, &path),
                "round" => obs.round = self.integer(value, &path),
                _ => unreachable!(),
            }
        }
        obs
    }

    fn assumption(&mut self, table: &DeTable<'_>, prefix: &str) -> RawAssumption {
        let mut a = RawAssumption::default();
        for (key, value) in self.fields(table, prefix, ASSUMPTION_KEYS, "[[assumptions]]") {
            let path = format!("{prefix}{key}");
            match key {
                "path" => a.path = self.string(value, &path),
                "low" => a.low = self.number(value, &path),
                "high" => a.high = self.number(value, &path),
                "source" => a.source = self.string(value, &path),
                "confidence" => a.confidence = self.string(value, &path),
                _ => unreachable!(),
            }
        }
        a
    }

    fn sweep(&mut self, table: &DeTable<'_>, prefix: &str) -> RawSweep {
        let mut w = RawSweep::default();
        for (key, value) in self.fields(table, prefix, SWEEP_KEYS, "[[sweeps]]") {
            let path = format!("{prefix}{key}");
            match key {
                "name" => w.name = self.string(value, &path),
                "question" => w.question = self.string(value, &path),
                "vary" => w.vary = self.array(value, &path, |r, v, p| r.string(v, p)),
                "replicates" => w.replicates = self.integer(value, &path),
                _ => unreachable!(),
            }
        }
        w
    }

    fn term(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<RawTerm>> {
        match value.get_ref() {
            DeValue::String(s) => Some(spanned(RawTerm::Level(s.to_string()), value)),
            DeValue::Integer(_) | DeValue::Float(_) => self
                .number(value, path)
                .map(|n| Spanned { value: RawTerm::Number(n.value), span: n.span }),
            other => {
                self.type_error(value, path, "a number or a level name", other);
                None
            }
        }
    }

    fn value_fn(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<RawValue>> {
        match value.get_ref() {
            DeValue::Table(_) => {
                let entries = self.entries(value, path, |r, v, p| r.number(v, p))?;
                Some(Spanned { value: RawValue::Levels(entries.value), span: entries.span })
            }
            DeValue::Array(_) => {
                let points = self.array(value, path, |r, v, p| r.point(v, p))?;
                Some(Spanned { value: RawValue::Points(points.value), span: points.span })
            }
            other => {
                self.type_error(
                    value,
                    path,
                    "a table of level values or an array of [x, value] points",
                    other,
                );
                None
            }
        }
    }

    fn point(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<(f64, f64)>> {
        let items = self.array(value, path, |r, v, p| r.number(v, p))?;
        if items.value.len() != 2 {
            self.diags.push(
                Diagnostic::error(
                    value.span(),
                    format!("{path}: a point is [x, value], got {} numbers", items.value.len()),
                )
                .with_help("write each point as a pair, e.g. [50.0, 1.0]"),
            );
            return None;
        }
        Some(Spanned { value: (items.value[0].value, items.value[1].value), span: value.span() })
    }

    // ----- generic helpers -----

    /// The entries of `table` whose keys are known, in file order; unknown keys are reported.
    fn fields<'t, 'i>(
        &mut self,
        table: &'t DeTable<'i>,
        prefix: &str,
        known: &[&'static str],
        what: &str,
    ) -> Vec<(&'static str, &'t Value<'i>)> {
        let mut out = Vec::new();
        for (key, value) in sorted_entries(table) {
            let name = key.get_ref().as_ref();
            if let Some(k) = known.iter().find(|k| **k == name) {
                self.present.insert(format!("{prefix}{k}"));
                out.push((*k, value));
                continue;
            }
            let mut diag = Diagnostic::error(
                key.span(),
                format!("{prefix}{name}: unknown field `{name}` in {what}"),
            );
            let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            diag = match did_you_mean(name, known) {
                Some(best) => {
                    // The misspelt key stands for `best`: do not also call `best` missing.
                    self.present.insert(format!("{prefix}{best}"));
                    diag.with_help(format!("did you mean `{best}`? fields are {list}"))
                }
                None => diag.with_help(format!("fields are {list}")),
            };
            self.diags.push(diag);
        }
        out
    }

    fn table_of<T>(
        &mut self,
        value: &Value<'_>,
        path: &str,
        read: impl FnOnce(&mut Self, &DeTable<'_>) -> T,
    ) -> Option<Spanned<T>> {
        match value.get_ref() {
            DeValue::Table(t) => Some(Spanned { value: read(self, t), span: value.span() }),
            DeValue::Array(_) => {
                self.diags.push(
                    Diagnostic::error(
                        value.span(),
                        format!("{path}: expected a single table, found an array"),
                    )
                    .with_help(format!("write `[{path}]` with single brackets")),
                );
                None
            }
            other => {
                self.type_error(value, path, "a table", other);
                None
            }
        }
    }

    fn array_of_tables<T>(
        &mut self,
        value: &Value<'_>,
        path: &str,
        mut read: impl FnMut(&mut Self, &DeTable<'_>, &str) -> T,
    ) -> Vec<Spanned<T>> {
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (idx, item) in items.iter().enumerate() {
                    let prefix = format!("{path}[{idx}].");
                    match item.get_ref() {
                        DeValue::Table(t) => {
                            out.push(Spanned { value: read(self, t, &prefix), span: item.span() });
                        }
                        other => self.type_error(item, &format!("{path}[{idx}]"), "a table", other),
                    }
                }
                out
            }
            DeValue::Table(_) => {
                self.diags.push(
                    Diagnostic::error(
                        value.span(),
                        format!("{path}: expected an array of tables, found a single table"),
                    )
                    .with_help(format!("write `[[{path}]]` with double brackets, once per entry")),
                );
                Vec::new()
            }
            other => {
                self.type_error(value, path, "an array of tables", other);
                Vec::new()
            }
        }
    }

    fn array<T>(
        &mut self,
        value: &Value<'_>,
        path: &str,
        mut item: impl FnMut(&mut Self, &Value<'_>, &str) -> Option<Spanned<T>>,
    ) -> Option<Spanned<Vec<Spanned<T>>>> {
        match value.get_ref() {
            DeValue::Array(items) => {
                let mut out = Vec::new();
                for (idx, v) in items.iter().enumerate() {
                    if let Some(x) = item(self, v, &format!("{path}[{idx}]")) {
                        out.push(x);
                    }
                }
                Some(Spanned { value: out, span: value.span() })
            }
            other => {
                self.type_error(value, path, "an array", other);
                None
            }
        }
    }

    fn entries<T>(
        &mut self,
        value: &Value<'_>,
        path: &str,
        mut item: impl FnMut(&mut Self, &Value<'_>, &str) -> Option<Spanned<T>>,
    ) -> Option<Spanned<Entries<T>>> {
        match value.get_ref() {
            DeValue::Table(table) => {
                let mut out = Vec::new();
                for (key, v) in sorted_entries(table) {
                    let name = key.get_ref().to_string();
                    if let Some(x) = item(self, v, &format!("{path}.{name}")) {
                        out.push((Spanned { value: name, span: key.span() }, x));
                    }
                }
                Some(Spanned { value: out, span: value.span() })
            }
            other => {
                self.type_error(value, path, "a table of `name = value` entries", other);
                None
            }
        }
    }

    fn string(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<String>> {
        match value.get_ref() {
            DeValue::String(s) => Some(spanned(s.to_string(), value)),
            other => {
                self.type_error(value, path, "a string", other);
                None
            }
        }
    }

    fn number(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<f64>> {
        let parsed = match value.get_ref() {
            DeValue::Float(f) => f.as_str().parse::<f64>().ok(),
            DeValue::Integer(i) => {
                i64::from_str_radix(i.as_str(), i.radix()).ok().map(|n| n as f64)
            }
            other => {
                self.type_error(value, path, "a number", other);
                return None;
            }
        };
        match parsed {
            Some(x) if x.is_finite() => Some(spanned(x, value)),
            _ => {
                self.diags.push(
                    Diagnostic::error(value.span(), format!("{path}: expected a finite number"))
                        .with_help(
                            "`nan`, `inf` and numbers beyond about 1.8e308 are not values; \
                             write a finite number such as `0.5`",
                        ),
                );
                None
            }
        }
    }

    fn integer(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<i64>> {
        match value.get_ref() {
            DeValue::Integer(i) => match i64::from_str_radix(i.as_str(), i.radix()) {
                Ok(n) => Some(spanned(n, value)),
                Err(_) => {
                    self.diags.push(
                        Diagnostic::error(value.span(), format!("{path}: integer out of range"))
                            .with_help(format!(
                                "TOML whole numbers lie between {} and {}; this field's own \
                                 limits are in docs/scenario.md",
                                i64::MIN,
                                i64::MAX
                            )),
                    );
                    None
                }
            },
            DeValue::Float(_) => {
                self.diags.push(
                    Diagnostic::error(value.span(), format!("{path}: expected a whole number"))
                        .with_help("write it without a decimal point, e.g. `60`"),
                );
                None
            }
            other => {
                self.type_error(value, path, "a whole number", other);
                None
            }
        }
    }

    fn boolean(&mut self, value: &Value<'_>, path: &str) -> Option<Spanned<bool>> {
        match value.get_ref() {
            DeValue::Boolean(b) => Some(spanned(*b, value)),
            other => {
                self.type_error(value, path, "`true` or `false`", other);
                None
            }
        }
    }

    fn type_error(&mut self, value: &Value<'_>, path: &str, expected: &str, found: &DeValue<'_>) {
        let mut diag = Diagnostic::error(
            value.span(),
            format!("{path}: expected {expected}, found {}", describe(found)),
        );
        let help = if expected == "a string" {
            "put text in double quotes".to_string()
        } else if expected.contains("number") && matches!(found, DeValue::String(_)) {
            "write numbers without quotes, e.g. `0.5`".to_string()
        } else if expected.contains("number") && matches!(found, DeValue::Datetime(_)) {
            "TOML reads this as a date or time; write a plain number such as `60` or `0.5`"
                .to_string()
        } else if expected == "a whole number" {
            "write a whole number such as `60`".to_string()
        } else if expected.contains("number") {
            "write a number such as `0.5`".to_string()
        } else if expected.contains("`true`") {
            "write `true` or `false`, without quotes".to_string()
        } else if expected.contains("array of tables") {
            format!("write `[[{path}]]` with double brackets, once per entry")
        } else if expected.contains("array") {
            "write a list in square brackets, e.g. `[0, 100]`".to_string()
        } else {
            "write an inline table such as `{ a = 0.5, b = 0.5 }`, or a `[section]`".to_string()
        };
        diag = diag.with_help(help);
        self.diags.push(diag);
    }
}

/// Table entries in file order (the parser's map is sorted by key).
fn sorted_entries<'t, 'i>(
    table: &'t DeTable<'i>,
) -> Vec<(&'t toml::Spanned<std::borrow::Cow<'i, str>>, &'t Value<'i>)> {
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(k, _)| k.span().start);
    entries
}

fn spanned<T>(value: T, from: &Value<'_>) -> Spanned<T> {
    Spanned { value, span: span_of(from) }
}

fn span_of(value: &Value<'_>) -> Range<usize> {
    value.span()
}

fn describe(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("the string \"{s}\""),
        DeValue::Integer(i) => format!("the integer {i}"),
        DeValue::Float(f) => format!("the number {f}"),
        DeValue::Boolean(b) => format!("the boolean {b}"),
        DeValue::Datetime(d) => format!("the date {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}

/// The known name closest to a misspelt one, if any is close enough to suggest.
pub fn did_you_mean<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(src: &str) -> Vec<String> {
        read(src).1.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn reports_every_unknown_and_mistyped_field_at_once() {
        let src = r#"
[scenario]
name = 3
max_rouns = 10

[[parties]]
id = "a"
reservaton = 0.2
discount = "high"
"#;
        assert_eq!(
            messages(src),
            vec![
                "scenario.name: expected a string, found the integer 3",
                "scenario.max_rouns: unknown field `max_rouns` in [scenario]",
                "parties[0].reservaton: unknown field `reservaton` in [[parties]]",
                "parties[0].discount: expected a number, found the string \"high\"",
            ]
        );
        let (_, diags) = read(src);
        assert_eq!(
            diags[1].help.as_deref().unwrap().split('?').next(),
            Some("did you mean `max_rounds`")
        );
    }

    #[test]
    fn accepts_integers_where_numbers_are_expected() {
        let (raw, diags) = read("[[parties]]\nreservation = 0\n");
        assert!(diags.is_empty());
        assert_eq!(raw.parties[0].value.reservation.as_ref().unwrap().value, 0.0);
    }

    #[test]
    fn single_bracket_issues_get_a_double_bracket_hint() {
        let (_, diags) = read("[issues]\nid = \"x\"\n");
        assert_eq!(diags[0].message, "issues: expected an array of tables, found a single table");
        assert!(diags[0].help.as_deref().unwrap().contains("[[issues]]"));
    }

    #[test]
    fn syntax_errors_are_reported_one_per_line() {
        let (_, diags) = read("[scenario]\nname = \nmax_rounds = 1.2.3\n");
        assert_eq!(diags.len(), 2);
        assert!(diags.iter().all(|d| d.message.starts_with("invalid TOML")));
    }

    #[test]
    fn reads_value_tables_and_points() {
        let src =
            "[[parties]]\nvalue.g = { none = 1.0, full = 0 }\nvalue.s = [[0, 0.0], [50, 1]]\n";
        let (raw, diags) = read(src);
        assert!(diags.is_empty(), "{diags:?}");
        let value = raw.parties[0].value.value.as_ref().unwrap();
        assert!(matches!(&value.value[0].1.value, RawValue::Levels(l) if l.len() == 2));
        assert!(
            matches!(&value.value[1].1.value, RawValue::Points(p) if p[1].value == (50.0, 1.0))
        );
    }
}
