//! The `concessions` chart: each party's own utility of its own offers, round by round.
//!
//! A falling line is a party conceding. Each party's reservation value is a dashed line in its
//! colour, from its starting value, with a step at each event that moves it. The deal is a
//! star at each party's utility of the agreed terms. Utilities are undiscounted, with the
//! parameters in force at each round, as in the record.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::axis::{self, TickedAxis};
use crate::chart::layout::{self, Glyph, LegendEntry, RoundFrame};
use crate::chart::style::{
    self, AXIS_SIZE, Backend, DrawResult, EVENT, GRID, INK, MARGIN, Marker, TICK_SIZE, WIDTH, text,
};
use crate::chart::thin;
use crate::export::record::RunRecord;

/// Width of the utility axis (ticks and description).
const Y_LABEL_WIDTH: i32 = 76;
/// Height of the round axis.
const X_AXIS_HEIGHT: i32 = 52;
/// Right margin of the plot.
const RIGHT: i32 = MARGIN + 8;

/// The most stars the deal's legend entry shows, one per party.
const MAX_STARS: usize = 6;
/// Height of the plot with its round axis.
const BODY: i32 = 560;

fn frame(record: &RunRecord) -> RoundFrame {
    let subtitle = format!(
        "Each party's own utility of the offers it made (undiscounted). {}.",
        layout::outcome_line(record)
    );
    let plot_x = (MARGIN + Y_LABEL_WIDTH, WIDTH as i32 - RIGHT);
    RoundFrame::plan(record, &subtitle, legend(record), plot_x)
}

/// The chart's height: a plot of fixed size, plus what the legend and the events need.
pub(crate) fn height(record: &RunRecord) -> u32 {
    frame(record).page_height(BODY)
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: Backend>(root: &DrawingArea<DB, Shift>, record: &RunRecord) -> DrawResult {
    let frame = frame(record);
    frame.draw_header(root)?;
    let (x_max, x_range) = (frame.x_max, frame.x_range.clone());
    let y_range = -0.03..1.05;
    let top = frame.top();
    let strip = frame.strip();
    let area = root.clone().shrink((0, top), (WIDTH, (strip + BODY) as u32));
    let mut chart = ChartBuilder::on(&area)
        .margin_left(MARGIN)
        .margin_right(RIGHT)
        .margin_top(strip)
        .x_label_area_size(X_AXIS_HEIGHT)
        .y_label_area_size(Y_LABEL_WIDTH)
        .build_cartesian_2d(
            TickedAxis::new(x_range.clone(), axis::round_ticks(x_max, 12)),
            TickedAxis::new(y_range.clone(), axis::nice_ticks(0.0, 1.0, 5)),
        )?;
    let x_label = |x: &f64| axis::tick_label(*x, 1.0);
    let y_label = |y: &f64| axis::tick_label(*y, 0.2);
    chart
        .configure_mesh()
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.8))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .x_label_style(text(TICK_SIZE, INK, HPos::Center, VPos::Top))
        .y_label_style(text(TICK_SIZE, INK, HPos::Right, VPos::Center))
        .x_desc("Round")
        .y_desc("Own utility (0–1)")
        .axis_desc_style(text(AXIS_SIZE, INK, HPos::Center, VPos::Center))
        .draw()?;
    let (_, py) = chart.plotting_area().get_pixel_range();
    let x_at = |round: f64| chart.backend_coord(&(round, 0.0)).0;
    frame.draw_event_labels(root, x_at, py.start)?;
    let event_rounds: std::collections::BTreeSet<u32> =
        record.events.iter().map(|e| e.round).collect();
    for &round in &event_rounds {
        let x = f64::from(round);
        chart.draw_series(DashedLineSeries::new(
            [(x, y_range.start), (x, y_range.end)],
            5,
            4,
            EVENT.stroke_width(1),
        ))?;
    }

    // Reservations first, then the offer lines, then markers, then the deal. Reservations
    // share a dash period with different phases, so equal ones show both colours.
    let period = 8.0 * record.parties.len().max(2) as f64;
    for party_idx in 0..record.parties.len() {
        let steps = reservation_steps(record, party_idx, x_range.clone());
        let pixels: Vec<(i32, i32)> = steps.iter().map(|p| chart.backend_coord(p)).collect();
        let color = style::party_color(party_idx).stroke_width(2);
        style::draw_dashed(root, &pixels, (8.0, period, 8.0 * party_idx as f64), color)?;
    }
    // Each party's own offers, thinned to what the pixels show.
    let coord = chart.as_coord_spec().clone();
    let column = |round: f64| coord.translate(&(round, 0.0)).0;
    let own_offers: Vec<Vec<(f64, f64)>> = record
        .parties
        .iter()
        .map(|party| {
            let offers =
                record.offers.iter().filter(|offer| offer.proposer == party.id).filter_map(
                    |offer| {
                        let (_, u) = offer.utilities.0.iter().find(|(id, _)| *id == party.id)?;
                        Some((f64::from(offer.round), *u))
                    },
                );
            thin::by_column(offers, column, |round| event_rounds.contains(&(round as u32)))
        })
        .collect();
    for (party_idx, points) in own_offers.iter().enumerate() {
        let color = style::party_color(party_idx);
        chart.draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(2)))?;
    }
    for (party_idx, points) in own_offers.iter().enumerate() {
        if points.len() > thin::MAX_MARKERS {
            continue;
        }
        let marker = style::party_marker(party_idx, 4.5);
        for point in points {
            style::draw_marker(root, chart.backend_coord(point), &marker)?;
        }
    }
    if record.outcome.terms.is_some() {
        let round = f64::from(record.outcome.round);
        for (party_idx, party) in record.parties.iter().enumerate() {
            if let Some(u) = party.utility {
                let marker = style::deal_marker_in(style::party_color(party_idx));
                style::draw_marker(root, chart.backend_coord(&(round, u)), &marker)?;
            }
        }
    }

    frame.draw_notes(root)
}

