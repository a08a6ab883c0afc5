//! Other tools' scenario formats: GENIUS XML and NegMAS YAML in, GENIUS XML out.
//!
//! An importer reads the other tool's files into an [`Imported`] value (issues, and per party
//! its weights, per-issue values, reservation and discount, already put on accord's scales),
//! and [`to_toml`] writes that as a commented accord scenario. The text then goes through
//! [`crate::scenario::check_str`], the same reader and validator as any hand-written file:
//! importers never build a [`crate::model::Scenario`] themselves, so an imported scenario can
//! be nothing that a TOML file could not be. The exporter reads a validated scenario.
//!
//! This module does no IO: callers pass file names and texts in and write the texts out.
//! `docs/interop.md` is the user-facing description of every mapping.

pub mod genius;
pub mod negmas;
mod toml_out;
mod xml;

pub use toml_out::to_toml;

/// A problem with the other tool's files, or a construct accord cannot express.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{place}: {message}{}", help.as_ref().map(|h| format!("\n  = help: {h}")).unwrap_or_default())]
pub struct InteropError {
    /// `file:line:col`, or `file` when there is no better place.
    pub place: String,
    /// What is wrong, naming the construct.
    pub message: String,
    /// How to fix it, if there is something to say.
    pub help: Option<String>,
}

impl InteropError {
    /// An error at a byte offset of a source file.
    pub fn at(source: &Source<'_>, offset: usize, message: impl Into<String>) -> InteropError {
        let (line, col) = crate::scenario::line_col(source.text, offset);
        InteropError {
            place: format!("{}:{line}:{col}", source.name),
            message: message.into(),
            help: None,
        }
    }

    /// An error about a whole file (or a scenario being exported).
    pub fn in_file(file: &str, message: impl Into<String>) -> InteropError {
        InteropError { place: file.to_string(), message: message.into(), help: None }
    }

    /// Adds a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> InteropError {
        self.help = Some(help.into());
        self
    }
}

/// One input file: the name shown in messages and comments, and its text.
#[derive(Clone, Copy, Debug)]
pub struct Source<'a> {
    /// The file name as the user gave it.
    pub name: &'a str,
    /// The whole text.
    pub text: &'a str,
}

/// How to read another tool's discount factor `d` as accord's per-round discount.
///
/// GENIUS discounts by time: a deal at normalized time `t` in [0, 1] (the share of the
/// deadline used) is worth `d^t`, so `d` is what is left at the deadline. accord discounts by
/// round: `discount^r`. Reading `d` as spread over the deadline gives `d^(1/max_rounds)` per
/// round ([`DiscountReading::Time`]); reading it as a per-round factor keeps `d`
/// ([`DiscountReading::Round`]), which is NegMAS's default (`ExpDiscountedUFun` with
/// `factor: step`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiscountReading {
    /// `d` is what is left at the deadline: per round `d^(1/max_rounds)`.
    Time,
    /// `d` is the factor per round.
    Round,
}

/// What the other tool's files do not say, and how to read what they do.
#[derive(Clone, Debug)]
pub struct ImportConfig {
    /// The deadline, in rounds (GENIUS and NegMAS set it per session, not in the scenario).
    pub max_rounds: u32,
    /// The strategy kind every party gets (the files hold preferences, not behaviour).
    pub strategy: String,
    /// How to read a discount factor, unless the file says (NegMAS's `factor`).
    pub discount: DiscountReading,
}

/// A scenario read from another tool, on accord's scales, before it is written as TOML.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// `GENIUS` or `NegMAS`, for comments.
    pub tool: &'static str,
    /// The scenario's display name.
    pub name: String,
    /// The files it came from, for comments.
    pub sources: Vec<String>,
    /// The issues, in the domain's order.
    pub issues: Vec<ImportedIssue>,
    /// The parties, one per profile or utility file, in the order given.
    pub parties: Vec<ImportedParty>,
}

/// One issue.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedIssue {
    /// The name in the other tool (becomes the label; the id is derived from it).
    pub name: String,
    /// What values it takes.
    pub domain: IssueDomain,
    /// `Some((lo, hi))` for an integer issue: its levels are `lo..=hi` and it is written as
    /// a stepped issue (`range = [lo, hi]`, `step = 1`).
    pub integers: Option<(i64, i64)>,
    /// How it was mapped, if that needs saying (an integer issue as levels, say).
    pub note: Option<String>,
}

