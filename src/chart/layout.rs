//! Layout in pixels: titles, legends, wrapped notes and event labels, measured with the
//! vendored font (see `typeset`) before anything is drawn, so that each chart's height can
//! follow from its content, legends sit outside the data and no two labels overlap.

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::style::{
    Backend, DISTINCT_PARTIES, DrawResult, EVENT, INK, LEGEND_SIZE, MARGIN, MUTED, Marker,
    NOTE_LINE, NOTE_SIZE, SUBTITLE_SIZE, TICK_SIZE, TITLE_SIZE, WIDTH, draw_dashed, draw_marker,
    party_color, party_marker, text,
};
use crate::chart::typeset;
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
/// ("(no offers)" added for a party that never proposed, so it has no line to show). Past
/// the parties that have a marker of their own, one entry says how many are left out.
pub(crate) fn party_entries(record: &RunRecord) -> Vec<LegendEntry> {
    let mut proposers: Vec<&str> = record.offers.iter().map(|o| o.proposer.as_str()).collect();
    proposers.sort_unstable();
    proposers.dedup();
    let mut entries: Vec<LegendEntry> = record
        .parties
        .iter()
        .take(DISTINCT_PARTIES)
        .enumerate()
        .map(|(party_idx, party)| LegendEntry {
            glyph: Glyph::Line {
                color: party_color(party_idx),
                width: 2,
                dashed: false,
                marker: Some(party_marker(party_idx, 4.5)),
            },
            label: if proposers.binary_search(&party.id.as_str()).is_ok() {
                party.name.clone()
            } else {
                format!("{} (no offers)", party.name)
            },
        })
        .collect();
    if record.parties.len() > DISTINCT_PARTIES {
        entries.push(LegendEntry {
            glyph: Glyph::Line { color: MUTED, width: 2, dashed: false, marker: None },
            label: format!(
                "{} more parties, not in this legend: their colours and markers repeat",
                record.parties.len() - DISTINCT_PARTIES
            ),
        });
    }
    entries
}

/// The width in pixels of `text` at font size `size`.
pub(crate) fn measure(text: &str, size: f64) -> i32 {
    typeset::text_width(text, typeset::em(size)).ceil() as i32
}

/// `measure(text, size).min(max)`, in time bounded by what fits in `max` (a label of any
/// length costs no more than one that fills the room).
pub(crate) fn measure_up_to(text: &str, size: f64, max: i32) -> i32 {
    let em = typeset::em(size);
    if typeset::fitting_prefix(text, em, max as f32, "") == text.len() {
        measure(text, size).min(max)
    } else {
        max
    }
}

/// The most characters of one text that [`wrap`] lays out.
pub(crate) const MAX_WRAPPED_CHARS: usize = 2_000;

