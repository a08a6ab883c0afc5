//! `strategy = { kind = ..., ... }`: the kind and the parameters it takes.

use super::*;
use crate::model::kinds::{kind_names, number_word};

impl Validator<'_> {
    pub(super) fn strategy(
        &mut self,
        raw: Option<&Spanned<RawStrategy>>,
        path: &str,
        party_span: &Range<usize>,
        issues: &IssueTable,
        n_parties: usize,
    ) -> Option<StrategySpec> {
        let Some(raw) = raw else {
            self.missing(
                party_span.clone(),
                format!("{path}strategy"),
                "add e.g. `strategy = { kind = \"boulware\", exponent = 0.2 }`",
            );
            return None;
        };
        let s = &raw.value;
        let path = format!("{path}strategy");
        let Some(kind) = &s.kind else {
            self.missing(
                raw.span.clone(),
                format!("{path}.kind"),
                &format!("kinds are {}", quoted(&kind_names())),
            );
            return None;
        };
        let Some(entry) = StrategyKind::named(&kind.value) else {
            let names = kind_names();
            let hint = match did_you_mean(&kind.value, &names) {
                Some(best) => format!("did you mean `{best}`? "),
                None => String::new(),
            };
            self.error(
                kind.span.clone(),
                format!("{path}.kind: unknown strategy `{}`", kind.value),
                &format!("{hint}kinds are {}", quoted(&names)),
            );
            return None;
        };
        let mut allowed: Vec<&str> = entry.params.iter().map(|p| p.name).collect();
        if entry.takes_offers {
            allowed.push("offers");
        }
        let mut ok = true;
        let given = [
            ("exponent", s.exponent.as_ref().map(|x| x.span.clone())),
            ("factor", s.factor.as_ref().map(|x| x.span.clone())),
            ("initial_concession", s.initial_concession.as_ref().map(|x| x.span.clone())),
            ("offers", s.offers.as_ref().map(|x| x.span.clone())),
        ];
        for (name, span) in given {
            if let Some(span) = span
                && !allowed.contains(&name)
            {
                let takes = if allowed.is_empty() {
                    "takes no parameters".to_string()
                } else {
                    format!("takes {}", quoted(&allowed))
                };
                let help = if kind.value == "linear" && name == "exponent" {
                    "linear is exponent 1; use kind = \"time_dependent\" for another exponent"
                        .to_string()
                } else {
                    format!("remove `{name}`, or choose a kind that takes it (docs/scenario.md)")
                };
                self.error(span, format!("{path}.{name}: `{}` {takes}", kind.value), &help);
                ok = false;
            }
        }
        if let Some(needs) = entry.parties
            && needs != n_parties
        {
            self.error(
                kind.span.clone(),
                format!(
                    "{path}.kind: `{}` needs exactly {} parties, the scenario has {n_parties}",
                    kind.value,
                    number_word(needs)
                ),
                "the Rubinstein equilibrium is defined for bilateral bargaining; pick another strategy",
            );
            ok = false;
        }
        // Each numeric parameter of the kind: its default if absent (none: required), its range.
        let mut values = Vec::new();
        for param in entry.params {
            let field = match param.name {
                "exponent" => &s.exponent,
                "factor" => &s.factor,
                "initial_concession" => &s.initial_concession,
                other => unreachable!("no file field for strategy parameter `{other}`"),
            };
            let bounds = param.bounds;
            let expected = format!("{bounds} for `{}`", kind.value);
            let missing_help = format!("`{}` needs {} {bounds}", kind.value, param.name);
            let help = match param.default {
                Some(default) => format!(
                    "`{}` takes {} {bounds}; leave it out for the default {default}",
                    kind.value, param.name
                ),
                None => format!("`{}` takes {} {bounds}", kind.value, param.name),
            };
            values.push(self.number(
                field.as_ref(),
                format!("{path}.{}", param.name),
                Rule {
                    valid: &|x| bounds.contains(x),
                    expected: &expected,
                    default: param.default,
                    help: &help,
                    missing: (raw.span.clone(), &missing_help),
                },
            ));
        }
        let values: Option<Vec<f64>> = values.into_iter().collect();
        let spec = if entry.takes_offers {
            self.scripted(s.offers.as_ref(), &path, &raw.span, issues)
        } else {
            values.and_then(|v| (entry.build)(&v))
        };
        if ok { spec } else { None }
    }

    pub(super) fn scripted(
        &mut self,
        offers: Option<&Spanned<Vec<Spanned<Entries<RawTerm>>>>>,
        path: &str,
        span: &Range<usize>,
        issues: &IssueTable,
    ) -> Option<StrategySpec> {
        let Some(offers) = offers.filter(|o| !o.value.is_empty()) else {
            self.error(
                offers.map_or(span.clone(), |o| o.span.clone()),
                format!("{path}.offers: `scripted` needs at least one offer"),
                "add `offers = [{ issue = value, ... }, ...]`, one full offer per turn",
            );
            return None;
        };
        let mut out = Vec::new();
        for (idx, offer) in offers.value.iter().enumerate() {
            out.push(self.terms(offer, &format!("{path}.offers[{idx}]"), issues));
        }
        let offers: Vec<Outcome> = out.into_iter().collect::<Option<_>>()?;
        Some(StrategySpec::Scripted { offers })
    }
}
