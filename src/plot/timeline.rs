//! The timeline chart: every requested series over the range, a numbered flag per statement (placed by
//! [`super::layout`] so flags never overlap), a dot on each series at its own day 0, and below the plot a
//! key giving each number's date, speaker and text.

use super::layout::{self, Band, Placed};
use super::text::{self, bold, font, width};
use super::timeline_key::{draw_key, key_col_w, key_height, key_lines, KEY_FONT};
use super::{stance_colour, DrawError, PlotError, GRID, NEUTRAL, SERIES_COLOURS};
use crate::statements::Statement;
use chrono::NaiveDate;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};

/// One statement as the timeline shows it.
#[derive(Debug, Clone)]
pub struct Marker<'a> {
    /// Flag number (1-based).
    pub number: usize,
    /// The statement.
    pub statement: &'a Statement,
    /// Where the vertical marker goes: the earliest day 0 over the series (or the statement's date).
    pub date: NaiveDate,
    /// `(series index, day-0 date, day-0 price)` for the dots.
    pub dots: Vec<(usize, NaiveDate, f64)>,
    /// `(series index, first day, last day)` of the headline CAR window on each series' own trading
    /// days, for `--shade-windows`.
    pub windows: Vec<(usize, NaiveDate, NaiveDate)>,
}

/// Everything the timeline draws.
#[derive(Debug, Clone)]
pub struct Timeline<'a> {
    /// Chart title.
    pub title: String,
    /// Source line printed at the bottom.
    pub source: String,
    /// The price axis' label (which prices these are).
    pub axis: String,
    /// First date shown.
    pub from: NaiveDate,
    /// Last date shown.
    pub to: NaiveDate,
    /// `(label, observations)` per series, already limited to the range.
    pub series: Vec<(String, Vec<(NaiveDate, f64)>)>,
    /// Statements in the range, numbered.
    pub markers: Vec<Marker<'a>>,
    /// Shade each statement's event window.
    pub shade_windows: bool,
    /// The headline CAR window's name, e.g. `CAR[0,1]`, for the shading's legend.
    pub window_label: String,
    /// Contract rolls of continuous futures series: `(series index, first day of the new contract)`.
    pub rolls: Vec<(usize, NaiveDate)>,
}

const W: u32 = 1600;
const PLOT_H: i32 = 560;
/// The smallest plot height `--size` may leave the timeline's plot before its key moves out.
const MIN_PLOT_H: i32 = 240;
const HEADER_H: i32 = 96;
/// The header's extra height when a second legend line explains `--shade-windows`.
const SHADE_LEGEND_H: i32 = 28;

/// Title and legend height: one legend line, or two with `--shade-windows`.
fn header_h(t: &Timeline<'_>) -> i32 {
    HEADER_H + if shaded(t) { SHADE_LEGEND_H } else { 0 }
}

/// Whether the timeline shades windows (asked for, and there are windows to shade).
fn shaded(t: &Timeline<'_>) -> bool {
    t.shade_windows && t.markers.iter().any(|m| !m.windows.is_empty())
}
const BAND: Band = Band {
    left: 0,
    right: 0,
    bottom: 0,
    row_height: 24,
    rows: 4,
    gap: 3,
    max_shift: 36,
    overflow_width: 46,
};

/// A date's position on the timeline's x axis (days).
pub(crate) fn x_of(d: NaiveDate) -> f64 {
    d.signed_duration_since(NaiveDate::default()).num_days() as f64
}

