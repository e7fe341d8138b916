//! The charts' fonts: a stack of faces tried in order for each character.
//!
//! First the embedded DejaVu Sans (regular and bold: Latin, Greek, Cyrillic, Hebrew, Arabic), so a
//! chart never needs a system font. Then fallback faces for characters DejaVu lacks (Chinese,
//! Japanese, Korean…): font files named with `--font FILE` or `OILCORR_FONTS` (paths joined by `:`),
//! then the machine's own fonts found through a font database (fontdb; skipped when
//! `OILCORR_NO_SYSTEM_FONTS` is set, as the tests do). Only the faces some statement needs are
//! loaded: [`configure`] is given the text the charts will draw. A character no face covers is drawn
//! as one U+FFFD replacement sign per run and named in a warning (see [`FontStack::uncovered`]).
//!
//! Every fallback face is set at DejaVu's em size, so a Chinese name is as large as the Latin around
//! it; PNG and SVG take the same glyphs and positions from [`super::glyphs::shape`].

use ab_glyph::{Font, FontRef};
use std::path::{Path, PathBuf};
use std::sync::{OnceLock, RwLock};

/// A font file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file cannot be read.
    #[error("font file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a TrueType/OpenType font (or collection).
    #[error("font file {path}: not a TrueType or OpenType font (expected .ttf, .otf, .ttc)")]
    Parse {
        /// The file.
        path: String,
    },
}

/// One face: its shaping tables, its outlines and where it came from.
pub struct Face {
    /// The face for rustybuzz (shaping).
    pub shaper: rustybuzz::Face<'static>,
    /// The same face for ab_glyph (outlines, rasterizing).
    pub glyphs: FontRef<'static>,
    /// Where it came from: `embedded DejaVu Sans`, a file path.
    pub origin: String,
    /// (ascent − descent) / units per em: ab_glyph sizes text by this height, not by the em.
    height_per_em: f32,
    /// A bold face (weight 600 or more, or marked bold).
    pub bold: bool,
}

impl Face {
    fn new(bytes: &'static [u8], index: u32, origin: String) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(bytes, index)?;
        let glyphs = FontRef::try_from_slice_and_index(bytes, index).ok()?;
        let upem = glyphs.units_per_em()?;
        let height_per_em = glyphs.height_unscaled() / upem;
        let bold = shaper.is_bold() || shaper.weight().to_number() >= 600;
        Some(Face {
            shaper,
            glyphs,
            origin,
            height_per_em,
            bold,
        })
    }

    /// Whether the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyphs.glyph_id(c).0 != 0
    }
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Face({})", self.origin)
    }
}

/// The faces tried in order: 0 DejaVu Sans, 1 DejaVu Sans Bold, then fallbacks.
#[derive(Debug)]
pub struct FontStack {
    faces: Vec<Face>,
}

/// Index of the bold embedded face.
pub const BOLD: u8 = 1;

impl FontStack {
    /// The embedded faces only.
    pub fn embedded() -> FontStack {
        let face = |bytes, name: &str| {
            Face::new(bytes, 0, name.into()).expect("embedded DejaVu Sans is a valid font")
        };
        FontStack {
            faces: vec![
                face(dejavu::sans::regular(), "embedded DejaVu Sans"),
                face(dejavu::sans::bold(), "embedded DejaVu Sans Bold"),
            ],
        }
    }

    /// The embedded faces, then every face of each file in `files`.
    pub fn with_files(files: &[PathBuf]) -> Result<FontStack, FontError> {
        let mut stack = FontStack::embedded();
        for path in files {
            stack.add_file(path)?;
        }
        Ok(stack)
    }

