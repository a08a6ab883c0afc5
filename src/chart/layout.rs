//! Layout in pixels: titles, legends, wrapped notes and event labels, measured with the
//! registered font so that legends sit outside the data and no two labels overlap.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::style::{
    Backend, DrawResult, EVENT, HEIGHT, INK, LEGEND_SIZE, MARGIN, MUTED, Marker, NOTE_SIZE,
    SUBTITLE_SIZE, TICK_SIZE, TITLE_SIZE, WIDTH, draw_dashed, draw_marker, party_color,
    party_marker, text,
};
use crate::export::record::RunRecord;

/// One legend entry: a sample glyph and its label.
pub(crate) struct LegendEntry {
    pub glyph: Glyph,
    pub label: String,
}

/// What a legend entry shows.
pub(crate) enum Glyph {
    /// A line sample (dashed or solid), with a marker at its middle if given.
    Line { color: RGBColor, width: u32, dashed: bool, marker: Option<Marker> },
    /// A marker alone.
    Marker(Marker),
    /// Several markers side by side (one per party).
    Markers(Vec<Marker>),
    /// A dashed line whose dashes take these colours in turn (one per party).
    Dashes(Vec<RGBColor>),
}

/// Width of a glyph sample in a legend.
const GLYPH_WIDTH: i32 = 34;

/// Width of a legend entry's glyph: wider for several markers side by side.
fn glyph_width(glyph: &Glyph) -> i32 {
    match glyph {
        Glyph::Markers(markers) => GLYPH_WIDTH.max(20 * markers.len() as i32),
        _ => GLYPH_WIDTH,
    }
}

/// Draws one legend glyph with its left edge at `x`, vertically centred on `y`.
fn draw_glyph<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    glyph: &Glyph,
    x: i32,
    y: i32,
) -> DrawResult {
    match glyph {
        Glyph::Line { color, width, dashed, marker } => {
            let style = color.stroke_width(*width);
            let ends = [(x, y), (x + GLYPH_WIDTH, y)];
            if *dashed {
                area.draw(&DashedPathElement::new(ends, 6, 4, style))?;
            } else {
                area.draw(&PathElement::new(ends.to_vec(), style))?;
            }
            if let Some(marker) = marker {
                draw_marker(area, (x + GLYPH_WIDTH / 2, y), marker)?;
            }
        }
        Glyph::Marker(marker) => draw_marker(area, (x + GLYPH_WIDTH / 2, y), marker)?,
        Glyph::Dashes(colors) => {
            let period = 8.0 * colors.len().max(2) as f64;
            for (k, color) in colors.iter().enumerate() {
                let ends = [(x, y), (x + GLYPH_WIDTH, y)];
                draw_dashed(area, &ends, (6.0, period, 6.0 * k as f64), color.stroke_width(2))?;
            }
        }
        Glyph::Markers(markers) => {
            let n = markers.len().max(1) as i32;
            let width = glyph_width(glyph);
            for (k, marker) in markers.iter().enumerate() {
                let cx = x + (2 * k as i32 + 1) * width / (2 * n);
                draw_marker(area, (cx, y), marker)?;
            }
        }
    }
    Ok(())
}

/// One legend entry per party, in party order: its line colour and marker, and its name
/// ("(no offers)" added for a party that never proposed, so it has no line to show).
pub(crate) fn party_entries(record: &RunRecord) -> Vec<LegendEntry> {
    record
        .parties
        .iter()
        .enumerate()
        .map(|(party_idx, party)| LegendEntry {
            glyph: Glyph::Line {
                color: party_color(party_idx),
                width: 2,
                dashed: false,
                marker: Some(party_marker(party_idx, 4.5)),
            },
            label: if record.offers.iter().any(|o| o.proposer == party.id) {
                party.name.clone()
            } else {
                format!("{} (no offers)", party.name)
            },
        })
        .collect()
}

/// The frame of a chart drawn against rounds (offers, concessions): a white page, title and
/// subtitle, a legend in rows, and the event captions under the plot.
pub(crate) struct RoundFrame {
    /// The y just below the legend, where the plot may start.
    pub top: i32,
    /// The y just above the captions, where the plot must end.
    pub bottom: i32,
    /// The events, labelled E1, E2...
    pub events: Vec<EventLabel>,
    /// The last round drawn (at least 1).
    pub x_max: f64,
    /// The rounds the x axis spans: a little padding either side of `0..=x_max`.
    pub x_range: std::ops::Range<f64>,
    notes: Vec<String>,
}

impl RoundFrame {
    /// Draws the page, title, subtitle and legend, and lays out the event captions.
    pub(crate) fn new<DB: Backend>(
        root: &DrawingArea<DB, Shift>,
        record: &RunRecord,
        subtitle: &str,
        legend: &[LegendEntry],
    ) -> DrawResult<RoundFrame> {
        root.fill(&WHITE)?;
        let width = WIDTH as i32 - 2 * MARGIN;
        let mut top = draw_title(root, &record.scenario.name, subtitle)?;
        top += draw_legend_rows(root, legend, (MARGIN, top), width)? + 6;
        let events = event_labels(record);
        let notes = event_caption_lines(root, &events, width)?;
        let note_height = if notes.is_empty() { 8 } else { notes.len() as i32 * 18 + 14 };
        let x_max = f64::from(last_round(record).max(1));
        let pad = (x_max * 0.02).max(0.5);
        let x_range = -pad..x_max + pad;
        Ok(RoundFrame { top, bottom: HEIGHT as i32 - note_height, events, x_max, x_range, notes })
    }