/// Render the timeline to `path`: 1600 px wide and as tall as plot and key need, or exactly `--size`
/// with the plot shrunk (to at least 240 px) to fit; a key too long for that goes to its own image,
/// `timeline-key.EXT` beside it, and the timeline says so. Returns the files written.
pub fn render(path: &Path, t: &Timeline<'_>, out: &super::Output) -> Result<Vec<PathBuf>, PlotError> {
    let width = out.size.map_or(W, |s| s.0);
    let head = header_h(t);
    // Two lines per statement under the plot; on the key's own image, room for five.
    let key = key_lines(t, key_col_w(width), 2);
    // No statements, no flags: the plot moves up under the legend.
    let band_h = if t.markers.is_empty() { 0 } else { BAND.height() };
    let key_h = key_height(&key);
    let plot_h = |fixed: i32| out.size.map_or(PLOT_H, |s| (s.1 as i32 - fixed).max(MIN_PLOT_H));
    // With --size the image is exactly that size: a key that leaves the plot less than MIN_PLOT_H
    // moves to its own image, named where it would have been.
    let key_fits = out
        .size
        .is_none_or(|s| s.1 as i32 - (head + band_h + key_h + 40) >= MIN_PLOT_H);
    if key.is_empty() || key_fits {
        let fixed = head + band_h + key_h + 40;
        let height = out.size.map_or(fixed + plot_h(fixed), |s| s.1 as i32);
        super::render(path, (width, height as u32), out, |root| {
            let p = body(root, t, band_h, plot_h(fixed))?;
            draw_key(root, &key, head + band_h + p + 8, key_col_w(width))?;
            super::footer(root, t.source.clone(), 26)
        })?;
        return Ok(vec![path.to_path_buf()]);
    }
    let key_path = sibling(path, "timeline-key");
    let fixed = head + band_h + 40 + 24;
    let height = out.size.map_or(fixed + PLOT_H, |s| s.1 as i32);
    super::render(path, (width, height as u32), out, |root| {
        let p = body(root, t, band_h, plot_h(fixed))?;
        let name = key_path
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let line = format!("Statements by number: see {name}.");
        root.draw(&Text::new(line, (20, head + band_h + p + 8), font(KEY_FONT)))?;
        super::footer(root, t.source.clone(), 26)
    })?;
    let key = key_lines(t, key_col_w(width), 5);
    let key_image_h = (key_height(&key) + 48 + 40) as u32;
    let key_out = super::Output { size: None, ..*out };
    super::render(&key_path, (width, key_image_h), &key_out, |root| {
        super::title(root, &format!("Key to {}", t.title), 18.0)?;
        draw_key(root, &key, 52, key_col_w(width))?;
        super::footer(root, t.source.clone(), 26)
    })?;
    Ok(vec![path.to_path_buf(), key_path])
}

/// Title, legend, flags and plot; returns the plot's height.
fn body(root: &super::Area<'_>, t: &Timeline<'_>, band_h: i32, plot_h: i32) -> Result<i32, DrawError> {
    let head = header_h(t);
    header(root, t)?;
    let (_, rest) = root.split_vertically(head + band_h);
    let (plot_area, _) = rest.split_vertically(plot_h);
    let anchors = plot(&plot_area, t)?;
    flags(root, t, &anchors, head + band_h)?;
    Ok(plot_h)
}

/// `path` with its file stem replaced by `stem` (same folder and extension).
fn sibling(path: &Path, stem: &str) -> PathBuf {
    let ext = path
        .extension()
        .map_or(String::new(), |e| format!(".{}", e.to_string_lossy()));
    path.with_file_name(format!("{stem}{ext}"))
}

fn header(root: &super::Area<'_>, t: &Timeline<'_>) -> Result<(), DrawError> {
    super::title(root, &t.title, 26.0)?;
    let flags = [
        ("pushes up", super::UP),
        ("pushes down", super::DOWN),
        ("no stance", NEUTRAL),
    ];
    const FLAGS: &str = "Flags (statement's stance):";
    const ROLLS: &str = "ticks on the axis: contract rolls";
    // The legend's width at a font size; the size shrinks (to 12 px) until the legend fits the width.
    let span = |size: f64| -> i32 {
        let f = font(size);
        let k = size / 18.0;
        let series: f64 = t
            .series
            .iter()
            .map(|(l, _)| 68.0 * k + f64::from(width(l, &f)))
            .sum();
        let marks = if t.markers.is_empty() {
            0.0
        } else {
            30.0 * k
                + f64::from(width(FLAGS, &f))
                + 14.0 * k
                + flags
                    .iter()
                    .map(|(l, _)| 46.0 * k + f64::from(width(l, &f)))
                    .sum::<f64>()
        };
        let rolls = match t.rolls.is_empty() {
            true => 0.0,
            false => 20.0 * k + f64::from(width(ROLLS, &f)),
        };
        (series + rolls + marks) as i32
    };
    let room = root.dim_in_pixel().0 as i32 - 40;
    let fits =
        |s: &f64| span(*s) <= room && (!shaded(t) || super::timeline_shade::legend_width(t, *s) <= room);
    let size = (12..=18).rev().map(f64::from).find(fits).unwrap_or(12.0);
    if shaded(t) {
        super::timeline_shade::legend(root, t, 62 + SHADE_LEGEND_H - (9.0 * size / 18.0) as i32, size)?;
    }
    let (f, k) = (font(size), size / 18.0);
    let px = |v: f64| (v * k).round() as i32;
    let (mut x, y) = (20, 62);
    for (i, (label, _)) in t.series.iter().enumerate() {
        let c = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        root.draw(&PathElement::new(
            vec![(x, y), (x + px(30.0), y)],
            c.stroke_width(3),
        ))?;
        root.draw(&Text::new(label.clone(), (x + px(38.0), y - px(9.0)), f.clone()))?;
        x += px(68.0) + width(label, &f) as i32;
    }
    if !t.rolls.is_empty() {
        root.draw(&Text::new(ROLLS, (x, y - px(9.0)), f.clone()))?;
        x += px(20.0) + width(ROLLS, &f) as i32;
    }
    if t.markers.is_empty() {
        return Ok(());
    }
    x += px(30.0);
    root.draw(&Text::new(FLAGS, (x, y - px(9.0)), f.clone()))?;
    x += width(FLAGS, &f) as i32 + px(14.0);
    for (label, c) in flags {
        root.draw(&Rectangle::new(
            [(x, y - px(9.0)), (x + px(18.0), y + px(9.0))],
            c.filled(),
        ))?;
        root.draw(&Text::new(label, (x + px(24.0), y - px(9.0)), f.clone()))?;
        x += px(46.0) + width(label, &f) as i32;
    }
    Ok(())
}

