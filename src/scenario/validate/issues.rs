//! `[[issues]]`: ids, ranges and levels.

use super::*;

impl Validator<'_> {
    pub(super) fn issues(&mut self, raw: &[Spanned<RawIssue>]) -> IssueTable {
        if raw.is_empty() {
            self.error(
                0..0,
                "issues: no [[issues]] given".into(),
                "add at least one [[issues]] table",
            );
        }
        let mut table = IssueTable { issues: Vec::new(), ids: Vec::new() };
        for (idx, issue) in raw.iter().enumerate() {
            let path = format!("issues[{idx}].");
            let r = &issue.value;
            let id = self.id(r.id.as_ref(), &path, &issue.span);
            if let Some(id) = &id
                && table.ids.contains(id)
            {
                self.error(
                    r.id.as_ref().map_or(issue.span.clone(), |i| i.span.clone()),
                    format!("{path}id: duplicate issue id `{id}`"),
                    "every issue needs its own id",
                );
            }
            let kind = self.issue_kind(r, &path, &issue.span);
            match (&id, kind) {
                (Some(id), Some(kind)) => {
                    let label = r.label.as_ref().map_or_else(|| id.clone(), |l| l.value.clone());
                    table.issues.push(Some(Issue::new(id.clone(), label, kind)));
                }
                _ => table.issues.push(None),
            }
            table.ids.push(id.unwrap_or_default());
        }
        table
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
                let unit = r.unit.as_ref().map(|u| u.value.clone()).unwrap_or_default();
                Some(IssueKind::Continuous { min: values[0], max: values[1], unit })
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
                            "",
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
