//! Issues on the table and the values they can take.

/// One issue on the table: a continuous quantity (a share, an amount) or an ordered list of levels.
///
/// A stepped numeric issue (`range = [0, 500]`, `step = 10`) is an ordinal issue whose levels
/// are the grid's numbers (`"0"`, `"10"`, ...) and which keeps its [`Grid`]: everything that
/// works on levels (offers, the exact discrete analysis) works on it unchanged, and the grid
/// turns numbers in scenario files into levels and levels back into numbers with a unit.
#[derive(Clone, Debug, PartialEq)]
pub struct Issue {
    id: String,
    label: String,
    kind: IssueKind,
    grid: Option<Grid>,
}

/// The most values a stepped issue may have: the analysis enumerates them.
pub const MAX_GRID_VALUES: usize = 100_000;

/// The values `min`, `min + step`, ... of a stepped numeric issue, each computed as
/// `min + index * step` (never by adding steps up).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The first value.
    pub min: f64,
    /// The distance between neighbouring values, > 0.
    pub step: f64,
    /// Unit shown after values, such as `%` or `$bn`.
    pub unit: String,
}

impl Grid {
    /// The value at `index`.
    pub fn value(&self, index: usize) -> f64 {
        self.min + index as f64 * self.step
    }

    /// The index of `x` among `n` grid values, if `x` is one of them (to rounding).
    pub fn index_of(&self, x: f64, n: usize) -> Option<usize> {
        let k = ((x - self.min) / self.step).round();
        if !(0.0..n as f64).contains(&k) {
            return None;
        }
        let tolerance = 1e-9 * self.step.max(x.abs()).max(1.0);
        ((self.value(k as usize) - x).abs() <= tolerance).then_some(k as usize)
    }

    /// The fewest decimals (at most 9) that write `min` and `step` exactly, so that every
    /// grid value gets a distinct, exact name.
    fn decimals(&self) -> usize {
        (0..=9)
            .find(|d| {
                let scale = 10f64.powi(*d as i32);
                [self.min, self.step].iter().all(|v| {
                    let scaled = v * scale;
                    (scaled - scaled.round()).abs() <= 1e-9 * scaled.abs().max(1.0)
                })
            })
            .unwrap_or(9)
    }
}

/// What values an issue can take.
#[derive(Clone, Debug, PartialEq)]
pub enum IssueKind {
    /// Any number in `[min, max]`, measured in `unit` (may be empty).
    Continuous {
        /// Lower end of the range.
        min: f64,
        /// Upper end of the range.
        max: f64,
        /// Unit shown after values, such as `%` or `$bn`.
        unit: String,
    },
    /// One of the named levels, in the order given (the value is the level's index).
    Ordinal {
        /// Level names, at least two, unique.
        levels: Vec<String>,
    },
}

impl Issue {
    /// Builds an issue; the caller (scenario validation) has checked the kind.
    pub fn new(id: String, label: String, kind: IssueKind) -> Issue {
        Issue { id, label, kind, grid: None }
    }

    /// A stepped numeric issue of `n_values` values on `grid`; its levels are the values as
    /// numbers (`"0"`, `"10"`, `"2.5"`). The caller (scenario validation) has checked that
    /// the step divides the range.
    pub fn stepped(id: String, label: String, grid: Grid, n_values: usize) -> Issue {
        let decimals = grid.decimals();
        let levels = (0..n_values).map(|k| format_number(grid.value(k), decimals)).collect();
        Issue { id, label, kind: IssueKind::Ordinal { levels }, grid: Some(grid) }
    }

    /// The grid of a stepped numeric issue.
    pub fn grid(&self) -> Option<&Grid> {
        self.grid.as_ref()
    }

    /// The identifier used in scenario files and outputs.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The human-readable label (the id if the scenario gave none).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Continuous or ordinal, with range or levels.
    pub fn kind(&self) -> &IssueKind {
        &self.kind
    }

    /// True for an ordinal issue.
    pub fn is_ordinal(&self) -> bool {
        matches!(self.kind, IssueKind::Ordinal { .. })
    }

    /// The smallest value: `min` of a range, or 0 (the first level's index).
    pub fn lower(&self) -> f64 {
        match &self.kind {
            IssueKind::Continuous { min, .. } => *min,
            IssueKind::Ordinal { .. } => 0.0,
        }
    }

    /// The largest value: `max` of a range, or the last level's index.
    pub fn upper(&self) -> f64 {
        match &self.kind {
            IssueKind::Continuous { max, .. } => *max,
            IssueKind::Ordinal { levels } => (levels.len() - 1) as f64,
        }
    }

    /// The unit of a continuous or stepped issue, or "" for an ordinal one.
    pub fn unit(&self) -> &str {
        match (&self.kind, &self.grid) {
            (IssueKind::Continuous { unit, .. }, _) => unit,
            (IssueKind::Ordinal { .. }, Some(grid)) => &grid.unit,
            (IssueKind::Ordinal { .. }, None) => "",
        }
    }

