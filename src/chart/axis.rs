//! Axes: tick positions and labels, and a linear axis with ticks exactly where asked.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// Evenly spaced "round" tick values covering `[lo, hi]`, about `target` of them: steps of
/// 1, 2, 2.5 or 5 times a power of ten, each tick computed as a multiple of the step.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(f64::MIN_POSITIVE);
    let raw = span / target.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * power);
    let first = (lo / step).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|k| k as f64 * step).collect()
}

/// A linear axis over `range` with grid lines and labels exactly at `ticks`.
///
/// plotters' own `with_key_points` wrapper cannot take label formatters on `f64` axes, so
/// this small axis type does the same job.
#[derive(Clone, Debug)]
pub(crate) struct TickedAxis {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl TickedAxis {
    /// An axis over `range` with these ticks.
    pub(crate) fn new(range: Range<f64>, ticks: Vec<f64>) -> TickedAxis {
        TickedAxis { range, ticks }
    }
}

impl Ranged for TickedAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let span = self.range.end - self.range.start;
        if span == 0.0 {
            return (limit.0 + limit.1) / 2;
        }
        let share = (value - self.range.start) / span;
        limit.0 + (f64::from(limit.1 - limit.0) * share + 1e-3).floor() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        // Light (minor) grid lines are not drawn at all.
        if hint.weight().allow_light_points() { Vec::new() } else { self.ticks.clone() }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// Integer ticks (rounds) covering `[0, max]`, about `target` of them.
pub(crate) fn round_ticks(max: f64, target: usize) -> Vec<f64> {
    let raw = (max / target.max(1) as f64).max(1.0);
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| (m * power).round())
        .find(|s| *s >= raw)
        .unwrap_or((10.0 * power).round());
    (0..=(max / step).floor() as i64).map(|k| k as f64 * step).collect()
}

/// A tick label for a value on an axis whose ticks are `step` apart: as many decimals as
/// the step needs, the same for every tick ("0.0", "0.2", ... "1.0").
pub(crate) fn tick_label(value: f64, step: f64) -> String {
    let decimals = (0..6)
        .find(|d| {
            let scaled = step * 10f64.powi(*d);
            (scaled - scaled.round()).abs() < 1e-9 * scaled.abs().max(1.0)
        })
        .unwrap_or(6) as usize;
    let text = format!("{value:.decimals$}");
    // A tick at -0.0 would print as "-0".
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// Drops trailing zeros after a decimal point ("0.50" to "0.5") and the sign of a zero.
fn trim_number(text: String) -> String {
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" { "0".to_string() } else { text }
}

/// A number for a label: up to `decimals` decimals, trailing zeros dropped.
pub(crate) fn short_number(value: f64, decimals: usize) -> String {
    trim_number(format!("{value:.decimals$}"))
}

/// A level name for display: underscores become spaces.
pub(crate) fn level_label(level: &str) -> String {
    level.replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_step_by_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 500.0, 5), vec![0.0, 100.0, 200.0, 300.0, 400.0, 500.0]);
        assert_eq!(nice_ticks(0.0, 100.0, 4), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
    }

    #[test]
    fn round_ticks_are_whole_rounds() {
        assert_eq!(round_ticks(0.0, 8), vec![0.0]);
        assert_eq!(round_ticks(3.0, 8), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(round_ticks(77.0, 8), vec![0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]);
    }

    #[test]
    fn tick_labels_have_no_more_decimals_than_the_step() {
        assert_eq!(tick_label(0.6000000000000001, 0.2), "0.6");
        assert_eq!(tick_label(1.0, 0.2), "1.0");
        assert_eq!(tick_label(100.0, 100.0), "100");
        assert_eq!(tick_label(0.5, 0.25), "0.50");
        assert_eq!(tick_label(-0.0, 1.0), "0");
        assert_eq!(tick_label(-0.0, 0.2), "0.0");
        assert_eq!(short_number(0.8285714, 2), "0.83");
        assert_eq!(short_number(0.5, 2), "0.5");
    }
}
