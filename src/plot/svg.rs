//! A minimal SVG drawing backend whose text is glyph outlines, so an SVG looks the same on any machine.
//!
//! plotters' own SVG backend writes `<text font-family="sans-serif">`, which each viewer renders with
//! whatever font it has, so labels measured with DejaVu Sans may overflow their boxes elsewhere. Here
//! every glyph used is defined once in `<defs>` as a path taken from the embedded DejaVu Sans (regular
//! or bold) with ab_glyph, and placed with `<use>`; the layout is the same as in the PNG (plotters'
//! ab_glyph metrics: advance plus kerning, the baseline half a font size below the text box's top).
//! Lines, rectangles, circles and polygons are plain SVG elements. The file is written by `present`.

use super::glyphs::{anchor_offset, glyph_run, GlyphDefs};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind, FontStyle,
    FontTransform,
};
use std::fmt::Write as _;
use std::path::PathBuf;

/// The SVG backend: logical size `size`, written `scale` times larger (width/height attributes).
pub struct SvgBackend {
    path: PathBuf,
    size: (u32, u32),
    scale: f64,
    body: String,
    /// Glyphs used, defined once in `<defs>`.
    glyphs: GlyphDefs,
    written: bool,
}

impl std::fmt::Debug for SvgBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SvgBackend").field("path", &self.path).finish()
    }
}

/// `kind="#rrggbb"` plus `kind-opacity` when translucent (`kind` is `fill` or `stroke`).
fn paint(kind: &str, c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    let mut s = format!("{kind}=\"#{r:02x}{g:02x}{b:02x}\"");
    if c.alpha < 1.0 {
        let _ = write!(s, " {kind}-opacity=\"{:.3}\"", c.alpha);
    }
    s
}

impl SvgBackend {
    /// A backend writing to `path` on `present`.
    pub fn new(path: PathBuf, size: (u32, u32), scale: f64) -> Self {
        SvgBackend {
            path,
            size,
            scale,
            body: String::new(),
            glyphs: GlyphDefs::new(),
            written: false,
        }
    }

    fn stroke<S: BackendStyle>(style: &S) -> String {
        format!(
            "{} stroke-width=\"{}\"",
            paint("stroke", style.color()),
            style.stroke_width()
        )
    }

    fn points<I: IntoIterator<Item = BackendCoord>>(pts: I) -> String {
        let v: Vec<String> = pts.into_iter().map(|(x, y)| format!("{x},{y}")).collect();
        v.join(" ")
    }

    /// The whole document.
    fn document(&self) -> String {
        let (w, h) = self.size;
        let mut out = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {w} {h}\">\n<defs>\n",
            (f64::from(w) * self.scale).round(),
            (f64::from(h) * self.scale).round()
        );
        for ((face, id), d) in &self.glyphs {
            let _ = writeln!(out, "<path id=\"g{face}_{id}\" d=\"{d}\"/>");
        }
        out.push_str("</defs>\n");
        out.push_str(&self.body);
        out.push_str("</svg>\n");
        out
    }
}

impl DrawingBackend for SvgBackend {
    type ErrorType = std::io::Error;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        Ok(())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !self.written {
            std::fs::write(&self.path, self.document()).map_err(DrawingErrorKind::DrawingError)?;
            self.written = true;
        }
        Ok(())
    }

    fn draw_pixel(
        &mut self,
        (x, y): BackendCoord,
        c: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if c.alpha > 0.0 {
            let _ = writeln!(
                self.body,
                "<rect x=\"{x}\" y=\"{y}\" width=\"1\" height=\"1\" {}/>",
                paint("fill", c)
            );
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            let s = Self::stroke(style);
            let _ = writeln!(
                self.body,
                "<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y1}\" {s}/>"
            );
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        (x0, y0): BackendCoord,
        (x1, y1): BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let (w, h) = (x1 - x0, y1 - y0);
        let paint = if fill {
            paint("fill", style.color())
        } else {
            format!("fill=\"none\" {}", Self::stroke(style))
        };
        // Filled rectangles cover their last pixel row and column, as in the bitmap backend.
        let (w, h) = if fill { (w + 1, h + 1) } else { (w, h) };
        let _ = writeln!(
            self.body,
            "<rect x=\"{x0}\" y=\"{y0}\" width=\"{w}\" height=\"{h}\" {paint}/>"
        );
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            let s = Self::stroke(style);
            let p = Self::points(path);
            let _ = writeln!(
                self.body,
                "<polyline points=\"{p}\" fill=\"none\" {s} stroke-linejoin=\"round\"/>"
            );
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        (x, y): BackendCoord,
        r: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 {
            return Ok(());
        }
        let paint = if fill {
            paint("fill", style.color())
        } else {
            format!("fill=\"none\" {}", Self::stroke(style))
        };
        let _ = writeln!(self.body, "<circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\" {paint}/>");
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha > 0.0 {
            let p = Self::points(vert);
            let _ = writeln!(
                self.body,
                "<polygon points=\"{p}\" {}/>",
                paint("fill", style.color())
            );
        }
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if style.color().alpha == 0.0 || text.is_empty() {
            return Ok(());
        }
        let bold = matches!(style.style(), FontStyle::Bold);
        let size = style.size() as f32;
        let (dx, dy) = anchor_offset(style, text)?;
        let angle = match style.transform() {
            FontTransform::None => 0,
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
        };
        let _ = writeln!(
            self.body,
            "<g transform=\"translate({} {}) rotate({angle})\" {}>",
            pos.0,
            pos.1,
            paint("fill", style.color())
        );
        let origin = (dx as f32, dy as f32 + size / 2.0);
        glyph_run(&mut self.body, &mut self.glyphs, text, bold, size, origin);
        self.body.push_str("</g>\n");
        Ok(())
    }
}

