//! The look shared by every chart: page size, fonts, colours, the party palette and markers.
//!
//! Everything is in pixels of a page [`WIDTH`] wide; each chart's height follows from its
//! content. It knows nothing about a particular chart or about layout; `layout` places
//! titles, legends and notes, `axis` makes ticks.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// A drawing backend whose errors can be boxed (both the SVG and the bitmap backend).
pub(crate) trait Backend: DrawingBackend<ErrorType: 'static> {}

impl<T: DrawingBackend<ErrorType: 'static>> Backend for T {}

/// The result of drawing: any backend, font or layout error, boxed.
pub(crate) type DrawResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Page width in pixels.
pub(crate) const WIDTH: u32 = 1200;
/// The height of a chart with a plot of usual size and nothing that grows it.
pub(crate) const HEIGHT: u32 = 750;
/// The tallest chart drawn, in pixels: past it a chart leaves things out and says so.
pub(crate) const MAX_HEIGHT: u32 = 6000;
/// DejaVu Sans, vendored: what PNG text is drawn with and every text is measured with.
pub(crate) const FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
/// The one font family every text uses (registered by `chart::register_fonts`).
pub(crate) const FONT: &str = "sans-serif";
/// Left and right page margin.
pub(crate) const MARGIN: i32 = 24;

/// Title font size, in plotters' units (the em is the size / 1.24: see `typeset`; the
/// title is shrunk if too long for the page).
pub(crate) const TITLE_SIZE: f64 = 30.0;
/// Subtitle font size.
pub(crate) const SUBTITLE_SIZE: f64 = 19.0;
/// Axis description font size.
pub(crate) const AXIS_SIZE: f64 = 19.0;
/// Tick label and event label font size.
pub(crate) const TICK_SIZE: f64 = 17.0;
/// Legend font size.
pub(crate) const LEGEND_SIZE: f64 = 18.0;
/// Note font size (event captions, caveats).
pub(crate) const NOTE_SIZE: f64 = 18.0;
/// Line height of notes and wrapped legend labels.
pub(crate) const NOTE_LINE: i32 = 21;

/// Text and axis colour.
pub(crate) const INK: RGBColor = RGBColor(34, 34, 34);
/// Secondary text (subtitles, notes).
pub(crate) const MUTED: RGBColor = RGBColor(90, 90, 90);
/// Grid lines.
pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);
/// Event lines and labels.
pub(crate) const EVENT: RGBColor = RGBColor(130, 130, 130);
/// The fill of the deal's star.
pub(crate) const DEAL_FILL: RGBColor = RGBColor(255, 196, 0);

/// Party colours, by party order: the Okabe–Ito palette, readable with colour-blindness
/// (yellow left out: too pale on white).
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(0, 0, 0),       // black
];

/// Party marker shapes, by party order, so that parties differ in grey print too.
const PARTY_SHAPES: [Shape; 6] = [
    Shape::Circle,
    Shape::Square,
    Shape::TriangleUp,
    Shape::Diamond,
    Shape::TriangleDown,
    Shape::Hexagon,
];

/// How many parties get a colour and marker pair of their own: 7 colours and 6 shapes
/// (coprime, so party k gets colour k mod 7 and shape k mod 6, distinct for 42 parties),
/// filled for the first 42 and hollow for the next 42.
pub(crate) const DISTINCT_PARTIES: usize = 2 * PALETTE.len() * PARTY_SHAPES.len();

/// The colour of the party at `party_idx` (in the record's party order), the same in every
/// chart.
pub(crate) fn party_color(party_idx: usize) -> RGBColor {
    PALETTE[party_idx % PALETTE.len()]
}

/// The marker of the party at `party_idx`: its shape filled with its colour, or outlined in
/// its colour for parties past the first 42.
pub(crate) fn party_marker(party_idx: usize, radius: f64) -> Marker {
    let color = party_color(party_idx);
    let shape = PARTY_SHAPES[party_idx % PARTY_SHAPES.len()];
    if (party_idx / (PALETTE.len() * PARTY_SHAPES.len())) % 2 == 1 {
        Marker { shape, radius, fill: Some(WHITE), stroke: color, stroke_width: 2 }
    } else {
        Marker { shape, radius, fill: Some(color), stroke: WHITE, stroke_width: 1 }
    }
}

/// The deal: a large gold star with a dark outline.
pub(crate) fn deal_marker() -> Marker {
    deal_marker_in(DEAL_FILL)
}

/// The deal's star filled with another colour (a party's, where each party has its own).
pub(crate) fn deal_marker_in(fill: RGBColor) -> Marker {
    Marker { shape: Shape::Star, radius: 13.0, fill: Some(fill), stroke: INK, stroke_width: 2 }
}

/// The real (observed) deal: a hollow star, larger than the deal's so that it rings the
/// deal's star when the two coincide.
pub(crate) fn observed_marker() -> Marker {
    Marker { shape: Shape::Star, radius: 16.0, fill: None, stroke: INK, stroke_width: 2 }
}