/// The legend: parties, reservations, the deal and events.
fn legend(record: &RunRecord) -> Vec<LegendEntry> {
    let mut entries = layout::party_entries(record);
    entries.push(LegendEntry {
        glyph: Glyph::Dashes((0..record.parties.len()).map(style::party_color).collect()),
        label: "Reservation value".to_string(),
    });
    if record.outcome.terms.is_some() {
        // One star per party in its colour; past a few parties, one star stands for all.
        let n = record.parties.len();
        let stars: Vec<Marker> = (0..n.min(MAX_STARS))
            .map(|p| Marker { radius: 8.0, ..style::deal_marker_in(style::party_color(p)) })
            .collect();
        let label = if n > MAX_STARS {
            format!("Deal (round {}): a star per party, in its colour", record.outcome.round)
        } else {
            format!("Deal (round {})", record.outcome.round)
        };
        let glyph = if n > MAX_STARS { Glyph::Marker(stars[0]) } else { Glyph::Markers(stars) };
        entries.push(LegendEntry { glyph, label });
    }
    if !record.events.is_empty() {
        entries.push(LegendEntry {
            glyph: Glyph::Line { color: EVENT, width: 1, dashed: true, marker: None },
            label: "Event (see below)".to_string(),
        });
    }
    entries
}

/// The parameter path an event uses to set the party's reservation value.
fn reservation_path(party_id: &str) -> String {
    format!("parties.{party_id}.reservation")
}

/// The party's reservation value as a step line across `x_range`: its starting value, then
/// a step at each event that sets it.
fn reservation_steps(record: &RunRecord, party_idx: usize, x_range: Range<f64>) -> Vec<(f64, f64)> {
    let party = &record.parties[party_idx];
    let path = reservation_path(&party.id);
    let mut points = vec![(x_range.start, party.initial_reservation)];
    let mut current = party.initial_reservation;
    for event in &record.events {
        if let Some((_, value)) = event.set.0.iter().find(|(p, _)| *p == path) {
            let round = f64::from(event.round);
            points.push((round, current));
            points.push((round, *value));
            current = *value;
        }
    }
    points.push((x_range.end, current));
    points
}
