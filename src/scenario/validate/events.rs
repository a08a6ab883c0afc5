//! `[[events]]` and `[observed]`.

use std::collections::BTreeMap;

use super::*;

impl Validator<'_> {
    pub(super) fn events(
        &mut self,
        raw: &[Spanned<RawEvent>],
        raw_parties: &[Spanned<RawParty>],
        issues: &IssueTable,
        max_rounds: u32,
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
        // Raw weights per party, to check that no event leaves a party with all-zero weights.
        let mut weights: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        for (p, party) in raw_parties.iter().enumerate() {
            if let Some(w) = &party.value.weights {
                let mut row = vec![0.0; issues.ids.len()];
                for (key, value) in &w.value {
                    if let Some(i) = issues.index(&key.value) {
                        row[i] = value.value;
                    }
                }
                weights.insert(p, row);
            }
        }
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
                            if let Err(msg) = param.check(value.value) {
                                self.error(value.span.clone(), format!("{entry_path}: {msg}"), "");
                                ok = false;
                                continue;
                            }
                            if let ParamPath::Weight(p, i) = param
                                && value.value > 0.0
                                && !has_valuation(&raw_parties[p].value, &issues.ids[i])
                            {
                                self.error(
                                    value.span.clone(),
                                    format!(
                                        "{entry_path}: gives weight to `{}`, for which `{}` has no \
                                         ideal or value",
                                        issues.ids[i], names.parties[p]
                                    ),
                                    &format!(
                                        "add `{}` to the party's `ideal` (or a `value.{}` table)",
                                        issues.ids[i], issues.ids[i]
                                    ),
                                );
                                ok = false;
                                continue;
                            }
                            if let ParamPath::Weight(p, i) = param
                                && let Some(row) = weights.get_mut(&p)
                            {
                                row[i] = value.value;
                                if row.iter().sum::<f64>() <= 0.0 {
                                    self.error(
                                        value.span.clone(),
                                        format!(
                                            "{entry_path}: leaves every weight of `{}` at 0",
                                            names.parties[p]
                                        ),
                                        "at least one issue must still matter to the party",
                                    );
                                    ok = false;
                                }
                            }
                            changes.push((param, value.value));
                        }
                        Err(msg) => {
                            let paths = names.concrete_paths();
                            let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
                            let help = did_you_mean(&key.value, &paths)
                                .map(|best| format!("did you mean `{best}`?"))
                                .unwrap_or_default();
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

/// Whether the party's file entry gives `issue` an ideal or a value table.
fn has_valuation(party: &RawParty, issue: &str) -> bool {
    let in_ideal =
        party.ideal.as_ref().is_some_and(|i| i.value.iter().any(|(k, _)| k.value == issue));
    let in_value =
        party.value.as_ref().is_some_and(|v| v.value.iter().any(|(k, _)| k.value == issue));
    in_ideal || in_value
}
