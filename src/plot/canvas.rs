//! The one backend every chart draws on: a PNG bitmap, optionally `k` times larger for high-DPI output,
//! or an SVG ([`super::svg`]).
//!
//! Charts are laid out in logical pixels. For a scaled PNG every coordinate, stroke width, radius and
//! font size is multiplied by `k` on the way to the bitmap, so text and lines are drawn sharp at the
//! larger size rather than enlarged afterwards. An SVG carries the scale in its `width`/`height`.

use super::glyphs;
use super::svg::SvgBackend;
use plotters::prelude::BitMapBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};

/// A chart's drawing surface.
pub enum Canvas<'a> {
    /// A bitmap of `logical × k` pixels.
    Png {
        /// The bitmap.
        inner: BitMapBackend<'a>,
        /// Scale factor.
        k: f64,
        /// Logical size.
        logical: (u32, u32),
    },
    /// An SVG document.
    Svg(SvgBackend),
}

impl std::fmt::Debug for Canvas<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Canvas::Png { k, logical, .. } => write!(f, "Canvas::Png({logical:?} x{k})"),
            Canvas::Svg(s) => write!(f, "Canvas::Svg({s:?})"),
        }
    }
}

/// Error of either backend.
#[derive(Debug, thiserror::Error)]
pub enum CanvasError {
    /// From the bitmap backend.
    #[error("{0}")]
    Png(String),
    /// From the SVG backend.
    #[error("{0}")]
    Svg(#[from] std::io::Error),
}

type Res = Result<(), DrawingErrorKind<CanvasError>>;

fn lift<E: std::error::Error + Send + Sync>(
    r: Result<(), DrawingErrorKind<E>>,
    wrap: impl FnOnce(E) -> CanvasError,
) -> Res {
    r.map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(wrap(e)),
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    })
}

fn png_err(e: impl std::fmt::Display) -> CanvasError {
    CanvasError::Png(e.to_string())
}

/// A style with its stroke width multiplied by `k`.
struct Thick<'s, S: BackendStyle>(&'s S, f64);

impl<S: BackendStyle> BackendStyle for Thick<'_, S> {
    fn color(&self) -> BackendColor {
        self.0.color()
    }
    fn stroke_width(&self) -> u32 {
        ((f64::from(self.0.stroke_width()) * self.1).round() as u32).max(1)
    }
}

/// A path on the bitmap. plotters turns a thick path into one polygon, which a long zigzag (forty
/// years of daily prices) makes self-intersecting: the even-odd fill then leaves gaps and can drop a
/// one-day spike such as WTI's −37 $. Each segment of a thick path is drawn as its own quadrilateral.
fn thick_path<'a, S: BackendStyle>(
    b: &mut BitMapBackend<'a>,
    pts: Vec<BackendCoord>,
    style: &S,
) -> Result<(), DrawingErrorKind<<BitMapBackend<'a> as DrawingBackend>::ErrorType>> {
    if style.stroke_width() <= 1 || pts.len() < 3 {
        return b.draw_path(pts, style);
    }
    for seg in pts.windows(2).filter(|w| w[0] != w[1]) {
        b.draw_path(seg.iter().copied(), style)?;
    }
    Ok(())
}

fn at(p: BackendCoord, k: f64) -> BackendCoord {
    (
        (f64::from(p.0) * k).round() as i32,
        (f64::from(p.1) * k).round() as i32,
    )
}

