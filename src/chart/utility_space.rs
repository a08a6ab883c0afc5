//! The `utility-space` chart of a two-party run: the first party's utility across, the
//! second's up.
//!
//! It shows the Pareto frontier (from `analysis.frontier`), each party's reservation value as
//! a dashed line in its colour meeting at the disagreement point, the Nash and
//! Kalai–Smorodinsky solutions, each party's offers as a trace of small markers, the deal
//! and the real deal. The legend, with the points' coordinates, sits to the right of the
//! square plot. Anything missing from the record (no frontier, no solutions, no deal) is left
//! out.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::axis::{self, TickedAxis};
use crate::chart::layout::{self, Glyph, LegendEntry, Title};
use crate::chart::style::{
    self, AXIS_SIZE, Backend, DrawResult, GRID, INK, MARGIN, MUTED, Marker, NOTE_LINE, NOTE_SIZE,
    Shape, TICK_SIZE, WIDTH, text,
};
use crate::chart::thin;
use crate::export::record::{PartyRecord, PartyValues, RunRecord};

/// Width of the vertical axis (ticks and description).
const Y_LABEL_WIDTH: i32 = 72;
/// Height of the horizontal axis.
const X_AXIS_HEIGHT: i32 = 60;
/// Side of the square plot, with its tick labels.
const SIDE: i32 = 600;
/// Space between the plot and the legend.
const GAP: i32 = 44;
/// The frontier's colour.
const FRONTIER: RGBColor = RGBColor(105, 105, 105);

/// The page: title, the square plot at the left, legend and notes at the right.
struct Layout {
    title: Title,
    entries: Vec<LegendEntry>,
    notes: Vec<Vec<String>>,
    legend_x: i32,
    legend_width: i32,
}

fn layout(record: &RunRecord) -> Layout {
    let [first, second] = [&record.parties[0], &record.parties[1]];
    let subtitle = format!(
        "Utilities of {} and {} (undiscounted, 0–1). {}.",
        first.name,
        second.name,
        layout::outcome_line(record)
    );
    let title = layout::title(&record.scenario.name, &subtitle);
    let legend_x = MARGIN + Y_LABEL_WIDTH + SIDE + GAP;
    let legend_width = WIDTH as i32 - MARGIN - legend_x;
    let notes =
        notes(record).iter().map(|note| layout::wrap(note, NOTE_SIZE, legend_width)).collect();
    Layout { title, entries: legend(record), notes, legend_x, legend_width }
}

impl Layout {
    fn top(&self) -> i32 {
        self.title.height + 6
    }
}

/// The chart's height: the square plot, or the legend and notes beside it if taller.
pub(crate) fn height(record: &RunRecord) -> u32 {
    let layout = layout(record);
    let plot = SIDE + X_AXIS_HEIGHT + 16;
    let side = layout::legend_column_height(&layout.entries, layout.legend_width)
        + layout.notes.iter().map(|n| n.len() as i32 * NOTE_LINE + 8).sum::<i32>()
        + 26;
    (layout.top() + plot.max(side)) as u32
}

/// The record's two parties' values of `values`, if it has both.
fn pair(record: &RunRecord, values: &PartyValues) -> Option<(f64, f64)> {
    let ids = [record.parties[0].id.as_str(), record.parties[1].id.as_str()];
    let get = |id: &str| values.0.iter().find(|(k, _)| k == id).map(|(_, v)| *v);
    Some((get(ids[0])?, get(ids[1])?))
}