    /// Add every face of the font file (or collection) at `path`.
    pub fn add_file(&mut self, path: &Path) -> Result<(), FontError> {
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| FontError::Read {
            path: shown.clone(),
            source,
        })?;
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let n = rustybuzz::ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
        let before = self.faces.len();
        self.faces
            .extend((0..n).filter_map(|i| Face::new(bytes, i, shown.clone())));
        if self.faces.len() == before {
            return Err(FontError::Parse { path: shown });
        }
        Ok(())
    }

    /// Add the machine's faces that cover characters of `texts` no face of the stack covers yet
    /// (upright regular faces first), each file read at most once.
    pub fn add_system_for<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) {
        let mut missing: Vec<char> = Vec::new();
        for t in texts {
            for c in self.uncovered(t) {
                if !missing.contains(&c) {
                    missing.push(c);
                }
            }
        }
        if missing.is_empty() {
            return;
        }
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
        // Regular upright faces first, then the rest; among CJK families the one of the text's
        // language (Han characters look different in Chinese, Japanese and Korean faces); then by
        // family name for a stable choice.
        let tag = cjk_tag(&missing);
        faces.sort_by_key(|f| {
            let plain = f.weight == fontdb::Weight::NORMAL && f.style == fontdb::Style::Normal;
            let family = f.families.first().map(|x| x.0.clone()).unwrap_or_default();
            let other_language = !family.split_whitespace().any(|w| w == tag);
            (!plain, f.monospaced, other_language, family, f.index)
        });
        for info in faces {
            if missing.is_empty() {
                break;
            }
            let covers = db
                .with_face_data(info.id, |data, index| {
                    let face = rustybuzz::ttf_parser::Face::parse(data, index).ok()?;
                    Some(missing.iter().any(|c| face.glyph_index(*c).is_some()))
                })
                .flatten()
                .unwrap_or(false);
            let Some(face) = covers.then(|| system_face(info)).flatten() else {
                continue;
            };
            missing.retain(|c| !face.covers(*c));
            self.faces.push(face);
            // Its bold sibling, for bold titles (Noto Sans CJK SC Bold beside the regular).
            let bold = db.faces().find(|b| {
                b.families.first() == info.families.first()
                    && b.weight >= fontdb::Weight::BOLD
                    && b.style == fontdb::Style::Normal
            });
            self.faces.extend(bold.and_then(system_face));
        }
    }

    /// Face `i` (0 regular, 1 bold, then fallbacks).
    pub fn face(&self, i: u8) -> &Face {
        &self.faces[usize::from(i)]
    }

    /// The face to draw `c` with: the embedded one (`bold` or not) when it covers `c` or `c` is
    /// whitespace or a control, else the first fallback covering it; `None` when no face does.
    pub fn face_for(&self, c: char, bold: bool) -> Option<u8> {
        let first = u8::from(bold);
        if c.is_whitespace() || c.is_control() || is_format(c) || self.face(first).covers(c) {
            return Some(first);
        }
        // A fallback of the asked weight first (a bold title takes a bold face when there is one).
        let fallbacks = || (2..self.faces.len()).filter(|i| self.faces[*i].covers(c));
        fallbacks()
            .find(|i| self.faces[*i].bold == bold)
            .or_else(|| fallbacks().next())
            .map(|i| i as u8)
    }

    /// Pixels per font unit of face `i` for text of `size` (plotters' size: DejaVu's height, ascent
    /// − descent): every face is set at DejaVu's em.
    pub fn px_per_unit(&self, i: u8, size: f32) -> f32 {
        let em_px = size / self.faces[0].height_per_em;
        em_px / self.face(i).glyphs.units_per_em().unwrap_or(1000.0)
    }

    /// ab_glyph's scale (a height in pixels) that draws face `i` at the em [`Self::px_per_unit`] gives.
    pub fn px_scale(&self, i: u8, size: f32) -> f32 {
        size / self.faces[0].height_per_em * self.face(i).height_per_em
    }

    /// The characters of `text` no face covers, each once, in order.
    pub fn uncovered(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for c in text.chars() {
            if self.face_for(c, false).is_none() && !out.contains(&c) {
                out.push(c);
            }
        }
        out
    }

    /// `text` with each run of characters no face covers replaced by one U+FFFD.
    pub fn displayable<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if text.chars().all(|c| self.face_for(c, false).is_some()) {
            return text.into();
        }
        let mut out = String::with_capacity(text.len());
        let mut in_gap = false;
        for c in text.chars() {
            let gap = self.face_for(c, false).is_none();
            if !gap {
                out.push(c);
            } else if !in_gap {
                out.push('\u{FFFD}');
            }
            in_gap = gap;
        }
        out.into()
    }

    /// Where each fallback face came from (for the charts' warnings and `--verbose`).
    pub fn fallbacks(&self) -> impl Iterator<Item = &str> {
        self.faces[2..].iter().map(|f| f.origin.as_str())
    }
}

/// The machine's face `info`, its file read once and kept for the process.
fn system_face(info: &fontdb::FaceInfo) -> Option<Face> {
    let fontdb::Source::File(path) = &info.source else {
        return None;
    };
    let bytes: &'static [u8] = Box::leak(std::fs::read(path).ok()?.into_boxed_slice());
    let family = info.families.first().map_or("a face", |f| f.0.as_str());
    let weight = if info.weight >= fontdb::Weight::BOLD {
        " Bold"
    } else {
        ""
    };
    Face::new(
        bytes,
        info.index,
        format!("{family}{weight} in {}", path.display()),
    )
}

/// The family tag of the CJK faces for `chars` (as Noto, Source Han and most CJK families name
/// them): `JP` when there is kana, `KR` when there is hangul, else `SC` (Chinese, simplified).
fn cjk_tag(chars: &[char]) -> &'static str {
    let has = |lo: char, hi: char| chars.iter().any(|c| (lo..=hi).contains(c));
    if has('\u{3040}', '\u{30FF}') {
        "JP"
    } else if has('\u{AC00}', '\u{D7AF}') || has('\u{1100}', '\u{11FF}') {
        "KR"
    } else {
        "SC"
    }
}

