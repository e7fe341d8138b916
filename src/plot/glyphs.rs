//! Text as glyphs, for both backends: the embedded DejaVu Sans faces, one shaping of a run (rustybuzz:
//! kerning, Arabic joining, right-to-left runs by the bidirectional algorithm, [`shape`]), each glyph's outline as SVG path data (`<use>` runs for the SVG backend)
//! and the same glyphs rasterized with coverage for the PNG backend ([`raster_run`]). PNG and SVG thus
//! place every glyph at the same pen position; plotters' own bitmap text rounded each glyph's
//! position separately and lost or doubled spaces ("Tump's", "2020-04-1011:17").

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendTextStyle, DrawingErrorKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The embedded DejaVu Sans face, regular or bold (parsed once: every measurement and glyph uses it).
pub fn face(bold: bool) -> FontRef<'static> {
    static REGULAR: std::sync::OnceLock<FontRef<'static>> = std::sync::OnceLock::new();
    static BOLD: std::sync::OnceLock<FontRef<'static>> = std::sync::OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, dejavu::sans::bold())
    } else {
        (&REGULAR, dejavu::sans::regular())
    };
    cell.get_or_init(|| FontRef::try_from_slice(bytes).expect("embedded DejaVu Sans is a valid font"))
        .clone()
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

/// A glyph placed by shaping: its id and its position in pixels from the run's origin (x along the
/// baseline, `dy` down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Glyph id in the embedded face.
    pub id: GlyphId,
    /// Pen position plus the shaper's x offset.
    pub x: f32,
    /// The shaper's y offset, positive down.
    pub dy: f32,
}

/// The rustybuzz face of the embedded DejaVu Sans, regular or bold (built once).
fn shaper(bold: bool) -> &'static rustybuzz::Face<'static> {
    static REGULAR: std::sync::OnceLock<rustybuzz::Face<'static>> = std::sync::OnceLock::new();
    static BOLD: std::sync::OnceLock<rustybuzz::Face<'static>> = std::sync::OnceLock::new();
    let (cell, bytes) = if bold {
        (&BOLD, dejavu::sans::bold())
    } else {
        (&REGULAR, dejavu::sans::regular())
    };
    cell.get_or_init(|| rustybuzz::Face::from_slice(bytes, 0).expect("embedded DejaVu Sans is a valid font"))
}

/// `text` shaped by HarfBuzz's rules (rustybuzz: kerning, ligatures, Arabic joining and mark
/// placement from the font's GSUB/GPOS tables) in visual order: the Unicode bidirectional algorithm
/// splits it into runs, right-to-left runs (Arabic, Hebrew) shaped right to left. Returns the glyphs
/// with an outline and the run's advance, in pixels at `size`.
pub fn shape(text: &str, bold: bool, size: f32) -> (Vec<Placed>, f32) {
    let face = shaper(bold);
    // Font units to pixels as ab_glyph and plotters size text: `size` is the font's height
    // (ascent − descent), not its em.
    let scale = self::face(bold).as_scaled(size).h_scale_factor();
    let (mut out, mut pen) = (Vec::new(), 0f32);
    for (run, rtl) in visual_runs(text) {
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(run);
        buf.set_direction(if rtl {
            rustybuzz::Direction::RightToLeft
        } else {
            rustybuzz::Direction::LeftToRight
        });
        buf.guess_segment_properties();
        let shaped = rustybuzz::shape(face, &[], buf);
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let id = GlyphId(info.glyph_id as u16);
            if face.outline_glyph(ttf_id(id), &mut NoOutline).is_some() {
                out.push(Placed {
                    id,
                    x: pen + pos.x_offset as f32 * scale,
                    dy: -(pos.y_offset as f32) * scale,
                });
            }
            pen += pos.x_advance as f32 * scale;
        }
    }
    (out, pen)
}

fn ttf_id(id: GlyphId) -> rustybuzz::ttf_parser::GlyphId {
    rustybuzz::ttf_parser::GlyphId(id.0)
}

/// An outline sink that only asks whether a glyph has an outline (spaces do not).
struct NoOutline;

impl rustybuzz::ttf_parser::OutlineBuilder for NoOutline {
    fn move_to(&mut self, _: f32, _: f32) {}
    fn line_to(&mut self, _: f32, _: f32) {}
    fn quad_to(&mut self, _: f32, _: f32, _: f32, _: f32) {}
    fn curve_to(&mut self, _: f32, _: f32, _: f32, _: f32, _: f32, _: f32) {}
    fn close(&mut self) {}
}

/// The runs of `text` in visual order, each with whether it reads right to left. The paragraph
/// direction is left to right (the charts' language): a title starting "#1 محمد بن سلمان — 2020-04-02"
/// keeps its number first and its date last, with only the name set right to left.
fn visual_runs(text: &str) -> Vec<(&str, bool)> {
    let info = unicode_bidi::BidiInfo::new(text, Some(unicode_bidi::Level::ltr()));
    let mut runs = Vec::new();
    for para in &info.paragraphs {
        let (levels, visual) = info.visual_runs(para, para.range.clone());
        for r in visual {
            runs.push((&text[r.clone()], levels[r.start].is_rtl()));
        }
    }
    runs
}