/// What values an imported issue takes.
#[derive(Clone, Debug, PartialEq)]
pub enum IssueDomain {
    /// Named levels in the domain's order (discrete issues; integer issues, one level per
    /// integer, named by its number).
    Levels(Vec<String>),
    /// A continuous range.
    Range {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
}

/// One party: a profile (GENIUS) or utility function file (NegMAS).
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedParty {
    /// The display name (the file's stem).
    pub name: String,
    /// Utility of no deal, in [0, 1].
    pub reservation: f64,
    /// Why the reservation is what it is, if it was missing or rescaled.
    pub reservation_note: Option<String>,
    /// The tool's discount factor in (0, 1) and how to read it; `None`: no discount.
    pub discount: Option<(f64, DiscountReading)>,
    /// Weights summing to 1, one per issue.
    pub weights: Vec<f64>,
    /// Per-issue values in [0, 1], one per issue.
    pub values: Vec<Values>,
    /// What was normalized or assumed, one sentence each.
    pub notes: Vec<String>,
}

/// One party's values on one issue.
#[derive(Clone, Debug, PartialEq)]
pub enum Values {
    /// One value per level, in the issue's level order.
    Levels(Vec<f64>),
    /// Piecewise-linear `(x, value)` points, strictly increasing `x`.
    Points(Vec<(f64, f64)>),
}

/// Turns a name from another tool into an accord id: lowercase letters, digits and `_`,
/// starting with a letter (`Hard disk` → `hard_disk`, `2nd offer` → `i_2nd_offer`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_string();
    match out.chars().next() {
        None => "x".to_string(),
        Some(c) if c.is_ascii_digit() => format!("i_{out}"),
        Some(_) => out,
    }
}

/// Ids for `names`, made unique by suffixes `_2`, `_3`, ... in order.
pub fn unique_ids(names: &[String]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for name in names {
        let base = slug(name);
        let mut id = base.clone();
        let mut n = 2;
        while ids.contains(&id) {
            id = format!("{base}_{n}");
            n += 1;
        }
        ids.push(id);
    }
    ids
}

/// The levels of an integer issue `lo..=hi` (its values, as a stepped issue names them), or
/// why it cannot be imported.
pub fn integer_levels(lo: i64, hi: i64) -> Result<Vec<String>, String> {
    if lo >= hi {
        return Err(format!("the lower bound {lo} is not below the upper bound {hi}"));
    }
    let max = crate::model::MAX_GRID_VALUES as i64;
    if hi.saturating_sub(lo).saturating_add(1) > max {
        return Err(format!(
            "{} values from {lo} to {hi}: a stepped issue has at most {max}",
            i128::from(hi) - i128::from(lo) + 1
        ));
    }
    Ok((lo..=hi).map(|v| v.to_string()).collect())
}

/// The note on a party's weights when they did not sum to 1, and the normalized weights.
pub fn normalize_weights(raw: &[f64]) -> (Vec<f64>, Option<String>) {
    let sum: f64 = raw.iter().sum();
    let weights = raw.iter().map(|w| w / sum).collect();
    let note = ((sum - 1.0).abs() > 1e-9)
        .then(|| format!("weights summed to {sum:?}; each was divided by the sum"));
    (weights, note)
}

/// `clamp(offset + slope * x)` to [0, 1] over `[lo, hi]` as piecewise-linear points: the
/// ends and wherever the line crosses 0 or 1 inside.
pub fn clamped_line_points(lo: f64, hi: f64, offset: f64, slope: f64) -> Vec<(f64, f64)> {
    let f = |x: f64| (offset + slope * x).clamp(0.0, 1.0);
    let mut points = vec![(lo, f(lo)), (hi, f(hi))];
    if slope != 0.0 {
        for level in [0.0, 1.0] {
            let x = (level - offset) / slope;
            if x > lo && x < hi {
                // The level itself, not f(x): rounding would leave 5.6e-17 for 0.
                points.push((x, level));
            }
        }
    }
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    points.dedup_by(|a, b| a.0 == b.0);
    points
}

/// Evaluates `f` at the sorted, deduplicated `xs`.
pub fn points_at(mut xs: Vec<f64>, f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    xs.into_iter().map(|x| (x, f(x))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(slug("Hard disk"), "hard_disk");
        assert_eq!(slug("  Price (EUR) "), "price_eur");
        assert_eq!(slug("2nd"), "i_2nd");
        assert_eq!(slug("€"), "x");
        let names = ["A b".to_string(), "a-b".to_string(), "a_b".to_string()];
        assert_eq!(unique_ids(&names), ["a_b", "a_b_2", "a_b_3"]);
    }

    #[test]
    fn a_clamped_line_bends_where_it_leaves_the_unit_interval() {
        assert_eq!(clamped_line_points(0.0, 10.0, 0.0, 0.1), vec![(0.0, 0.0), (10.0, 1.0)]);
        assert_eq!(
            clamped_line_points(0.0, 10.0, -0.5, 0.25),
            vec![(0.0, 0.0), (2.0, 0.0), (6.0, 1.0), (10.0, 1.0)]
        );
        assert_eq!(clamped_line_points(0.0, 1.0, 0.3, 0.0), vec![(0.0, 0.3), (1.0, 0.3)]);
        // Where the line leaves [0, 1] the value is exactly 0 or 1, not a rounding of it.
        let points = clamped_line_points(0.0, 18.0, -0.4, 0.4375 / 18.0);
        assert_eq!(points[1].1, 0.0);
    }

    #[test]
    fn integer_issues_become_one_level_per_value_up_to_a_limit() {
        assert_eq!(integer_levels(-1, 2).expect("small"), ["-1", "0", "1", "2"]);
        assert!(integer_levels(3, 3).is_err());
        assert!(integer_levels(0, crate::model::MAX_GRID_VALUES as i64).is_err());
    }
}
