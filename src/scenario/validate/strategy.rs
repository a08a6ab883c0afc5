//! `strategy = { kind = ..., ... }`: the kind and the parameters it takes.

use super::*;

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
                &format!("kinds are {}", quoted(STRATEGY_KINDS)),
            );
            return None;
        };
        let allowed: &[&str] = match kind.value.as_str() {
            "boulware" | "conceder" | "time_dependent" => &["exponent"],
            "tit_for_tat" => &["factor", "initial_concession"],
            "scripted" => &["offers"],
            "linear" | "hardliner" | "zeuthen" | "rubinstein" => &[],
            other => {
                let hint = match did_you_mean(other, STRATEGY_KINDS) {
                    Some(best) => format!("did you mean `{best}`? "),
                    None => String::new(),
                };
                self.error(
                    kind.span.clone(),
                    format!("{path}.kind: unknown strategy `{other}`"),
                    &format!("{hint}kinds are {}", quoted(STRATEGY_KINDS)),
                );
                return None;
            }
        };
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
                    format!("takes {}", quoted(allowed))
                };
                let help = if kind.value == "linear" && name == "exponent" {
                    "linear is exponent 1; use kind = \"time_dependent\" for another exponent"
                } else {
                    ""
                };
                self.error(span, format!("{path}.{name}: `{}` {takes}", kind.value), help);
                ok = false;
            }
        }
        // A parameter of this kind: default if absent (`None`: required), valid range.
        let mut param = |field: &Option<Spanned<f64>>,
                         name: &str,
                         default: Option<f64>,
                         valid: fn(f64) -> bool,
                         range: &str| {
            let expected = format!("{range} for `{}`", kind.value);
            let missing_help = format!("`{}` needs {name} {range}", kind.value);
            self.number(
                field.as_ref(),
                format!("{path}.{name}"),
                Rule {
                    valid,
                    expected: &expected,
                    default,
                    help: "",
                    missing: (raw.span.clone(), &missing_help),
                },
            )
        };
        let spec = match kind.value.as_str() {
            "boulware" => {
                param(&s.exponent, "exponent", Some(0.2), |e| e > 0.0 && e < 1.0, "in (0, 1)").map(
                    |exponent| StrategySpec::TimeDependent {
                        exponent,
                        family: TimeDependentFamily::Boulware,
                    },
                )
            }
            "linear" => Some(StrategySpec::TimeDependent {
                exponent: 1.0,
                family: TimeDependentFamily::Linear,
            }),
            "conceder" => {
                param(&s.exponent, "exponent", Some(2.0), |e| e > 1.0 && e.is_finite(), "> 1").map(
                    |exponent| StrategySpec::TimeDependent {
                        exponent,
                        family: TimeDependentFamily::Conceder,
                    },
                )
            }
            "time_dependent" => {
                param(&s.exponent, "exponent", None, |e| e > 0.0, "> 0").map(|exponent| {
                    StrategySpec::TimeDependent {
                        exponent,
                        family: TimeDependentFamily::TimeDependent,
                    }
                })
            }
            "hardliner" => Some(StrategySpec::Hardliner),
            "zeuthen" => Some(StrategySpec::Zeuthen),
            "rubinstein" => {
                if n_parties != 2 {
                    self.error(
                        kind.span.clone(),
                        format!("{path}.kind: `rubinstein` needs exactly two parties, the scenario has {n_parties}"),
                        "the Rubinstein equilibrium is defined for bilateral bargaining; pick another strategy",
                    );
                    None
                } else {
                    Some(StrategySpec::Rubinstein)
                }
            }
            "tit_for_tat" => {
                let factor = param(&s.factor, "factor", Some(1.0), |f| f > 0.0, "> 0");
                let initial = param(
                    &s.initial_concession,
                    "initial_concession",
                    Some(0.05),
                    |c| (0.0..1.0).contains(&c),
                    "in [0, 1)",
                );
                match (factor, initial) {
                    (Some(factor), Some(initial_concession)) => {
                        Some(StrategySpec::TitForTat { factor, initial_concession })
                    }
                    _ => None,
                }
            }
            "scripted" => self.scripted(s.offers.as_ref(), &path, &raw.span, issues),
            _ => unreachable!("kinds were matched above"),
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