/// A text style in the chart font.
pub(crate) fn text(size: f64, color: RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle {
        font: (FONT, size).into_font(),
        color: color.to_backend_color(),
        pos: Pos::new(h, v),
    }
}

/// The shapes markers come in.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Shape {
    Circle,
    Square,
    TriangleUp,
    TriangleDown,
    Diamond,
    Hexagon,
    Star,
    Cross,
}

/// A marker drawn in pixels around a point.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Marker {
    pub shape: Shape,
    /// Half the marker's size.
    pub radius: f64,
    /// Fill colour; `None` for a hollow marker.
    pub fill: Option<RGBColor>,
    /// Outline colour.
    pub stroke: RGBColor,
    /// Outline width in pixels (0 for none).
    pub stroke_width: u32,
}

/// Draws `marker` centred at pixel `at` of `area`.
pub(crate) fn draw_marker<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    marker: &Marker,
) -> DrawResult {
    let r = marker.radius;
    let stroke = marker.stroke.stroke_width(marker.stroke_width);
    match marker.shape {
        Shape::Circle => {
            let radius = r.round() as i32;
            if let Some(fill) = marker.fill {
                area.draw(&Circle::new(at, radius, fill.filled()))?;
            }
            if marker.stroke_width > 0 {
                area.draw(&Circle::new(at, radius, stroke))?;
            }
        }
        Shape::Cross => {
            let d = (r * 0.8).round() as i32;
            let style = marker.stroke.stroke_width(marker.stroke_width.max(2));
            area.draw(&PathElement::new(vec![(at.0 - d, at.1 - d), (at.0 + d, at.1 + d)], style))?;
            area.draw(&PathElement::new(vec![(at.0 - d, at.1 + d), (at.0 + d, at.1 - d)], style))?;
        }
        shape => {
            let points: Vec<(i32, i32)> = outline(shape)
                .iter()
                .map(|(x, y)| (at.0 + (x * r).round() as i32, at.1 + (y * r).round() as i32))
                .collect();
            if let Some(fill) = marker.fill {
                area.draw(&Polygon::new(points.clone(), fill.filled()))?;
            }
            if marker.stroke_width > 0 {
                let mut closed = points;
                closed.push(closed[0]);
                area.draw(&PathElement::new(closed, stroke))?;
            }
        }
    }
    Ok(())
}

/// A polygon shape's corners on the unit scale (y down).
fn outline(shape: Shape) -> Vec<(f64, f64)> {
    match shape {
        Shape::Square => vec![(-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)],
        Shape::TriangleUp => vec![(0.0, -1.15), (1.05, 0.75), (-1.05, 0.75)],
        Shape::TriangleDown => vec![(0.0, 1.15), (1.05, -0.75), (-1.05, -0.75)],
        Shape::Diamond => vec![(0.0, -1.2), (1.0, 0.0), (0.0, 1.2), (-1.0, 0.0)],
        Shape::Hexagon => (0..6)
            .map(|k| {
                let angle = std::f64::consts::PI * (k as f64) / 3.0;
                (1.05 * angle.cos(), 1.05 * angle.sin())
            })
            .collect(),
        Shape::Star => (0..10)
            .map(|k| {
                let angle = std::f64::consts::PI * (k as f64) / 5.0;
                let radius = if k % 2 == 0 { 1.0 } else { 0.45 };
                (radius * angle.sin(), -radius * angle.cos())
            })
            .collect(),
        Shape::Circle | Shape::Cross => Vec::new(),
    }
}

/// Draws a dashed polyline through pixel `points`: dashes of `dash` pixels starting every
/// `period` pixels along the line, shifted by `phase`.
///
/// Lines that may lie on top of each other (two parties with the same reservation value) get
/// the same period and different phases, so that their dashes alternate and both colours
/// show.
pub(crate) fn draw_dashed<DB: Backend>(
    area: &DrawingArea<DB, Shift>,
    points: &[(i32, i32)],
    (dash, period, phase): (f64, f64, f64),
    style: ShapeStyle,
) -> DrawResult {
    let mut walked = 0.0;
    for pair in points.windows(2) {
        let (a, b) = ((f64::from(pair[0].0), f64::from(pair[0].1)), (pair[1].0, pair[1].1));
        let b = (f64::from(b.0), f64::from(b.1));
        let length = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if length == 0.0 {
            continue;
        }
        let at = |d: f64| {
            let t = (d / length).clamp(0.0, 1.0);
            ((a.0 + t * (b.0 - a.0)).round() as i32, (a.1 + t * (b.1 - a.1)).round() as i32)
        };
        // The first dash that ends after this segment's start, in the segment's own distance.
        let mut start = ((walked - phase) / period).floor() * period + phase - walked;
        while start < length {
            let (from, to) = (start.max(0.0), (start + dash).min(length));
            if to > from {
                area.draw(&PathElement::new(vec![at(from), at(to)], style))?;
            }
            start += period;
        }
        walked += length;
    }
    Ok(())
}