/// Text on the bitmap, glyph by glyph from the same layout as the SVG ([`glyphs::shape`]): anchored
/// as plotters anchors it, `k` times larger, rotated by the style's transform about `pos`, each pixel
/// blended with the glyph's coverage.
fn png_text<T: BackendTextStyle>(
    b: &mut BitMapBackend<'_>,
    text: &str,
    style: &T,
    pos: BackendCoord,
    k: f64,
) -> Res {
    let color = style.color();
    if color.alpha == 0.0 || text.is_empty() {
        return Ok(());
    }
    let bold = matches!(style.style(), FontStyle::Bold);
    let size = style.size() as f32;
    let (dx, dy) = glyphs::anchor_offset(style, text).map_err(|e| match e {
        DrawingErrorKind::DrawingError(e) => DrawingErrorKind::DrawingError(CanvasError::Svg(e)),
        DrawingErrorKind::FontError(f) => DrawingErrorKind::FontError(f),
    })?;
    let kf = k as f32;
    let origin = (dx as f32 * kf, (dy as f32 + size / 2.0) * kf);
    let (px, py) = at(pos, k);
    let transform = style.transform();
    glyphs::raster_run(text, bold, size * kf, origin, |x, y, c| {
        let (rx, ry) = match transform {
            FontTransform::None => (x, y),
            FontTransform::Rotate90 => (-y, x),
            FontTransform::Rotate180 => (-x, -y),
            FontTransform::Rotate270 => (y, -x),
        };
        let pixel = BackendColor {
            alpha: color.alpha * f64::from(c),
            rgb: color.rgb,
        };
        // Only pixels outside the bitmap fail, and those are skipped by the backend.
        let _ = b.draw_pixel((px + rx, py + ry), pixel);
    });
    Ok(())
}

macro_rules! each {
    ($self:ident, $png:ident, $k:ident => $p:expr, $svg:ident => $s:expr) => {
        match $self {
            Canvas::Png {
                inner: $png, k: $k, ..
            } => lift($p, png_err),
            Canvas::Svg($svg) => lift($s, CanvasError::Svg),
        }
    };
}