/// The marked points, in legend order: disagreement, Nash, Kalai–Smorodinsky, the real
/// deal and the deal.
fn points(record: &RunRecord) -> Vec<(Marker, (f64, f64), String)> {
    let analysis = &record.analysis;
    let [first, second] = [&record.parties[0], &record.parties[1]];
    let mut points: Vec<(Marker, (f64, f64), String)> = Vec::new();
    if let Some(d) = pair(record, &analysis.disagreement) {
        let marker =
            Marker { shape: Shape::Cross, radius: 9.0, fill: None, stroke: INK, stroke_width: 2 };
        points.push((marker, d, "Disagreement point".to_string()));
    }
    if let Some(nash) = analysis.nash.as_ref().and_then(|s| pair(record, &s.utilities)) {
        let marker =
            Marker { shape: Shape::Circle, radius: 8.0, fill: None, stroke: INK, stroke_width: 2 };
        points.push((marker, nash, "Nash solution".to_string()));
    }
    if let Some(ks) = analysis.kalai_smorodinsky.as_ref().and_then(|s| pair(record, &s.utilities)) {
        let marker =
            Marker { shape: Shape::Square, radius: 12.0, fill: None, stroke: INK, stroke_width: 2 };
        points.push((marker, ks, "Kalai–Smorodinsky solution".to_string()));
    }
    if let Some(observed) = analysis.observed.as_ref().and_then(|o| pair(record, &o.utilities)) {
        points.push((style::observed_marker(), observed, "Real deal".to_string()));
    }
    if let (Some(u0), Some(u1)) = (first.utility, second.utility) {
        let label = format!("Deal (round {})", record.outcome.round);
        points.push((style::deal_marker(), (u0, u1), label));
    }
    points
}

/// Each party's offers as utility pairs, in order.
fn offers<'r>(
    record: &'r RunRecord,
    party: &'r PartyRecord,
) -> impl Iterator<Item = (f64, f64)> + 'r {
    record
        .offers
        .iter()
        .filter(move |offer| offer.proposer == party.id)
        .filter_map(move |offer| pair(record, &offer.utilities))
}

/// The legend: frontier, reservations, offers and points with their coordinates.
fn legend(record: &RunRecord) -> Vec<LegendEntry> {
    let analysis = &record.analysis;
    let mut entries = Vec::new();
    if analysis.frontier.as_ref().is_some_and(|f| !f.is_empty()) {
        entries.push(LegendEntry {
            glyph: Glyph::Line { color: FRONTIER, width: 2, dashed: false, marker: None },
            label: "Pareto frontier (no deal is better for both)".to_string(),
        });
    }
    if let Some((d0, d1)) = pair(record, &analysis.disagreement) {
        for (party_idx, d) in [d0, d1].into_iter().enumerate() {
            let color = style::party_color(party_idx);
            entries.push(LegendEntry {
                glyph: Glyph::Line { color, width: 2, dashed: true, marker: None },
                label: format!(
                    "Reservation of {} ({})",
                    record.parties[party_idx].name,
                    axis::short_number(d, 2)
                ),
            });
        }
    }
    for party_idx in 0..2 {
        let party = &record.parties[party_idx];
        let color = style::party_color(party_idx);
        let marker = style::party_marker(party_idx, 4.0);
        entries.push(LegendEntry {
            glyph: Glyph::Line { color, width: 1, dashed: false, marker: Some(marker) },
            label: format!("Offers by {} ({})", party.name, offers(record, party).count()),
        });
    }
    for (marker, at, label) in points(record) {
        let coords = format!("({}, {})", axis::short_number(at.0, 2), axis::short_number(at.1, 2));
        entries
            .push(LegendEntry { glyph: Glyph::Marker(marker), label: format!("{label} {coords}") });
    }
    entries
}

/// The notes under the legend.
fn notes(record: &RunRecord) -> Vec<String> {
    let mut notes = Vec::new();
    if let Some(error) = &record.analysis.error {
        notes.push(format!("No frontier or solutions: {error}."));
    } else if record.analysis.frontier.is_none() {
        notes.push("The record has no Pareto frontier.".to_string());
    }
    notes.push(
        "Frontier, reservations and solutions use the parameters in force when the talks \
         ended; each offer is valued with those in force when it was made."
            .to_string(),
    );
    notes
}

