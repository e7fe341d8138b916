//! The timeline's key: each flag number with its statement's date, speaker and text, in two columns,
//! at most 80 entries (the rest counted and left to joined.csv).

use super::text::{bold, font, width, wrap};
use super::timeline::Timeline;
use super::{stance_colour, DrawError};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Key text size.
pub(super) const KEY_FONT: f64 = 14.0;
const KEY_LINE: i32 = 19;
const KEY_MAX: usize = 80;

/// A key entry: flag number, colour and wrapped text lines.
pub(super) struct KeyEntry {
    number: String,
    colour: RGBColor,
    lines: Vec<String>,
}

/// Width of each of the key's two columns.
pub(super) fn key_col_w(width: u32) -> u32 {
    (width - 60) / 2
}

/// The entries of `t`'s key, wrapped to `col_w` pixels, `max_lines` lines each at most (the last cut
/// with `…`).
pub(super) fn key_lines(t: &Timeline<'_>, col_w: u32, max_lines: usize) -> Vec<KeyEntry> {
    let f = font(KEY_FONT);
    let mut out: Vec<KeyEntry> = t
        .markers
        .iter()
        .take(KEY_MAX)
        .map(|m| {
            let s = m.statement;
            let when = match s.time {
                crate::statements::StatementTime::Instant(i) => i.format("%Y-%m-%d %H:%M UTC").to_string(),
                crate::statements::StatementTime::Date(d) => d.to_string(),
            };
            let (speaker, words) = (super::text::isolate(&s.speaker), super::text::isolate(&s.text));
            let text = format!("{when} · {speaker}: {words}");
            KeyEntry {
                number: m.number.to_string(),
                colour: stance_colour(s.stance),
                lines: wrap(&text, &f, col_w - 56, max_lines),
            }
        })
        .collect();
    if t.markers.len() > KEY_MAX {
        let more = format!(
            "… and {} more statements, listed in joined.csv",
            t.markers.len() - KEY_MAX
        );
        out.push(KeyEntry {
            number: String::new(),
            colour: WHITE,
            lines: vec![more],
        });
    }
    out
}

fn column_split(key: &[KeyEntry]) -> usize {
    key.len().div_ceil(2)
}

fn entry_h(e: &KeyEntry) -> i32 {
    e.lines.len() as i32 * KEY_LINE + 6
}

/// Height of the key in pixels (its heading and the taller column).
pub(super) fn key_height(key: &[KeyEntry]) -> i32 {
    if key.is_empty() {
        return 0;
    }
    let split = column_split(key);
    let left: i32 = key[..split].iter().map(entry_h).sum();
    let right: i32 = key[split..].iter().map(entry_h).sum();
    30 + left.max(right)
}

/// Draw the key with its top at `top`.
pub(super) fn draw_key(
    root: &super::Area<'_>,
    key: &[KeyEntry],
    top: i32,
    col_w: u32,
) -> Result<(), DrawError> {
    if key.is_empty() {
        return Ok(());
    }
    root.draw(&Text::new("Key", (20, top), bold(16.0)))?;
    let split = column_split(key);
    for (col, entries) in [&key[..split], &key[split..]].into_iter().enumerate() {
        let x = 20 + col as i32 * (col_w as i32 + 20);
        let mut y = top + 26;
        for e in entries {
            if !e.number.is_empty() {
                let w = width(&e.number, &bold(14.0)) as i32 + 10;
                root.draw(&Rectangle::new([(x, y), (x + w, y + 17)], e.colour.filled()))?;
                let style = bold(14.0).color(&WHITE).pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(e.number.clone(), (x + w / 2, y + 9), style))?;
            }
            for (i, line) in e.lines.iter().enumerate() {
                let pos = (x + 46, y + i as i32 * KEY_LINE);
                root.draw(&Text::new(line.clone(), pos, font(KEY_FONT)))?;
            }
            y += entry_h(e);
        }
    }
    Ok(())
}