/// Splits `text` into lines no wider than `max_width` pixels at font size `size`, breaking
/// between words (a word wider than that is cut between characters).
///
/// Only the first [`MAX_WRAPPED_CHARS`] characters are wrapped (then `…`): a label of any
/// length costs a bounded number of lines and little time.
pub(crate) fn wrap(text: &str, size: f64, max_width: i32) -> Vec<String> {
    let cut: String;
    let text = match text.char_indices().nth(MAX_WRAPPED_CHARS) {
        Some((end, _)) => {
            cut = format!("{}…", &text[..end]);
            cut.as_str()
        }
        None => text,
    };
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if measure_up_to(&candidate, size, max_width + 1) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word too long for a line of its own is cut (at least one character a line).
        let mut rest = word;
        loop {
            let end = typeset::fitting_prefix(rest, typeset::em(size), max_width as f32, "");
            if end == rest.len() {
                line = rest.to_string();
                break;
            }
            let end = end.max(rest.chars().next().map_or(0, char::len_utf8));
            lines.push(rest[..end].to_string());
            rest = &rest[end..];
            if rest.is_empty() {
                break;
            }
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A title and subtitle laid out for the page width.
pub(crate) struct Title {
    text: String,
    size: f64,
    subtitle: Vec<String>,
    /// The height used, from the top of the page.
    pub height: i32,
}

/// Lays out the title (shrunk to fit the width if needed, then wrapped) and the muted
/// subtitle, centred at the top of the page.
pub(crate) fn title(title: &str, subtitle: &str) -> Title {
    let max_width = WIDTH as i32 - 2 * MARGIN;
    let mut size = TITLE_SIZE;
    let fits = |size: f64| {
        typeset::fitting_prefix(title, typeset::em(size), max_width as f32, "") == title.len()
    };
    while size > 20.0 && !fits(size) {
        size -= 1.0;
    }
    let title_lines = wrap(title, size, max_width).len().max(1) as i32;
    let subtitle = wrap(subtitle, SUBTITLE_SIZE, max_width);
    let line = (size / 1.24 * 1.3).round() as i32;
    let height = 12 + title_lines * line + 6 + subtitle.len() as i32 * NOTE_LINE + 6;
    Title { text: title.to_string(), size, subtitle, height }
}

impl Title {
    /// Draws the title and subtitle.
    pub(crate) fn draw<DB: Backend>(&self, area: &DrawingArea<DB, Shift>) -> DrawResult {
        let max_width = WIDTH as i32 - 2 * MARGIN;
        let center = WIDTH as i32 / 2;
        let style = text(self.size, INK, HPos::Center, VPos::Top);
        let line = (self.size / 1.24 * 1.3).round() as i32;
        let mut y = 12;
        for part in wrap(&self.text, self.size, max_width) {
            area.draw_text(&part, &style, (center, y))?;
            y += line;
        }
        y += 6;
        let sub = text(SUBTITLE_SIZE, MUTED, HPos::Center, VPos::Top);
        for part in &self.subtitle {
            area.draw_text(part, &sub, (center, y))?;
            y += NOTE_LINE;
        }
        Ok(())
    }
}

/// Legend entries laid out in centred rows.
pub(crate) struct LegendRows {
    /// Each row: entry index and width.
    rows: Vec<Vec<(usize, i32)>>,
    max_width: i32,
}

/// Height of a legend row.
const LEGEND_ROW: i32 = 28;
/// Space between legend entries on a row.
const LEGEND_GAP: i32 = 26;

/// Lays legend entries out in rows no wider than `max_width`.
pub(crate) fn legend_rows(entries: &[LegendEntry], max_width: i32) -> LegendRows {
    let mut rows: Vec<Vec<(usize, i32)>> = Vec::new();
    let mut row_width = 0;
    for (k, entry) in entries.iter().enumerate() {
        let label_room = max_width - glyph_width(&entry.glyph) - 8;
        let label = measure_up_to(&entry.label, LEGEND_SIZE, label_room);
        let width = glyph_width(&entry.glyph) + 8 + label;
        match rows.last_mut() {
            Some(row) if row_width + LEGEND_GAP + width <= max_width => {
                row.push((k, width));
                row_width += LEGEND_GAP + width;
            }
            _ => {
                rows.push(vec![(k, width)]);
                row_width = width;
            }
        }
    }
    LegendRows { rows, max_width }
}

impl LegendRows {
    /// The height of the rows.
    pub(crate) fn height(&self) -> i32 {
        self.rows.len() as i32 * LEGEND_ROW
    }

    /// Draws the rows from `(x, y)`.
    pub(crate) fn draw<DB: Backend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        entries: &[LegendEntry],
        (x, y): (i32, i32),
    ) -> DrawResult {
        let style = text(LEGEND_SIZE, INK, HPos::Left, VPos::Center);
        for (row_idx, row) in self.rows.iter().enumerate() {
            let total: i32 =
                row.iter().map(|(_, w)| w).sum::<i32>() + LEGEND_GAP * (row.len() as i32 - 1);
            let mut cursor = x + (self.max_width - total).max(0) / 2;
            let cy = y + row_idx as i32 * LEGEND_ROW + LEGEND_ROW / 2;
            for &(k, width) in row {
                let entry = &entries[k];
                draw_glyph(area, &entry.glyph, cursor, cy)?;
                let text_x = cursor + glyph_width(&entry.glyph) + 8;
                let room = width - glyph_width(&entry.glyph) - 8;
                area.draw_text(&fit(&entry.label, LEGEND_SIZE, room), &style, (text_x, cy))?;
                cursor += width + LEGEND_GAP;
            }
        }
        Ok(())
    }
}

/// `text` cut with an ellipsis to fit `max_width` pixels.
pub(crate) fn fit(text: &str, size: f64, max_width: i32) -> String {
    let em = typeset::em(size);
    let whole = typeset::fitting_prefix(text, em, max_width as f32, "");
    if whole == text.len() {
        return text.to_string();
    }
    let end = typeset::fitting_prefix(text, em, max_width as f32, "…");
    format!("{}…", text[..end].trim_end())
}

/// Height of a legend column of these entries, wrapped to `max_width`.
pub(crate) fn legend_column_height(entries: &[LegendEntry], max_width: i32) -> i32 {
    entries
        .iter()
        .map(|e| wrap(&e.label, LEGEND_SIZE, max_width - GLYPH_WIDTH - 10).len().max(1) as i32)
        .map(|lines| lines * NOTE_LINE + 10)
        .sum()
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
    let mut cursor = y;
    for entry in entries {
        let lines = wrap(&entry.label, LEGEND_SIZE, max_width - GLYPH_WIDTH - 10);
        draw_glyph(area, &entry.glyph, x, cursor + NOTE_LINE / 2)?;
        for (k, line) in lines.iter().enumerate() {
            let ly = cursor + NOTE_LINE / 2 + k as i32 * NOTE_LINE;
            area.draw_text(line, &style, (x + GLYPH_WIDTH + 10, ly))?;
        }
        cursor += lines.len().max(1) as i32 * NOTE_LINE + 10;
    }
    Ok(cursor - y)
}

/// Draws note lines (already wrapped) left-aligned from `(x, y)`.
pub(crate) fn draw_lines<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    lines: &[String],
    style: &TextStyle,
    (x, y): (i32, i32),
) -> DrawResult {
    for (k, line) in lines.iter().enumerate() {
        area.draw_text(line, style, (x, y + k as i32 * NOTE_LINE))?;
    }
    Ok(())
}