    /// The pixel column of `round` on a plot spanning columns `plot_x`.
    pub(crate) fn x_pixel(&self, plot_x: (i32, i32), round: f64) -> i32 {
        let span = self.x_range.end - self.x_range.start;
        plot_x.0 + ((round - self.x_range.start) / span * f64::from(plot_x.1 - plot_x.0)) as i32
    }

    /// Draws the event captions under the plot.
    pub(crate) fn draw_notes<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let note_style = text(NOTE_SIZE, MUTED, HPos::Left, VPos::Top);
        draw_lines(root, &self.notes, &note_style, (MARGIN, self.bottom + 8), 18)?;
        Ok(())
    }
}

/// Draws legend entries in rows from `(x, y)`, wrapping at `max_width`; returns the height
/// used.
pub(crate) fn draw_legend_rows<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    (x, y): (i32, i32),
    max_width: i32,
) -> DrawResult<i32> {
    let style = text(LEGEND_SIZE, INK, HPos::Left, VPos::Center);
    let row_height = 26;
    let gap = 26;
    // Lay the entries out first, then centre each row.
    let mut rows: Vec<Vec<(&LegendEntry, i32)>> = vec![Vec::new()];
    let mut row_width = 0;
    for entry in entries {
        let (w, _) = area.estimate_text_size(&entry.label, &style)?;
        let width = glyph_width(&entry.glyph) + 8 + w as i32;
        let row = rows.last_mut().expect("one row");
        if !row.is_empty() && row_width + gap + width > max_width {
            rows.push(Vec::new());
            row_width = 0;
        }
        let row = rows.last_mut().expect("one row");
        if !row.is_empty() {
            row_width += gap;
        }
        row.push((entry, width));
        row_width += width;
    }
    for (row_idx, row) in rows.iter().enumerate() {
        let total: i32 = row.iter().map(|(_, w)| w).sum::<i32>() + gap * (row.len() as i32 - 1);
        let mut cursor = x + (max_width - total).max(0) / 2;
        let cy = y + row_idx as i32 * row_height + row_height / 2;
        for (entry, width) in row {
            draw_glyph(area, &entry.glyph, cursor, cy)?;
            let text_x = cursor + glyph_width(&entry.glyph) + 8;
            area.draw_text(&entry.label, &style, (text_x, cy))?;
            cursor += width + gap;
        }
    }
    Ok(rows.len() as i32 * row_height)
}

/// Draws legend entries one under another from `(x, y)`, wrapping long labels at
/// `max_width`; returns the height used.
pub(crate) fn draw_legend_column<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[LegendEntry],
    (x, y): (i32, i32),
    max_width: i32,
) -> DrawResult<i32> {
    let style = text(LEGEND_SIZE, INK, HPos::Left, VPos::Center);
    let line_height = 20;
    let mut cursor = y;
    for entry in entries {
        let lines = wrap(area, &entry.label, &style, max_width - GLYPH_WIDTH - 10)?;
        draw_glyph(area, &entry.glyph, x, cursor + line_height / 2)?;
        for (k, line) in lines.iter().enumerate() {
            let ly = cursor + line_height / 2 + k as i32 * line_height;
            area.draw_text(line, &style, (x + GLYPH_WIDTH + 10, ly))?;
        }
        cursor += lines.len() as i32 * line_height + 10;
    }
    Ok(cursor - y)
}

/// Draws the title (shrunk to fit the width if needed) and a muted subtitle, centred at the
/// top of the page; returns the height used.
pub(crate) fn draw_title<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
) -> DrawResult<i32> {
    let max_width = WIDTH as i32 - 2 * MARGIN;
    let mut size = TITLE_SIZE;
    let mut style = text(size, INK, HPos::Center, VPos::Top);
    while size > 14.0 && area.estimate_text_size(title, &style)?.0 as i32 > max_width {
        size -= 1.0;
        style = text(size, INK, HPos::Center, VPos::Top);
    }
    let center = WIDTH as i32 / 2;
    area.draw_text(title, &style, (center, 12))?;
    let mut y = 12 + size as i32 + 8;
    if !subtitle.is_empty() {
        let sub = text(SUBTITLE_SIZE, MUTED, HPos::Center, VPos::Top);
        for line in wrap(area, subtitle, &sub, max_width)? {
            area.draw_text(&line, &sub, (center, y))?;
            y += SUBTITLE_SIZE as i32 + 5;
        }
    }
    Ok(y + 4)
}

