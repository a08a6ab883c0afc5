//! `[[issues]]`: ids, ranges and levels.

use super::*;
use crate::model::{Grid, MAX_GRID_VALUES, format_number};

/// The narrowest range accepted, absolutely: offers are `min + t * (max - min)` for shares
/// `t` down to about 2^-52, which must stay normal numbers (no subnormal rounding).
const MIN_WIDTH: f64 = 1e-290;
/// The narrowest range accepted, relative to its values: a billionth, so that about 2^30
/// values lie between its ends (a range a few floating-point steps wide rounds every offer
/// to an end, and a party's offer can be worth less to it than its reservation).
const RELATIVE_WIDTH: f64 = 1e-9;

impl Validator<'_> {
    pub(super) fn issues(&mut self, raw: &[Spanned<RawIssue>]) -> IssueTable {
        if raw.is_empty() {
            self.error(
                0..0,
                "issues: no [[issues]] given".into(),
                "add at least one [[issues]] table",
            );
        }
        let mut table =
            IssueTable { issues: Vec::new(), ids: Vec::new(), positions: Default::default() };
        for (idx, issue) in raw.iter().enumerate() {
            let path = format!("issues[{idx}].");
            let r = &issue.value;
            let id = self.id(r.id.as_ref(), &path, &issue.span);
            if let Some(id) = &id
                && table.positions.contains_key(id)
            {
                self.error(
                    r.id.as_ref().map_or(issue.span.clone(), |i| i.span.clone()),
                    format!("{path}id: duplicate issue id `{id}`"),
                    "every issue needs its own id",
                );
            }
            let kind = self.issue_kind(r, &path, &issue.span);
            let grid = match (&r.step, &kind) {
                (Some(step), Some(kind)) => match self.grid(step, kind, &path) {
                    Some(grid) => Some(grid),
                    None => {
                        table.issues.push(None);
                        table.ids.push(id.unwrap_or_default());
                        continue;
                    }
                },
                _ => None,
            };
            match (&id, kind) {
                (Some(id), Some(kind)) => {
                    let label = r.label.as_ref().map_or_else(|| id.clone(), |l| l.value.clone());
                    table.issues.push(Some(match grid {
                        Some((grid, n)) => Issue::stepped(id.clone(), label, grid, n),
                        None => Issue::new(id.clone(), label, kind),
                    }));
                }
                _ => table.issues.push(None),
            }
            if let Some(id) = &id {
                table.positions.entry(id.clone()).or_insert(idx);
            }
            table.ids.push(id.unwrap_or_default());
        }
        table
    }

    /// The grid of a `step` on a range issue and its number of values, or the problem.
    fn grid(&mut self, step: &Spanned<f64>, kind: &IssueKind, path: &str) -> Option<(Grid, usize)> {
        let IssueKind::Continuous { min, max, unit } = kind else {
            self.error(
                step.span.clone(),
                format!("{path}step: only a range issue has a step"),
                "remove `step`, or use `range = [min, max]` instead of `levels`",
            );
            return None;
        };
        let s = step.value;
        if !(s > 0.0 && s.is_finite()) {
            self.error(
                step.span.clone(),
                format!("{path}step: must be a number > 0, got {s}"),
                "for example `step = 10` for the values min, min + 10, ..., max",
            );
            return None;
        }
        let n_steps = (max - min) / s;
        let whole = n_steps.round();
        if (n_steps - whole).abs() > 1e-9 * n_steps.max(1.0) || whole < 1.0 {
            let (below, above) = (min + n_steps.floor() * s, min + n_steps.ceil() * s);
            let fix = if n_steps < 1.0 {
                format!("the step is wider than the range; make it at most {}", max - min)
            } else {
                format!(
                    "make the range end at {} or {}, or choose a step that divides {}",
                    format_number(below, 9),
                    format_number(above, 9),
                    format_number(max - min, 9)
                )
            };
            self.error(
                step.span.clone(),
                format!(
                    "{path}step: the range [{min}, {max}] is not a whole number of steps of {s} \
                     ({} steps)",
                    format_number(n_steps, 3)
                ),
                &fix,
            );
            return None;
        }
        let n_values = whole as usize + 1;
        if n_values > MAX_GRID_VALUES {
            self.error(
                step.span.clone(),
                format!(
                    "{path}step: {n_values} values; a stepped issue has at most {MAX_GRID_VALUES}"
                ),
                "use a coarser step, or drop `step` for a continuous issue",
            );
            return None;
        }
        Some((Grid { min: *min, step: s, unit: unit.clone() }, n_values))
    }

    pub(super) fn issue_kind(
        &mut self,
        r: &RawIssue,
        path: &str,
        span: &Range<usize>,
    ) -> Option<IssueKind> {
        match (&r.range, &r.levels) {
            (Some(_), Some(levels)) => {
                self.error(
                    levels.span.clone(),
                    format!("{path}levels: an issue has either `range` or `levels`, not both"),
                    "use `range = [min, max]` for a quantity, `levels = [...]` for ordered options",
                );
                None
            }
            (None, None) => {
                self.error(
                    span.clone(),
                    format!("{path}range: missing `range` or `levels`"),
                    "add `range = [0.0, 100.0]` for a quantity or `levels = [\"low\", \"high\"]` \
                     for ordered options",
                );
                None
            }
            (Some(range), None) => {
                let values: Vec<f64> = range.value.iter().map(|v| v.value).collect();
                if values.len() != 2 || values[0] >= values[1] {
                    self.error(
                        range.span.clone(),
                        format!("{path}range: must be [min, max] with min < max"),
                        "for example `range = [0.0, 100.0]`",
                    );
                    return None;
                }
                if !(values[1] - values[0]).is_finite() {
                    self.error(
                        range.span.clone(),
                        format!("{path}range: the range is too wide to compute with"),
                        "use a unit that keeps the numbers below about 1e300 (say $bn, not $)",
                    );
                    return None;
                }
                let (min, max) = (values[0], values[1]);
                if max - min < MIN_WIDTH || max - min < RELATIVE_WIDTH * min.abs().max(max.abs()) {
                    self.error(
                        range.span.clone(),
                        format!(
                            "{path}range: [{}, {}] is too narrow to compute with: floating \
                             point holds only a few values between its ends",
                            number(min),
                            number(max)
                        ),
                        "make the width at least a billionth of the values (and above 1e-290): \
                         change the unit (say % instead of a fraction, or an offset from a base \
                         value), or drop an issue that cannot vary",
                    );
                    return None;
                }
                let unit = r.unit.as_ref().map(|u| u.value.clone()).unwrap_or_default();
                Some(IssueKind::Continuous { min, max, unit })
            }
            (None, Some(levels)) => {
                if let Some(unit) = &r.unit {
                    self.error(
                        unit.span.clone(),
                        format!("{path}unit: only continuous issues (with `range`) have a unit"),
                        "remove `unit`",
                    );
                }
                let mut names: Vec<String> = Vec::new();
                let mut ok = true;
                for level in &levels.value {
                    if level.value.is_empty() || names.contains(&level.value) {
                        self.error(
                            level.span.clone(),
                            format!(
                                "{path}levels: level names must be non-empty and unique, got `{}`",
                                level.value
                            ),
                            "give each level its own non-empty name, e.g. `levels = [\"none\", \"partial\", \"full\"]`",
                        );
                        ok = false;
                    }
                    names.push(level.value.clone());
                }
                if names.len() < 2 {
                    self.error(
                        levels.span.clone(),
                        format!("{path}levels: need at least two levels, got {}", names.len()),
                        "an issue with one level is not negotiable; remove it",
                    );
                    ok = false;
                }
                ok.then_some(IssueKind::Ordinal { levels: names })
            }
        }
    }
}
