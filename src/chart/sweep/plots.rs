//! Drawing the sweep charts: the page (title, subtitle, legend, colour scale, notes) laid out
//! before drawing, then lines with bands, box plots, heatmaps or dots.

use std::ops::Range;

use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::words::{self, path_title, path_words};
use super::{Shape, SweepChart};
use crate::chart::axis::{self, TickedAxis};
use crate::chart::layout::{self, Glyph, LegendEntry, LegendRows, Title};
use crate::chart::style::{
    self, AXIS_SIZE, Backend, DrawResult, EVENT, GRID, INK, MARGIN, MUTED, Marker, NOTE_LINE,
    NOTE_SIZE, Shape as MarkerShape, TICK_SIZE, WIDTH, text,
};
use crate::sweep::table::{AxisKind, Group, MetricId, Stats, SweepTable};

/// Height of the plot with its horizontal axis.
const BODY: i32 = 560;
/// Height of the horizontal axis (ticks and description).
const X_AXIS: i32 = 64;
/// Right margin of the plot.
const RIGHT: i32 = MARGIN + 12;
/// Height of the colour scale block (title, bar, ticks).
const SCALE_HEIGHT: i32 = 84;
/// Width of the colour scale bar.
const SCALE_WIDTH: i32 = 520;
/// Markers on a line up to this many values.
const MAX_LINE_MARKERS: usize = 60;
/// Fill of cells and spans without a value (no deal).
const EMPTY: RGBColor = RGBColor(232, 232, 232);

/// `color` mixed with white: `share` of the colour.
fn tint(color: RGBColor, share: f64) -> RGBColor {
    let mix = |c: u8| (255.0 - (255.0 - f64::from(c)) * share).round() as u8;
    RGBColor(mix(color.0), mix(color.1), mix(color.2))
}

/// The colour of a series: a party's colour for its gain, the first party colour otherwise.
fn series_color(metric: MetricId) -> RGBColor {
    match metric {
        MetricId::Gain(p) => style::party_color(p),
        _ => style::party_color(0),
    }
}

/// Viridis, sampled at nine points and interpolated: a sequential scale readable in grey
/// and with colour-blindness.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 45, 123),
    (59, 82, 139),
    (44, 114, 142),
    (33, 145, 140),
    (40, 174, 128),
    (94, 201, 98),
    (173, 220, 48),
    (253, 231, 37),
];