impl Drop for SvgBackend {
    fn drop(&mut self) {
        // plotters presents explicitly; nothing is written implicitly so a failed chart leaves no file.
        self.written = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::style::text_anchor::{HPos, Pos, VPos};
    use plotters::style::{FontDesc, FontFamily, TextStyle};

    fn style(anchor: Pos, transform: FontTransform) -> TextStyle<'static> {
        super::super::init_fonts();
        TextStyle {
            font: FontDesc::new(FontFamily::Name(super::super::FONT), 20.0, FontStyle::Normal)
                .transform(transform),
            color: BackendColor {
                alpha: 1.0,
                rgb: (0, 0, 0),
            },
            pos: anchor,
        }
    }

    fn uses(body: &str) -> Vec<(String, f32, f32)> {
        body.lines()
            .filter(|l| l.starts_with("<use"))
            .map(|l| {
                let id = l
                    .split("#")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string();
                let t = l.split("translate(").nth(1).unwrap().split(')').next().unwrap();
                let (x, y) = t.split_once(' ').unwrap();
                (id, x.parse().unwrap(), y.parse().unwrap())
            })
            .collect()
    }

    #[test]
    fn text_is_glyphs_defined_once_and_placed_on_the_baseline() {
        let mut svg = SvgBackend::new(PathBuf::from("unused.svg"), (100, 50), 1.0);
        let st = style(Pos::new(HPos::Left, VPos::Top), FontTransform::None);
        svg.draw_text("A A", &st, (10, 20)).unwrap();
        assert!(svg.body.contains("<g transform=\"translate(10 20) rotate(0)\""));
        let u = uses(&svg.body);
        assert_eq!(u.len(), 2, "the space draws nothing");
        assert_eq!(u[0].0, u[1].0);
        assert_eq!(svg.glyphs.len(), 1, "one definition for both A's");
        // First glyph at the pen origin, baseline half the font size below the top.
        assert_eq!((u[0].1, u[0].2), (0.0, 10.0));
        // DejaVu Sans: advance of 'A' 1401 and of ' ' 651 font units; pixel scale = size / (ascent 1901 −
        // descent −483), as plotters' ab_glyph layout uses (no kerning pair for "A ").
        let want = 20.0 * (1401.0 + 651.0) / (1901.0 + 483.0);
        assert!(
            (u[1].1 - want).abs() < 0.01,
            "second A at {}, want {want}",
            u[1].1
        );
        let d = svg.glyphs.values().next().unwrap();
        assert!(d.starts_with('M') && d.ends_with('Z') && d.contains('L'), "{d}");
    }

    #[test]
    fn anchors_and_rotation_follow_the_layout_box() {
        let mut svg = SvgBackend::new(PathBuf::from("unused.svg"), (100, 50), 1.0);
        let st = style(Pos::new(HPos::Right, VPos::Center), FontTransform::Rotate270);
        svg.draw_text("H", &st, (50, 40)).unwrap();
        let (_, (_, h)) = st.layout_box("H").unwrap();
        // Right-anchored: the run ends at the anchor, its shaped advance to the left.
        let w = super::super::glyphs::shape("H", false, st.size() as f32)
            .1
            .round();
        let u = uses(&svg.body);
        assert_eq!(u[0].1, -w);
        assert_eq!(u[0].2, (-h / 2) as f32 + 10.0);
        assert!(svg.body.contains("rotate(270)"));
    }

    #[test]
    fn the_document_scales_through_width_and_height_only() {
        let svg = SvgBackend::new(PathBuf::from("unused.svg"), (300, 200), 2.0);
        let doc = svg.document();
        assert!(
            doc.contains("width=\"600\" height=\"400\" viewBox=\"0 0 300 200\""),
            "{doc}"
        );
    }
}
