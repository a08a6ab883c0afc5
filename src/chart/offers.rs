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
use crate::chart::layout::{self, Glyph, LegendEntry, RoundFrame};
use crate::chart::style::{
    self, Backend, DrawResult, EVENT, GRID, INK, MARGIN, TICK_SIZE, WIDTH, text,
};
use crate::chart::{Chart, thin};
use crate::export::record::{IssueRecord, RunRecord, TermValue, Terms};

/// Height of the round axis (ticks and "Round") under the last panel.
const X_AXIS_HEIGHT: i32 = 52;
/// Font size of panel captions.
const LABEL_SIZE: f64 = 18.0;
/// Right margin of the plots.
const RIGHT: i32 = MARGIN + 8;

/// Height of the panel caption (the issue's label) above its plot.
const CAPTION: i32 = 28;
/// Height of a panel's plot for a continuous issue, and the least for an ordinal one.
const PLOT: i32 = 120;
/// The least height of all plots together.
const TOTAL_PLOT: i32 = 440;
/// The tallest plot of an ordinal issue.
const MAX_PLOT: i32 = 420;
/// Least pixels between two level names on an ordinal axis.
const LEVEL_SPACING: i32 = 22;

/// The chart laid out: frame, axes and panel heights.
struct Layout {
    frame: RoundFrame,
    axes: Vec<Axis>,
    y_label_width: i32,
    /// Plot height of each panel (without its caption).
    plots: Vec<i32>,
}

fn layout(record: &RunRecord, chart: &Chart) -> Layout {
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
    let axes: Vec<Axis> = page_issues(record, chart).iter().map(Axis::of).collect();
    // Tick labels share one label area, as wide as the widest panel needs, so that every
    // panel's plot starts at the same x. The unit goes in the panel's caption, next to the
    // issue's label: a rotated unit in the label area would float far from the numbers
    // whenever another panel has long level names.
    let widest = axes
        .iter()
        .flat_map(|axis| axis.ticks.iter().map(|t| layout::measure(&axis.label(*t), TICK_SIZE)))
        .max()
        .unwrap_or(0);
    let y_label_width = widest.min(MAX_LABEL_WIDTH) + 16;
    let plot_x = (MARGIN + y_label_width, WIDTH as i32 - RIGHT);
    let frame = RoundFrame::plan(record, &subtitle, legend(record), plot_x);
    // A few issues share the height of a usual plot; more get a panel of at least `PLOT`
    // each, and ordinal ones room for their level names.
    let least = (TOTAL_PLOT / axes.len().max(1) as i32).max(PLOT);
    let plots = axes
        .iter()
        .map(|axis| (axis.levels.len() as i32 * LEVEL_SPACING).clamp(least, MAX_PLOT.max(least)))
        .collect();
    Layout { frame, axes, y_label_width, plots }
}

/// The widest tick label area; longer level names are cut with an ellipsis.
const MAX_LABEL_WIDTH: i32 = 260;

/// The issues on the chart's page.
fn page_issues<'r>(record: &'r RunRecord, chart: &Chart) -> &'r [IssueRecord] {
    let all = &record.scenario.issues;
    &all[chart.issues.start.min(all.len())..chart.issues.end.min(all.len())]
}

impl Layout {
    fn body(&self) -> i32 {
        self.plots.iter().map(|p| p + CAPTION).sum::<i32>() + X_AXIS_HEIGHT
    }
}

/// The chart's height: it grows with the issues on the page, the legend and the events.
pub(crate) fn height(record: &RunRecord, chart: &Chart) -> u32 {
    let layout = layout(record, chart);
    layout.frame.page_height(layout.body())
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: Backend>(
    root: &DrawingArea<DB, Shift>,
    record: &RunRecord,
    chart: &Chart,
) -> DrawResult {
    let Layout { frame, axes, y_label_width, plots } = layout(record, chart);
    frame.draw_header(root)?;
    let issues = page_issues(record, chart);
    let events: Vec<u32> = record.events.iter().map(|e| e.round).collect();
    let (x_max, x_range) = (frame.x_max, frame.x_range.clone());
    let x_ticks = axis::round_ticks(x_max, 12);
    let tick_style = text(TICK_SIZE, INK, HPos::Right, VPos::Center);
    let strip = frame.strip();
    let event_rounds: std::collections::BTreeSet<u32> = events.iter().copied().collect();
    let mut panel_top = frame.top();
    for (issue_idx, ((issue, axis), plot)) in issues.iter().zip(&axes).zip(&plots).enumerate() {
        let first = issue_idx == 0;
        let last = issue_idx + 1 == issues.len();
        let extra_top = if first { strip } else { 0 };
        let height = plot + CAPTION + extra_top + if last { X_AXIS_HEIGHT } else { 0 };
        let area = root.clone().shrink((0, panel_top), (WIDTH, height as u32));
        let mut chart = ChartBuilder::on(&area)
            .margin_left(MARGIN)
            .margin_right(RIGHT)
            .margin_top(CAPTION + extra_top)
            .x_label_area_size(if last { X_AXIS_HEIGHT } else { 0 })
            .y_label_area_size(y_label_width)
            .build_cartesian_2d(
                TickedAxis::new(x_range.clone(), x_ticks.clone()),
                TickedAxis::new(axis.range.clone(), axis.shown_ticks(*plot)),
            )?;
        let x_label = |x: &f64| if last { axis::tick_label(*x, 1.0) } else { String::new() };
        let y_label = |y: &f64| layout::fit(&axis.label(*y), TICK_SIZE, y_label_width - 16);
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

        // The caption, left-aligned over the plot (after the event labels on the first).
        let caption = match axis.unit.as_str() {
            "" => issue.label.clone(),
            unit => format!("{} ({unit})", issue.label),
        };
        let caption_style = text(LABEL_SIZE, INK, HPos::Left, VPos::Bottom);
        let room = WIDTH as i32 - RIGHT - px.start;
        let caption = layout::fit(&caption, LABEL_SIZE, room);
        root.draw_text(&caption, &caption_style, (px.start, panel_top + CAPTION - 6))?;
        if first {
            let x_at = |round: f64| chart.backend_coord(&(round, axis.range.start)).0;
            frame.draw_event_labels(root, x_at, py.start)?;
        }

        // Events behind the data.
        for &round in &event_rounds {
            let x = f64::from(round);
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

    /// The ticks to label on a plot `plot` pixels high: every level while they are at least
    /// `LEVEL_SPACING` apart, else every second, third... level (first and last kept).
    fn shown_ticks(&self, plot: i32) -> Vec<f64> {
        if self.levels.is_empty() {
            return self.ticks.clone();
        }
        let n = self.ticks.len().max(1);
        let every = (n as i32 * LEVEL_SPACING + plot.max(1) - 1) / plot.max(1);
        let every = every.max(1) as usize;
        let mut ticks: Vec<f64> = self.ticks.iter().copied().step_by(every).collect();
        if let Some(last) = self.ticks.last()
            && ticks.last() != Some(last)
        {
            if ticks.len() > 1 && (n - 1) % every < every / 2 + 1 {
                ticks.pop();
            }
            ticks.push(*last);
        }
        ticks
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
