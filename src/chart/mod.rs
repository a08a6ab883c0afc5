//! Charts of one run, drawn from its [`RunRecord`] as SVG and PNG bytes.
//!
//! Owns the look of every chart (size, fonts, the party palette, markers, legends) and the
//! three charts of a run:
//! - `offers`: the terms each party proposed, one panel per issue, with events and the deal;
//! - `concessions`: each party's own utility of its offers, with its reservation value;
//! - `utility-space` (two-party scenarios only): the Pareto frontier, the reservation lines, the
//!   Nash and Kalai–Smorodinsky points, both parties' offer traces and the deal.
//!
//! It reads records only, never the engine or the analysis: a chart of a `run.json` written
//! earlier looks the same as one drawn right after the run. It renders to bytes and writes
//! no file: commands publish the bytes (`crate::export::publish`), and the HTML report
//! inlines exactly the SVG bytes that were published beside it.
//!
//! # Pages
//! The offers chart has one panel per issue; past [`ISSUES_PER_PAGE`] issues it is split
//! into pages of at most that many panels (`offers.svg`, `offers-2.svg`, ...), so that a
//! panel never gets too thin to read.
//!
//! # Text
//! Every text uses the font family `"sans-serif"`, which is DejaVu Sans, vendored in
//! `assets/fonts` and registered with plotters once per process. Nothing depends on the fonts
//! installed on the machine: PNGs are rasterized with the vendored font, and SVGs hold real
//! `<text>` elements (the viewer's sans-serif font draws them; the layout was measured with
//! DejaVu Sans, whose metrics most sans-serif fonts are close to).
//!
//! # Determinism
//! The same record gives the same bytes: nothing here reads a clock, a random source or a
//! hash map, and both encoders are deterministic.

mod axis;
pub mod bars;
mod check;
mod concessions;
mod layout;
mod offers;
mod style;
pub mod sweep;
mod thin;
mod typeset;
mod utility_space;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

pub use check::{MAX_PROBLEMS, RecordError, read_record};

use crate::export::record::RunRecord;
use style::{Backend, DrawResult, HEIGHT, WIDTH};
use typeset::Typeset;

/// The most issues the offers chart draws on one page.
pub const ISSUES_PER_PAGE: usize = 12;

/// A chart file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartFormat {
    /// Scalable vector graphics, with text as `<text>` elements.
    Svg,
    /// An RGB PNG.
    Png,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The vendored font could not be read by the font library.
    #[error("the vendored font assets/fonts/DejaVuSans.ttf could not be loaded")]
    Font,
    /// Plotting or encoding failed.
    #[error("cannot draw {file}: {message}")]
    Draw {
        /// The chart's file name.
        file: String,
        /// What went wrong.
        message: String,
    },
}

/// What a chart shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    /// The terms each party proposed, one panel per issue.
    Offers,
    /// Each party's own utility of its offers.
    Concessions,
    /// The two-party utility space.
    UtilitySpace,
}

/// One chart file's content: a kind, and for the offers chart a page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chart {
    /// What it shows.
    pub kind: ChartKind,
    /// Its page, from 1.
    pub page: usize,
    /// How many pages the kind has (1 for every kind but a long offers chart).
    pub pages: usize,
    /// The issues (by index) on this page: all of them but for the offers chart.
    pub issues: std::ops::Range<usize>,
}

impl ChartKind {
    /// The kind's file stem: `offers`, `concessions`, `utility-space`.
    pub fn name(self) -> &'static str {
        match self {
            ChartKind::Offers => "offers",
            ChartKind::Concessions => "concessions",
            ChartKind::UtilitySpace => "utility-space",
        }
    }
}

impl Chart {
    /// The file stem: the kind's name, with `-<page>` from the second page on.
    pub fn stem(&self) -> String {
        if self.page <= 1 {
            self.kind.name().to_string()
        } else {
            format!("{}-{}", self.kind.name(), self.page)
        }
    }

    /// The file name in a format: `offers.svg`, `offers-2.png`.
    pub fn file_name(&self, format: ChartFormat) -> String {
        format!("{}.{format}", self.stem())
    }
}

/// A chart's file extension is its format's name: `svg` or `png`.
impl fmt::Display for ChartFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ChartFormat::Svg => "svg",
            ChartFormat::Png => "png",
        })
    }
}

/// Parses `svg` or `png` (case-insensitive), as the command line spells them.
impl FromStr for ChartFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<ChartFormat, String> {
        match text.to_ascii_lowercase().as_str() {
            "svg" => Ok(ChartFormat::Svg),
            "png" => Ok(ChartFormat::Png),
            _ => Err(format!("unknown chart format `{text}`; expected `svg` or `png`")),
        }
    }
}

/// The charts of a run with this many parties and issues, in the order reports show them:
/// the offers pages, the concessions, and the utility space for exactly two parties. Known
/// before the run, so that a command can declare its output files up front.
pub fn charts_for(n_parties: usize, n_issues: usize) -> Vec<Chart> {
    let pages = n_issues.div_ceil(ISSUES_PER_PAGE).max(1);
    let per_page = n_issues.div_ceil(pages);
    let mut charts: Vec<Chart> = (0..pages)
        .map(|k| Chart {
            kind: ChartKind::Offers,
            page: k + 1,
            pages,
            issues: (k * per_page).min(n_issues)..((k + 1) * per_page).min(n_issues),
        })
        .collect();
    charts.push(Chart { kind: ChartKind::Concessions, page: 1, pages: 1, issues: 0..n_issues });
    if n_parties == 2 {
        charts.push(Chart {
            kind: ChartKind::UtilitySpace,
            page: 1,
            pages: 1,
            issues: 0..n_issues,
        });
    }
    charts
}

