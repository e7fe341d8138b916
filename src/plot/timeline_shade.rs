//! `--shade-windows` on the timeline: where each statement's headline CAR window lies, on each series'
//! own trading days.
//!
//! Two marks, neither of which stacks: a light neutral wash over the union of every statement's
//! window on any drawn series (overlapping windows merged first, so thirty statements on one day shade
//! exactly as one does), and one thin bar per series along the top of the plot, in the series'
//! colour, covering that series' windows only. The flag of a statement sits on its earliest day 0;
//! the bars show where each series' window actually runs when their calendars differ (a London bank
//! holiday moves Brent's day +1, not WTI's). Stance is shown by the flags, not by the shading.

use super::text::{font, width};
use super::timeline::{x_of, Timeline};
use super::{DrawError, NEUTRAL, SERIES_COLOURS};
use plotters::prelude::*;

/// The wash's colour over the plot.
const WASH: f64 = 0.10;
/// A series bar's height and the gap below it, in pixels.
const LANE_PX: f64 = 5.0;
const LANE_GAP_PX: f64 = 3.0;

/// Intervals `[a, b]` in chart x units, sorted and with overlapping or touching ones merged.
pub fn merged(mut spans: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    spans.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match out.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => out.push((a, b)),
        }
    }
    out
}

/// The spans of series `si`'s windows (or every series' with `None`), each day widened by half a
/// day either side, merged.
pub fn spans(t: &Timeline<'_>, si: Option<usize>) -> Vec<(f64, f64)> {
    let raw = t
        .markers
        .iter()
        .flat_map(|m| &m.windows)
        .filter(|(s, _, _)| si.is_none_or(|want| *s == want))
        .map(|(_, a, b)| (x_of(*a) - 0.5, x_of(*b) + 0.5))
        .collect();
    merged(raw)
}

/// Draw the wash and the per-series bars onto the plot spanning prices `lo..hi`.
pub fn draw(
    chart: &mut super::XyChart<'_, '_>,
    t: &Timeline<'_>,
    (lo, hi): (f64, f64),
) -> Result<(), DrawError> {
    let wash = NEUTRAL.mix(WASH).filled();
    chart.draw_series(
        spans(t, None)
            .into_iter()
            .map(|(a, b)| Rectangle::new([(a, lo), (b, hi)], wash)),
    )?;
    let rows = chart.plotting_area().get_pixel_range().1;
    let per_px = (hi - lo) / f64::from((rows.end - rows.start).max(1));
    let (lane, step) = (LANE_PX * per_px, (LANE_PX + LANE_GAP_PX) * per_px);
    for si in 0..t.series.len() {
        let colour = SERIES_COLOURS[si % SERIES_COLOURS.len()].mix(0.8).filled();
        let top = hi - step * si as f64;
        chart.draw_series(
            spans(t, Some(si))
                .into_iter()
                .map(|(a, b)| Rectangle::new([(a, top), (b, top - lane)], colour)),
        )?;
    }
    Ok(())
}

/// The legend line for the shading at baseline-top `y`, `size` px, starting at x = 20.
pub fn legend(root: &super::Area<'_>, t: &Timeline<'_>, y: i32, size: f64) -> Result<(), DrawError> {
    let f = font(size);
    let k = size / 18.0;
    let px = |v: f64| (v * k).round() as i32;
    let mut x = 20;
    root.draw(&Rectangle::new(
        [(x, y), (x + px(18.0), y + px(18.0))],
        NEUTRAL.mix(WASH * 2.0).filled(),
    ))?;
    let (wash, bars) = legend_texts(t);
    root.draw(&Text::new(wash.clone(), (x + px(24.0), y), f.clone()))?;
    x += px(34.0) + width(&wash, &f) as i32;
    for si in 0..t.series.len() {
        let c = SERIES_COLOURS[si % SERIES_COLOURS.len()].mix(0.8);
        root.draw(&Rectangle::new(
            [
                (x + px(8.0) * si as i32, y + px(5.0)),
                (x + px(8.0) * si as i32 + px(7.0), y + px(13.0)),
            ],
            c.filled(),
        ))?;
    }
    x += px(8.0) * t.series.len() as i32 + px(6.0);
    root.draw(&Text::new(bars, (x, y), f))?;
    Ok(())
}

/// The legend's two texts: the wash's and the bars'.
fn legend_texts(t: &Timeline<'_>) -> (String, &'static str) {
    let wash = format!(
        "shaded: each statement's {} window, on any series;",
        t.window_label
    );
    (wash, "bars at the top: the same on each series' own trading days")
}

/// The width [`legend`] takes at `size` px.
pub fn legend_width(t: &Timeline<'_>, size: f64) -> i32 {
    let f = font(size);
    let k = size / 18.0;
    let (wash, bars) = legend_texts(t);
    (k * (40.0 + 8.0 * t.series.len() as f64 + 6.0)) as i32 + width(&wash, &f) as i32 + width(bars, &f) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_windows_merge_into_one_span_and_separate_ones_stay_apart() {
        let got = merged(vec![
            (5.0, 7.0),
            (0.0, 2.0),
            (1.5, 3.0),
            (3.0, 4.0),
            (6.0, 6.5),
            (9.0, 10.0),
        ]);
        assert_eq!(got, [(0.0, 4.0), (5.0, 7.0), (9.0, 10.0)]);
        assert!(merged(vec![]).is_empty());
    }
}
