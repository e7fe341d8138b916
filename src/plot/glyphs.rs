//! Text as glyphs, for both backends: one shaping of a run with the charts' fonts ([`super::fonts`]:
//! embedded DejaVu Sans, then fallbacks) by rustybuzz (kerning, Arabic joining, right-to-left runs by
//! the bidirectional algorithm, [`shape`]), each glyph's outline as SVG path data (`<use>` runs for the
//! SVG backend) and the same glyphs rasterized with coverage for the PNG backend ([`raster_run`]). PNG and SVG thus
//! place every glyph at the same pen position; plotters' own bitmap text rounded each glyph's
//! position separately and lost or doubled spaces ("Tump's", "2020-04-1011:17").

use super::fonts::{self, FontStack};
use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendTextStyle, DrawingErrorKind};
use std::collections::BTreeMap;
use std::fmt::Write as _;

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

/// Glyph outlines used in a file, by (face index, glyph id) → the `d` of the outline in font units.
pub type GlyphDefs = BTreeMap<(u8, u16), String>;

/// A glyph placed by shaping: its face and id and its position in pixels from the run's origin (x
/// along the baseline, `dy` down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Face in the [`FontStack`] (0 DejaVu Sans, 1 bold, then fallbacks).
    pub face: u8,
    /// Glyph id in that face.
    pub id: GlyphId,
    /// Pen position plus the shaper's x offset.
    pub x: f32,
    /// The shaper's y offset, positive down.
    pub dy: f32,
}

/// `text` shaped with the charts' fonts ([`fonts::stack`]); see [`shape_in`].
pub fn shape(text: &str, bold: bool, size: f32) -> (Vec<Placed>, f32) {
    shape_in(fonts::stack(), text, bold, size)
}

/// `text` shaped by HarfBuzz's rules (rustybuzz: kerning, ligatures, Arabic joining and mark
/// placement from the font's GSUB/GPOS tables) in visual order: the Unicode bidirectional algorithm
/// splits it into runs, right-to-left runs (Arabic, Hebrew) shaped right to left, and each run into
/// pieces by the face of `stack` that covers them (DejaVu first, then fallbacks; characters no face
/// covers become one U+FFFD per run). Returns the glyphs with an outline and the advance, in pixels
/// at `size` (plotters' size: DejaVu's ascent − descent).
pub fn shape_in(stack: &FontStack, text: &str, bold: bool, size: f32) -> (Vec<Placed>, f32) {
    let text = stack.displayable(text);
    let (mut out, mut pen) = (Vec::new(), 0f32);
    for (run, rtl) in visual_runs(&text) {
        let mut pieces = by_face(stack, run, bold);
        if rtl {
            pieces.reverse();
        }
        for (piece, face) in pieces {
            pen = shape_piece(stack, (piece, face, rtl), size, pen, &mut out);
        }
    }
    (out, pen)
}

/// Shape one piece of one face from pen position `pen`; appends the drawn glyphs, returns the new pen.
fn shape_piece(
    stack: &FontStack,
    (text, face, rtl): (&str, u8, bool),
    size: f32,
    mut pen: f32,
    out: &mut Vec<Placed>,
) -> f32 {
    let f = stack.face(face);
    let scale = stack.px_per_unit(face, size);
    let mut buf = rustybuzz::UnicodeBuffer::new();
    buf.push_str(text);
    buf.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buf.guess_segment_properties();
    let shaped = rustybuzz::shape(&f.shaper, &[], buf);
    for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
        let id = GlyphId(info.glyph_id as u16);
        if f.shaper.outline_glyph(ttf_id(id), &mut NoOutline).is_some() {
            out.push(Placed {
                face,
                id,
                x: pen + pos.x_offset as f32 * scale,
                dy: -(pos.y_offset as f32) * scale,
            });
        }
        pen += pos.x_advance as f32 * scale;
    }
    pen
}