/// Where the charts of a scenario this size must leave something out or split it, in
/// sentences for `accord validate` (empty when every chart shows everything on one page).
/// Each names what happens and how to avoid it.
pub fn readability_warnings(n_parties: usize, n_issues: usize, n_events: usize) -> Vec<String> {
    let mut warnings = Vec::new();
    if n_issues > ISSUES_PER_PAGE {
        let pages = n_issues.div_ceil(ISSUES_PER_PAGE);
        warnings.push(format!(
            "charts: {n_issues} issues: the offers chart is split into {pages} pages of at most \
             {ISSUES_PER_PAGE} issues (offers.svg, offers-2.svg, ...); group minor issues to \
             keep them on one page"
        ));
    }
    if n_parties > style::DISTINCT_PARTIES {
        warnings.push(format!(
            "charts: {n_parties} parties: only {} get a colour and marker of their own; the \
             others repeat them and are left out of the legends",
            style::DISTINCT_PARTIES
        ));
    }
    if n_events > layout::MAX_CAPTIONS {
        warnings.push(format!(
            "charts: {n_events} events: the charts caption the first {} under the plot; the \
             report lists them all",
            layout::MAX_CAPTIONS
        ));
    }
    warnings
}

/// The charts of a run: [`charts_for`] its parties and issues.
pub fn charts_of(record: &RunRecord) -> Vec<Chart> {
    charts_for(record.parties.len(), record.scenario.issues.len())
}

/// The formats in order, each once.
pub fn distinct(formats: &[ChartFormat]) -> Vec<ChartFormat> {
    let mut out: Vec<ChartFormat> = Vec::new();
    for format in formats {
        if !out.contains(format) {
            out.push(*format);
        }
    }
    out
}

/// Draws one chart of a run in one format and returns the file's bytes.
pub fn render(
    record: &RunRecord,
    chart: &Chart,
    format: ChartFormat,
) -> Result<Vec<u8>, ChartError> {
    register_fonts()?;
    let draw_error = |e: Box<dyn std::error::Error + Send + Sync>| ChartError::Draw {
        file: chart.file_name(format),
        message: e.to_string(),
    };
    encode(&RunChart { chart, record }, canvas(chart, record), format).map_err(draw_error)
}

/// One chart of one run, to draw.
struct RunChart<'a> {
    chart: &'a Chart,
    record: &'a RunRecord,
}

impl Picture for RunChart<'_> {
    fn draw<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult {
        match self.chart.kind {
            ChartKind::Offers => offers::draw(root, self.record, self.chart),
            ChartKind::Concessions => concessions::draw(root, self.record),
            ChartKind::UtilitySpace => utility_space::draw(root, self.record),
        }
    }
}

/// A chart's canvas: the page width, and the height its content needs (at most
/// `MAX_HEIGHT`).
fn canvas(chart: &Chart, record: &RunRecord) -> (u32, u32) {
    let height = match chart.kind {
        ChartKind::Offers => offers::height(record, chart),
        ChartKind::Concessions => concessions::height(record),
        ChartKind::UtilitySpace => utility_space::height(record),
    };
    (WIDTH, height.clamp(HEIGHT / 2, style::MAX_HEIGHT))
}

/// Registers the vendored font as `"sans-serif"`, once per process.
fn register_fonts() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = REGISTERED
        .get_or_init(|| register_font(style::FONT, FontStyle::Normal, style::FONT_BYTES).is_ok());
    if *ok { Ok(()) } else { Err(ChartError::Font) }
}

/// Something drawn on one page: a run's chart, a bar chart, a sweep chart.
pub(crate) trait Picture {
    /// Draws the picture on `root`, whatever the backend.
    fn draw<DB: Backend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult;
}

/// Draws `picture` on a canvas of `size` in one format and returns the file's bytes: an SVG
/// document, or an RGB buffer encoded as PNG in memory (no file is touched, so a failure is
/// a drawing error, never a half-written file).
pub(crate) fn encode(
    picture: &impl Picture,
    size: (u32, u32),
    format: ChartFormat,
) -> DrawResult<Vec<u8>> {
    match format {
        ChartFormat::Svg => {
            let mut svg = String::new();
            {
                let backend = SVGBackend::with_string(&mut svg, size);
                let root = Typeset::vector(backend).into_drawing_area();
                picture.draw(&root)?;
                root.present()?;
            }
            svg.push('\n');
            Ok(svg.into_bytes())
        }
        ChartFormat::Png => {
            let (width, height) = size;
            let mut pixels = vec![0u8; width as usize * height as usize * 3];
            {
                let backend = BitMapBackend::with_buffer(&mut pixels, size);
                let root = Typeset::raster(backend).into_drawing_area();
                picture.draw(&root)?;
                root.present()?;
            }
            let mut png = Vec::new();
            image::ImageEncoder::write_image(
                image::codecs::png::PngEncoder::new(&mut png),
                &pixels,
                width,
                height,
                image::ColorType::Rgb8,
            )?;
            Ok(png)
        }
    }
}
