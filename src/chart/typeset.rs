//! Text as the SVG shows it: one size and placement rule for both formats, and PNG glyphs
//! placed where the font puts them.
//!
//! plotters measures text with its font at a pixel height of `size` (an em of 0.86 `size`
//! with DejaVu Sans), its SVG backend writes `font-size = size / 1.24`, and its bitmap
//! backend draws each glyph at the pen position truncated to a pixel and without the glyph's
//! left side bearing, so letters drift apart or together ("Disagreement p oint"). The
//! [`Typeset`] wrapper around either backend measures text at the SVG's em, and on the bitmap
//! backend rasterizes text itself: each glyph at its exact (sub-pixel) pen position with its
//! bearing and kerning, on the SVG's baseline for each vertical anchor (`0.76em` below a top
//! anchor, `0.5ex` below a centre, `0.5ex` above a bottom). So a layout measured once fits
//! both formats, and a PNG looks like the SVG drawn with DejaVu Sans.
//!
//! Everything else is passed through to the wrapped backend unchanged.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

use crate::chart::style::FONT_BYTES;

/// The em of text of plotters size `size`, as the SVG backend writes it.
pub(crate) fn em(size: f64) -> f32 {
    (size / 1.24) as f32
}

/// The vendored font, parsed once.
fn font() -> &'static FontRef<'static> {
    static FONT: OnceLock<FontRef<'static>> = OnceLock::new();
    FONT.get_or_init(|| FontRef::try_from_slice(FONT_BYTES).expect("the vendored font parses"))
}

/// The scale that gives glyphs an em of `em` pixels.
fn scale(em: f32) -> PxScale {
    let font = font();
    let units = font.units_per_em().unwrap_or(2048.0);
    PxScale::from(em * font.height_unscaled() / units)
}

/// The width in pixels of `text` at an em of `em`: advances and kerning, as drawn.
pub(crate) fn text_width(text: &str, em: f32) -> f32 {
    let font = font().as_scaled(scale(em));
    let mut width = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(prev) = prev {
            width += font.kern(prev, id);
        }
        width += font.h_advance(id);
        prev = Some(id);
    }
    width
}

/// The byte length of the longest prefix of `text` that, followed by `suffix`, is at most
/// `max` pixels wide at an em of `em` (0 if none is). Linear in the prefix: it stops at the
/// first character past `max`, so cutting a very long text costs what the cut keeps.
pub(crate) fn fitting_prefix(text: &str, em: f32, max: f32, suffix: &str) -> usize {
    let font = font().as_scaled(scale(em));
    let suffix_width = text_width(suffix, em);
    let suffix_first = suffix.chars().next().map(|c| font.glyph_id(c));
    let mut width = 0.0;
    let mut prev = None;
    let mut best = 0;
    for (i, c) in text.char_indices() {
        let id = font.glyph_id(c);
        if let Some(prev) = prev {
            width += font.kern(prev, id);
        }
        width += font.h_advance(id);
        prev = Some(id);
        if width > max {
            break;
        }
        let joint = suffix_first.map_or(0.0, |s| font.kern(id, s));
        if width + joint + suffix_width <= max {
            best = i + c.len_utf8();
        }
    }
    best
}

/// The x-height of the font, as a share of the em (what CSS calls 1ex).
fn ex_share() -> f32 {
    static EX: OnceLock<f32> = OnceLock::new();
    *EX.get_or_init(|| {
        let font = font();
        let units = font.units_per_em().unwrap_or(2048.0);
        font.outline(font.glyph_id('x'))
            .map_or(0.5, |o| (o.bounds.max.y - o.bounds.min.y).abs() / units)
    })
}

/// A backend that measures text at the SVG's em and, for bitmaps, draws it glyph by glyph.
pub(crate) struct Typeset<B> {
    inner: B,
    /// Whether text is rasterized here (bitmaps) or passed on (SVG, which writes `<text>`).
    rasterize: bool,
}

impl<B: DrawingBackend> Typeset<B> {
    /// Wraps an SVG backend: text is measured here and written by the SVG backend.
    pub(crate) fn vector(inner: B) -> Typeset<B> {
        Typeset { inner, rasterize: false }
    }

    /// Wraps a bitmap backend: text is measured and drawn here.
    pub(crate) fn raster(inner: B) -> Typeset<B> {
        Typeset { inner, rasterize: true }
    }

