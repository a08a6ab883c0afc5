//! `[[parties]]`: reservation, discount, weights, ideals and value functions.

use super::*;

/// The smallest weight sum accepted: weights are divided by it, which must stay exact.
const MIN_WEIGHT_SUM: f64 = 1e-290;

impl Validator<'_> {
    pub(super) fn parties(
        &mut self,
        raw: &[Spanned<RawParty>],
        issues: &IssueTable,
    ) -> Vec<Option<Party>> {
        if raw.len() < 2 {
            let span = raw.first().map_or(0..0, |p| p.span.clone());
            self.error(
                span,
                format!("parties: need at least two [[parties]], got {}", raw.len()),
                "a negotiation needs two or more parties",
            );
        }
        let mut ids: Vec<String> = Vec::new();
        let mut out = Vec::new();
        for (idx, party) in raw.iter().enumerate() {
            let path = format!("parties[{idx}].");
            let id = self.id(party.value.id.as_ref(), &path, &party.span);
            if let Some(id) = &id
                && ids.contains(id)
            {
                self.error(
                    party.value.id.as_ref().map_or(party.span.clone(), |i| i.span.clone()),
                    format!("{path}id: duplicate party id `{id}`"),
                    "every party needs its own id",
                );
            }
            ids.push(id.clone().unwrap_or_default());
            out.push(self.party(party, &path, id, issues, raw.len()));
        }
        out
    }

    pub(super) fn party(
        &mut self,
        party: &Spanned<RawParty>,
        path: &str,
        id: Option<String>,
        issues: &IssueTable,
        n_parties: usize,
    ) -> Option<Party> {
        let r = &party.value;
        let reservation = self.number(
            r.reservation.as_ref(),
            format!("{path}reservation"),
            Rule {
                valid: &|res| (0.0..=1.0).contains(&res),
                expected: "in [0, 1]",
                default: None,
                help: "the reservation is the utility of walking away, on the same 0..1 scale as deals",
                missing: (party.span.clone(), "add `reservation = 0.3` (the utility of walking away, 0..1)"),
            },
        );
        let discount = self.number(
            r.discount.as_ref(),
            format!("{path}discount"),
            Rule {
                valid: &|d| d > 0.0 && d <= 1.0,
                expected: "in (0, 1]",
                default: Some(1.0),
                help: "1 means no cost of delay; 0.99 means a deal loses 1% of its worth per round",
                missing: (party.span.clone(), ""),
            },
        );
        let weights = self.weights(r.weights.as_ref(), path, &party.span, issues);
        let values = self.values(r, path, &party.span, issues, weights.as_deref());
        let strategy = self.strategy(r.strategy.as_ref(), path, &party.span, issues, n_parties);
        let name = r.name.as_ref().map(|n| n.value.clone()).or_else(|| id.clone());
        let (values, valued) = values?;
        let weights = weights?;
        Some(
            Party::new(
                id?,
                name?,
                reservation?,
                discount?,
                strategy?,
                weights.clone(),
                Preferences::new(&weights, values),
            )
            .valuing(valued),
        )
    }

    /// Entries keyed by issue id: reports unknown ids, returns `(issue index, entry)` pairs.
    pub(super) fn by_issue<'a, T>(
        &mut self,
        entries: &'a Entries<T>,
        path: &str,
        issues: &IssueTable,
    ) -> Vec<(usize, &'a Spanned<String>, &'a Spanned<T>)> {
        let mut out = Vec::new();
        for (key, value) in entries {
            match issues.index(&key.value) {
                Some(i) => out.push((i, key, value)),
                None => {
                    let known = issues.known_ids();
                    let list = quoted(&known);
                    let help = match self.suggest(&key.value, &known) {
                        Some(best) => format!("did you mean `{best}`? issues are {list}"),
                        None => format!("issues are {list}"),
                    };
                    self.error(
                        key.span.clone(),
                        format!("{path}.{}: unknown issue `{}`", key.value, key.value),
                        &help,
                    );
                }
            }
        }
        out
    }

    pub(super) fn weights(
        &mut self,
        raw: Option<&Spanned<Entries<f64>>>,
        path: &str,
        party_span: &Range<usize>,
        issues: &IssueTable,
    ) -> Option<Vec<f64>> {
        let Some(raw) = raw else {
            self.missing(
                party_span.clone(),
                format!("{path}weights"),
                "add `weights = { issue_id = 0.5, ... }` with one weight per issue",
            );
            return None;
        };
        let path = format!("{path}weights");
        let mut weights: Vec<Option<f64>> = vec![None; issues.ids.len()];
        let mut ok = true;
        for (i, key, value) in self.by_issue(&raw.value, &path, issues) {
            if value.value < 0.0 {
                self.error(
                    value.span.clone(),
                    format!("{path}.{}: must be >= 0, got {}", key.value, value.value),
                    "a weight says how much an issue matters; use 0 for an issue that does not",
                );
                ok = false;
            }
            weights[i] = Some(value.value);
        }
        let missing: Vec<&str> = issues
            .ids
            .iter()
            .zip(&weights)
            .filter(|(id, w)| w.is_none() && !id.is_empty())
            .map(|(id, _)| id.as_str())
            .collect();
        if !missing.is_empty() {
            self.error(
                raw.span.clone(),
                format!("{path}: no weight for {}", quoted(&missing)),
                "give every issue a weight; write `issue = 0.0` for one this party does not care about",
            );
            return None;
        }
        let weights: Vec<f64> = weights.into_iter().map(|w| w.unwrap_or(0.0)).collect();
        let total: f64 = weights.iter().sum();
        if ok && total <= 0.0 {
            self.error(
                raw.span.clone(),
                format!("{path}: weights sum to 0"),
                "at least one issue must matter to the party",
            );
            ok = false;
        } else if ok && !total.is_finite() {
            self.error(
                raw.span.clone(),
                format!("{path}: weights sum past the largest number (about 1.8e308)"),
                "only their ratios matter: scale them down, say to sum to 1",
            );
            ok = false;
        } else if ok && total < MIN_WEIGHT_SUM {
            self.error(
                raw.span.clone(),
                format!("{path}: weights sum to {}, too little to normalize", number(total)),
                "at least one issue must matter to the party; only the weights' ratios matter, \
                 so scale them up, say to sum to 1",
            );
            ok = false;
        } else if ok && (total - 1.0).abs() > 1e-9 {
            self.warning(
                raw.span.clone(),
                format!("{path}: weights sum to {}, not 1; they are normalized", round6(total)),
                "scale them to sum to 1 to silence this warning",
            );
        }
        ok.then_some(weights)
    }

    pub(super) fn values(
        &mut self,
        r: &RawParty,
        path: &str,
        party_span: &Range<usize>,
        issues: &IssueTable,
        weights: Option<&[f64]>,
    ) -> Option<(Vec<ValueFn>, Vec<bool>)> {
        let mut values: Vec<Option<ValueFn>> = vec![None; issues.ids.len()];
        let mut ideals: Vec<Option<(f64, Range<usize>)>> = vec![None; issues.ids.len()];
        let mut ok = true;
        if let Some(ideal) = &r.ideal {
            let ideal_path = format!("{path}ideal");
            for (i, key, term) in self.by_issue(&ideal.value, &ideal_path, issues) {
                let Some(issue) = &issues.issues[i] else { continue };
                match self.term(issue, term, &format!("{ideal_path}.{}", key.value)) {
                    Some(x) => ideals[i] = Some((x, term.span.clone())),
                    None => ok = false,
                }
            }
        }
        if let Some(value) = &r.value {
            let value_path = format!("{path}value");
            for (i, key, raw_fn) in self.by_issue(&value.value, &value_path, issues) {
                let Some(issue) = &issues.issues[i] else { continue };
                match self.value_fn(issue, raw_fn, &format!("{value_path}.{}", key.value)) {
                    Some(f) => values[i] = Some(f),
                    None => ok = false,
                }
            }
        }
        let mut missing = Vec::new();
        let mut unvalued = Vec::new();
        for (i, issue) in issues.issues.iter().enumerate() {
            let Some(issue) = issue else {
                ok = false;
                continue;
            };
            match (&values[i], &ideals[i]) {
                (Some(f), Some((x, span))) => {
                    if f.value(*x) < f.max_value() {
                        self.warning(
                            span.clone(),
                            format!(
                                "{path}ideal.{}: the ideal {} is not where value.{} peaks; value wins",
                                issue.id(),
                                issue.format_value(*x),
                                issue.id()
                            ),
                            "drop the ideal for this issue, or make the value table peak there",
                        );
                    }
                }
                (Some(_), None) => {}
                (None, Some((x, _))) => {
                    values[i] = Some(match issue.kind() {
                        IssueKind::Continuous { min, max, .. } => ValueFn::tent(*min, *max, *x),
                        IssueKind::Ordinal { levels } => {
                            ValueFn::tent_levels(levels.len(), *x as usize)
                        }
                    });
                }
                // An issue that does not matter to the party needs no ideal: the party values
                // it at 0 everywhere (`Party::values_issue` is false, so no event or sweep may
                // give it weight: `Params::apply`).
                (None, None) if weights.is_some_and(|w| w[i] == 0.0) => {
                    values[i] = Some(ValueFn::zero(issue));
                    unvalued.push(i);
                }
                (None, None) => missing.push(issue.id()),
            }
        }
        if !missing.is_empty() && ok {
            let span = r.ideal.as_ref().map_or(party_span.clone(), |i| i.span.clone());
            self.error(
                span,
                format!("{path}ideal: no ideal for {}", quoted(&missing)),
                "give each issue an ideal (`ideal = { issue = value }`) or a value table \
                 (`value.issue = ...`)",
            );
            return None;
        }
        if !ok {
            return None;
        }
        let values = values.into_iter().collect::<Option<Vec<_>>>()?;
        let mut valued = vec![true; values.len()];
        for i in unvalued {
            valued[i] = false;
        }
        Some((values, valued))
    }
}
