//! Turns the raw schema into a validated [`Scenario`], collecting every problem.
//!
//! Each check records a [`Diagnostic`] and carries on, so one pass reports everything.
//! Checks that depend on something already found broken (the ideal of an issue whose range
//! is invalid, say) are skipped rather than reported twice. A scenario is built only when
//! there are no errors; warnings travel with it.

mod assumptions;
mod events;
mod issues;
mod parties;
mod strategy;
mod sweeps;
mod terms;
#[cfg(test)]
mod tests;

use std::ops::Range;

use crate::model::{
    Event, Information, Issue, IssueKind, MAX_ROUNDS_LIMIT, Observed, Outcome, ParamPath,
    ParamProblem, ParamValue, Party, PathNames, Preferences, Scenario, ScenarioParts, StrategyKind,
    StrategySpec, ValueFn,
};
use crate::scenario::diagnostic::Diagnostic;
use crate::scenario::read::did_you_mean;
use crate::scenario::schema::{
    Entries, RawEvent, RawHeader, RawIssue, RawObserved, RawParty, RawScenario, RawStrategy,
    RawTerm, RawValue, Spanned,
};

/// Validates a raw scenario. Returns the scenario if there are no errors, and every
/// diagnostic (errors and warnings).
pub fn validate(raw: &RawScenario) -> (Option<Scenario>, Vec<Diagnostic>) {
    let mut v =
        Validator { diags: Vec::new(), suggestions_left: SUGGESTIONS, present: &raw.present };
    let scenario = v.scenario(raw);
    let diags = v.diags;
    let has_errors = diags.iter().any(|d| d.severity == crate::scenario::Severity::Error);
    (if has_errors { None } else { scenario }, diags)
}

struct Validator<'r> {
    diags: Vec<Diagnostic>,
    /// Suggestions still to be made (see [`SUGGESTIONS`]).
    suggestions_left: usize,
    /// Paths of keys present in the file (see [`RawScenario::present`]).
    present: &'r std::collections::BTreeSet<String>,
}

/// What validation learned about the issues, by file position (`None` = broken issue).
struct IssueTable {
    issues: Vec<Option<Issue>>,
    ids: Vec<String>,
    /// Position of each id's first issue, so that lookups stay cheap with many issues.
    positions: std::collections::BTreeMap<String, usize>,
}

impl IssueTable {
    fn index(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
    }

    /// The valid ids (an issue whose id was invalid is stored with an empty one).
    fn known_ids(&self) -> Vec<&str> {
        self.ids.iter().map(String::as_str).filter(|id| !id.is_empty()).collect()
    }
}

/// Names listed in a help line before `and N more`.
const LISTED_NAMES: usize = 12;

/// Unknown names that get a "did you mean" suggestion; each costs a comparison with every
/// known name, so a file of many unknown names among many known ones stays linear.
const SUGGESTIONS: usize = 100;

/// `a`, `b`, `c` and 9 more: at most [`LISTED_NAMES`] names in backquotes.
fn listed(names: &[&str]) -> String {
    let mut out = names.iter().take(LISTED_NAMES).map(|n| format!("`{n}`")).collect::<Vec<_>>();
    if names.len() > LISTED_NAMES {
        out.push(format!("and {} more", names.len() - LISTED_NAMES));
    }
    out.join(", ")
}