/// Bidirectional controls and joiners: invisible, never drawn.
fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The characters of `text` the embedded face has no glyph for (drawn as empty boxes).
pub fn uncovered(text: &str) -> Vec<char> {
    let face = face(false);
    let mut missing: Vec<char> = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !is_format(*c) && face.glyph_id(*c).0 == 0)
        .collect();
    missing.dedup();
    missing
}

/// Append to `body` one `<use>` per visible glyph of `text`, shaped by [`shape`] from
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
    for g in shape(text, bold, size).0 {
        defs.entry((bold, g.id.0))
            .or_insert_with(|| outline_d(&font, g.id));
        let _ = writeln!(
            body,
            "<use xlink:href=\"#g{}{}\" transform=\"translate({:.2} {:.2}) scale({sf:.5})\"/>",
            if bold { "b" } else { "r" },
            g.id.0,
            origin.0 + g.x,
            origin.1 + g.dy
        );
    }
}

/// Rasterize `text` shaped by [`shape`] from `origin` (on the baseline, in pixels): `put(x, y,
/// coverage)` for every pixel a glyph covers, coverage in (0, 1].
pub fn raster_run(text: &str, bold: bool, size: f32, origin: (f32, f32), mut put: impl FnMut(i32, i32, f32)) {
    let font = face(bold);
    for g in shape(text, bold, size).0 {
        let glyph =
            g.id.with_scale_and_position(size, ab_glyph::point(origin.0 + g.x, origin.1 + g.dy));
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

/// Where text starts relative to its anchor point: a box as wide as the shaped run ([`shape`]) and
/// as tall as plotters' ab_glyph layout (size / 1.24), placed by the style's anchor.
pub fn anchor_offset<T: BackendTextStyle>(
    style: &T,
    text: &str,
) -> Result<(i32, i32), DrawingErrorKind<std::io::Error>> {
    let (_, (_, h)) = style
        .layout_box(text)
        .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
    let bold = matches!(style.style(), plotters_backend::FontStyle::Bold);
    let w = shape(text, bold, style.size() as f32).1.round() as i32;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The cmap glyph of `c` in the regular face.
    fn cmap(c: char) -> GlyphId {
        face(false).glyph_id(c)
    }

    #[test]
    fn arabic_is_joined_and_set_right_to_left() {
        // "Salman": seen, lam, meem, alef, noon. Joined, seen takes its initial form, lam and meem
        // their medial forms, alef its final form, and noon — after alef, which never joins to the
        // next letter — stays isolated; set right to left, seen is rightmost. The expected glyphs are
        // those Unicode's presentation forms (U+FEB3, U+FEE0, U+FEE4, U+FE8E) map to in the font's
        // cmap: an encoding independent of the shaper.
        let (mut glyphs, _) = shape("سلمان", false, 20.0);
        glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        let ids: Vec<GlyphId> = glyphs.iter().map(|g| g.id).collect();
        let want = ['ن', '\u{FE8E}', '\u{FEE4}', '\u{FEE0}', '\u{FEB3}'].map(cmap);
        assert_eq!(ids, want);
        assert_ne!(ids[4], cmap('س'), "not the isolated seen");
    }

    #[test]
    fn latin_then_arabic_in_reading_order_and_advances_add_up() {
        let (glyphs, advance) = shape("Trump سلمان", false, 20.0);
        assert_eq!(glyphs[0].id, cmap('T'));
        assert_eq!(glyphs[0].x, 0.0);
        assert!(
            glyphs.windows(2).all(|w| w[0].x < w[1].x),
            "left to right on the page"
        );
        let latin = shape("Trump ", false, 20.0).1;
        let arabic = shape("سلمان", false, 20.0).1;
        assert!((advance - latin - arabic).abs() < 1e-3);
        // Spaces advance the pen but draw nothing.
        assert_eq!(shape("A B", false, 20.0).0.len(), 2);
        // A title with an isolated Arabic name keeps its number first and its date last; without the
        // isolate the date would join the name's right-to-left run (the Unicode rules for numbers).
        let title = shape("#1 \u{2068}سلمان\u{2069} — 2020", false, 20.0).0;
        assert_eq!((title[0].id, title[1].id), (cmap('#'), cmap('1')));
        assert_eq!(title.last().unwrap().id, cmap('0'));
        let bare = shape("#1 سلمان — 2020", false, 20.0).0;
        assert_ne!(bare.last().unwrap().id, cmap('0'));
    }

    #[test]
    fn scripts_the_embedded_face_lacks_are_named() {
        assert_eq!(uncovered("Xi Jinping 习近平"), vec!['习', '近', '平']);
        assert!(uncovered("Trump's WTI −36.98 سلمان").is_empty());
    }
}