/// Draws note lines (already wrapped) left-aligned from `(x, y)`.
pub(crate) fn draw_lines<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    style: &TextStyle,
    (x, y): (i32, i32),
    line_height: i32,
) -> DrawResult {
    for (k, line) in lines.iter().enumerate() {
        area.draw_text(line, style, (x, y + k as i32 * line_height))?;
    }
    Ok(())
}

/// Splits `text` into lines no wider than `max_width` pixels, breaking between words (a
/// single word wider than that gets a line of its own).
pub(crate) fn wrap<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle,
    max_width: i32,
) -> DrawResult<Vec<String>> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if !line.is_empty() && area.estimate_text_size(&candidate, style)?.0 as i32 > max_width {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// A run's events as short labels (`E1`, `E2`, ...) with their rounds and descriptions.
pub(crate) struct EventLabel {
    pub round: u32,
    pub short: String,
    pub caption: String,
}

/// The events of a run, labelled in order.
pub(crate) fn event_labels(record: &RunRecord) -> Vec<EventLabel> {
    record
        .events
        .iter()
        .enumerate()
        .map(|(k, event)| {
            let ends = if event.ends_talks { " (ended the talks)" } else { "" };
            EventLabel {
                round: event.round,
                short: format!("E{}", k + 1),
                caption: format!(
                    "E{} (round {}){ends}: {}",
                    k + 1,
                    event.round,
                    event.description.trim()
                ),
            }
        })
        .collect()
}

/// Height of one row of event labels above a plot.
pub(crate) const EVENT_ROW: i32 = 18;

/// Rows for event labels centred at the given pixel `x`s with the given widths, so that no two
/// labels on a row overlap: each label takes the first row whose last label ends before it.
pub(crate) fn stagger(labels: &[(i32, i32)]) -> Vec<usize> {
    let mut row_ends: Vec<i32> = Vec::new();
    labels
        .iter()
        .map(|&(x, width)| {
            let start = x - width / 2;
            match row_ends.iter().position(|end| *end + 6 <= start) {
                Some(row) => {
                    row_ends[row] = x + width - width / 2;
                    row
                }
                None => {
                    row_ends.push(x + width - width / 2);
                    row_ends.len() - 1
                }
            }
        })
        .collect()
}

/// How many label rows [`draw_event_labels`] needs for these events on a plot spanning
/// `x_of(round)` pixels.
pub(crate) fn event_rows<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    events: &[EventLabel],
    x_of: impl Fn(f64) -> i32,
) -> DrawResult<usize> {
    Ok(event_rows_of(area, events, x_of)?.into_iter().max().map_or(0, |r| r + 1))
}

fn event_rows_of<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    events: &[EventLabel],
    x_of: impl Fn(f64) -> i32,
) -> DrawResult<Vec<usize>> {
    let style = text(TICK_SIZE, EVENT, HPos::Center, VPos::Bottom);
    let mut labels = Vec::with_capacity(events.len());
    for event in events {
        let (w, _) = area.estimate_text_size(&event.short, &style)?;
        labels.push((x_of(f64::from(event.round)), w as i32));
    }
    Ok(stagger(&labels))
}

/// Draws the events' short labels in rows ending just above `plot_top`, each over its round
/// (the first row nearest the plot).
pub(crate) fn draw_event_labels<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    events: &[EventLabel],
    x_of: impl Fn(f64) -> i32,
    plot_top: i32,
) -> DrawResult {
    let rows = event_rows_of(area, events, &x_of)?;
    let style = text(TICK_SIZE, EVENT, HPos::Center, VPos::Bottom);
    for (event, row) in events.iter().zip(rows) {
        let x = x_of(f64::from(event.round));
        area.draw_text(&event.short, &style, (x, plot_top - 3 - row as i32 * EVENT_ROW))?;
    }
    Ok(())
}

/// The events' captions wrapped to `max_width`, one or more lines each.
pub(crate) fn event_caption_lines<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    events: &[EventLabel],
    max_width: i32,
) -> DrawResult<Vec<String>> {
    let style = text(NOTE_SIZE, MUTED, HPos::Left, VPos::Top);
    let mut lines = Vec::new();
    for event in events {
        for (k, line) in wrap(area, &event.caption, &style, max_width)?.into_iter().enumerate() {
            lines.push(if k == 0 { line } else { format!("    {line}") });
        }
    }
    Ok(lines)
}

/// The last round anything happens in: offers, events, the end, and the real deal's round.
pub(crate) fn last_round(record: &RunRecord) -> u32 {
    let offers = record.offers.iter().map(|o| o.round);
    let events = record.events.iter().map(|e| e.round);
    let observed = record.analysis.observed.as_ref().and_then(|o| o.round);
    offers.chain(events).chain(observed).chain([record.outcome.round]).max().unwrap_or(0)
}

/// A one-line account of the outcome, for subtitles.
pub(crate) fn outcome_line(record: &RunRecord) -> String {
    let mut summary = record.outcome.summary.trim().to_string();
    if let Some(first) = summary.get(..1) {
        summary = first.to_uppercase() + &summary[1..];
    }
    summary
}
