//! The `offers` chart: the terms each party proposed, round by round, one panel per issue.
//!
//! Panels are stacked and share the round axis. A continuous issue is plotted in its own unit;
//! an ordinal one by level, with the level names as ticks. Events are dashed vertical lines
//! labelled `E1`, `E2`, ... (explained under the chart), the deal is a gold star at the agreed
//! terms and round, and the real deal, when the scenario gives its round, a hollow star.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::axis::{self, TickedAxis};
use crate::chart::layout::{self, EVENT_ROW, Glyph, LegendEntry, RoundFrame};
use crate::chart::style::{
    self, Backend, DrawResult, EVENT, GRID, INK, MARGIN, TICK_SIZE, WIDTH, text,
};
use crate::chart::{Chart, thin};
use crate::export::record::{IssueRecord, RunRecord, TermValue, Terms};

/// Height of a panel's caption (the issue's label) above its plot.
const CAPTION_HEIGHT: i32 = 24;
/// Height of the round axis (ticks and "Round") under the last panel.
const X_AXIS_HEIGHT: i32 = 46;
/// Right margin of the plots.
const RIGHT: i32 = MARGIN + 8;

/// Draws the chart on `root`.
pub(crate) fn draw<DB: Backend>(
    root: &DrawingArea<DB, Shift>,
    record: &RunRecord,
    chart: &Chart,
) -> DrawResult {
    let page = if chart.pages > 1 {
        format!(
            " Page {} of {}: issues {}–{} of {}.",
            chart.page,
            chart.pages,
            chart.issues.start + 1,
            chart.issues.end,
            record.scenario.issues.len()
        )
    } else {
        String::new()
    };
    let subtitle = format!(
        "Terms offered by each party, round by round. {}.{page}",
        layout::outcome_line(record)
    );
    let frame = RoundFrame::new(root, record, &subtitle, &legend(record))?;
    let (top, bottom, events) = (frame.top, frame.bottom, frame.events.as_slice());

    let all = &record.scenario.issues;
    let issues = &all[chart.issues.start.min(all.len())..chart.issues.end.min(all.len())];
    if issues.is_empty() {
        return Ok(());
    }
    let axes: Vec<Axis> = issues.iter().map(Axis::of).collect();
    let (x_max, x_range) = (frame.x_max, frame.x_range.clone());
    let x_ticks = axis::round_ticks(x_max, 12);

    // Tick labels and the unit share one label area, as wide as the widest panel needs, so
    // that every panel's plot starts at the same x.
    let tick_style = text(TICK_SIZE, INK, HPos::Right, VPos::Center);
    let mut widest = 0;
    for axis in &axes {
        for tick in &axis.ticks {
            widest = widest.max(root.estimate_text_size(&axis.label(*tick), &tick_style)?.0);
        }
    }
    // The unit goes in the panel's caption, next to the issue's label: a rotated unit in the
    // label area would float far from the numbers whenever another panel has long level names.
    let y_label_width = widest as i32 + 16;

    // The event labels go between the first caption and the first plot.
    let plot_x = (MARGIN + y_label_width, WIDTH as i32 - RIGHT);
    let x_of = |round: f64| frame.x_pixel(plot_x, round);
    let n_rows = layout::event_rows(root, events, x_of)? as i32;
    let strip = if n_rows > 0 { n_rows * EVENT_ROW + 2 } else { 0 };

    let event_rounds: std::collections::BTreeSet<u32> = events.iter().map(|e| e.round).collect();
    let n = issues.len() as i32;
    let panel_total = bottom - top - X_AXIS_HEIGHT - strip;
    let panel_height = panel_total / n;
    let mut panel_top = top;
    for (issue_idx, (issue, axis)) in issues.iter().zip(&axes).enumerate() {
        let first = issue_idx == 0;
        let last = issue_idx + 1 == issues.len();
        let extra_top = if first { strip } else { 0 };
        let height = panel_height + extra_top + if last { X_AXIS_HEIGHT } else { 0 };
        let area = root.clone().shrink((0, panel_top), (WIDTH, height));
        let mut chart = ChartBuilder::on(&area)
            .margin_left(MARGIN)
            .margin_right(RIGHT)
            .margin_top(CAPTION_HEIGHT + extra_top)
            .x_label_area_size(if last { X_AXIS_HEIGHT } else { 0 })
            .y_label_area_size(y_label_width)
            .build_cartesian_2d(
                TickedAxis::new(x_range.clone(), x_ticks.clone()),
                TickedAxis::new(axis.range.clone(), axis.ticks.clone()),
            )?;
        let x_label = |x: &f64| if last { axis::tick_label(*x, 1.0) } else { String::new() };
        let y_label = |y: &f64| axis.label(*y);
        chart
            .configure_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.mix(0.8))
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_label_style(text(TICK_SIZE, INK, HPos::Center, VPos::Top))
            .y_label_style(tick_style.clone())
            .x_desc(if last { "Round" } else { "" })
            .axis_desc_style(text(style::AXIS_SIZE, INK, HPos::Center, VPos::Center))
            .draw()?;
        let (px, py) = chart.plotting_area().get_pixel_range();

        // The caption, left-aligned over the plot.
        let caption = match axis.unit.as_str() {
            "" => issue.label.clone(),
            unit => format!("{} ({unit})", issue.label),
        };
        let caption_style = text(15.0, INK, HPos::Left, VPos::Bottom);
        root.draw_text(&caption, &caption_style, (px.start, panel_top + CAPTION_HEIGHT - 4))?;
        if first && !events.is_empty() {
            let x_at = |round: f64| chart.backend_coord(&(round, axis.range.start)).0;
            layout::draw_event_labels(root, events, x_at, py.start)?;
        }

        // Events behind the data.
        for event in events {
            let x = f64::from(event.round);
            chart.draw_series(DashedLineSeries::new(
                [(x, axis.range.start), (x, axis.range.end)],
                5,
                4,
                EVENT.stroke_width(1),
            ))?;
        }

        // One line per party through its own offers (thinned to what the pixels show), then
        // the markers on top where there are few enough to tell apart.
        let coord = chart.as_coord_spec().clone();
        let column = |round: f64| coord.translate(&(round, axis.range.start)).0;
        for (party_idx, party) in record.parties.iter().enumerate() {
            let offers =
                record.offers.iter().filter(|offer| offer.proposer == party.id).filter_map(
                    |offer| axis.value(&offer.terms, issue).map(|v| (f64::from(offer.round), v)),
                );
            let points =
                thin::by_column(offers, column, |round| event_rounds.contains(&(round as u32)));
            let color = style::party_color(party_idx);
            chart.draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))?;
            if points.len() <= thin::MAX_MARKERS {
                let marker = style::party_marker(party_idx, 4.5);
                for point in &points {
                    style::draw_marker(root, chart.backend_coord(point), &marker)?;
                }
            }
        }
        // The deal, then the real deal: hollow and larger, it rings the deal where they meet.
        if let Some(terms) = &record.outcome.terms
            && let Some(v) = axis.value(terms, issue)
        {
            let at = chart.backend_coord(&(f64::from(record.outcome.round), v));
            style::draw_marker(root, at, &style::deal_marker())?;
        }
        if let Some(observed) = &record.analysis.observed
            && let Some(round) = observed.round
            && let Some(v) = axis.value(&observed.terms, issue)
        {
            let at = chart.backend_coord(&(f64::from(round), v));
            style::draw_marker(root, at, &style::observed_marker())?;
        }
        panel_top += height;
    }

    frame.draw_notes(root)
}