    fn draw_glyphs<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        let color = style.color();
        if color.alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let em = em(style.size());
        let anchor = style.anchor();
        let width = text_width(text, em);
        let mut pen = match anchor.h_pos {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let baseline = match anchor.v_pos {
            VPos::Top => 0.76 * em,
            VPos::Center => 0.5 * ex_share() * em,
            VPos::Bottom => -0.5 * ex_share() * em,
        };
        let transform = style.transform();
        let (w, h) = self.inner.get_size();
        let font = font();
        let px_scale = scale(em);
        let scaled = font.as_scaled(px_scale);
        let mut prev = None;
        let mut result = Ok(());
        for c in text.chars() {
            let id = font.glyph_id(c);
            if let Some(prev) = prev {
                pen += scaled.kern(prev, id);
            }
            prev = Some(id);
            let glyph = id.with_scale_and_position(px_scale, point(pen, baseline));
            pen += scaled.h_advance(id);
            let Some(outline) = font.outline_glyph(glyph) else { continue };
            let bounds = outline.px_bounds();
            let inner = &mut self.inner;
            outline.draw(|x, y, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let gx = bounds.min.x as i32 + x as i32;
                let gy = bounds.min.y as i32 + y as i32;
                let (tx, ty) = transform.transform(gx, gy);
                let (px, py) = (pos.0 + tx, pos.1 + ty);
                if px >= 0 && py >= 0 && px < w as i32 && py < h as i32 {
                    let alpha = color.alpha * f64::from(coverage.min(1.0));
                    result = inner.draw_pixel((px, py), BackendColor { alpha, rgb: color.rgb });
                }
            });
            if result.is_err() {
                break;
            }
        }
        result
    }
}

impl<B: DrawingBackend> DrawingBackend for Typeset<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        if self.rasterize {
            self.draw_glyphs(text, style, pos)
        } else {
            self.inner.draw_text(text, style, pos)
        }
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let em = em(style.size());
        Ok((text_width(text, em).ceil() as u32, em.ceil() as u32))
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<B::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_add_advances_at_the_svg_em() {
        // DejaVu Sans: "i" advances 569 units of 2048, "m" 1995.
        let em = 20.0;
        assert!((text_width("i", em) - 569.0 / 2048.0 * em).abs() < 0.01);
        assert!((text_width("mm", em) - 2.0 * 1995.0 / 2048.0 * em).abs() < 0.01);
        assert_eq!(text_width("", em), 0.0);
        assert!((ex_share() - 1120.0 / 2048.0).abs() < 0.01, "{}", ex_share());
    }

    /// The columns holding ink on an RGB buffer `width` pixels wide, as runs `[start, end)`.
    fn ink_runs(pixels: &[u8], width: usize) -> Vec<(usize, usize)> {
        let height = pixels.len() / 3 / width;
        let inked = |x: usize| (0..height).any(|y| pixels[3 * (y * width + x)] < 128);
        let mut runs = Vec::new();
        let mut start = None;
        for x in 0..width {
            match (inked(x), start) {
                (true, None) => start = Some(x),
                (false, Some(s)) => {
                    runs.push((s, x));
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    #[test]
    fn png_glyphs_sit_at_their_pen_position_plus_their_side_bearing() {
        // Issue 7: "Disagreement p oint". At an em of 100 px, dropping the side bearing of
        // `p` (about 9 px) or truncating the pen would move its ink by several pixels.
        use plotters::prelude::*;
        crate::chart::register_fonts().unwrap();
        let (width, height) = (300usize, 160usize);
        let mut pixels = vec![255u8; width * height * 3];
        {
            let backend = BitMapBackend::with_buffer(&mut pixels, (width as u32, height as u32));
            let mut typeset = Typeset::raster(backend);
            let style = crate::chart::style::text(
                124.0,
                BLACK,
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Top,
            );
            typeset.draw_text("ip", &style, (10, 10)).unwrap();
        }
        let runs = ink_runs(&pixels, width);
        assert_eq!(runs.len(), 2, "{runs:?}");
        let font = font().as_scaled(scale(100.0));
        let (i, p) = (font.glyph_id('i'), font.glyph_id('p'));
        let expected = 10.0 + font.h_advance(i) + font.kern(i, p) + font.h_side_bearing(p);
        let found = runs[1].0 as f32;
        assert!((found - expected).abs() <= 1.0, "p's ink at {found}, expected {expected}");
        let expected_i = 10.0 + font.h_side_bearing(i);
        assert!((runs[0].0 as f32 - expected_i).abs() <= 1.0, "i at {:?}", runs[0]);
    }
}
