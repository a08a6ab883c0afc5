//! `[[assumptions]]`: sweepable paths with a plausible range and a source.

use super::*;
use crate::model::{Assumption, Confidence};
use crate::scenario::schema::RawAssumption;

impl Validator<'_> {
    /// Checks the assumptions against `scenario` (the file's scenario without them, `None`
    /// when something else is broken: then only what needs no scenario is checked).
    pub(super) fn assumptions(
        &mut self,
        raw: &[Spanned<RawAssumption>],
        scenario: Option<&Scenario>,
    ) -> Option<Vec<Assumption>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (idx, entry) in raw.iter().enumerate() {
            let prefix = format!("assumptions[{idx}].");
            match self.assumption(&entry.value, &entry.span, &prefix, scenario, &out) {
                Some(a) => out.push(a),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn assumption(
        &mut self,
        a: &RawAssumption,
        span: &Range<usize>,
        prefix: &str,
        scenario: Option<&Scenario>,
        earlier: &[Assumption],
    ) -> Option<Assumption> {
        let mut ok = true;
        let Some(path_text) = &a.path else {
            self.missing(
                span.clone(),
                format!("{prefix}path"),
                "add `path = \"parties.<id>.reservation\"` (any path `accord sweep --vary` takes)",
            );
            return None;
        };
        let source = match &a.source {
            Some(s) if s.value.trim().is_empty() => {
                self.error(
                    s.span.clone(),
                    format!("{prefix}source: must not be empty"),
                    "say who gave the figure or range and when, e.g. \"Reuters, 28 Feb 2025\"",
                );
                None
            }
            Some(s) => Some(s.value.clone()),
            None => {
                self.missing(
                    span.clone(),
                    format!("{prefix}source"),
                    "add `source = \"...\"`: who gave the figure or range and when",
                );
                None
            }
        };
        let confidence = match &a.confidence {
            Some(c) => match Confidence::parse(&c.value) {
                Some(c) => Some(c),
                None => {
                    let hint = did_you_mean(&c.value, &Confidence::NAMES)
                        .map(|b| format!("did you mean `{b}`? "))
                        .unwrap_or_default();
                    self.error(
                        c.span.clone(),
                        format!("{prefix}confidence: unknown value `{}`", c.value),
                        &format!("{hint}use \"low\", \"medium\" or \"high\""),
                    );
                    ok = false;
                    None
                }
            },
            None => None,
        };
        let mut ends = [None, None];
        for (slot, (field, name)) in [(&a.low, "low"), (&a.high, "high")].into_iter().enumerate() {
            match field {
                Some(x) => ends[slot] = Some(x),
                None => self.missing(
                    span.clone(),
                    format!("{prefix}{name}"),
                    "give the plausible range as `low = ...` and `high = ...`",
                ),
            }
        }
        let [Some(low), Some(high)] = ends else { return None };
        if low.value >= high.value {
            self.error(
                high.span.clone(),
                format!("{prefix}high: must be above low ({}), got {}", low.value, high.value),
                "an assumption is a range of plausible values: give low < high",
            );
            ok = false;
        }
        let scenario = scenario?;
        let path = match ParamPath::parse(&path_text.value, scenario) {
            Ok(ParamPath::Strategy(_)) => {
                self.error(
                    path_text.span.clone(),
                    format!("{prefix}path: `{}` is a strategy kind, not a number", path_text.value),
                    "an assumption is a number range; compare strategy kinds with \
                     `accord sweep --vary parties.<id>.strategy=boulware,conceder`",
                );
                return None;
            }
            Ok(path) => path,
            Err(message) => {
                let names = PathNames {
                    parties: scenario.parties().iter().map(|p| p.id()).collect(),
                    issues: scenario.issues().iter().map(|i| i.id()).collect(),
                    strategies: scenario.parties().iter().map(|p| p.strategy().kind()).collect(),
                };
                let paths = names.concrete_paths();
                let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                let help = did_you_mean(&path_text.value, &paths).map_or_else(
                    || {
                        "give a numeric path that `accord sweep --vary` takes, such as \
                        `parties.<id>.discount` (see docs/scenario.md)"
                            .to_string()
                    },
                    |best| format!("did you mean `{best}`?"),
                );
                self.error(path_text.span.clone(), format!("{prefix}path: {message}"), &help);
                return None;
            }
        };
        if earlier.iter().any(|e| e.path == path) {
            self.error(
                path_text.span.clone(),
                format!("{prefix}path: `{}` is declared twice", path_text.value),
                "declare each path once, with one range",
            );
            return None;
        }
        // Both ends through the one rule book.
        let params = scenario.params();
        for end in [low, high] {
            if let Err(e) = params.apply(scenario, &[(path.clone(), ParamValue::Number(end.value))])
            {
                let name = if std::ptr::eq(end, low) { "low" } else { "high" };
                self.error(end.span.clone(), format!("{prefix}{name}: {e}"), &e.help());
                ok = false;
            }
        }
        if !ok {
            return None;
        }
        if let Some(value) = params.number_at(&path)
            && !(low.value..=high.value).contains(&value)
        {
            self.warning(
                path_text.span.clone(),
                format!(
                    "{prefix}path: `{}` is {value} in this file, outside the assumed range \
                     [{}, {}]",
                    path_text.value, low.value, high.value
                ),
                "widen the range, or change the value the file gives",
            );
        }
        if let Some(event) =
            scenario.events().iter().find(|e| e.changes.iter().any(|c| c.0 == path))
        {
            let before = match event.round {
                0 => "no round".to_string(),
                1 => "round 0 only".to_string(),
                r => format!("rounds 0-{} only", r - 1),
            };
            self.warning(
                path_text.span.clone(),
                format!(
                    "{prefix}path: an event sets `{}` at round {}, so varying it moves {before}",
                    path_text.value, event.round
                ),
                "to study the shock itself, declare the event's value in a copy of the \
                 scenario, or choose a path no event sets",
            );
        }
        Some(Assumption {
            name: path_text.value.clone(),
            path,
            low: low.value,
            high: high.value,
            source: source?,
            confidence,
        })
    }
}
