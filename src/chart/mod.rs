//! Charts of one run, drawn from its [`RunRecord`] as SVG and PNG files.
//!
//! Owns the look of every chart (size, fonts, the party palette, markers, legends) and the
//! three charts of a run:
//! - `offers`: the terms each party proposed, one panel per issue, with events and the deal;
//! - `concessions`: each party's own utility of its offers, with its reservation value;
//! - `utility-space` (two-party scenarios only): the Pareto frontier, the reservation lines, the
//!   Nash and Kalai–Smorodinsky points, both parties' offer traces and the deal.
//!
//! It reads records only, never the engine or the analysis: a chart of a `run.json` written
//! earlier looks the same as one drawn right after the run. It does not decide where output
//! goes (the caller passes the folder) or which charts a command wants beyond the formats.
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
mod concessions;
mod layout;
mod offers;
mod style;
mod utility_space;

#[cfg(test)]
mod tests;

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::export::record::RunRecord;
use crate::export::write_atomic;
use style::{Backend, DrawResult, HEIGHT, WIDTH};

/// A chart file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ChartFormat {
    /// Scalable vector graphics, with text as `<text>` elements.
    Svg,
    /// A 1200×750 RGB PNG.
    Png,
}

/// What [`run_charts`] draws.
#[derive(Clone, Debug)]
pub struct ChartConfig {
    /// The formats to write each chart in, in this order (repeats are written once).
    pub formats: Vec<ChartFormat>,
}

/// Why charts could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The vendored font could not be read by the font library.
    #[error("the vendored font assets/fonts/DejaVuSans.ttf could not be loaded")]
    Font,
    /// Plotting failed (a backend or font error).
    #[error("cannot draw {file}: {message}")]
    Draw {
        /// The chart's file name.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A file or the folder could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
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

/// Draws every chart of a run into `dir` (created if missing) and returns the paths written.
///
/// The charts are `offers`, `concessions` and, for two-party scenarios, `utility-space`, each
/// as `<name>.<format>` for every format in `config`. Paths come chart by chart in that order,
/// formats in the config's order. Each file is written to a temporary name in `dir` and
/// renamed into place, so a file that exists is complete.
pub fn run_charts(
    record: &RunRecord,
    dir: &Path,
    config: &ChartConfig,
) -> Result<Vec<PathBuf>, ChartError> {
    register_fonts()?;
    fs::create_dir_all(dir).map_err(|source| ChartError::Io { path: dir.to_path_buf(), source })?;
    let mut formats: Vec<ChartFormat> = Vec::new();
    for format in &config.formats {
        if !formats.contains(format) {
            formats.push(*format);
        }
    }
    let mut written = Vec::new();
    for chart in Chart::ALL {
        if !chart.applies_to(record) {
            continue;
        }
        for format in &formats {
            let path = dir.join(format!("{}.{format}", chart.name()));
            write_chart(chart, record, *format, &path)?;
            written.push(path);
        }
    }
    Ok(written)
}

/// The charts of a run.
#[derive(Clone, Copy, Debug)]
enum Chart {
    Offers,
    Concessions,
    UtilitySpace,
}

impl Chart {
    const ALL: [Chart; 3] = [Chart::Offers, Chart::Concessions, Chart::UtilitySpace];

    fn name(self) -> &'static str {
        match self {
            Chart::Offers => "offers",
            Chart::Concessions => "concessions",
            Chart::UtilitySpace => "utility-space",
        }
    }

    fn applies_to(self, record: &RunRecord) -> bool {
        match self {
            Chart::Offers | Chart::Concessions => true,
            Chart::UtilitySpace => record.parties.len() == 2,
        }
    }

    fn draw<DB: Backend>(self, root: &DrawingArea<DB, Shift>, record: &RunRecord) -> DrawResult {
        match self {
            Chart::Offers => offers::draw(root, record),
            Chart::Concessions => concessions::draw(root, record),
            Chart::UtilitySpace => utility_space::draw(root, record),
        }
    }
}

/// Registers the vendored font as `"sans-serif"`, once per process.
fn register_fonts() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = REGISTERED.get_or_init(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
        register_font(style::FONT, FontStyle::Normal, bytes).is_ok()
    });
    if *ok { Ok(()) } else { Err(ChartError::Font) }
}

/// Draws one chart in one format and writes it to `path` atomically.
fn write_chart(
    chart: Chart,
    record: &RunRecord,
    format: ChartFormat,
    path: &Path,
) -> Result<(), ChartError> {
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let draw_error = |message: String| ChartError::Draw { file: file.clone(), message };
    match format {
        ChartFormat::Svg => {
            let svg = render_svg(chart, record).map_err(|e| draw_error(e.to_string()))?;
            write_atomic(path, svg.as_bytes())
                .map_err(|source| ChartError::Io { path: path.to_path_buf(), source })
        }
        ChartFormat::Png => {
            // The bitmap backend encodes to a path, choosing the format by its extension, so
            // the temporary name ends in `.png`; it is renamed into place once complete.
            let tmp = path.with_file_name(format!(".{file}.{}.tmp.png", std::process::id()));
            let result = render_png(chart, record, &tmp)
                .map_err(|e| draw_error(e.to_string()))
                .and_then(|()| {
                    fs::rename(&tmp, path)
                        .map_err(|source| ChartError::Io { path: path.to_path_buf(), source })
                });
            if result.is_err() {
                let _ = fs::remove_file(&tmp);
            }
            result
        }
    }
}

fn render_svg(chart: Chart, record: &RunRecord) -> DrawResult<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        chart.draw(&root, record)?;
        root.present()?;
    }
    svg.push('\n');
    Ok(svg)
}

fn render_png(chart: Chart, record: &RunRecord, path: &Path) -> DrawResult {
    let root = BitMapBackend::new(path, (WIDTH, HEIGHT)).into_drawing_area();
    chart.draw(&root, record)?;
    root.present()?;
    Ok(())
}