/// Draw the price chart; returns the pixel x of each marker and the plot's pixel ranges.
fn plot(area: &super::Area<'_>, t: &Timeline<'_>) -> Result<Anchors, DrawError> {
    let (lo, hi) = y_range(t);
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(40)
        .x_label_area_size(34)
        .y_label_area_size(70)
        .build_cartesian_2d(x_of(t.from)..x_of(t.to) + 1.0, lo..hi)?;
    super::house_mesh(
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_desc(t.axis.as_str())
            .y_label_formatter(&|v| text::minus(format!("{v:.0}"))),
        16.0,
    )
    .draw()?;
    // Lines are drawn in data coordinates; only the tick labels below the axis need pixels, and pixel
    // ranges and backend coordinates are absolute while `area` draws relative to its own origin.
    let (ox, oy) = area.get_base_pixel();
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let vline = |x: f64| vec![(x, lo), (x, hi)];
    // As many date ticks as fit a label of "23 Mar 2020" (about 100 px at 16 px) with room between.
    let max_ticks = usize::try_from((xr.end - xr.start) / 130)
        .unwrap_or(2)
        .clamp(2, 12);
    for (d, label) in super::ticks::date_ticks(t.from, t.to, max_ticks) {
        chart.draw_series(LineSeries::new(vline(x_of(d)), GRID))?;
        let x = chart.backend_coord(&(x_of(d), lo)).0;
        let style = font(16.0)
            .into_text_style(area)
            .pos(Pos::new(HPos::Center, VPos::Top));
        area.draw(&Text::new(label, (x - ox, yr.end - oy + 6), style))?;
    }
    if lo < 0.0 {
        let zero = vec![(x_of(t.from), 0.0), (x_of(t.to) + 1.0, 0.0)];
        chart.draw_series(LineSeries::new(zero, BLACK.mix(0.4)))?;
    }
    if shaded(t) {
        super::timeline_shade::draw(&mut chart, t, (lo, hi))?;
    }
    let xs = markers_and_lines(&mut chart, t, (lo, hi))?;
    for (label, obs) in &t.series {
        if let Some(text) = negative_low(label, obs) {
            let (d, p) = obs
                .iter()
                .copied()
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .expect("a low");
            let (x, y) = chart.backend_coord(&(x_of(d), p));
            // Right of the point, or left of it when it would run past the plot's right edge.
            let right_edge = xr.end;
            let fits = x + 8 + text::width(&text, &font(14.0)) as i32 <= right_edge;
            let (h, dx) = if fits { (HPos::Left, 8) } else { (HPos::Right, -8) };
            // Just above the point, clear of the roll ticks along the axis.
            let style = font(14.0).into_text_style(area).pos(Pos::new(h, VPos::Bottom));
            area.draw(&Text::new(text, (x - ox + dx, y - oy - 4), style))?;
        }
    }
    Ok(Anchors {
        xs,
        left: xr.start,
        right: xr.end,
    })
}

/// The annotation of a series' lowest price when it is negative (a reader would otherwise take the
/// spike for a data error): `WTI −36.98 US$ (20 Apr 2020)`.
fn negative_low(label: &str, obs: &[(NaiveDate, f64)]) -> Option<String> {
    let (d, p) = obs.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1))?;
    (p < 0.0).then(|| {
        let price = text::minus(format!("{p:.2}"));
        format!("{label} {price} US$ ({})", d.format("%-d %b %Y"))
    })
}