/// Draws the chart on `root`; the record must have two parties.
pub(crate) fn draw<DB: Backend>(root: &DrawingArea<DB, Shift>, record: &RunRecord) -> DrawResult {
    root.fill(&WHITE)?;
    let layout = layout(record);
    layout.title.draw(root)?;
    let [first, second] = [&record.parties[0], &record.parties[1]];
    let top = layout.top();
    let area = root
        .clone()
        .shrink((MARGIN, top), ((Y_LABEL_WIDTH + SIDE + 8) as u32, (SIDE + X_AXIS_HEIGHT) as u32));
    let range = -0.02..1.02;
    let ticks = axis::nice_ticks(0.0, 1.0, 5);
    let mut chart = ChartBuilder::on(&area)
        .margin_right(8)
        .x_label_area_size(X_AXIS_HEIGHT)
        .y_label_area_size(Y_LABEL_WIDTH)
        .build_cartesian_2d(
            TickedAxis::new(range.clone(), ticks.clone()),
            TickedAxis::new(range.clone(), ticks),
        )?;
    let label = |v: &f64| axis::tick_label(*v, 0.2);
    let x_desc = layout::fit(&format!("Utility for {} (0–1)", first.name), AXIS_SIZE, SIDE);
    let y_desc = layout::fit(&format!("Utility for {} (0–1)", second.name), AXIS_SIZE, SIDE);
    chart
        .configure_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.8))
        .x_label_formatter(&label)
        .y_label_formatter(&label)
        .x_label_style(text(TICK_SIZE, INK, HPos::Center, VPos::Top))
        .y_label_style(text(TICK_SIZE, INK, HPos::Right, VPos::Center))
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(text(AXIS_SIZE, INK, HPos::Center, VPos::Center))
        .draw()?;

    let analysis = &record.analysis;
    // The frontier and the reservation lines first, behind everything else.
    if let Some(frontier) = &analysis.frontier {
        let points = frontier.iter().map(|p| (p[0], p[1]));
        chart.draw_series(LineSeries::new(points, FRONTIER.stroke_width(2)))?;
    }
    if let Some((d0, d1)) = pair(record, &analysis.disagreement) {
        let (c0, c1) = (style::party_color(0), style::party_color(1));
        chart.draw_series(DashedLineSeries::new(
            [(d0, range.start), (d0, range.end)],
            9,
            5,
            c0.stroke_width(2),
        ))?;
        chart.draw_series(DashedLineSeries::new(
            [(range.start, d1), (range.end, d1)],
            9,
            5,
            c1.stroke_width(2),
        ))?;
    }

    // Offer traces, thinned to the steps between 2-pixel cells not drawn before.
    for (party_idx, party) in [first, second].into_iter().enumerate() {
        let coord = chart.as_coord_spec().clone();
        let points = thin::by_cell(offers(record, party), |p| coord.translate(&p), 2);
        let color = style::party_color(party_idx);
        chart.draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(1)))?;
        let marker = style::party_marker(party_idx, 4.0);
        if points.len() <= thin::MAX_MARKERS {
            for point in &points {
                style::draw_marker(root, chart.backend_coord(point), &marker)?;
            }
        }
    }

    // The deal's star is drawn first and the hollow markers over it, since they hide
    // nothing: the Nash ring fits inside the Kalai–Smorodinsky square, and the real deal's
    // large star rings the deal's when the two coincide.
    let points = points(record);
    for filled in [true, false] {
        for (marker, at, _) in points.iter().filter(|(m, _, _)| m.fill.is_some() == filled) {
            style::draw_marker(root, chart.backend_coord(at), marker)?;
        }
    }

    // The legend and notes to the right of the plot.
    let (_, py) = chart.plotting_area().get_pixel_range();
    let (x, width) = (layout.legend_x, layout.legend_width);
    let used = layout::draw_legend_column(root, &layout.entries, (x, py.start), width)?;
    let note_style = text(NOTE_SIZE, MUTED, HPos::Left, VPos::Top);
    let mut y = py.start + used + 10;
    for lines in &layout.notes {
        layout::draw_lines(root, lines, &note_style, (x, y))?;
        y += lines.len() as i32 * NOTE_LINE + 8;
    }
    Ok(())
}
