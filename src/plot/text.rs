//! Measuring and wrapping text with the embedded font.

use super::FONT;
use plotters::style::{FontDesc, FontFamily, FontStyle, IntoFont};

/// The embedded font at `size` pixels.
pub fn font(size: f64) -> FontDesc<'static> {
    // A FontDesc resolves its face when created, so the font must be registered first.
    super::init_fonts();
    (FontFamily::Name(FONT), size, FontStyle::Normal).into_font()
}

/// The embedded bold font at `size` pixels.
pub fn bold(size: f64) -> FontDesc<'static> {
    super::init_fonts();
    (FontFamily::Name(FONT), size, FontStyle::Bold).into_font()
}

/// `s` as a bidirectional isolate (U+2068 … U+2069): a speaker's Arabic name inside an English title
/// is set right to left without pulling the date after it into its run.
pub fn isolate(s: &str) -> String {
    format!("\u{2068}{s}\u{2069}")
}

/// A number as typeset: the hyphen-minus of Rust's formatting replaced by the minus sign (U+2212),
/// which is as wide as a plus and reads as a sign, not a dash ("−36.98", "−10").
pub fn minus(s: String) -> String {
    if s.contains('-') {
        s.replace('-', "\u{2212}")
    } else {
        s
    }
}

/// `s` in bold at the largest size from `size` down to 60 % of it that fits `max_width` pixels; at the
/// smallest size, cut with `…` to fit.
pub fn fitted(s: &str, size: f64, max_width: u32) -> (String, FontDesc<'static>) {
    fit(s, size, max_width, bold)
}

/// [`fitted`] in the face `face` (regular or bold).
pub fn fit(
    s: &str,
    size: f64,
    max_width: u32,
    face: fn(f64) -> FontDesc<'static>,
) -> (String, FontDesc<'static>) {
    let mut px = size;
    while px > size * 0.6 {
        let f = face(px);
        if width(s, &f) <= max_width {
            return (s.to_string(), f);
        }
        px -= 0.5;
    }
    let f = face(size * 0.6);
    let line = wrap(s, &f, max_width, 1).pop().unwrap_or_default();
    (line, f)
}

/// Width in pixels of `s` in `f`, as shaped and drawn ([`super::glyphs::shape`]).
pub fn width(s: &str, f: &FontDesc<'_>) -> u32 {
    let bold = matches!(f.get_style(), FontStyle::Bold);
    super::glyphs::shape(s, bold, f.get_size() as f32).1.round() as u32
}

/// Wrap `s` into at most `max_lines` lines of at most `max_width` pixels; the last line ends with `…`
/// when text was cut. Words longer than a line are split by characters.
pub fn wrap(s: &str, f: &FontDesc<'_>, max_width: u32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = s.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let candidate = if cur.is_empty() {
            words[i].to_string()
        } else {
            format!("{cur} {}", words[i])
        };
        if width(&candidate, f) <= max_width {
            cur = candidate;
            i += 1;
        } else if cur.is_empty() {
            cur = fit_chars(words[i], f, max_width);
            let rest = words[i][cur.len()..].to_string();
            lines.push(std::mem::take(&mut cur));
            if rest.is_empty() {
                i += 1;
            } else {
                return finish(lines, Some(rest), f, max_width, max_lines, &words[i + 1..]);
            }
        } else {
            lines.push(std::mem::take(&mut cur));
        }
        if lines.len() == max_lines {
            let truncated = i < words.len() || !cur.is_empty();
            return ellipsize(lines, truncated, f, max_width);
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    ellipsize(lines, false, f, max_width)
}

fn finish(
    lines: Vec<String>,
    rest: Option<String>,
    f: &FontDesc<'_>,
    max_width: u32,
    max_lines: usize,
    tail: &[&str],
) -> Vec<String> {
    let mut remaining = rest.unwrap_or_default();
    for w in tail {
        remaining.push(' ');
        remaining.push_str(w);
    }
    let mut out = lines;
    if out.len() >= max_lines {
        return ellipsize(out, true, f, max_width);
    }
    out.extend(wrap(&remaining, f, max_width, max_lines - out.len()));
    out
}

fn fit_chars(word: &str, f: &FontDesc<'_>, max_width: u32) -> String {
    let mut out = String::new();
    for c in word.chars() {
        out.push(c);
        if width(&out, f) > max_width {
            out.pop();
            break;
        }
    }
    if out.is_empty() {
        out = word.chars().next().map(String::from).unwrap_or_default();
    }
    out
}

fn ellipsize(mut lines: Vec<String>, truncated: bool, f: &FontDesc<'_>, max_width: u32) -> Vec<String> {
    if !truncated {
        return lines;
    }
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && width(&format!("{last}…"), f) > max_width {
            last.pop();
        }
        let trimmed = last.trim_end().to_string();
        *last = format!("{trimmed}…");
    }
    lines
}

/// A day relative to day 0 as charts write it: `0`, `+1`, `−3` (true minus).
pub fn signed_day(d: i64) -> String {
    match d {
        0 => "0".into(),
        d if d > 0 => format!("+{d}"),
        d => format!("−{}", -d),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_within_width_and_ellipsizes() {
        let f = font(16.0);
        let text = "Says he spoke to the Saudi crown prince and expects Saudi Arabia and Russia to cut about ten million barrels a day";
        let lines = wrap(text, &f, 200, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| width(l, &f) <= 200), "{lines:?}");
        assert!(lines[1].ends_with('…'));
        let all = wrap(text, &f, 2000, 3);
        assert_eq!(all, vec![text.to_string()]);
    }

    #[test]
    fn titles_shrink_then_cut_to_fit() {
        let t = "Brent and WTI: EIA spot prices and statements, 2020-03-18 to 2020-04-17";
        let (line, f) = fitted(t, 26.0, 2000);
        assert_eq!((line.as_str(), f.get_size()), (t, 26.0), "room enough: unchanged");
        let (line, f) = fitted(t, 26.0, 900);
        assert!(line == t && f.get_size() < 26.0 && width(&line, &f) <= 900);
        let (line, f) = fitted(t, 26.0, 300);
        assert!(line.ends_with('…') && width(&line, &f) <= 300, "{line}");
    }

    #[test]
    fn numbers_get_a_minus_sign() {
        assert_eq!(minus(format!("{:.0}", -40.0)), "\u{2212}40");
        assert_eq!(minus(format!("{:+.1}%", 35.8)), "+35.8%");
    }

    #[test]
    fn long_words_are_split() {
        let f = font(16.0);
        let lines = wrap(
            "https://example.com/a/very/long/path/that/does/not/fit",
            &f,
            120,
            4,
        );
        assert!(
            lines.len() > 1 && lines.iter().all(|l| width(l, &f) <= 120),
            "{lines:?}"
        );
    }
}
