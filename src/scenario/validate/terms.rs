//! Terms (numbers or level names) and explicit value functions, checked against an issue.

use super::*;

impl Validator<'_> {
    /// Converts a term (number or level name) for `issue`, reporting problems at `path`.
    pub(super) fn term(
        &mut self,
        issue: &Issue,
        term: &Spanned<RawTerm>,
        path: &str,
    ) -> Option<f64> {
        match (issue.kind(), &term.value) {
            (IssueKind::Continuous { min, max, .. }, RawTerm::Number(x)) => {
                if x < min || x > max {
                    self.error(
                        term.span.clone(),
                        format!(
                            "{path}: {} is outside the range [{min}, {max}] of `{}`",
                            number(*x),
                            issue.id()
                        ),
                        &format!(
                            "give a value within [{min}, {max}], or widen the issue's `range`"
                        ),
                    );
                    return None;
                }
                Some(*x)
            }
            (IssueKind::Ordinal { levels }, RawTerm::Level(name)) => {
                match levels.iter().position(|l| l == name) {
                    Some(idx) => Some(idx as f64),
                    None => {
                        let known: Vec<&str> = levels.iter().map(String::as_str).collect();
                        let hint = match did_you_mean(name, &known) {
                            Some(best) => format!("did you mean `{best}`? "),
                            None => String::new(),
                        };
                        self.error(
                            term.span.clone(),
                            format!("{path}: `{name}` is not a level of `{}`", issue.id()),
                            &format!("{hint}levels are {}", quoted(&known)),
                        );
                        None
                    }
                }
            }
            (IssueKind::Continuous { .. }, RawTerm::Level(name)) => {
                self.error(
                    term.span.clone(),
                    format!(
                        "{path}: `{}` is a continuous issue, expected a number, got \"{name}\"",
                        issue.id()
                    ),
                    "write a number within the issue's range, without quotes",
                );
                None
            }
            (IssueKind::Ordinal { levels }, RawTerm::Number(x)) if issue.grid().is_some() => {
                let grid = issue.grid()?;
                match grid.index_of(*x, levels.len()) {
                    Some(k) => Some(k as f64),
                    None => {
                        let (first, last) = (&levels[0], &levels[levels.len() - 1]);
                        self.error(
                            term.span.clone(),
                            format!(
                                "{path}: {x} is not a value of `{}`, which runs from {first} to \
                                 {last} in steps of {}",
                                issue.id(),
                                grid.step
                            ),
                            "write one of the grid values min, min + step, ..., max",
                        );
                        None
                    }
                }
            }
            (IssueKind::Ordinal { levels }, RawTerm::Number(x)) => {
                let known: Vec<&str> = levels.iter().map(String::as_str).collect();
                self.error(
                    term.span.clone(),
                    format!("{path}: `{}` has levels, expected a level name, got {x}", issue.id()),
                    &format!("levels are {}", quoted(&known)),
                );
                None
            }
        }
    }

    pub(super) fn value_fn(
        &mut self,
        issue: &Issue,
        raw: &Spanned<RawValue>,
        path: &str,
    ) -> Option<ValueFn> {
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        match (issue.kind(), &raw.value) {
            (IssueKind::Ordinal { levels }, RawValue::Levels(entries)) => {
                let mut values: Vec<Option<f64>> = vec![None; levels.len()];
                let mut ok = true;
                for (key, value) in entries {
                    let Some(idx) = levels.iter().position(|l| *l == key.value) else {
                        let known: Vec<&str> = levels.iter().map(String::as_str).collect();
                        self.error(
                            key.span.clone(),
                            format!(
                                "{path}.{}: `{}` is not a level of `{}`",
                                key.value,
                                key.value,
                                issue.id()
                            ),
                            &format!("levels are {}", quoted(&known)),
                        );
                        ok = false;
                        continue;
                    };
                    if !in_unit(value.value) {
                        self.error(
                            value.span.clone(),
                            format!(
                                "{path}.{}: values must be in [0, 1], got {}",
                                key.value,
                                number(value.value)
                            ),
                            "a value is the party's utility of the level on a 0-1 scale: 1 for its best, 0 for its worst",
                        );
                        ok = false;
                    }
                    values[idx] = Some(value.value);
                }
                let missing: Vec<&str> = levels
                    .iter()
                    .zip(&values)
                    .filter(|(_, v)| v.is_none())
                    .map(|(l, _)| l.as_str())
                    .collect();
                if !missing.is_empty() {
                    self.error(
                        raw.span.clone(),
                        format!("{path}: no value for level {}", quoted(&missing)),
                        "give every level a value in [0, 1]",
                    );
                    ok = false;
                }
                ok.then(|| ValueFn::Levels(values.into_iter().map(|v| v.unwrap_or(0.0)).collect()))
            }
            (IssueKind::Ordinal { levels }, RawValue::Points(points)) if issue.grid().is_some() => {
                let grid = issue.grid()?;
                let (min, max) = (grid.value(0), grid.value(levels.len() - 1));
                let points = self.points(points, min, max, raw, path)?;
                let f = ValueFn::Piecewise(points);
                Some(ValueFn::Levels((0..levels.len()).map(|k| f.value(grid.value(k))).collect()))
            }
            (IssueKind::Continuous { min, max, .. }, RawValue::Points(points)) => {
                self.points(points, *min, *max, raw, path).map(ValueFn::Piecewise)
            }
            (IssueKind::Ordinal { .. }, RawValue::Points(_)) => {
                self.error(
                    raw.span.clone(),
                    format!("{path}: `{}` has levels; give a table of level values", issue.id()),
                    "for example `{ none = 1.0, full = 0.0 }`",
                );
                None
            }
            (IssueKind::Continuous { .. }, RawValue::Levels(_)) => {
                self.error(
                    raw.span.clone(),
                    format!("{path}: `{}` is continuous; give [x, value] points", issue.id()),
                    "for example `[[0.0, 0.0], [100.0, 1.0]]`",
                );
                None
            }
        }
    }

    /// `[[x, value], ...]` points over `[min, max]`: at least two, `x` strictly increasing
    /// and in range, values in [0, 1].
    fn points(
        &mut self,
        points: &[Spanned<(f64, f64)>],
        min: f64,
        max: f64,
        raw: &Spanned<RawValue>,
        path: &str,
    ) -> Option<Vec<(f64, f64)>> {
        let in_unit = |x: f64| (0.0..=1.0).contains(&x);
        let mut ok = true;
        if points.len() < 2 {
            self.error(
                raw.span.clone(),
                format!("{path}: need at least two [x, value] points, got {}", points.len()),
                "for example `[[0.0, 0.0], [100.0, 1.0]]`",
            );
            return None;
        }
        for (idx, point) in points.iter().enumerate() {
            let (x, value) = point.value;
            if x < min || x > max {
                self.error(
                    point.span.clone(),
                    format!("{path}[{idx}]: x = {} is outside the range [{min}, {max}]", number(x)),
                    &format!(
                        "points are [x, value] with x within the issue's range [{min}, {max}]"
                    ),
                );
                ok = false;
            }
            if !in_unit(value) {
                self.error(
                    point.span.clone(),
                    format!("{path}[{idx}]: values must be in [0, 1], got {}", number(value)),
                    "points are [x, value] with value the party's utility at x, on a 0-1 scale",
                );
                ok = false;
            }
            if idx > 0 && x <= points[idx - 1].value.0 {
                self.error(
                    point.span.clone(),
                    format!("{path}[{idx}]: x values must strictly increase"),
                    "list the points from the low end of the range to the high end",
                );
                ok = false;
            }
        }
        ok.then(|| points.iter().map(|p| p.value).collect())
    }

    /// A full set of terms (one per issue).
    pub(super) fn terms(
        &mut self,
        raw: &Spanned<Entries<RawTerm>>,
        path: &str,
        issues: &IssueTable,
    ) -> Option<Outcome> {
        let mut values: Vec<Option<f64>> = vec![None; issues.ids.len()];
        let mut ok = true;
        for (i, key, term) in self.by_issue(&raw.value, path, issues) {
            let Some(issue) = &issues.issues[i] else { continue };
            match self.term(issue, term, &format!("{path}.{}", key.value)) {
                Some(x) => values[i] = Some(x),
                None => ok = false,
            }
        }
        let missing: Vec<&str> = issues
            .ids
            .iter()
            .zip(&values)
            .filter(|(id, v)| v.is_none() && !id.is_empty())
            .map(|(id, _)| id.as_str())
            .collect();
        if !missing.is_empty() && ok {
            self.error(
                raw.span.clone(),
                format!("{path}: no term for {}", quoted(&missing)),
                "terms must give a value for every issue",
            );
            return None;
        }
        if !ok {
            return None;
        }
        values.into_iter().collect::<Option<Vec<f64>>>().map(Outcome::new)
    }
}
