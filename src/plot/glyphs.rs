//! Text as glyph outlines for the SVG backend: the embedded DejaVu Sans faces, each glyph's outline
//! as SVG path data, text placed by its anchor as plotters places it, and runs of `<use>` elements.

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendTextStyle, DrawingErrorKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The embedded DejaVu Sans face, regular or bold.
pub fn face(bold: bool) -> FontRef<'static> {
    let bytes = if bold {
        dejavu::sans::bold()
    } else {
        dejavu::sans::regular()
    };
    FontRef::try_from_slice(bytes).expect("embedded DejaVu Sans is a valid font")
}

/// The outline of one glyph as path data in font units, y pointing down (SVG's direction).
pub fn outline_d(font: &FontRef<'_>, id: GlyphId) -> String {
    let mut d = String::new();
    let Some(outline) = font.outline(id) else {
        return d;
    };
    let mut last: Option<ab_glyph::Point> = None;
    for curve in &outline.curves {
        let (start, end) = match curve {
            OutlineCurve::Line(a, b) | OutlineCurve::Quad(a, _, b) | OutlineCurve::Cubic(a, _, _, b) => {
                (*a, *b)
            }
        };
        if last != Some(start) {
            let _ = write!(d, "M{} {}", start.x, -start.y);
        }
        let _ = match curve {
            OutlineCurve::Line(_, b) => write!(d, "L{} {}", b.x, -b.y),
            OutlineCurve::Quad(_, c, b) => write!(d, "Q{} {} {} {}", c.x, -c.y, b.x, -b.y),
            OutlineCurve::Cubic(_, c1, c2, b) => {
                write!(d, "C{} {} {} {} {} {}", c1.x, -c1.y, c2.x, -c2.y, b.x, -b.y)
            }
        };
        last = Some(end);
    }
    d.push('Z');
    d
}

/// Glyph outlines used in a file, by (bold, glyph id) → the `d` of the outline in font units.
pub type GlyphDefs = BTreeMap<(bool, u16), String>;

/// Append to `body` one `<use>` per visible character of `text`, advancing a pen from `origin` with
/// kerning; each glyph's outline is added to `defs` the first time it is used.
pub fn glyph_run(
    body: &mut String,
    defs: &mut GlyphDefs,
    text: &str,
    bold: bool,
    size: f32,
    origin: (f32, f32),
) {
    let font = face(bold);
    let scaled = font.as_scaled(size);
    let sf = scaled.h_scale_factor();
    let (mut pen, mut prev) = (0f32, None);
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        prev = Some(id);
        if !c.is_whitespace() {
            defs.entry((bold, id.0)).or_insert_with(|| outline_d(&font, id));
            let _ = writeln!(
                body,
                "<use xlink:href=\"#g{}{}\" transform=\"translate({:.2} {:.2}) scale({sf:.5})\"/>",
                if bold { "b" } else { "r" },
                id.0,
                origin.0 + pen,
                origin.1
            );
        }
        pen += scaled.h_advance(id);
    }
}

/// Where text starts relative to its anchor point: the same box as plotters' ab_glyph layout
/// (width = advances + kerning, height = size / 1.24), placed by the style's anchor.
pub fn anchor_offset<T: BackendTextStyle>(
    style: &T,
    text: &str,
) -> Result<(i32, i32), DrawingErrorKind<std::io::Error>> {
    let (_, (w, h)) = style
        .layout_box(text)
        .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
    let dx = match style.anchor().h_pos {
        HPos::Left => 0,
        HPos::Right => -w,
        HPos::Center => -w / 2,
    };
    let dy = match style.anchor().v_pos {
        VPos::Top => 0,
        VPos::Center => -h / 2,
        VPos::Bottom => -h,
    };
    Ok((dx, dy))
}
