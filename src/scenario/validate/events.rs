//! `[[events]]` and `[observed]`.

use super::*;

impl Validator<'_> {
    pub(super) fn events(
        &mut self,
        raw: &[Spanned<RawEvent>],
        raw_parties: &[Spanned<RawParty>],
        issues: &IssueTable,
        max_rounds: u32,
        base: Option<&Scenario>,
    ) -> Option<Vec<Event>> {
        let party_ids: Vec<&str> = raw_parties
            .iter()
            .map(|p| p.value.id.as_ref().map_or("", |i| i.value.as_str()))
            .collect();
        let kinds: Vec<&str> = raw_parties
            .iter()
            .map(|p| {
                p.value
                    .strategy
                    .as_ref()
                    .and_then(|s| s.value.kind.as_ref())
                    .map_or("", |k| k.value.as_str())
            })
            .collect();
        let names = PathNames { parties: party_ids, issues: issues.known_ids(), strategies: kinds };
        // The parameters as the events leave them, in round order: each change is checked by
        // `Params::apply` against the scenario built so far (when the rest of it is valid).
        let mut params = base.map(Scenario::params);
        let mut events = Vec::new();
        let mut ok = true;
        let mut indexed: Vec<(usize, &Spanned<RawEvent>)> = raw.iter().enumerate().collect();
        indexed.sort_by_key(|(idx, e)| (e.value.round.as_ref().map_or(0, |r| r.value), *idx));
        for (idx, event) in indexed {
            let path = format!("events[{idx}].");
            let e = &event.value;
            let round = match &e.round {
                Some(r) if r.value < 0 => {
                    self.error(
                        r.span.clone(),
                        format!("{path}round: must be >= 0, got {}", r.value),
                        "rounds count from 0",
                    );
                    None
                }
                Some(r) => {
                    if r.value >= i64::from(max_rounds) {
                        self.warning(
                            r.span.clone(),
                            format!("{path}round: round {} is at or past the deadline ({max_rounds} rounds); the event never happens", r.value),
                            "rounds count from 0, so the last round is max_rounds - 1",
                        );
                    }
                    Some(r.value.min(i64::from(u32::MAX)) as u32)
                }
                None => {
                    self.missing(
                        event.span.clone(),
                        format!("{path}round"),
                        "add `round = N` (0-based)",
                    );
                    None
                }
            };
            let description = match &e.description {
                Some(d) => Some(d.value.clone()),
                None => {
                    self.missing(
                        event.span.clone(),
                        format!("{path}description"),
                        "say what happened",
                    );
                    None
                }
            };
            let mut changes = Vec::new();
            if let Some(set) = &e.set {
                for (key, value) in &set.value {
                    let entry_path = format!("{path}set.\"{}\"", key.value);
                    match ParamPath::parse_with(&key.value, &names) {
                        Ok(param) => {
                            let number = ParamValue::Number(value.value);
                            let checked = match (base, params.as_mut()) {
                                (Some(base), Some(params)) => params
                                    .apply_one(base, &param, number)
                                    .map_err(|e| (e.problem.to_string(), e.help())),
                                // The rest of the scenario is broken (and reported): check
                                // the range alone.
                                _ => range_only(&param, value.value, &names),
                            };
                            if let Err((msg, help)) = checked {
                                self.error(
                                    value.span.clone(),
                                    format!("{entry_path}: {msg}"),
                                    &help,
                                );
                                ok = false;
                                continue;
                            }
                            changes.push((param, number));
                        }
                        Err(msg) => {
                            let paths = names.concrete_paths();
                            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                            let help = match self.suggest(&key.value, &paths) {
                                Some(best) => format!("did you mean `{best}`?"),
                                None => "a path is `parties.<id>.<field>` (reservation, \
                                         discount, weights.<issue>, strategy, \
                                         strategy.<parameter>) or `scenario.breakdown_risk`; \
                                         see docs/scenario.md"
                                    .into(),
                            };
                            self.error(key.span.clone(), format!("{entry_path}: {msg}"), &help);
                            ok = false;
                        }
                    }
                }
            }
            let ends_talks = e.ends_talks.as_ref().is_some_and(|b| b.value);
            if changes.is_empty() && !ends_talks && ok {
                self.error(
                    event.span.clone(),
                    format!("{path}set: the event changes nothing"),
                    "add `set = { \"parties.<id>.reservation\" = 0.4 }` or `ends_talks = true`",
                );
                ok = false;
            }
            match (round, description) {
                (Some(round), Some(description)) => {
                    events.push(Event { round, description, changes, ends_talks });
                }
                _ => ok = false,
            }
        }
        ok.then_some(events)
    }

    pub(super) fn observed(
        &mut self,
        raw: &Spanned<RawObserved>,
        issues: &IssueTable,
    ) -> Option<Observed> {
        let Some(terms) = &raw.value.terms else {
            self.missing(
                raw.span.clone(),
                "observed.terms".into(),
                "add `terms = { issue = value, ... }` with the real deal's terms",
            );
            return None;
        };
        let round = match &raw.value.round {
            Some(r) if r.value < 0 => {
                self.error(
                    r.span.clone(),
                    format!("observed.round: must be >= 0, got {}", r.value),
                    "rounds count from 0",
                );
                return None;
            }
            Some(r) => Some(r.value.min(i64::from(u32::MAX)) as u32),
            None => None,
        };
        let terms = self.terms(terms, "observed.terms", issues)?;
        let description =
            raw.value.description.as_ref().map(|d| d.value.clone()).unwrap_or_default();
        Some(Observed { terms, description, round })
    }
}

/// The range check of a change, for when the scenario is too broken to build its
/// parameters: the path's range (a strategy parameter's for the kind the file names).
fn range_only(param: &ParamPath, x: f64, names: &PathNames<'_>) -> Result<(), (String, String)> {
    let range = match param {
        ParamPath::StrategyParam(p, name) => StrategyKind::named(names.strategies[*p])
            .and_then(|k| k.param(name).map(|q| (format!("a {} {name}", k.name), q.bounds))),
        other => other.number_bounds(),
    };
    match range {
        Some((what, bounds)) if !bounds.contains(x) => Err((
            ParamProblem::OutOfRange { what, bounds, value: x }.to_string(),
            "a value must lie in the same range as the field itself (see docs/scenario.md)".into(),
        )),
        _ => Ok(()),
    }
}
