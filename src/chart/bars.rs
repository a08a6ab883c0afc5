//! Horizontal bar charts of a sensitivity analysis: a tornado (one at a time: each
//! assumption's low and high end against the baseline) and index bars (Morris `mu*` and
//! `sigma`, Sobol' first-order and total indices, with their 95% intervals as whiskers).
//!
//! Drawn in page pixels: one row per assumption, largest on top, its name on the left.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use crate::chart::axis;
use crate::chart::layout;
use crate::chart::style::{
    self, AXIS_SIZE, Backend, DrawResult, GRID, HEIGHT, INK, LEGEND_SIZE, MARGIN, MUTED, TICK_SIZE,
    WIDTH, text,
};
use crate::chart::{ChartError, ChartFormat};

/// One bar of a row: from `from` to `to` in the series' colour, with an optional whisker.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// Which series (legend entry).
    pub series: usize,
    /// Where the bar starts.
    pub from: f64,
    /// Where it ends.
    pub to: f64,
    /// An interval drawn as a whisker.
    pub interval: Option<(f64, f64)>,
}

/// One row: an assumption and its bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The assumption's name.
    pub label: String,
    /// Its bars, drawn side by side in the row in order.
    pub bars: Vec<Bar>,
    /// A note at the end of the row (the values, say).
    pub note: String,
}

/// A bar chart.
#[derive(Clone, Debug, PartialEq)]
pub struct BarChart {
    /// Title.
    pub title: String,
    /// Subtitle (what is shown, how to read it).
    pub subtitle: String,
    /// The value axis's description.
    pub axis: String,
    /// Legend entries, one per series.
    pub series: Vec<String>,
    /// A vertical reference line (the baseline of a tornado).
    pub reference: Option<f64>,
    /// Rows, top first.
    pub rows: Vec<Row>,
}

const ROW: i32 = 46;
const LABEL_MAX: i32 = 420;
const AXIS_H: i32 = 64;
const LEGEND_H: i32 = 36;
const NOTE_W: i32 = 150;
const COLORS: [RGBColor; 3] = [RGBColor(0, 114, 178), RGBColor(230, 159, 0), RGBColor(0, 158, 115)];

impl BarChart {
    fn height(&self) -> u32 {
        let title = layout::title(&self.title, &self.subtitle).height;
        let h = title + LEGEND_H + self.rows.len() as i32 * ROW + AXIS_H + MARGIN;
        (h.max(HEIGHT as i32 / 2) as u32).min(style::MAX_HEIGHT)
    }
}

impl super::Picture for BarChart {
    fn draw<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE)?;
        let title = layout::title(&self.title, &self.subtitle);
        title.draw(root)?;
        // The value range: every bar, whisker and the reference, widened a little.
        // A tornado spans its values around the baseline; index bars start at 0.
        let (mut lo, mut hi) = match self.reference {
            Some(r) => (r, r),
            None => (0.0, 0.0),
        };
        for bar in self.rows.iter().flat_map(|r| &r.bars) {
            for x in
                [bar.from, bar.to].into_iter().chain(bar.interval.iter().flat_map(|i| [i.0, i.1]))
            {
                if x.is_finite() {
                    lo = lo.min(x);
                    hi = hi.max(x);
                }
            }
        }
        if hi - lo < 1e-12 {
            hi = lo + 1.0;
        }
        let pad = (hi - lo) * 0.04;
        let (lo, hi) =
            (lo - if lo < 0.0 || self.reference.is_some() { pad } else { 0.0 }, hi + pad);
        let label_w = self
            .rows
            .iter()
            .map(|r| layout::measure(&r.label, TICK_SIZE))
            .max()
            .unwrap_or(0)
            .min(LABEL_MAX);
        let x0 = MARGIN + label_w + 14;
        let x1 = WIDTH as i32 - MARGIN - NOTE_W;
        let map = |x: f64| x0 + ((x - lo) / (hi - lo) * f64::from(x1 - x0)).round() as i32;
        // Legend.
        let mut y = title.height + 6;
        let mut lx = x0;
        for (s, name) in self.series.iter().enumerate() {
            root.draw(&Rectangle::new([(lx, y + 4), (lx + 22, y + 20)], COLORS[s % 3].filled()))?;
            root.draw_text(
                name,
                &text(LEGEND_SIZE, INK, HPos::Left, VPos::Center),
                (lx + 30, y + 12),
            )?;
            lx += 30 + layout::measure(name, LEGEND_SIZE) + 30;
        }
        y += LEGEND_H;
        let top = y;
        let bottom = top + self.rows.len() as i32 * ROW;
        // Grid and ticks.
        let ticks = axis::nice_ticks(lo, hi, 8);
        let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { 1.0 };
        for t in &ticks {
            let x = map(*t);
            root.draw(&PathElement::new(vec![(x, top), (x, bottom)], GRID))?;
            root.draw_text(
                &axis::tick_label(*t, step),
                &text(TICK_SIZE, INK, HPos::Center, VPos::Top),
                (x, bottom + 8),
            )?;
        }
        root.draw_text(
            &self.axis,
            &text(AXIS_SIZE, INK, HPos::Center, VPos::Top),
            ((x0 + x1) / 2, bottom + 34),
        )?;
        if let Some(r) = self.reference {
            let x = map(r);
            root.draw(&PathElement::new(vec![(x, top - 4), (x, bottom)], INK.stroke_width(2)))?;
        } else {
            let x = map(0.0);
            root.draw(&PathElement::new(vec![(x, top), (x, bottom)], INK))?;
        }
        // Rows.
        for (k, row) in self.rows.iter().enumerate() {
            let ry = top + k as i32 * ROW;
            let label = layout::fit(&row.label, TICK_SIZE, label_w);
            root.draw_text(
                &label,
                &text(TICK_SIZE, INK, HPos::Right, VPos::Center),
                (x0 - 10, ry + ROW / 2),
            )?;
            let n = row.bars.len().max(1) as i32;
            let h = (ROW - 12) / n;
            for (b, bar) in row.bars.iter().enumerate() {
                let by = ry + 6 + b as i32 * h;
                let (a, z) = (map(bar.from.min(bar.to)), map(bar.from.max(bar.to)));
                let color = COLORS[bar.series % 3];
                root.draw(&Rectangle::new(
                    [(a, by + 2), (z.max(a + 1), by + h - 2)],
                    color.filled(),
                ))?;
                if let Some((l, u)) = bar.interval {
                    let (l, u) = (map(l), map(u));
                    let cy = by + h / 2;
                    root.draw(&PathElement::new(vec![(l, cy), (u, cy)], INK.stroke_width(2)))?;
                    for x in [l, u] {
                        root.draw(&PathElement::new(
                            vec![(x, cy - 5), (x, cy + 5)],
                            INK.stroke_width(2),
                        ))?;
                    }
                }
            }
            root.draw_text(
                &layout::fit(&row.note, TICK_SIZE, NOTE_W - 12),
                &text(TICK_SIZE, MUTED, HPos::Left, VPos::Center),
                (x1 + 12, ry + ROW / 2),
            )?;
        }
        Ok(())
    }
}

/// Draws a bar chart in one format and returns the file's bytes.
pub fn render(chart: &BarChart, file: &str, format: ChartFormat) -> Result<Vec<u8>, ChartError> {
    super::register_fonts()?;
    let draw_error = |e: Box<dyn std::error::Error + Send + Sync>| ChartError::Draw {
        file: file.to_string(),
        message: e.to_string(),
    };
    super::encode(chart, (WIDTH, chart.height()), format).map_err(draw_error)
}