impl DrawingBackend for Canvas<'_> {
    type ErrorType = CanvasError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            Canvas::Png { logical, .. } => *logical,
            Canvas::Svg(s) => s.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Res {
        each!(self, b, _k => b.ensure_prepared(), s => s.ensure_prepared())
    }

    fn present(&mut self) -> Res {
        each!(self, b, _k => b.present(), s => s.present())
    }

    fn draw_pixel(&mut self, p: BackendCoord, c: BackendColor) -> Res {
        each!(self, b, k => if *k == 1.0 {
            b.draw_pixel(p, c)
        } else {
            let q = at((p.0 + 1, p.1 + 1), *k);
            b.draw_rect(at(p, *k), (q.0 - 1, q.1 - 1), &c, true)
        }, s => s.draw_pixel(p, c))
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Res {
        each!(self, b, k => b.draw_line(at(from, *k), at(to, *k), &Thick(style, *k)),
              s => s.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        ul: BackendCoord,
        br: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Res {
        each!(self, b, k => {
            // Inclusive pixel corners: the scaled rectangle covers the same area k times larger.
            let far = if fill { at((br.0 + 1, br.1 + 1), *k) } else { at(br, *k) };
            let far = if fill { (far.0 - 1, far.1 - 1) } else { far };
            b.draw_rect(at(ul, *k), far, &Thick(style, *k), fill)
        }, s => s.draw_rect(ul, br, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Res {
        each!(self, b, k => thick_path(b, path.into_iter().map(|p| at(p, *k)).collect(), &Thick(style, *k)),
              s => s.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(&mut self, c: BackendCoord, r: u32, style: &S, fill: bool) -> Res {
        each!(self, b, k => {
            let r = (f64::from(r) * *k).round() as u32;
            b.draw_circle(at(c, *k), r, &Thick(style, *k), fill)
        }, s => s.draw_circle(c, r, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Res {
        each!(self, b, k => b.fill_polygon(vert.into_iter().map(|p| at(p, *k)), style),
              s => s.fill_polygon(vert, style))
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Res {
        match self {
            Canvas::Png { inner, k, .. } => png_text(inner, text, style, pos, *k),
            Canvas::Svg(s) => lift(s.draw_text(text, style, pos), CanvasError::Svg),
        }
    }

    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<CanvasError>> {
        // Logical units: the style is the unscaled one. The width is the shaped run's, as drawn
        // (so plotters lays out labels with the widths the text will have); the height plotters'.
        let layout = style
            .layout_box(text)
            .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
        let bold = matches!(style.style(), FontStyle::Bold);
        let w = glyphs::shape(text, bold, style.size() as f32).1.round() as u32;
        Ok((w, (layout.1 .1 - layout.0 .1) as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_and_strokes_scale_and_round() {
        assert_eq!(at((10, -3), 2.0), (20, -6));
        assert_eq!(at((3, 5), 1.5), (5, 8)); // 4.5 and 7.5 round away from zero
        let c = BackendColor {
            alpha: 1.0,
            rgb: (1, 2, 3),
        };
        assert_eq!(Thick(&c, 2.0).stroke_width(), 2);
        assert_eq!(Thick(&c, 1.2).stroke_width(), 1);
        assert_eq!(Thick(&c, 1.0).color().rgb, (1, 2, 3));
    }

    #[test]
    fn long_thick_lines_keep_their_spikes() {
        // Forty years of daily prices on a 1600-pixel chart, as the timeline draws them, with one
        // deep one-day spike (WTI, 20 April 2020). Drawn as one polygon the line was full of gaps and
        // the spike vanished.
        use plotters::prelude::*;
        let (w, h) = (1600u32, 600u32);
        let mut buf = vec![255u8; (w * h * 3) as usize];
        let mut rng = fastrand::Rng::with_seed(1);
        let mut p = 20.0f64;
        let prices: Vec<(f64, f64)> = (0..10_000)
            .map(|i| {
                p = (p * (1.0 + (rng.f64() - 0.5) * 0.05)).clamp(10.0, 140.0);
                (f64::from(i), if i == 8_400 { -37.0 } else { p })
            })
            .collect();
        let spike_x;
        {
            let canvas = Canvas::Png {
                inner: BitMapBackend::with_buffer(&mut buf, (w, h)),
                k: 1.0,
                logical: (w, h),
            };
            let root = canvas.into_drawing_area();
            let mut chart = ChartBuilder::on(&root)
                .margin(20)
                .build_cartesian_2d(0.0..10_000.0, -45.0..150.0)
                .unwrap();
            chart
                .draw_series(LineSeries::new(prices, ShapeStyle::from(&BLUE).stroke_width(2)))
                .unwrap();
            spike_x = chart.backend_coord(&(8_400.0, 0.0)).0 as usize;
            root.present().unwrap();
        }
        let y_of = |v: f64| (20.0 + (150.0 - v) / 195.0 * 560.0) as usize;
        let inked = |y: usize| (spike_x - 2..=spike_x + 2).any(|x| buf[(y * w as usize + x) * 3] != 255);
        let gaps: Vec<usize> = (y_of(0.0)..y_of(-35.0)).filter(|y| !inked(*y)).collect();
        assert!(gaps.is_empty(), "the spike below zero has gaps at rows {gaps:?}");
    }

    #[test]
    fn a_scaled_png_has_k_times_the_pixels_and_logical_layout() {
        use plotters::prelude::*;
        super::super::init_fonts();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.png");
        let out = super::super::Output {
            scale: 2.0,
            ..Default::default()
        };
        super::super::render(&path, (300, 200), &out, |root| {
            assert_eq!(root.dim_in_pixel(), (300, 200), "charts see logical pixels");
            let f = super::super::text::font(16.0);
            let (w, _) = root.estimate_text_size("abc", &TextStyle::from(f.clone()))?;
            assert_eq!(
                w,
                super::super::text::width("abc", &f),
                "measured in logical pixels"
            );
            root.draw(&Rectangle::new([(10, 10), (19, 19)], RED.filled()))
        })
        .unwrap();
        let bytes = std::fs::read(&path).unwrap();
        let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((w, h), (600, 400));
    }
}