/// The events of a run, one label per round they fall on: `E3`, or `E3–E5` for several
/// events at the same round.
pub(crate) struct EventLabel {
    pub round: u32,
    pub short: String,
}

/// The most events captioned under a chart; the rest are named in one line.
pub(crate) const MAX_CAPTIONS: usize = 40;
/// The most rows of event labels above a plot; labels that would need more are left out.
pub(crate) const MAX_LABEL_ROWS: usize = 5;
/// Height of one row of event labels above a plot.
pub(crate) const EVENT_ROW: i32 = 20;

/// The events' labels, one per round with events (events come in round order).
pub(crate) fn event_labels(record: &RunRecord) -> Vec<EventLabel> {
    let mut labels: Vec<(u32, usize, usize)> = Vec::new();
    for (k, event) in record.events.iter().enumerate() {
        match labels.last_mut() {
            Some((round, _, last)) if *round == event.round => *last = k,
            _ => labels.push((event.round, k, k)),
        }
    }
    labels
        .into_iter()
        .map(|(round, first, last)| EventLabel {
            round,
            short: if first == last {
                format!("E{}", first + 1)
            } else {
                format!("E{}–E{}", first + 1, last + 1)
            },
        })
        .collect()
}

/// The events' captions, wrapped to `max_width`: one or more lines each, the first
/// [`MAX_CAPTIONS`] events, then one line for the rest.
pub(crate) fn event_captions(record: &RunRecord, max_width: i32) -> Vec<String> {
    let mut lines = Vec::new();
    for (k, event) in record.events.iter().enumerate().take(MAX_CAPTIONS) {
        let ends = if event.ends_talks { " (ended the talks)" } else { "" };
        let caption =
            format!("E{} (round {}){ends}: {}", k + 1, event.round, event.description.trim());
        for (line_idx, line) in wrap(&caption, NOTE_SIZE, max_width - 30).into_iter().enumerate() {
            lines.push(if line_idx == 0 { line } else { format!("      {line}") });
        }
    }
    let n = record.events.len();
    if n > MAX_CAPTIONS {
        lines.push(format!(
            "E{}–E{n}: {} more events, listed in the report and in run.json",
            MAX_CAPTIONS + 1,
            n - MAX_CAPTIONS
        ));
    }
    lines
}

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

/// The frame of a chart drawn against rounds (offers, concessions), laid out before drawing:
/// a white page, title and subtitle, a legend in rows, event labels in rows above the plot
/// and the event captions under it. Its height grows with all of them.
pub(crate) struct RoundFrame {
    title: Title,
    legend: Vec<LegendEntry>,
    legend_rows: LegendRows,
    /// The event labels, with their rows (`None`: left out, too crowded).
    pub labels: Vec<(EventLabel, Option<usize>)>,
    notes: Vec<String>,
    /// The last round drawn (at least 1).
    pub x_max: f64,
    /// The rounds the x axis spans: a little padding either side of `0..=x_max`.
    pub x_range: std::ops::Range<f64>,
}

