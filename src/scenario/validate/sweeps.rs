//! `[[sweeps]]`: sweeps that `accord report` runs, each axis checked by the rules of
//! `accord sweep --vary` (`sweep::design::Axis::parse`, `Design::new` and `Design::check`).

use super::*;
use crate::model::SweepPlan;
use crate::scenario::schema::RawSweep;
use crate::sweep::{Axis, Design, DesignKind, SweepError};

/// The most runs (points times replicates) a sweep in a scenario may ask for: reports run
/// them all, and stay quick.
pub const MAX_REPORT_SWEEP_RUNS: u64 = 5_000;

/// The most replicates a sweep in a scenario may ask for.
const MAX_REPLICATES: i64 = 1_000;

impl Validator<'_> {
    /// Checks the sweeps against `scenario` (`None` when something else is broken: then only
    /// what needs no scenario is checked).
    pub(super) fn sweeps(
        &mut self,
        raw: &[Spanned<RawSweep>],
        scenario: Option<&Scenario>,
    ) -> Option<Vec<SweepPlan>> {
        let mut out = Vec::new();
        let mut ok = true;
        for (idx, entry) in raw.iter().enumerate() {
            let prefix = format!("sweeps[{idx}].");
            match self.sweep(&entry.value, &entry.span, &prefix, scenario) {
                Some(plan) => out.push(plan),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn sweep(
        &mut self,
        w: &RawSweep,
        span: &Range<usize>,
        prefix: &str,
        scenario: Option<&Scenario>,
    ) -> Option<SweepPlan> {
        let mut ok = true;
        let mut text = |field: &Option<Spanned<String>>, name: &str, v: &mut Self| match field {
            Some(s) if s.value.trim().is_empty() => {
                v.error(
                    s.span.clone(),
                    format!("{prefix}{name}: must not be empty"),
                    &format!("write the {name}, or leave `{name}` out"),
                );
                ok = false;
                None
            }
            Some(s) => Some(s.value.trim().to_string()),
            None => None,
        };
        let name = text(&w.name, "name", self);
        let question = text(&w.question, "question", self);
        let replicates = match &w.replicates {
            None => 1,
            Some(r) if (1..=MAX_REPLICATES).contains(&r.value) => r.value as u64,
            Some(r) => {
                self.error(
                    r.span.clone(),
                    format!(
                        "{prefix}replicates: expected a whole number from 1 to \
                         {MAX_REPLICATES}, got {}",
                        r.value
                    ),
                    "replicates are runs per point: more than 1 only matters where the \
                     scenario has randomness (scenario.breakdown_risk above 0)",
                );
                ok = false;
                1
            }
        };
        let Some(vary) = &w.vary else {
            self.missing(
                span.clone(),
                format!("{prefix}vary"),
                "add `vary = [\"parties.<id>.reservation=0.2..0.6:9\"]`: the axes, as \
                 `accord sweep --vary` takes them",
            );
            return None;
        };
        if vary.value.is_empty() {
            self.error(
                vary.span.clone(),
                format!("{prefix}vary: no axes"),
                "give at least one axis, for example \"parties.<id>.reservation=0.2..0.6:9\"",
            );
            return None;
        }
        let scenario = scenario?;
        let mut axes = Vec::new();
        for (j, item) in vary.value.iter().enumerate() {
            match Axis::parse(&item.value, scenario) {
                Ok(axis) => axes.push(axis),
                Err(SweepError::Axis { problem, help, .. }) => {
                    self.error(item.span.clone(), format!("{prefix}vary[{j}]: {problem}"), &help);
                    ok = false;
                }
                Err(e) => {
                    self.error(item.span.clone(), format!("{prefix}vary[{j}]: {e}"), "");
                    ok = false;
                }
            }
        }
        if !ok {
            return None;
        }
        let design = match Design::new(DesignKind::Grid, axes, None, scenario.seed()) {
            Ok(design) => design,
            Err(e) => {
                let (problem, help) = problem_and_help(e);
                self.error(vary.span.clone(), format!("{prefix}vary: {problem}"), &help);
                return None;
            }
        };
        let runs = design.points().saturating_mul(replicates);
        if runs > MAX_REPORT_SWEEP_RUNS {
            self.error(
                vary.span.clone(),
                format!(
                    "{prefix}vary: {runs} runs ({} points x {replicates} replicates); a report \
                     runs at most {MAX_REPORT_SWEEP_RUNS}",
                    design.points()
                ),
                "use fewer values or replicates here, and `accord sweep` for larger studies",
            );
            return None;
        }
        if let Err(e) = design.check(scenario) {
            let (problem, help) = problem_and_help(e);
            self.error(vary.span.clone(), format!("{prefix}vary: {problem}"), &help);
            return None;
        }
        let vary = vary.value.iter().map(|v| v.value.trim().to_string()).collect();
        Some(SweepPlan { name, question, vary, replicates })
    }
}

/// A sweep error's problem and help, apart.
fn problem_and_help(e: SweepError) -> (String, String) {
    match e {
        SweepError::Axis { arg, problem, help } => (format!("`{arg}`: {problem}"), help),
        SweepError::Usage { problem, help } => (problem, help),
        other => (other.to_string(), String::new()),
    }
}