/// The legend: parties, the deal, the real deal (if placed in time) and events.
fn legend(record: &RunRecord) -> Vec<LegendEntry> {
    let mut entries = layout::party_entries(record);
    if record.outcome.terms.is_some() {
        entries.push(LegendEntry {
            glyph: Glyph::Marker(style::deal_marker()),
            label: format!("Deal (round {})", record.outcome.round),
        });
    }
    if let Some(observed) = &record.analysis.observed
        && let Some(round) = observed.round
    {
        entries.push(LegendEntry {
            glyph: Glyph::Marker(style::observed_marker()),
            label: format!("Real deal (round {round})"),
        });
    }
    if !record.events.is_empty() {
        entries.push(LegendEntry {
            glyph: Glyph::Line { color: EVENT, width: 1, dashed: true, marker: None },
            label: "Event (see below)".to_string(),
        });
    }
    entries
}

/// One panel's y axis.
struct Axis {
    range: std::ops::Range<f64>,
    ticks: Vec<f64>,
    /// Level names of an ordinal issue (empty for a continuous one).
    levels: Vec<String>,
    /// The unit of a continuous issue ("" if none or ordinal).
    unit: String,
    /// The distance between ticks, for their labels.
    step: f64,
}

impl Axis {
    fn of(issue: &IssueRecord) -> Axis {
        if let Some(levels) = &issue.levels {
            let n = levels.len().max(1) as f64;
            return Axis {
                range: -0.4..n - 0.6,
                ticks: (0..levels.len()).map(|k| k as f64).collect(),
                levels: levels.clone(),
                unit: String::new(),
                step: 1.0,
            };
        }
        let [lo, hi] = issue.range.unwrap_or([0.0, 1.0]);
        let span = if hi > lo { hi - lo } else { 1.0 };
        let ticks = axis::nice_ticks(lo, lo + span, 4);
        let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { span };
        Axis {
            range: lo - 0.06 * span..lo + span * 1.06,
            ticks,
            levels: Vec::new(),
            unit: issue.unit.clone().unwrap_or_default(),
            step,
        }
    }

    /// The tick label at `y`: a level name or a number.
    fn label(&self, y: f64) -> String {
        if self.levels.is_empty() {
            return axis::tick_label(y, self.step);
        }
        let k = y.round();
        match self.levels.get(k as usize) {
            Some(level) if (y - k).abs() < 1e-9 && k >= 0.0 => axis::level_label(level),
            _ => String::new(),
        }
    }

    /// The plotted value of an issue's term: the number, or the level's index.
    fn value(&self, terms: &Terms, issue: &IssueRecord) -> Option<f64> {
        let (_, term) = terms.0.iter().find(|(id, _)| *id == issue.id)?;
        match term {
            TermValue::Number(x) => Some(*x),
            TermValue::Level(name) => self.levels.iter().position(|l| l == name).map(|k| k as f64),
        }
    }
}