/// `run` cut into maximal pieces drawn with one face each, in logical order.
fn by_face<'t>(stack: &FontStack, run: &'t str, bold: bool) -> Vec<(&'t str, u8)> {
    let first = u8::from(bold);
    let mut pieces: Vec<(&str, u8)> = Vec::new();
    let mut start = 0;
    let mut current: Option<u8> = None;
    for (i, c) in run.char_indices() {
        // Spaces and marks stay with the piece they are in; anything no face covers was replaced.
        let face = if c.is_whitespace() {
            current.unwrap_or(first)
        } else {
            stack.face_for(c, bold).unwrap_or(first)
        };
        if current.is_some_and(|f| f != face) {
            pieces.push((&run[start..i], current.unwrap_or(first)));
            start = i;
        }
        current = Some(face);
    }
    if start < run.len() {
        pieces.push((&run[start..], current.unwrap_or(first)));
    }
    pieces
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

/// The characters of `text` no chart font has a glyph for (drawn as one U+FFFD per run).
pub fn uncovered(text: &str) -> Vec<char> {
    fonts::stack().uncovered(text)
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
    glyph_run_in(fonts::stack(), (body, defs), text, (bold, size), origin);
}

/// [`glyph_run`] with the faces of `stack`.
pub fn glyph_run_in(
    stack: &FontStack,
    (body, defs): (&mut String, &mut GlyphDefs),
    text: &str,
    (bold, size): (bool, f32),
    origin: (f32, f32),
) {
    for g in shape_in(stack, text, bold, size).0 {
        let font = &stack.face(g.face).glyphs;
        defs.entry((g.face, g.id.0))
            .or_insert_with(|| outline_d(font, g.id));
        let _ = writeln!(
            body,
            "<use xlink:href=\"#g{}_{}\" transform=\"translate({:.2} {:.2}) scale({:.5})\"/>",
            g.face,
            g.id.0,
            origin.0 + g.x,
            origin.1 + g.dy,
            stack.px_per_unit(g.face, size)
        );
    }
}

/// Rasterize `text` shaped by [`shape`] from `origin` (on the baseline, in pixels): `put(x, y,
/// coverage)` for every pixel a glyph covers, coverage in (0, 1].
pub fn raster_run(text: &str, bold: bool, size: f32, origin: (f32, f32), put: impl FnMut(i32, i32, f32)) {
    raster_run_in(fonts::stack(), text, (bold, size), origin, put);
}

/// [`raster_run`] with the faces of `stack`.
pub fn raster_run_in(
    stack: &FontStack,
    text: &str,
    (bold, size): (bool, f32),
    origin: (f32, f32),
    mut put: impl FnMut(i32, i32, f32),
) {
    for g in shape_in(stack, text, bold, size).0 {
        let font = &stack.face(g.face).glyphs;
        let scale = stack.px_scale(g.face, size);
        let glyph =
            g.id.with_scale_and_position(scale, ab_glyph::point(origin.0 + g.x, origin.1 + g.dy));
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
        fonts::stack().face(0).glyphs.glyph_id(c)
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

    /// The x of each `<use>` in an SVG body.
    fn use_xs(body: &str) -> Vec<f32> {
        body.lines()
            .filter_map(|l| l.split("translate(").nth(1)?.split(' ').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn png_svg_and_the_shaper_put_every_glyph_in_the_same_place() {
        let font = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fonts/oilcorr-test-cjk.ttf");
        let stack = FontStack::with_files(&[font]).unwrap();
        let size = 20.0;
        for text in [
            "Trump's",
            "WTI",
            "14:32 UTC",
            "2020-04-10 11:17",
            "سلمان",
            "Xi 习近平",
        ] {
            let (shaped, _) = shape_in(&stack, text, false, size);
            // SVG: each glyph's `<use>` at the shaper's pen position.
            let (mut body, mut defs) = (String::new(), GlyphDefs::new());
            glyph_run_in(&stack, (&mut body, &mut defs), text, (false, size), (0.0, 0.0));
            let xs = use_xs(&body);
            assert_eq!(xs.len(), shaped.len(), "{text}");
            for (x, g) in xs.iter().zip(&shaped) {
                assert!((x - g.x).abs() < 0.006, "{text}: svg {x} vs shaper {}", g.x);
            }
            // PNG: ink only inside the glyphs' boxes (from the font's own bounding boxes at the shaper's
            // positions), and ink in every box.
            let mut ink = std::collections::BTreeSet::new();
            raster_run_in(&stack, text, (false, size), (0.0, 20.0), |x, _, _| {
                ink.insert(x);
            });
            let boxes: Vec<(f32, f32)> = shaped
                .iter()
                .map(|g| {
                    let b = stack
                        .face(g.face)
                        .shaper
                        .glyph_bounding_box(ttf_id(g.id))
                        .unwrap();
                    let k = stack.px_per_unit(g.face, size);
                    (g.x + f32::from(b.x_min) * k, g.x + f32::from(b.x_max) * k)
                })
                .collect();
            let inside = |x: i32| {
                boxes
                    .iter()
                    .any(|(a, b)| x as f32 >= a.floor() - 1.0 && x as f32 <= b.ceil())
            };
            assert!(
                ink.iter().all(|x| inside(*x)),
                "{text}: ink outside the shaped glyphs"
            );
            for (a, b) in &boxes {
                assert!(
                    ink.range(a.floor() as i32..=b.ceil() as i32).next().is_some(),
                    "{text}: no ink in {a}..{b}"
                );
            }
        }
    }

    #[test]
    fn a_chinese_name_takes_the_fallback_face_at_dejavus_em() {
        let font = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/fonts/oilcorr-test-cjk.ttf");
        let stack = FontStack::with_files(&[font]).unwrap();
        // "Xi " in DejaVu: X 1403, i 569, space 651 units of 2048; then three ideographs of the test
        // font, each advance 1000 of 1000 units and ink from 60 to 940: all at DejaVu's em,
        // 20 · 2048 / 2384 px at size 20.
        let em = 20.0 * 2048.0 / 2384.0;
        let latin = (1403.0 + 569.0 + 651.0) / 2048.0 * em;
        let (glyphs, advance) = shape_in(&stack, "Xi 习近平", false, 20.0);
        let cjk: Vec<&Placed> = glyphs.iter().filter(|g| g.face == 2).collect();
        assert_eq!(cjk.len(), 3);
        for (k, g) in cjk.iter().enumerate() {
            assert!(
                (g.x - (latin + k as f32 * em)).abs() < 1e-3,
                "glyph {k} at {}",
                g.x
            );
        }
        assert!((advance - (latin + 3.0 * em)).abs() < 1e-3);
        // Rasterized: three solid blocks, each from 0.06 em to 0.94 em of its cell.
        let mut ink = std::collections::BTreeSet::new();
        raster_run_in(&stack, "习近平", (false, 20.0), (0.0, 20.0), |x, _, c| {
            if c > 0.5 {
                ink.insert(x);
            }
        });
        for k in 0..3 {
            let (a, b) = (k as f32 * em + 0.06 * em, k as f32 * em + 0.94 * em);
            let cols: Vec<i32> = ink
                .iter()
                .copied()
                .filter(|x| (*x as f32) >= a - 1.0 && (*x as f32) <= b + 1.0)
                .collect();
            assert_eq!(
                cols.first().copied(),
                Some(a.round() as i32),
                "block {k} starts at {a}"
            );
            assert_eq!(
                cols.last().copied(),
                Some(b.round() as i32 - 1),
                "block {k} ends at {b}"
            );
        }
    }
}