impl RoundFrame {
    /// Lays out the frame of a chart whose plot spans the pixel columns `plot_x`.
    pub(crate) fn plan(
        record: &RunRecord,
        subtitle: &str,
        legend: Vec<LegendEntry>,
        plot_x: (i32, i32),
    ) -> RoundFrame {
        let width = WIDTH as i32 - 2 * MARGIN;
        let title = title(&record.scenario.name, subtitle);
        let legend_rows = legend_rows(&legend, width);
        let x_max = f64::from(last_round(record).max(1));
        let pad = (x_max * 0.02).max(0.5);
        let x_range = -pad..x_max + pad;
        let mut frame = RoundFrame {
            title,
            legend,
            legend_rows,
            labels: Vec::new(),
            notes: Vec::new(),
            x_max,
            x_range,
        };
        let labels = event_labels(record);
        let placed: Vec<(i32, i32)> = labels
            .iter()
            .map(|l| (frame.x_pixel(plot_x, f64::from(l.round)), measure(&l.short, TICK_SIZE)))
            .collect();
        let rows = stagger(&placed);
        let left_out = rows.iter().filter(|r| **r >= MAX_LABEL_ROWS).count();
        frame.labels = labels
            .into_iter()
            .zip(rows)
            .map(|(label, row)| (label, (row < MAX_LABEL_ROWS).then_some(row)))
            .collect();
        frame.notes = event_captions(record, width);
        if left_out > 0 {
            frame.notes.push(format!(
                "{left_out} event labels are left out above the plot: their events are too                  close together; their dashed lines are drawn"
            ));
        }
        frame
    }

    /// The y just below the legend, where the event labels (then the plot) start.
    pub(crate) fn top(&self) -> i32 {
        self.title.height + self.legend_rows.height() + 6
    }

    /// The height of the event label rows above the plot (a small gap if none).
    pub(crate) fn strip(&self) -> i32 {
        match self.labels.iter().filter_map(|(_, row)| *row).max() {
            Some(row) => (row as i32 + 1) * EVENT_ROW + 6,
            None => 8,
        }
    }

    /// The height of the captions block under the plot.
    pub(crate) fn notes_height(&self) -> i32 {
        if self.notes.is_empty() { 8 } else { self.notes.len() as i32 * NOTE_LINE + 16 }
    }

    /// The page height for a plot body (plot and round axis) of `body` pixels.
    pub(crate) fn page_height(&self, body: i32) -> u32 {
        (self.top() + self.strip() + body + self.notes_height()).max(1) as u32
    }

    /// The pixel column of `round` on a plot spanning columns `plot_x`.
    pub(crate) fn x_pixel(&self, plot_x: (i32, i32), round: f64) -> i32 {
        let span = self.x_range.end - self.x_range.start;
        plot_x.0 + ((round - self.x_range.start) / span * f64::from(plot_x.1 - plot_x.0)) as i32
    }

    /// Draws the page, title, subtitle and legend.
    pub(crate) fn draw_header<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE)?;
        self.title.draw(root)?;
        self.legend_rows.draw(root, &self.legend, (MARGIN, self.title.height))
    }

    /// Draws the event labels in their rows ending just above `plot_top`, each over its
    /// round's pixel column `x_of(round)` (the first row nearest the plot).
    pub(crate) fn draw_event_labels<DB: Backend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        x_of: impl Fn(f64) -> i32,
        plot_top: i32,
    ) -> DrawResult {
        let style = text(TICK_SIZE, EVENT, HPos::Center, VPos::Bottom);
        for (label, row) in &self.labels {
            if let Some(row) = row {
                let x = x_of(f64::from(label.round));
                let y = plot_top - 4 - *row as i32 * EVENT_ROW;
                root.draw_text(&label.short, &style, (x, y))?;
            }
        }
        Ok(())
    }

    /// Draws the event captions at the foot of the page.
    pub(crate) fn draw_notes<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        let note_style = text(NOTE_SIZE, MUTED, HPos::Left, VPos::Top);
        let height = root.dim_in_pixel().1 as i32;
        draw_lines(root, &self.notes, &note_style, (MARGIN, height - self.notes_height() + 10))
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staggered_labels_never_overlap_on_a_row() {
        let labels: Vec<(i32, i32)> = (0..40).map(|k| (100 + (k * 7) % 90, 30 + k % 3)).collect();
        let rows = stagger(&labels);
        for (a, (xa, wa)) in labels.iter().enumerate() {
            for (b, (xb, wb)) in labels.iter().enumerate().skip(a + 1) {
                if rows[a] == rows[b] {
                    let (sa, ea) = (xa - wa / 2, xa + wa - wa / 2);
                    let (sb, eb) = (xb - wb / 2, xb + wb - wb / 2);
                    assert!(ea + 6 <= sb || eb + 6 <= sa, "labels {a} and {b} overlap");
                }
            }
        }
    }

    #[test]
    fn wrapped_lines_fit_and_long_words_are_cut() {
        let text = "a short start then averyveryveryveryveryveryveryverylongwordwithoutspaces end";
        for line in wrap(text, NOTE_SIZE, 200) {
            assert!(measure(&line, NOTE_SIZE) <= 200, "{line}");
        }
        assert_eq!(fit("short", NOTE_SIZE, 500), "short");
        let cut = fit(&"x".repeat(500), NOTE_SIZE, 100);
        assert!(cut.ends_with('…') && measure(&cut, NOTE_SIZE) <= 100, "{cut}");
    }
}