impl Validator<'_> {
    fn error(&mut self, span: Range<usize>, message: String, help: &str) {
        let diag = Diagnostic::error(span, message);
        self.diags.push(if help.is_empty() { diag } else { diag.with_help(help) });
    }

    /// Reports a required field as missing, unless it is present with an invalid value
    /// (already reported by the reader).
    fn missing(&mut self, span: Range<usize>, path: String, help: &str) {
        if !self.present.contains(&path) {
            self.error(span, format!("{path}: missing"), help);
        }
    }

    /// Checks an optional number: its value if valid, the rule's default if absent, `None`
    /// (with an error) if invalid or required and absent.
    fn number(
        &mut self,
        field: Option<&Spanned<f64>>,
        path: String,
        rule: Rule<'_>,
    ) -> Option<f64> {
        match field {
            Some(x) if !(rule.valid)(x.value) => {
                let help = if rule.help.is_empty() {
                    format!("give a number {}", rule.expected)
                } else {
                    rule.help.to_string()
                };
                self.error(
                    x.span.clone(),
                    format!("{path}: must be {}, got {}", rule.expected, number(x.value)),
                    &help,
                );
                None
            }
            Some(x) => Some(x.value),
            None if rule.default.is_some() => rule.default,
            None => {
                let (span, help) = rule.missing;
                self.missing(span, path, help);
                None
            }
        }
    }

    /// The known name closest to `name`, while suggestions last (see [`SUGGESTIONS`]).
    fn suggest<'k>(&mut self, name: &str, known: &[&'k str]) -> Option<&'k str> {
        if self.suggestions_left == 0 {
            return None;
        }
        self.suggestions_left -= 1;
        did_you_mean(name, known)
    }

    fn warning(&mut self, span: Range<usize>, message: String, help: &str) {
        let diag = Diagnostic::warning(span, message);
        self.diags.push(if help.is_empty() { diag } else { diag.with_help(help) });
    }

    fn scenario(&mut self, raw: &RawScenario) -> Option<Scenario> {
        let header = match &raw.scenario {
            Some(h) => Some(self.header(h)),
            None => {
                self.error(
                    0..0,
                    "missing [scenario] table".into(),
                    "start the file with [scenario], giving at least `name` and `max_rounds`",
                );
                None
            }
        };
        let issues = self.issues(&raw.issues);
        let parties = self.parties(&raw.parties, &issues);
        let party_ids: Vec<&str> = raw
            .parties
            .iter()
            .map(|p| p.value.id.as_ref().map_or("", |i| i.value.as_str()))
            .collect();
        let order = header.as_ref().map(|h| self.order(h.order, &party_ids));
        let max_rounds = header.as_ref().and_then(|h| h.max_rounds).unwrap_or(u32::MAX);
        // The scenario without events, when everything else is valid: events are checked
        // against its parameters.
        let base = (|| {
            let header = header.as_ref()?;
            Some(ScenarioParts {
                name: header.name.clone()?,
                description: header.description.clone(),
                max_rounds: header.max_rounds?,
                seed: header.seed,
                order: order.clone()??,
                breakdown_risk: header.breakdown_risk?,
                information: header.information,
                issues: issues.issues.iter().cloned().collect::<Option<_>>()?,
                parties: parties.iter().cloned().collect::<Option<_>>()?,
                events: Vec::new(),
                observed: None,
                assumptions: Vec::new(),
                sweeps: Vec::new(),
            })
        })();
        let base_scenario = base.clone().map(Scenario::from_parts);
        let events =
            self.events(&raw.events, &raw.parties, &issues, max_rounds, base_scenario.as_ref());
        let observed = raw.observed.as_ref().and_then(|o| self.observed(o, &issues));
        let whole = base.zip(events).map(|(mut parts, events)| {
            parts.events = events;
            parts.observed = observed;
            Scenario::from_parts(parts)
        });
        // Assumptions are checked against the whole scenario (its events included), or
        // only for what needs no scenario when the rest is broken.
        let assumptions = self.assumptions(&raw.assumptions, whole.as_ref());
        let sweeps = self.sweeps(&raw.sweeps, whole.as_ref());
        let mut parts = whole?.into_parts();
        parts.assumptions = assumptions?;
        parts.sweeps = sweeps?;
        Some(Scenario::from_parts(parts))
    }

    fn header<'r>(&mut self, raw: &'r Spanned<RawHeader>) -> Header<'r> {
        let h = &raw.value;
        let name = match &h.name {
            Some(n) if n.value.trim().is_empty() => {
                self.error(
                    n.span.clone(),
                    "scenario.name: must not be empty".into(),
                    "give the scenario a title, e.g. `name = \"Water talks 2025\"`",
                );
                None
            }
            Some(n) => Some(n.value.clone()),
            None => {
                self.missing(
                    raw.span.clone(),
                    "scenario.name".into(),
                    "add `name = \"...\"` under [scenario]",
                );
                None
            }
        };
        let max_rounds = match &h.max_rounds {
            Some(m) if m.value < 1 || m.value as f64 > MAX_ROUNDS_LIMIT => {
                self.error(
                    m.span.clone(),
                    format!(
                        "scenario.max_rounds: must be between 1 and {MAX_ROUNDS_LIMIT}, got {}",
                        m.value
                    ),
                    "the deadline counts rounds (one offer and its answers each)",
                );
                None
            }
            Some(m) => Some(m.value as u32),
            None => {
                self.missing(
                    raw.span.clone(),
                    "scenario.max_rounds".into(),
                    "add `max_rounds = 60` (the deadline, in rounds) under [scenario]",
                );
                None
            }
        };
        let seed = match &h.seed {
            Some(s) if s.value < 0 => {
                self.error(
                    s.span.clone(),
                    format!("scenario.seed: must be >= 0, got {}", s.value),
                    "the seed is a whole number from 0 up; any one gives a reproducible run",
                );
                0
            }
            Some(s) => s.value as u64,
            None => 0,
        };
        let breakdown_risk = self.number(
            h.breakdown_risk.as_ref(),
            "scenario.breakdown_risk".into(),
            Rule {
                valid: &|b| (0.0..1.0).contains(&b),
                expected: "in [0, 1)",
                default: Some(0.0),
                help: "it is the chance per round that outside events end the talks",
                missing: (raw.span.clone(), ""),
            },
        );
        let information = match &h.information {
            Some(i) => match i.value.as_str() {
                "complete" => Information::Complete,
                "learned" => Information::Learned,
                other => {
                    let hint = match did_you_mean(other, &["complete", "learned"]) {
                        Some(best) => format!("did you mean `{best}`? "),
                        None => String::new(),
                    };
                    self.error(
                        i.span.clone(),
                        format!("scenario.information: unknown value `{other}`"),
                        &format!("{hint}use \"complete\" or \"learned\""),
                    );
                    Information::Complete
                }
            },
            None => Information::Complete,
        };
        Header {
            name,
            description: h.description.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
            max_rounds,
            seed,
            order: h.order.as_ref(),
            breakdown_risk,
            information,
        }
    }

    fn id(
        &mut self,
        raw: Option<&Spanned<String>>,
        path: &str,
        table_span: &Range<usize>,
    ) -> Option<String> {
        let Some(id) = raw else {
            self.missing(table_span.clone(), format!("{path}id"), "add `id = \"...\"`");
            return None;
        };
        let text = &id.value;
        let mut chars = text.chars();
        let valid = chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            self.error(
                id.span.clone(),
                format!("{path}id: `{text}` is not a valid id"),
                "ids are lowercase letters, digits and `_`, starting with a letter \
                 (they appear in dotted paths and CSV column names)",
            );
            return None;
        }
        Some(text.clone())
    }

    fn order(
        &mut self,
        raw: Option<&Spanned<Vec<Spanned<String>>>>,
        ids: &[&str],
    ) -> Option<Vec<usize>> {
        let Some(raw) = raw else {
            return Some((0..ids.len()).collect());
        };
        let mut order = Vec::new();
        let mut ok = true;
        let mut position = std::collections::BTreeMap::new();
        for (p, id) in ids.iter().enumerate() {
            position.entry(*id).or_insert(p);
        }
        let mut placed = vec![false; ids.len()];
        for entry in &raw.value {
            match position.get(entry.value.as_str()).copied() {
                Some(p) if placed[p] => {
                    self.error(
                        entry.span.clone(),
                        format!("scenario.order: `{}` appears twice", entry.value),
                        "list every party exactly once",
                    );
                    ok = false;
                }
                Some(p) => {
                    placed[p] = true;
                    order.push(p);
                }
                None => {
                    let hint = match self.suggest(&entry.value, ids) {
                        Some(best) => format!("did you mean `{best}`? "),
                        None => String::new(),
                    };
                    self.error(
                        entry.span.clone(),
                        format!("scenario.order: unknown party `{}`", entry.value),
                        &format!("{hint}parties are {}", quoted(ids)),
                    );
                    ok = false;
                }
            }
        }
        let missing: Vec<&str> = (0..ids.len())
            .filter(|p| !placed[*p])
            .map(|p| ids[p])
            .filter(|id| !id.is_empty())
            .collect();
        if ok && !missing.is_empty() {
            self.error(
                raw.span.clone(),
                format!("scenario.order: missing {}", quoted(&missing)),
                "list every party exactly once",
            );
            ok = false;
        }
        ok.then_some(order)
    }
}

/// How [`Validator::number`] checks a field.
struct Rule<'a> {
    /// Whether a value is allowed.
    valid: &'a dyn Fn(f64) -> bool,
    /// What is allowed, completing "must be ...", such as "in [0, 1]".
    expected: &'a str,
    /// The value when the field is absent; `None` makes it required.
    default: Option<f64>,
    /// Help shown with an invalid value.
    help: &'a str,
    /// Where to point, and what to say, when a required field is missing.
    missing: (Range<usize>, &'a str),
}

struct Header<'a> {
    name: Option<String>,
    description: String,
    max_rounds: Option<u32>,
    seed: u64,
    order: Option<&'a Spanned<Vec<Spanned<String>>>>,
    breakdown_risk: Option<f64>,
    information: Information,
}

/// A number as a message shows it: as written for everyday sizes, in exponent form for
/// huge and tiny ones (`1e308`, not 309 digits).
fn number(x: f64) -> String {
    if x != 0.0 && !(1e-6..1e15).contains(&x.abs()) { format!("{x:e}") } else { format!("{x}") }
}

/// Names in backquotes for a message, at most [`LISTED_NAMES`] of them.
fn quoted(names: &[&str]) -> String {
    listed(names)
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}
