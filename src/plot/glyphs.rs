//! Text as glyphs, for both backends: the embedded DejaVu Sans faces, one layout of a run (advances
//! and kerning, [`layout`]), each glyph's outline as SVG path data (`<use>` runs for the SVG backend)
//! and the same glyphs rasterized with coverage for the PNG backend ([`raster_run`]). PNG and SVG thus
//! place every glyph at the same pen position; plotters' own bitmap text rounded each glyph's
//! position separately and lost or doubled spaces ("Tump's", "2020-04-1011:17").

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

/// The visible glyphs of `text` at `size` pixels with their pen positions from the run's start:
/// advances plus kerning, whitespace advancing the pen without a glyph.
pub fn layout(font: &FontRef<'_>, text: &str, size: f32) -> Vec<(GlyphId, f32)> {
    let scaled = font.as_scaled(size);
    let (mut pen, mut prev, mut out) = (0f32, None, Vec::new());
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            pen += scaled.kern(p, id);
        }
        prev = Some(id);
        if !c.is_whitespace() {
            out.push((id, pen));
        }
        pen += scaled.h_advance(id);
    }
    out
}

/// Append to `body` one `<use>` per visible character of `text`, laid out by [`layout`] from
/// `origin` (on the baseline); each glyph's outline is added to `defs` the first time it is used.
pub fn glyph_run(
    body: &mut String,
    defs: &mut GlyphDefs,
    text: &str,
    bold: bool,
    size: f32,
    origin: (f32, f32),
) {
    let font = face(bold);
    let sf = font.as_scaled(size).h_scale_factor();
    for (id, pen) in layout(&font, text, size) {
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
}

/// Rasterize `text` laid out by [`layout`] from `origin` (on the baseline, in pixels): `put(x, y,
/// coverage)` for every pixel a glyph covers, coverage in (0, 1].
pub fn raster_run(text: &str, bold: bool, size: f32, origin: (f32, f32), mut put: impl FnMut(i32, i32, f32)) {
    let font = face(bold);
    for (id, pen) in layout(&font, text, size) {
        let glyph = id.with_scale_and_position(size, ab_glyph::point(origin.0 + pen, origin.1));
        let Some(outlined) = font.outline_glyph(glyph) else {
            continue;
        };
        let at = outlined.px_bounds().min;
        outlined.draw(|x, y, c| {
            if c > 0.0 {
                put(at.x as i32 + x as i32, at.y as i32 + y as i32, c.min(1.0));
            }
        });
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