/// Bidirectional controls and joiners: invisible, never drawn, covered by any face.
pub fn is_format(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

static STACK: RwLock<Option<&'static FontStack>> = RwLock::new(None);

/// Choose the charts' fonts before drawing: the embedded faces, then `files` and those in
/// `OILCORR_FONTS`, then (unless `OILCORR_NO_SYSTEM_FONTS` is set) the system faces covering
/// characters of `texts` (the statements' speakers and words) that the others lack. Each call replaces
/// the previous choice (a run of several analyses chooses once per analysis).
pub fn configure<'t>(
    files: &[PathBuf],
    texts: impl IntoIterator<Item = &'t str>,
) -> Result<&'static FontStack, FontError> {
    let mut all: Vec<PathBuf> = files.to_vec();
    if let Some(env) = std::env::var_os("OILCORR_FONTS") {
        all.extend(std::env::split_paths(&env).filter(|p| !p.as_os_str().is_empty()));
    }
    let mut stack = FontStack::with_files(&all)?;
    if std::env::var_os("OILCORR_NO_SYSTEM_FONTS").is_none() {
        stack.add_system_for(texts);
    }
    // Leaked: a stack lives for the process (its font bytes are 'static too), and a process
    // configures once per analysis.
    let stack: &'static FontStack = Box::leak(Box::new(stack));
    *STACK.write().unwrap_or_else(|e| e.into_inner()) = Some(stack);
    Ok(stack)
}

/// The charts' fonts: as [`configure`] last chose them, or the embedded faces alone.
pub fn stack() -> &'static FontStack {
    static EMBEDDED: OnceLock<FontStack> = OnceLock::new();
    let chosen = *STACK.read().unwrap_or_else(|e| e.into_inner());
    chosen.unwrap_or_else(|| EMBEDDED.get_or_init(FontStack::embedded))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn test_cjk() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fonts/oilcorr-test-cjk.ttf")
    }

    #[test]
    fn a_fallback_file_covers_what_dejavu_lacks_and_the_rest_is_replaced() {
        let bare = FontStack::embedded();
        assert_eq!(bare.uncovered("Xi Jinping 习近平"), ['习', '近', '平']);
        assert!(bare.uncovered("Trump's WTI −36.98 سلمان").is_empty());
        assert_eq!(
            bare.displayable("Xi 习近平 said 石油"),
            "Xi \u{FFFD} said \u{FFFD}"
        );
        let stack = FontStack::with_files(&[test_cjk()]).unwrap();
        assert_eq!(stack.face_for('习', false), Some(2));
        assert_eq!(stack.face_for('习', true), Some(2));
        assert_eq!(stack.face_for('X', true), Some(BOLD));
        assert_eq!(stack.face_for(' ', false), Some(0));
        // 東 (Japanese "east") is not in the test font.
        assert_eq!(stack.uncovered("习近平 東京"), ['東', '京']);
        assert_eq!(stack.displayable("习近平 東京"), "习近平 \u{FFFD}");
    }

    #[test]
    fn bold_text_takes_a_bold_fallback_when_there_is_one() {
        let bold = test_cjk().with_file_name("oilcorr-test-cjk-bold.ttf");
        let stack = FontStack::with_files(&[test_cjk(), bold]).unwrap();
        assert!(!stack.face(2).bold && stack.face(3).bold);
        assert_eq!(stack.face_for('习', false), Some(2));
        assert_eq!(stack.face_for('习', true), Some(3));
        // Only a bold fallback: regular text takes it too rather than nothing.
        let only_bold =
            FontStack::with_files(&[test_cjk().with_file_name("oilcorr-test-cjk-bold.ttf")]).unwrap();
        assert_eq!(only_bold.face_for('习', false), Some(2));
    }

    #[test]
    fn fallback_faces_are_set_at_dejavus_em() {
        let stack = FontStack::with_files(&[test_cjk()]).unwrap();
        // DejaVu Sans: 2048 units per em, ascent 1901, descent −483: at plotters' size 20 the em is
        // 20 · 2048 / 2384 px. The test font's em is 1000 units.
        let em = 20.0 * 2048.0 / 2384.0;
        assert!((stack.px_per_unit(0, 20.0) - em / 2048.0).abs() < 1e-6);
        assert!((stack.px_per_unit(2, 20.0) - em / 1000.0).abs() < 1e-6);
        // Its ascent 880 and descent −120: a height of one em.
        assert!((stack.px_scale(2, 20.0) - em).abs() < 1e-4);
    }

    #[test]
    fn the_language_of_the_missing_characters_picks_the_cjk_family() {
        assert_eq!(cjk_tag(&['习', '近']), "SC");
        assert_eq!(cjk_tag(&['東', 'の']), "JP");
        assert_eq!(cjk_tag(&['서', '울']), "KR");
    }

    #[test]
    fn files_that_are_not_fonts_are_refused_with_their_name() {
        let err = FontStack::with_files(&[PathBuf::from("Cargo.toml")]).unwrap_err();
        assert!(err.to_string().contains("Cargo.toml: not a TrueType"), "{err}");
        let err = FontStack::with_files(&[PathBuf::from("no/such.ttf")]).unwrap_err();
        assert!(err.to_string().starts_with("font file no/such.ttf:"), "{err}");
    }
}