    /// The level names of an ordinal issue, or an empty slice.
    pub fn levels(&self) -> &[String] {
        match &self.kind {
            IssueKind::Continuous { .. } => &[],
            IssueKind::Ordinal { levels } => levels,
        }
    }

    /// The level name for an ordinal value (an index).
    pub fn level_name(&self, value: f64) -> Option<&str> {
        let levels = self.levels();
        let idx = value.round();
        if idx < 0.0 || idx as usize >= levels.len() {
            return None;
        }
        Some(&levels[idx as usize])
    }

    /// Where `value` sits between the ends, in `[0, 1]`; used to compare terms across issues.
    pub fn normalized(&self, value: f64) -> f64 {
        (value - self.lower()) / (self.upper() - self.lower())
    }

    /// The value as a reader would write it: the level name, or the number with its unit,
    /// to about four significant digits of the issue's range (0.714 on [0, 1], 71.4 on
    /// [0, 100]).
    pub fn format_value(&self, value: f64) -> String {
        match &self.kind {
            IssueKind::Ordinal { .. } => {
                let name = self.level_name(value).unwrap_or("?");
                match self.unit() {
                    "" => name.to_string(),
                    "%" => format!("{name}%"),
                    unit => format!("{name} {unit}"),
                }
            }
            IssueKind::Continuous { min, max, unit } => format_quantity(value, *min, *max, unit),
        }
    }
}

/// A quantity on a continuous issue with range `[min, max]`, as people write it: about four
/// significant digits of the range, then the unit (`71.4%`, `120.5 $bn`, `0.714`).
pub fn format_quantity(value: f64, min: f64, max: f64, unit: &str) -> String {
    let decimals = (3.0 - (max - min).log10().floor()).clamp(0.0, 6.0) as usize;
    let num = format_number(value, decimals);
    match unit {
        "" => num,
        "%" => format!("{num}%"),
        unit => format!("{num} {unit}"),
    }
}

/// Formats a number for people: at most `decimals` decimals, no trailing zeros, no `-0`.
pub fn format_number(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text =
        if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" { "0".to_string() } else { text.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stepped_issue_names_its_levels_by_their_numbers() {
        let grid = Grid { min: 0.0, step: 10.0, unit: "$bn".into() };
        let issue = Issue::stepped("aid".into(), "Aid".into(), grid, 51);
        assert_eq!(issue.levels().len(), 51);
        assert_eq!((issue.levels()[0].as_str(), issue.levels()[50].as_str()), ("0", "500"));
        assert_eq!(issue.format_value(25.0), "250 $bn");
        let grid = issue.grid().expect("stepped");
        assert_eq!(grid.index_of(250.0, 51), Some(25));
        assert_eq!(grid.index_of(255.0, 51), None);
        assert_eq!(grid.index_of(510.0, 51), None);
        let fine = Grid { min: 0.1, step: 0.1, unit: "%".into() };
        let issue = Issue::stepped("x".into(), "x".into(), fine, 10);
        assert_eq!(issue.levels()[2], "0.3");
        assert_eq!(issue.format_value(9.0), "1%");
    }

    fn share() -> Issue {
        Issue::new(
            "share".into(),
            "Share".into(),
            IssueKind::Continuous { min: 0.0, max: 100.0, unit: "%".into() },
        )
    }

    #[test]
    fn formats_numbers_without_noise() {
        assert_eq!(format_number(50.0, 2), "50");
        assert_eq!(format_number(71.428_571, 2), "71.43");
        assert_eq!(format_number(-0.001, 2), "0");
        assert_eq!(format_number(0.5, 2), "0.5");
        assert_eq!(format_number(120.0, 0), "120");
    }

    #[test]
    fn formats_values_with_units_and_levels() {
        assert_eq!(share().format_value(50.0), "50%");
        assert_eq!(share().format_value(71.428_571), "71.4%");
        let pie = Issue::new(
            "pie".into(),
            "Pie".into(),
            IssueKind::Continuous { min: 0.0, max: 1.0, unit: String::new() },
        );
        assert_eq!(pie.format_value(0.714_285), "0.714");
        let money = Issue::new(
            "aid".into(),
            "Aid".into(),
            IssueKind::Continuous { min: 0.0, max: 500.0, unit: "$bn".into() },
        );
        assert_eq!(money.format_value(120.54), "120.5 $bn");
        let levels = Issue::new(
            "g".into(),
            "G".into(),
            IssueKind::Ordinal { levels: vec!["none".into(), "full".into()] },
        );
        assert_eq!(levels.format_value(1.0), "full");
        assert_eq!(levels.upper(), 1.0);
    }

    #[test]
    fn normalizes_against_the_range() {
        assert_eq!(share().normalized(25.0), 0.25);
    }
}
