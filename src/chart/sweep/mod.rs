//! Charts of a sweep, drawn from a [`SweepTable`] (its `sweep.csv` and `sweep.json`), as
//! SVG and PNG bytes. Nothing is re-run.
//!
//! What is drawn depends on the axes ([`Shape`]):
//! - one numeric axis: each key metric against the parameter, the median over the runs at
//!   each value as a line, with a band from the 5% to the 95% quantile;
//! - one categorical axis (strategy kinds): box plots per value (box 25–75%, whiskers
//!   5–95%, the median as a bar), and bars for the agreement rate;
//! - two axes: a heatmap per metric (the median, or the agreement rate) with a labelled
//!   colour scale; a random or Latin hypercube design of two numeric axes is drawn as
//!   coloured dots at the sampled points;
//! - more axes: the first two are drawn, the runs at the others' values pooled, and the
//!   subtitle says so.
//!
//! One file per metric: `sweep-agreement`, `sweep-gain` (every party; one file per party
//! in a heatmap: `sweep-gain-<party>`), `sweep-round`, `sweep-terms-<issue>`. Every name
//! starts with `sweep`, so that `accord run` and `accord report` keep them when they replace
//! the folder.

mod plots;
pub mod words;

use plotters::coord::Shift;
use plotters::prelude::DrawingArea;

use crate::chart::style::{Backend, DrawResult, HEIGHT, WIDTH};
use crate::chart::{ChartError, ChartFormat, Picture, register_fonts};
use crate::sweep::table::{AxisKind, MetricId, SweepTable};

/// How a sweep is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One numeric axis: lines with bands.
    Line,
    /// One categorical axis: box plots (bars for the agreement rate).
    Boxes,
    /// Two axes on a grid: a heatmap.
    Heatmap,
    /// Two numeric axes sampled at scattered points: coloured dots.
    Dots,
}

/// One sweep chart: what it shows and its file stem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SweepChart {
    /// The file stem, `sweep-<metric>`.
    pub stem: String,
    /// How it is drawn.
    pub shape: Shape,
    /// The metrics it shows (several parties' gains on one line or box chart; one otherwise).
    pub metrics: Vec<MetricId>,
}

impl SweepChart {
    /// The file name in a format.
    pub fn file_name(&self, format: ChartFormat) -> String {
        format!("{}.{format}", self.stem)
    }
}

/// How a table is drawn.
pub fn shape(table: &SweepTable) -> Shape {
    if table.drawn >= 2 {
        let [a, b] = [&table.axes[0], &table.axes[1]];
        let cells = a.values.len() * b.values.len();
        let numeric = a.kind == AxisKind::Numeric && b.kind == AxisKind::Numeric;
        // Sampled designs fill few cells of the grid their values span.
        if numeric && (table.groups.len() * 2 < cells || cells > 10_000) {
            Shape::Dots
        } else {
            Shape::Heatmap
        }
    } else if table.axes[0].kind == AxisKind::Categorical {
        Shape::Boxes
    } else {
        Shape::Line
    }
}

/// The charts of a sweep, in the order a report shows them.
pub fn charts_of(table: &SweepTable) -> Vec<SweepChart> {
    let shape = shape(table);
    let one = matches!(shape, Shape::Line | Shape::Boxes);
    let mut charts = Vec::new();
    let mut push = |stem: String, metrics: Vec<MetricId>| {
        if !metrics.is_empty() {
            charts.push(SweepChart { stem, shape, metrics });
        }
    };
    push("sweep-agreement".into(), vec![MetricId::Agreement]);
    let gains: Vec<MetricId> =
        table.metrics.iter().copied().filter(|m| matches!(m, MetricId::Gain(_))).collect();
    if one {
        push("sweep-gain".into(), gains);
    } else {
        for gain in gains {
            let MetricId::Gain(p) = gain else { continue };
            push(format!("sweep-gain-{}", table.labels.parties[p].id), vec![gain]);
        }
    }
    if table.metric_index(MetricId::Round).is_some() {
        push("sweep-round".into(), vec![MetricId::Round]);
    }
    for metric in &table.metrics {
        if let MetricId::Terms(i) = metric {
            push(format!("sweep-terms-{}", table.labels.issues[*i].id), vec![*metric]);
        }
    }
    charts
}

/// Draws one sweep chart in one format and returns the file's bytes.
pub fn render(
    table: &SweepTable,
    chart: &SweepChart,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    register_fonts()?;
    let draw_error = |e: Box<dyn std::error::Error + Send + Sync>| ChartError::Draw {
        file: chart.file_name(format),
        message: e.to_string(),
    };
    let plan = plots::Plan::new(table, chart);
    let size = (WIDTH, plan.height().clamp(HEIGHT / 2, crate::chart::style::MAX_HEIGHT));
    crate::chart::encode(&plan, size, format).map_err(draw_error)
}

impl Picture for plots::Plan<'_> {
    fn draw<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        plots::Plan::draw(self, root)
    }
}