/// The colour of `t` in [0, 1] on the scale.
fn viridis(t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let x = t * (VIRIDIS.len() - 1) as f64;
    let i = (x.floor() as usize).min(VIRIDIS.len() - 2);
    let f = x - i as f64;
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |p: u8, q: u8| (f64::from(p) + f * (f64::from(q) - f64::from(p))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Ink that reads on a background colour.
fn ink_on(color: RGBColor) -> RGBColor {
    let luminance =
        0.299 * f64::from(color.0) + 0.587 * f64::from(color.1) + 0.114 * f64::from(color.2);
    if luminance < 140.0 { WHITE } else { INK }
}

/// A value scale: its range, ticks and tick labels.
struct Scale {
    range: Range<f64>,
    ticks: Vec<f64>,
    labels: Vec<String>,
}

impl Scale {
    fn numeric(lo: f64, hi: f64, target: usize, pad: f64) -> Scale {
        let (lo, hi) = if hi > lo { (lo, hi) } else { widen(lo) };
        let ticks = axis::nice_ticks(lo, hi, target);
        let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { (hi - lo).max(1e-9) };
        let labels = ticks.iter().map(|t| axis::tick_label(*t, step)).collect();
        let margin = (hi - lo) * pad;
        Scale { range: lo - margin..hi + margin, ticks, labels }
    }

    fn percent() -> Scale {
        let ticks: Vec<f64> = (0..=5).map(|k| f64::from(k) * 0.2).collect();
        let labels = ticks.iter().map(|t| format!("{:.0}%", t * 100.0)).collect();
        Scale { range: -0.03..1.03, ticks, labels }
    }

    fn rounds(max: f64) -> Scale {
        let ticks = axis::round_ticks(max.max(1.0), 8);
        let labels = ticks.iter().map(|t| axis::tick_label(*t, 1.0)).collect();
        Scale { range: -0.02 * max.max(1.0)..max.max(1.0) * 1.04, ticks, labels }
    }

    /// Cells or categories at 0..n, labelled with `names` (every k-th when crowded).
    /// `room` is the axis length in pixels; labels across it take their width, labels up
    /// it (`upright`) a line each.
    fn cells(names: &[String], room: i32, upright: bool) -> Scale {
        let n = names.len();
        let widest = if upright {
            NOTE_LINE
        } else {
            names.iter().map(|s| layout::measure(s, TICK_SIZE)).max().unwrap_or(0)
        };
        let every = ((widest + 12) as usize * n).div_ceil(room.max(1) as usize).max(1);
        let ticks: Vec<f64> = (0..n).step_by(every).map(|i| i as f64).collect();
        let labels = ticks.iter().map(|t| names[*t as usize].clone()).collect();
        Scale { range: -0.5..n as f64 - 0.5, ticks, labels }
    }

    /// Cells at 0..n for a numeric axis: evenly spaced values with many cells get round
    /// ticks placed between cells where they fall (0.5, 0.6, ...), others a label per cell.
    fn numeric_cells(numbers: &[f64], names: &[String], room: i32, upright: bool) -> Scale {
        let n = numbers.len();
        let cells = Scale::cells(names, room, upright);
        if n < 3 || cells.ticks.len() == n {
            return cells;
        }
        let step = (numbers[n - 1] - numbers[0]) / (n - 1) as f64;
        let even = step > 0.0
            && numbers
                .windows(2)
                .all(|w| ((w[1] - w[0]) - step).abs() <= 1e-9 * step.abs().max(1.0));
        if !even {
            return cells;
        }
        let target = (cells.ticks.len()).clamp(2, 10);
        let values = axis::nice_ticks(numbers[0], numbers[n - 1], target);
        let tick_step = if values.len() > 1 { values[1] - values[0] } else { step };
        let ticks: Vec<f64> = values.iter().map(|v| (v - numbers[0]) / step).collect();
        let labels = values.iter().map(|v| axis::tick_label(*v, tick_step)).collect();
        Scale { range: cells.range, ticks, labels }
    }

    fn label(&self, value: f64) -> String {
        self.ticks
            .iter()
            .position(|t| (t - value).abs() <= 1e-9 * t.abs().max(1.0))
            .map_or_else(String::new, |k| self.labels[k].clone())
    }

    fn axis(&self) -> TickedAxis {
        TickedAxis::new(self.range.clone(), self.ticks.clone())
    }
}

/// A range around a single value.
fn widen(x: f64) -> (f64, f64) {
    let d = if x == 0.0 { 1.0 } else { x.abs() * 0.1 };
    (x - d, x + d)
}

/// The statistics of a metric in a group.
fn stats(table: &SweepTable, group: &Group, metric: MetricId) -> Option<Stats> {
    table.metric_index(metric).and_then(|k| group.stats[k])
}

/// The value a heatmap or dot shows for a group: the agreement rate or the median.
fn cell_value(table: &SweepTable, group: &Group, metric: MetricId) -> Option<f64> {
    match metric {
        MetricId::Agreement => Some(group.agreement_rate()),
        _ => stats(table, group, metric).map(|s| s.median()),
    }
}

/// The scale of a metric's values, from what the groups hold.
fn metric_scale(table: &SweepTable, metrics: &[MetricId], median_only: bool) -> Scale {
    let first = metrics[0];
    match first {
        MetricId::Agreement => Scale::percent(),
        MetricId::Terms(i) if !table.labels.issues[i].levels.is_empty() => {
            let names: Vec<String> =
                table.labels.issues[i].levels.iter().map(|l| axis::level_label(l)).collect();
            let mut scale = Scale::cells(&names, BODY - X_AXIS, true);
            scale.range = -0.4..names.len() as f64 - 0.6;
            scale
        }
        _ => {
            let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
            for group in &table.groups {
                for metric in metrics {
                    if let Some(s) = stats(table, group, *metric) {
                        let (a, b) = if median_only { (s.q[2], s.q[2]) } else { (s.q[0], s.q[4]) };
                        lo = lo.min(a);
                        hi = hi.max(b);
                    }
                }
            }
            if !lo.is_finite() {
                (lo, hi) = (0.0, 1.0);
            }
            match first {
                MetricId::Round => Scale::rounds(hi),
                MetricId::Terms(i) => match table.labels.issues[i].range {
                    Some([a, b]) if !median_only => Scale::numeric(a, b, 6, 0.03),
                    _ => Scale::numeric(lo, hi, 6, 0.04),
                },
                _ if median_only => Scale::numeric(lo, hi, 6, 0.0),
                _ => Scale::numeric(lo.min(0.0), hi.max(0.0), 6, 0.05),
            }
        }
    }
}

/// The text of a value on a metric's scale, for heatmap cells.
fn value_text(table: &SweepTable, metric: MetricId, value: f64) -> String {
    match metric {
        MetricId::Agreement => format!("{:.0}%", value * 100.0),
        MetricId::Round => axis::short_number(value, 1),
        MetricId::Terms(i) if !table.labels.issues[i].levels.is_empty() => {
            let levels = &table.labels.issues[i].levels;
            let k = (value.round() as usize).min(levels.len().saturating_sub(1));
            let name = axis::level_label(&levels[k]);
            if (value - value.round()).abs() > 1e-9 { format!("~{name}") } else { name }
        }
        _ => axis::short_number(value, 3),
    }
}

/// The values an axis shows as tick or cell labels.
fn value_names(table: &SweepTable, a: usize) -> Vec<String> {
    let axis = &table.axes[a];
    axis.values
        .iter()
        .map(|v| match axis.kind {
            AxisKind::Numeric => axis::short_number(v.parse().unwrap_or(f64::NAN), 4),
            AxisKind::Categorical => {
                let name = axis::level_label(v);
                if axis.scenario_value.as_deref() == Some(v.as_str()) {
                    format!("{name} (scenario)")
                } else {
                    name
                }
            }
        })
        .collect()
}

/// The position of the scenario's value on axis `a`'s plot coordinates, if it is inside.
fn scenario_position(table: &SweepTable, a: usize, shape: Shape) -> Option<f64> {
    let axis = &table.axes[a];
    let value = axis.scenario_value.as_deref()?;
    match axis.kind {
        AxisKind::Categorical => axis.values.iter().position(|v| v == value).map(|i| i as f64),
        AxisKind::Numeric => {
            let x: f64 = value.parse().ok()?;
            let numbers = &axis.numbers;
            let (first, last) = (*numbers.first()?, *numbers.last()?);
            if !(first..=last).contains(&x) {
                return None;
            }
            if shape != Shape::Heatmap {
                return Some(x);
            }
            // A heatmap's cells are evenly spaced: interpolate between neighbouring values.
            let k = numbers.iter().position(|v| *v >= x)?;
            if k == 0 || numbers[k] == x {
                return Some(k as f64);
            }
            let (a, b) = (numbers[k - 1], numbers[k]);
            Some(k as f64 - 1.0 + (x - a) / (b - a))
        }
    }
}

/// A chart laid out: everything measured before drawing.
pub(super) struct Plan<'a> {
    table: &'a SweepTable,
    chart: &'a SweepChart,
    title: Title,
    legend: Vec<LegendEntry>,
    legend_rows: LegendRows,
    notes: Vec<String>,
    y: Scale,
    x: Scale,
    colors: Option<Scale>,
    y_desc: String,
    x_desc: String,
    y_label_width: i32,
}

impl<'a> Plan<'a> {
    pub(super) fn new(table: &'a SweepTable, chart: &'a SweepChart) -> Plan<'a> {
        let labels = &table.labels;
        let shape = chart.shape;
        let metric = chart.metrics[0];
        let runs_per_group = table.groups.iter().map(|g| g.runs).max().unwrap_or(0);
        let all_agree = table.groups.iter().all(|g| {
            chart.metrics.iter().all(|m| stats(table, g, *m).is_none_or(|s| s.q[0] == s.q[4]))
        });
        let axis_words = |a: usize| path_words(&table.axes[a].path, labels);
        let what = if chart.metrics.len() > 1 {
            "Each party's gain over its reservation value".to_string()
        } else {
            words::metric_name(metric, labels)
        };
        let over = match shape {
            Shape::Line | Shape::Boxes => format!(" against {}", axis_words(0)),
            Shape::Heatmap | Shape::Dots => {
                format!(" by {} and {}", axis_words(0), axis_words(1))
            }
        };
        let how = if metric == MetricId::Agreement {
            if runs_per_group == 1 {
                ": one run at each value".to_string()
            } else if matches!(shape, Shape::Line | Shape::Boxes) {
                ", with a 95% interval for the chance of a deal (Wilson)".to_string()
            } else {
                String::new()
            }
        } else if runs_per_group == 1 {
            ": one run at each value".to_string()
        } else if all_agree && matches!(shape, Shape::Line | Shape::Boxes) {
            format!(": the {runs_per_group} runs at each value agree")
        } else {
            match shape {
                Shape::Line => ": the median over the runs at each value, with a band from the \
                                5% to the 95% quantile"
                    .to_string(),
                Shape::Boxes => ": box from the 25% to the 75% quantile of the runs at each \
                                 value, whiskers 5% to 95%, the median as a bar"
                    .to_string(),
                _ => ": the median over the runs at each pair of values".to_string(),
            }
        };
        let mut subtitle = format!("{what}{over}{how}.");
        let (fixed, pooled): (Vec<_>, Vec<_>) =
            table.pooled().iter().partition(|a| a.fixed.is_some());
        if !pooled.is_empty() {
            let names: Vec<String> = pooled.iter().map(|a| path_words(&a.path, labels)).collect();
            subtitle.push_str(&format!(
                " The sweep varies {} axes: two are drawn, the runs at every value of {} \
                 pooled.",
                table.axes.len() - fixed.len(),
                names.join(", ")
            ));
        }
        if !fixed.is_empty() {
            let names: Vec<String> = fixed
                .iter()
                .map(|a| {
                    let value = a.fixed.as_deref().unwrap_or_default();
                    format!("{} at {value}", path_words(&a.path, labels))
                })
                .collect();
            subtitle.push_str(&format!(" Fixed: {}.", names.join(", ")));
        }
        let title = layout::title(&table.sidecar.scenario.name, &subtitle);

        // Legend.
        let mut legend = Vec::new();
        if matches!(shape, Shape::Line | Shape::Boxes) && metric != MetricId::Agreement {
            for m in &chart.metrics {
                let label = match m {
                    MetricId::Gain(p) => labels.parties[*p].name.clone(),
                    _ if runs_per_group > 1 => "Median".to_string(),
                    _ => continue,
                };
                let color = series_color(*m);
                legend.push(LegendEntry {
                    glyph: Glyph::Line { color, width: 2, dashed: false, marker: None },
                    label,
                });
            }
            if runs_per_group > 1 && !all_agree {
                let color = tint(series_color(metric), 0.3);
                legend.push(LegendEntry {
                    glyph: Glyph::Line { color, width: 14, dashed: false, marker: None },
                    label: if shape == Shape::Line && chart.metrics.len() > 1 {
                        "5–95% of the runs (shaded in each party's colour)".into()
                    } else if shape == Shape::Line {
                        "5–95% of the runs".into()
                    } else {
                        "25–75% of the runs (whiskers 5–95%)".into()
                    },
                });
            }
        }
        let empty = table.groups.iter().any(|g| {
            metric != MetricId::Agreement
                && chart.metrics.iter().all(|m| stats(table, g, *m).is_none())
        });
        if empty {
            legend.push(LegendEntry {
                glyph: Glyph::Line { color: EMPTY, width: 14, dashed: false, marker: None },
                label: "No deal in any run".into(),
            });
        }
        let scenario_at: Vec<Option<f64>> =
            (0..table.drawn).map(|a| scenario_position(table, a, shape)).collect();
        match shape {
            Shape::Line if scenario_at[0].is_some() => legend.push(LegendEntry {
                glyph: Glyph::Line { color: EVENT, width: 2, dashed: true, marker: None },
                label: format!(
                    "As in the scenario ({})",
                    table.axes[0].scenario_value.as_deref().unwrap_or_default()
                ),
            }),
            Shape::Heatmap | Shape::Dots if scenario_at.iter().all(Option::is_some) => {
                // An outlined cell where the scenario's values are on the grid, a ring between.
                let on_grid = shape == Shape::Heatmap
                    && scenario_at.iter().all(|p| p.is_some_and(|x| x.fract() == 0.0));
                let marker = if on_grid {
                    Marker { shape: MarkerShape::Square, radius: 8.0, ..scenario_marker() }
                } else {
                    scenario_marker()
                };
                legend.push(LegendEntry {
                    glyph: Glyph::Marker(marker),
                    label: "As in the scenario".into(),
                })
            }
            _ => {}
        }
        let legend_rows = layout::legend_rows(&legend, WIDTH as i32 - 2 * MARGIN);

        // Scales.
        let plot_width = WIDTH as i32 - 2 * MARGIN - 120;
        let (x, y, colors) = match shape {
            Shape::Line => {
                let numbers = &table.axes[0].numbers;
                let (lo, hi) = (numbers[0], numbers[numbers.len() - 1]);
                (Scale::numeric(lo, hi, 8, 0.03), metric_scale(table, &chart.metrics, false), None)
            }
            Shape::Boxes => (
                Scale::cells(&value_names(table, 0), plot_width, false),
                metric_scale(table, &chart.metrics, false),
                None,
            ),
            Shape::Heatmap => (
                heat_scale(table, 0, plot_width, false),
                heat_scale(table, 1, BODY - X_AXIS, true),
                Some(metric_scale(table, &chart.metrics, true)),
            ),
            Shape::Dots => {
                let range = |a: usize| {
                    let n = &table.axes[a].numbers;
                    Scale::numeric(n[0], n[n.len() - 1], 8, 0.03)
                };
                (range(0), range(1), Some(metric_scale(table, &chart.metrics, true)))
            }
        };
        // Colours span the values exactly: a rate from 0 to 1, levels from the lowest.
        let colors = colors.map(|mut scale| {
            match metric {
                MetricId::Agreement => scale.range = 0.0..1.0,
                MetricId::Terms(i) if !labels.issues[i].levels.is_empty() => {
                    scale.range = 0.0..(labels.issues[i].levels.len() as f64 - 1.0).max(1.0);
                }
                _ => {}
            }
            scale
        });
        let y_desc_text = match shape {
            Shape::Heatmap | Shape::Dots => path_title(&table.axes[1].path, labels),
            _ if chart.metrics.len() > 1 => "Gain over no deal (utility)".into(),
            _ => words::metric_title(metric, labels),
        };
        let y_desc = layout::fit(&y_desc_text, AXIS_SIZE, BODY - X_AXIS - 10);
        let x_desc = layout::fit(&path_title(&table.axes[0].path, labels), AXIS_SIZE, plot_width);
        let widest = y.labels.iter().map(|l| layout::measure(l, TICK_SIZE)).max().unwrap_or(0);
        let y_label_width = (widest + 44).clamp(72, 360);

        let notes_text = format!(
            "{} runs: {} design points × {} replicate{} ({} design), base seed {}.",
            table.runs,
            table.sidecar.design.points,
            table.sidecar.replicates,
            if table.sidecar.replicates == 1 { "" } else { "s" },
            table.sidecar.design.kind,
            table.sidecar.seed
        );
        let notes = layout::wrap(&notes_text, NOTE_SIZE, WIDTH as i32 - 2 * MARGIN);
        Plan {
            table,
            chart,
            title,
            legend,
            legend_rows,
            notes,
            y,
            x,
            colors,
            y_desc,
            x_desc,
            y_label_width,
        }
    }

    fn scale_height(&self) -> i32 {
        if self.colors.is_some() { SCALE_HEIGHT } else { 0 }
    }

    fn top(&self) -> i32 {
        self.title.height + self.scale_height() + self.legend_rows.height() + 8
    }

    fn notes_height(&self) -> i32 {
        self.notes.len() as i32 * NOTE_LINE + 18
    }

    pub(super) fn height(&self) -> u32 {
        (self.top() + BODY + self.notes_height()).max(1) as u32
    }

    pub(super) fn draw<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        root.fill(&WHITE)?;
        self.title.draw(root)?;
        if let Some(colors) = &self.colors {
            self.draw_color_scale(root, colors, self.title.height)?;
        }
        self.legend_rows.draw(
            root,
            &self.legend,
            (MARGIN, self.title.height + self.scale_height()),
        )?;
        let top = self.top();
        let area = root.clone().shrink((0, top), (WIDTH, BODY as u32));
        let mut chart = ChartBuilder::on(&area)
            .margin_left(MARGIN)
            .margin_right(RIGHT)
            .margin_top(8)
            .x_label_area_size(X_AXIS)
            .y_label_area_size(self.y_label_width)
            .build_cartesian_2d(self.x.axis(), self.y.axis())?;
        let x_label = |x: &f64| self.x.label(*x);
        let y_label = |y: &f64| self.y.label(*y);
        chart
            .configure_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(INK.mix(0.8))
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_label_style(text(TICK_SIZE, INK, HPos::Center, VPos::Top))
            .y_label_style(text(TICK_SIZE, INK, HPos::Right, VPos::Center))
            .x_desc(self.x_desc.clone())
            .y_desc(self.y_desc.clone())
            .axis_desc_style(text(AXIS_SIZE, INK, HPos::Center, VPos::Center))
            .draw()?;
        match self.chart.shape {
            Shape::Line => self.draw_lines(root, &chart)?,
            Shape::Boxes => self.draw_boxes(root, &chart)?,
            Shape::Heatmap | Shape::Dots => self.draw_cells(root, &chart)?,
        }
        let note_style = text(NOTE_SIZE, MUTED, HPos::Left, VPos::Top);
        let y = top + BODY + 10;
        layout::draw_lines(root, &self.notes, &note_style, (MARGIN, y))
    }

    /// Lines with bands over a numeric axis.
    fn draw_lines<DB: Backend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<TickedAxis, TickedAxis>>,
    ) -> DrawResult {
        let table = self.table;
        let xs = &table.axes[0].numbers;
        let groups: Vec<&Group> = table.groups.iter().collect();
        let (y0, y1) = (self.y.range.start, self.y.range.end);
        // Spans where no run ended in a deal (no terms, no round).
        let half = |k: usize| -> (f64, f64) {
            let x = xs[groups[k].at[0]];
            let left = if k > 0 { (xs[groups[k - 1].at[0]] + x) / 2.0 } else { self.x.range.start };
            let right = if k + 1 < groups.len() {
                (xs[groups[k + 1].at[0]] + x) / 2.0
            } else {
                self.x.range.end
            };
            (left, right)
        };
        let metrics = &self.chart.metrics;
        if metrics[0] != MetricId::Agreement {
            for (k, group) in groups.iter().enumerate() {
                if metrics.iter().all(|m| stats(table, group, *m).is_none()) {
                    let (a, b) = half(k);
                    chart
                        .plotting_area()
                        .draw(&Rectangle::new([(a, y0), (b, y1)], EMPTY.filled()))?;
                }
            }
        }
        if let Some(x) = scenario_position(table, 0, Shape::Line) {
            chart.plotting_area().draw(&DashedPathElement::new(
                [(x, y0), (x, y1)],
                6,
                4,
                EVENT.stroke_width(2),
            ))?;
        }
        // Series: (x, stats) in x order, split where a value is missing.
        type Segment = Vec<(f64, [f64; 5])>;
        let series: Vec<(MetricId, Vec<Segment>)> = metrics
            .iter()
            .map(|metric| {
                let points: Vec<Option<(f64, [f64; 5])>> = groups
                    .iter()
                    .map(|g| {
                        let x = xs[g.at[0]];
                        match metric {
                            MetricId::Agreement if g.runs > 1 => {
                                let (lo, hi) = g.agreement_interval();
                                Some((x, [lo, lo, g.agreement_rate(), hi, hi]))
                            }
                            MetricId::Agreement => Some((x, [g.agreement_rate(); 5])),
                            _ => stats(table, g, *metric).map(|s| (x, s.q)),
                        }
                    })
                    .collect();
                let segments = points
                    .split(Option::is_none)
                    .filter(|s| !s.is_empty())
                    .map(|s| s.iter().map(|p| p.expect("split on none")).collect())
                    .collect();
                (*metric, segments)
            })
            .collect();
        // Bands first (translucent, so that overlapping bands show both), then lines, widest
        // first so that equal lines show each colour, then markers.
        for (metric, segments) in &series {
            let band = series_color(*metric).mix(0.22);
            for segment in segments {
                if segment.iter().all(|(_, q)| q[0] == q[4]) {
                    continue;
                }
                if segment.len() == 1 {
                    let (x, q) = segment[0];
                    chart.plotting_area().draw(&PathElement::new(
                        vec![(x, q[0]), (x, q[4])],
                        band.stroke_width(8),
                    ))?;
                    continue;
                }
                let mut outline: Vec<(f64, f64)> =
                    segment.iter().map(|(x, q)| (*x, q[0])).collect();
                outline.extend(segment.iter().rev().map(|(x, q)| (*x, q[4])));
                let pixels: Vec<(i32, i32)> =
                    outline.iter().map(|p| chart.backend_coord(p)).collect();
                root.draw(&Polygon::new(pixels, band.filled()))?;
            }
        }
        let n = series.len() as u32;
        for (k, (metric, segments)) in series.iter().enumerate() {
            let width = 2 + 2 * (n - 1 - k as u32);
            for segment in segments {
                let pixels: Vec<(i32, i32)> =
                    segment.iter().map(|(x, q)| chart.backend_coord(&(*x, q[2]))).collect();
                root.draw(&PathElement::new(pixels, series_color(*metric).stroke_width(width)))?;
            }
        }
        for (metric, segments) in &series {
            let p = match metric {
                MetricId::Gain(p) => *p,
                _ => 0,
            };
            let marker = style::party_marker(p, 4.5);
            for segment in segments {
                // Every point while few; isolated points always (they have no line).
                if groups.len() > MAX_LINE_MARKERS && segment.len() > 1 {
                    continue;
                }
                for (x, q) in segment {
                    style::draw_marker(root, chart.backend_coord(&(*x, q[2])), &marker)?;
                }
            }
        }
        Ok(())
    }

    /// Box plots (bars for the agreement rate) over categories.
    fn draw_boxes<DB: Backend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<TickedAxis, TickedAxis>>,
    ) -> DrawResult {
        let table = self.table;
        let metrics = &self.chart.metrics;
        let n = metrics.len() as f64;
        let slot = 0.8 / n;
        let area = chart.plotting_area();
        for group in &table.groups {
            let center = group.at[0] as f64;
            for (s, metric) in metrics.iter().enumerate() {
                let x = center - 0.4 + slot * (s as f64 + 0.5);
                let w = (slot * 0.35).min(0.18);
                let color = series_color(*metric);
                if *metric == MetricId::Agreement {
                    let rate = group.agreement_rate();
                    area.draw(&Rectangle::new(
                        [(x - 0.25, 0.0), (x + 0.25, rate)],
                        color.filled(),
                    ))?;
                    if group.runs > 1 {
                        // The 95% interval as an error bar with caps.
                        let (lo, hi) = group.agreement_interval();
                        let bar = BLACK.mix(0.6).stroke_width(2);
                        area.draw(&PathElement::new(vec![(x, lo), (x, hi)], bar))?;
                        for y in [lo, hi] {
                            area.draw(&PathElement::new(vec![(x - 0.06, y), (x + 0.06, y)], bar))?;
                        }
                    }
                    let label = format!("{:.0}%", rate * 100.0);
                    if group.runs > 1 {
                        // Beside the error bar, which runs through the top of the bar.
                        let (px, py) = chart.backend_coord(&(x + 0.08, rate));
                        root.draw_text(
                            &label,
                            &text(TICK_SIZE, INK, HPos::Left, VPos::Bottom),
                            (px, py - 4),
                        )?;
                    } else {
                        let (px, py) = chart.backend_coord(&(x, rate));
                        root.draw_text(
                            &label,
                            &text(TICK_SIZE, INK, HPos::Center, VPos::Bottom),
                            (px, py - 4),
                        )?;
                    }
                    continue;
                }
                let Some(st) = stats(table, group, *metric) else {
                    let (px, py) =
                        chart.backend_coord(&(x, (self.y.range.start + self.y.range.end) / 2.0));
                    root.draw_text(
                        "no deal",
                        &text(TICK_SIZE, MUTED, HPos::Center, VPos::Center),
                        (px, py),
                    )?;
                    continue;
                };
                let q = st.q;
                area.draw(&PathElement::new(vec![(x, q[0]), (x, q[4])], color.stroke_width(2)))?;
                for end in [q[0], q[4]] {
                    area.draw(&PathElement::new(
                        vec![(x - w / 2.0, end), (x + w / 2.0, end)],
                        color.stroke_width(2),
                    ))?;
                }
                area.draw(&Rectangle::new(
                    [(x - w, q[1]), (x + w, q[3])],
                    tint(color, 0.3).filled(),
                ))?;
                area.draw(&Rectangle::new([(x - w, q[1]), (x + w, q[3])], color.stroke_width(2)))?;
                area.draw(&PathElement::new(
                    vec![(x - w, q[2]), (x + w, q[2])],
                    color.stroke_width(5),
                ))?;
            }
        }
        Ok(())
    }

    /// A heatmap (cells on a grid) or dots at sampled points, coloured by value.
    fn draw_cells<DB: Backend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<TickedAxis, TickedAxis>>,
    ) -> DrawResult {
        let table = self.table;
        let metric = self.chart.metrics[0];
        let colors = self.colors.as_ref().expect("a colour scale");
        let (lo, hi) = (colors.range.start, colors.range.end);
        let t = |v: f64| if hi > lo { (v - lo) / (hi - lo) } else { 0.5 };
        let area = chart.plotting_area();
        let shape = self.chart.shape;
        let nx = table.axes[0].values.len();
        let ny = table.axes[1].values.len();
        let (cell_w, cell_h) = {
            let (px, py) = area.get_pixel_range();
            ((px.end - px.start) / nx.max(1) as i32, (py.end - py.start) / ny.max(1) as i32)
        };
        let labelled = shape == Shape::Heatmap && cell_w >= 40 && cell_h >= 22;
        for group in &table.groups {
            let value = cell_value(table, group, metric);
            let fill = value.map_or(EMPTY, |v| viridis(t(v)));
            match shape {
                Shape::Heatmap => {
                    let (x, y) = (group.at[0] as f64, group.at[1] as f64);
                    area.draw(&Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        fill.filled(),
                    ))?;
                    if labelled {
                        let label =
                            value.map_or("–".to_string(), |v| value_text(table, metric, v));
                        let label = layout::fit(&label, TICK_SIZE, cell_w - 6);
                        let at = chart.backend_coord(&(x, y));
                        root.draw_text(
                            &label,
                            &text(TICK_SIZE, ink_on(fill), HPos::Center, VPos::Center),
                            at,
                        )?;
                    }
                }
                _ => {
                    let x = table.axes[0].numbers[group.at[0]];
                    let y = table.axes[1].numbers[group.at[1]];
                    let marker = Marker {
                        shape: MarkerShape::Circle,
                        radius: 5.0,
                        fill: Some(fill),
                        stroke: if value.is_some() { fill } else { MUTED },
                        stroke_width: 1,
                    };
                    style::draw_marker(root, chart.backend_coord(&(x, y)), &marker)?;
                }
            }
        }
        if let (Some(x), Some(y)) =
            (scenario_position(table, 0, shape), scenario_position(table, 1, shape))
        {
            if shape == Shape::Heatmap && x.fract() == 0.0 && y.fract() == 0.0 {
                // The scenario's own cell: outlined.
                let (a, b) = (
                    chart.backend_coord(&(x - 0.5, y + 0.5)),
                    chart.backend_coord(&(x + 0.5, y - 0.5)),
                );
                let ring = scenario_marker().stroke;
                root.draw(&Rectangle::new(
                    [(a.0 + 2, a.1 + 2), (b.0 - 2, b.1 - 2)],
                    ring.stroke_width(4),
                ))?;
            } else {
                style::draw_marker(root, chart.backend_coord(&(x, y)), &scenario_marker())?;
            }
        }
        Ok(())
    }

    /// The colour scale under the title: the metric's title, a bar, ticks.
    fn draw_color_scale<DB: Backend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        colors: &Scale,
        top: i32,
    ) -> DrawResult {
        let title = if self.chart.metrics[0] == MetricId::Agreement {
            "Runs ending in a deal (colour)".to_string()
        } else {
            format!(
                "{} (colour: median)",
                words::metric_title(self.chart.metrics[0], &self.table.labels)
            )
        };
        let center = WIDTH as i32 / 2;
        let title = layout::fit(&title, AXIS_SIZE, WIDTH as i32 - 2 * MARGIN);
        root.draw_text(&title, &text(AXIS_SIZE, INK, HPos::Center, VPos::Top), (center, top + 2))?;
        let (x0, y0) = (center - SCALE_WIDTH / 2, top + 30);
        let bar = 18;
        for k in 0..SCALE_WIDTH {
            let c = viridis(f64::from(k) / f64::from(SCALE_WIDTH - 1));
            root.draw(&Rectangle::new([(x0 + k, y0), (x0 + k + 1, y0 + bar)], c.filled()))?;
        }
        root.draw(&Rectangle::new([(x0, y0), (x0 + SCALE_WIDTH, y0 + bar)], INK.stroke_width(1)))?;
        let (lo, hi) = (colors.range.start, colors.range.end);
        let tick_style = text(TICK_SIZE, INK, HPos::Center, VPos::Top);
        for (tick, label) in colors.ticks.iter().zip(&colors.labels) {
            if hi <= lo || *tick < lo - 1e-9 || *tick > hi + 1e-9 {
                continue;
            }
            let x = x0 + ((tick - lo) / (hi - lo) * f64::from(SCALE_WIDTH)).round() as i32;
            root.draw(&PathElement::new(
                vec![(x, y0 + bar), (x, y0 + bar + 5)],
                INK.stroke_width(1),
            ))?;
            root.draw_text(label, &tick_style, (x, y0 + bar + 6))?;
        }
        Ok(())
    }
}

/// The cell scale of a heatmap axis.
fn heat_scale(table: &SweepTable, a: usize, room: i32, upright: bool) -> Scale {
    let names = value_names(table, a);
    match table.axes[a].kind {
        AxisKind::Numeric => Scale::numeric_cells(&table.axes[a].numbers, &names, room, upright),
        AxisKind::Categorical => Scale::cells(&names, room, upright),
    }
}

/// The scenario's own values in a heatmap: a hollow ring.
fn scenario_marker() -> Marker {
    Marker {
        shape: MarkerShape::Circle,
        radius: 9.0,
        fill: None,
        stroke: RGBColor(220, 20, 60),
        stroke_width: 3,
    }
}