/// The statements' vertical lines, the price lines, and the dots at each statement's day-0 close;
/// returns the lines' pixel columns (where the flags attach).
fn markers_and_lines(
    chart: &mut super::XyChart<'_, '_>,
    t: &Timeline<'_>,
    (lo, hi): (f64, f64),
) -> Result<Vec<i32>, DrawError> {
    let mut xs = Vec::with_capacity(t.markers.len());
    for m in &t.markers {
        let colour = stance_colour(m.statement.stance).mix(0.45);
        let x = x_of(m.date);
        chart.draw_series(LineSeries::new(vec![(x, lo), (x, hi)], colour))?;
        xs.push(chart.backend_coord(&(x, lo)).0);
    }
    for (i, (_, obs)) in t.series.iter().enumerate() {
        let c = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        chart.draw_series(LineSeries::new(
            obs.iter().map(|(d, p)| (x_of(*d), *p)),
            c.stroke_width(2),
        ))?;
    }
    for m in &t.markers {
        for (si, d, p) in &m.dots {
            let c = SERIES_COLOURS[si % SERIES_COLOURS.len()];
            chart.draw_series(std::iter::once(Circle::new((x_of(*d), *p), 4, c.filled())))?;
        }
    }
    // A roll: a short tick in the series' colour rising from the axis (the price step there is two
    // contracts', not a move); named in the legend.
    for (si, d) in &t.rolls {
        let c = SERIES_COLOURS[si % SERIES_COLOURS.len()];
        let (x, top) = (x_of(*d), lo + (hi - lo) * 0.04);
        chart.draw_series(LineSeries::new(vec![(x, lo), (x, top)], c.stroke_width(3)))?;
    }
    Ok(xs)
}

struct Anchors {
    xs: Vec<i32>,
    left: i32,
    right: i32,
}

fn y_range(t: &Timeline<'_>) -> (f64, f64) {
    let vals = t.series.iter().flat_map(|(_, o)| o.iter().map(|(_, p)| *p));
    let (mut lo, mut hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
        (a.min(p), b.max(p))
    });
    if !lo.is_finite() {
        (lo, hi) = (0.0, 100.0);
    }
    axis(lo, hi)
}

/// The price axis for prices from `lo` to `hi`.
fn axis(lo: f64, hi: f64) -> (f64, f64) {
    let pad = ((hi - lo) * 0.06).max(1.0);
    // A line of prices needs no zero baseline (it is not a bar): the axis starts just below the
    // lowest price, so a few weeks' moves fill the plot. Zero is shown when the prices come within a
    // third of it anyway, and negative prices (WTI, 20 April 2020) are always shown.
    let low = if lo < 0.0 {
        lo - pad
    } else if lo <= hi / 3.0 {
        0.0
    } else {
        (lo - pad).max(0.0)
    };
    (low, hi + pad)
}

fn flags(root: &super::Area<'_>, t: &Timeline<'_>, a: &Anchors, bottom: i32) -> Result<(), DrawError> {
    let band = Band {
        left: a.left,
        right: a.right,
        bottom: bottom - 2,
        ..BAND
    };
    let labels: Vec<String> = t.markers.iter().map(|m| m.number.to_string()).collect();
    let widths: Vec<i32> = labels.iter().map(|l| width(l, &bold(14.0)) as i32 + 10).collect();
    let placed = layout::place(&a.xs, &widths, &band);
    for p in &placed {
        let (r, anchor) = match p {
            Placed::Flag { rect, anchor, .. } | Placed::Overflow { rect, anchor, .. } => (rect, *anchor),
        };
        let mid = (r.x0 + r.x1) / 2;
        let leader = vec![(mid, r.y1), (anchor, bottom), (anchor, bottom + 6)];
        root.draw(&PathElement::new(leader, NEUTRAL.mix(0.7)))?;
    }
    for p in &placed {
        let (r, text, colour) = match p {
            Placed::Flag { index, rect, .. } => (
                rect,
                labels[*index].clone(),
                stance_colour(t.markers[*index].statement.stance),
            ),
            Placed::Overflow { members, rect, .. } => {
                (rect, format!("+{}", members.len()), RGBColor(60, 60, 60))
            }
        };
        root.draw(&Rectangle::new(
            [(r.x0, r.y0), (r.x1 - 1, r.y1 - 1)],
            colour.filled(),
        ))?;
        let style = bold(14.0).color(&WHITE).pos(Pos::new(HPos::Center, VPos::Center));
        root.draw(&Text::new(text, ((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2), style))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::axis;

    #[test]
    fn a_negative_low_is_annotated() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let obs = [
            (d("2020-04-17"), 18.31),
            (d("2020-04-20"), -36.98),
            (d("2020-04-21"), 8.91),
        ];
        assert_eq!(
            super::negative_low("WTI", &obs).as_deref(),
            Some("WTI \u{2212}36.98 US$ (20 Apr 2020)")
        );
        assert_eq!(super::negative_low("Brent", &obs[..1]), None);
    }

    #[test]
    fn the_price_axis_starts_near_the_data_unless_zero_is_close_or_prices_are_negative() {
        // Spring 2020 without the negative day: 14..28 → from 14 − 1 = 13 (pad 6 % of 14, at least 1).
        assert_eq!(axis(14.0, 28.0), (13.0, 29.0));
        // Within a third of zero: from 0.
        assert_eq!(axis(9.0, 60.0).0, 0.0);
        // Negative WTI: below it.
        assert!(axis(-36.98, 60.0).0 < -36.98);
    }
}
