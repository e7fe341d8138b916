//! The event chart of one statement: each series over trading days `-k..+k` around its own day 0 (x is
//! event time, so series with different calendars line up on day 0), normalised to 100 at day −1, with the
//! 95 % band of a normal move since day −1 (`100·exp(±1.96·S·√(t+1))`, S from the estimation window), day 0
//! marked, the statement as the title, and a key above the plot (never over the data) with each series'
//! day-0 AR and CAR, their t statistics and significance stars. If a price at day −1 is ≤ 0 (WTI, April 2020) the chart shows
//! US$/bbl instead and says so.

use super::text::{self, bold, font, wrap};
use super::{stars, DrawError, PlotError, SERIES_COLOURS};
use crate::analysis::stats::{z975, Tested};
use crate::statements::Statement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// One series in an event chart.
#[derive(Debug, Clone)]
pub struct EventSeries {
    /// Series label.
    pub label: String,
    /// `(offset from day 0, date, price)` for the plotted window.
    pub points: Vec<(i64, chrono::NaiveDate, f64)>,
    /// Day 0 of the statement on this series.
    pub day0: Option<chrono::NaiveDate>,
    /// Day-0 abnormal return and its test.
    pub ar0: Option<Tested>,
    /// Headline CAR and its test.
    pub car: Option<Tested>,
    /// Residual s.d. of the estimation window, S (for the band).
    pub sigma: Option<f64>,
    /// Offsets from day 0 of contract rolls of a continuous futures series inside the window (marked:
    /// that day's change mixes two contracts).
    pub rolls: Vec<i64>,
}

/// Everything an event chart draws.
#[derive(Debug, Clone)]
pub struct EventChart<'a> {
    /// Flag number on the timeline.
    pub number: usize,
    /// The statement.
    pub statement: &'a Statement,
    /// Series to draw.
    pub series: Vec<EventSeries>,
    /// Half-width of the window in trading days.
    pub half_window: i64,
    /// CAR window text, e.g. `[0,1]`.
    pub car_window: String,
    /// Source line at the bottom.
    pub source: String,
    /// The price axis' label when prices are drawn in US$/bbl (which prices these are).
    pub axis: String,
    /// True when AR and CAR are log returns: they are shown as the percentage changes they stand for
    /// (`e^x − 1`), so the box agrees with the lines beside it.
    pub log_returns: bool,
}

const W: u32 = 1200;
const H: u32 = 760;
const GREY: RGBColor = super::NOTE;

/// A return as a signed percentage; a log return `x` as the change it stands for, `e^x − 1`.
fn pct(x: f64, log: bool) -> String {
    let change = if log { x.exp_m1() } else { x };
    text::minus(format!("{:+.1}%", change * 100.0))
}

/// The statistics line printed for one series (`log`: AR and CAR are log returns).
pub fn stats_line(s: &EventSeries, car_window: &str, log: bool) -> String {
    let day0 = s.day0.map_or("none".to_string(), |d| d.to_string());
    let ar = s.ar0.map_or("AR n/a".to_string(), |a| {
        let t = text::minus(format!("{:.2}", a.t));
        format!("AR {} (t = {t}{})", pct(a.value, log), stars(a.p))
    });
    let car = s.car.map_or(format!("CAR{car_window} n/a"), |c| {
        let t = text::minus(format!("{:.2}", c.t));
        format!("CAR{car_window} {} (t = {t}{})", pct(c.value, log), stars(c.p))
    });
    format!("{}: day 0 = {day0}; {ar}; {car}", s.label)
}

/// Points to draw: `(offset, value)`, normalised to 100 at day −1 when every price in every series'
/// window is positive (an index of a zero or negative price means nothing: WTI, April 2020).
fn plotted(c: &EventChart<'_>) -> (Vec<Vec<(f64, f64)>>, bool) {
    let base = |s: &EventSeries| {
        s.points
            .iter()
            .find(|p| p.0 == -1)
            .map(|p| p.2)
            .filter(|p| *p > 0.0)
    };
    let positive = |s: &EventSeries| s.points.iter().all(|p| p.2 > 0.0);
    let normalise = c
        .series
        .iter()
        .all(|s| s.points.is_empty() || (base(s).is_some() && positive(s)));
    let pts = c
        .series
        .iter()
        .map(|s| {
            let b = base(s).unwrap_or(1.0);
            s.points
                .iter()
                .map(|(o, _, p)| (*o as f64, if normalise { 100.0 * p / b } else { *p }))
                .collect()
        })
        .collect();
    (pts, normalise)
}

/// The 95 % band of a normal move since day −1 for a series with residual s.d. `s`.
fn band(s: f64, k: i64) -> Vec<(f64, f64)> {
    let z = z975();
    let upper = (-1..=k).map(|t| (t as f64, 100.0 * (z * s * ((t + 1) as f64).sqrt()).exp()));
    let lower: Vec<(f64, f64)> = (-1..=k)
        .rev()
        .map(|t| (t as f64, 100.0 * (-z * s * ((t + 1) as f64).sqrt()).exp()))
        .collect();
    upper.chain(lower).collect()
}

/// Render the event chart to `path` (1200×760 unless `--size` says otherwise).
pub fn render(path: &Path, c: &EventChart<'_>, out: &super::Output) -> Result<(), PlotError> {
    let (w, h) = out.size_or((W, H));
    super::render(path, (w, h), out, |root| {
        let s = c.statement;
        let when = match s.time {
            crate::statements::StatementTime::Instant(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            crate::statements::StatementTime::Date(d) => format!("{d} (time of day unknown)"),
        };
        let title = format!("#{} {} — {when}", c.number, text::isolate(&s.speaker));
        super::title(root, &title, 22.0)?;
        let mut y = 46;
        for line in wrap(&s.text, &font(16.0), w - 40, 2) {
            root.draw(&Text::new(line, (20, y), font(16.0)))?;
            y += 21;
        }
        let (pts, normalised) = plotted(c);
        let note = if normalised {
            "Prices normalised to 100 at day −1. Shaded: 95% range of a normal move since day −1 (±1.96·S·√(t+1), S from the estimation window)."
        } else {
            "Prices in US$/bbl (not normalised: a price in the window is zero or negative)."
        };
        root.draw(&Text::new(note, (20, y + 4), font(14.0).color(&GREY)))?;
        let top = y + 30;
        let top = top + stats_key(root, c, top)? + 4;
        let (_, rest) = root.split_vertically(top);
        let (plot_area, _) = rest.split_vertically(h as i32 - top - 30);
        plot(&plot_area, c, &pts, normalised)?;
        super::footer(root, c.source.clone(), 24)
    })
}

/// The smallest of 1, 2, 5, 10, 20, 50 or 100 days that puts `days` labels at least 40 pixels apart
/// across `width` pixels.
fn day_step(days: i64, width: i64) -> i64 {
    [1, 2, 5, 10, 20, 50]
        .into_iter()
        .find(|s| (days / s + 1) * 40 <= width.max(40))
        .unwrap_or(100)
}

fn plot(
    area: &super::Area<'_>,
    c: &EventChart<'_>,
    pts: &[Vec<(f64, f64)>],
    normalised: bool,
) -> Result<(), DrawError> {
    let k = c.half_window;
    let sigmas: Vec<Option<f64>> = c.series.iter().map(|s| s.sigma).collect();
    let extent = |vals: &mut dyn Iterator<Item = f64>| {
        vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        })
    };
    let (lo, hi) = extent(&mut pts.iter().flatten().map(|p| p.1));
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (90.0, 110.0) };
    // The band widens the axis by at most the data's own span either way: a volatile series (the
    // spread) would otherwise get an axis to 5,000 with its prices a flat line at the bottom; the
    // band is cut at the plot's edge instead.
    let (lo, hi) = if normalised {
        let (blo, bhi) = extent(&mut sigmas.iter().flatten().flat_map(|s| band(*s, k)).map(|p| p.1));
        let reach = (hi - lo).max(1.0);
        (lo.min(blo.max(lo - reach)), hi.max(bhi.min(hi + reach)))
    } else {
        (lo, hi)
    };
    let span = (hi - lo).max(1.0);
    let (y0, y1) = (lo - 0.06 * span, hi + 0.06 * span);
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((-k as f64 - 0.5)..(k as f64 + 0.5), y0..y1)?;
    let y_desc = if normalised {
        "price, day −1 = 100"
    } else {
        c.axis.as_str()
    };
    // A label every `step` days, so labels stay at least 40 pixels apart at any width and window.
    let step = day_step(2 * k + 1, i64::from(area.dim_in_pixel().0) - 140);
    super::house_mesh(
        chart
            .configure_mesh()
            .x_labels((2 * k + 1) as usize)
            .x_label_formatter(&|v| {
                let t = v.round() as i64;
                if t % step == 0 {
                    text::minus(format!("{t:+}").replace("+0", "0"))
                } else {
                    String::new()
                }
            })
            .x_desc("trading days relative to day 0 (each series on its own calendar)")
            .y_desc(y_desc)
            .y_label_formatter(&|v| text::minus(format!("{v:.0}"))),
        14.0,
    )
    .draw()?;
    if normalised {
        bands(&mut chart, &sigmas, k, (y0, y1))?;
    }
    chart.draw_series(LineSeries::new(
        vec![(0.0, y0), (0.0, y1)],
        BLACK.mix(0.5).stroke_width(2),
    ))?;
    for (i, p) in pts.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        chart.draw_series(LineSeries::new(p.clone(), colour.stroke_width(2)))?;
        chart.draw_series(p.iter().map(|q| Circle::new(*q, 4, colour.filled())))?;
    }
    rolls(area, &mut chart, c, (y0, y1))?;
    day0_label(area, &chart, y0)
}

/// The "day 0" label at the foot of the day-0 line.
fn day0_label(area: &super::Area<'_>, chart: &super::XyChart<'_, '_>, y0: f64) -> Result<(), DrawError> {
    // Backend coordinates are absolute; `area` draws relative to its own origin.
    let (ox, oy) = area.get_base_pixel();
    let (x0, ybottom) = chart.backend_coord(&(0.0, y0));
    let style = bold(14.0)
        .into_text_style(area)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    area.draw(&Text::new("day 0", (x0 - ox + 6, ybottom - oy - 6), style))
}

/// A thin line in the series' colour at each contract roll, labelled "… roll" at its foot.
fn rolls(
    area: &super::Area<'_>,
    chart: &mut super::XyChart<'_, '_>,
    c: &EventChart<'_>,
    (y0, y1): (f64, f64),
) -> Result<(), DrawError> {
    let (ox, oy) = area.get_base_pixel();
    for (i, s) in c.series.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        for &o in &s.rolls {
            let x = o as f64;
            chart.draw_series(LineSeries::new(
                vec![(x, y0), (x, y1)],
                colour.mix(0.7).stroke_width(1),
            ))?;
            let (px, py) = chart.backend_coord(&(x, y0));
            let style = font(12.0)
                .into_text_style(area)
                .color(&colour)
                .pos(Pos::new(HPos::Left, VPos::Bottom));
            let label = format!("{} roll", s.label);
            let line = 22 * (i as i32 + 1);
            area.draw(&Text::new(label, (px - ox + 4, py - oy - 6 - line), style))?;
        }
    }
    Ok(())
}

/// The shaded band of each series with a residual s.d.
/// Each edge is a function of the day, so clamping it to the plot's `(y0, y1)` cuts the band there.
fn bands(
    chart: &mut super::XyChart<'_, '_>,
    sigmas: &[Option<f64>],
    k: i64,
    (y0, y1): (f64, f64),
) -> Result<(), DrawError> {
    for (i, s) in sigmas.iter().enumerate() {
        if let Some(s) = s {
            let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
            let cut: Vec<(f64, f64)> = band(*s, k)
                .into_iter()
                .map(|(x, y)| (x, y.clamp(y0, y1)))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(cut, colour.mix(0.12))))?;
        }
    }
    Ok(())
}

/// The statistics key above the plot (never over the data): one line per series with its colour,
/// then the star legend; text shrinks (to 70 %) to fit the width. Returns the height used.
fn stats_key(root: &super::Area<'_>, c: &EventChart<'_>, top: i32) -> Result<i32, DrawError> {
    let lines: Vec<String> = c
        .series
        .iter()
        .map(|s| stats_line(s, &c.car_window, c.log_returns))
        .collect();
    let legend = if c.log_returns {
        "AR, CAR: abnormal returns (log, shown as % change); * p<0.1, ** p<0.05, *** p<0.01"
    } else {
        "AR, CAR: abnormal returns vs the estimation window; * p<0.1, ** p<0.05, *** p<0.01"
    };
    let room = root.dim_in_pixel().0.saturating_sub(70);
    for (i, line) in lines.iter().enumerate() {
        let y = top + 22 * i as i32;
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        root.draw(&Rectangle::new([(20, y + 3), (34, y + 15)], colour.filled()))?;
        let (line, f) = text::fit(line, 16.0, room, font);
        root.draw(&Text::new(line, (42, y), f))?;
    }
    let y = top + 22 * lines.len() as i32 + 2;
    let (legend, f) = text::fit(legend, 14.0, room + 22, font);
    root.draw(&Text::new(legend, (20, y), f.color(&GREY)))?;
    Ok(22 * lines.len() as i32 + 24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_labels_thin_out_on_wide_windows() {
        // ±10 days on a 1200-pixel chart (1060 for the plot): every day. ±30 on 960 (820): every 5th.
        assert_eq!(day_step(21, 1060), 1);
        assert_eq!(day_step(61, 820), 5);
        assert_eq!(day_step(501, 820), 50);
    }
    use crate::statements::{Statement, StatementTime};

    fn series(prices: &[f64], ar: f64) -> EventSeries {
        let day = chrono::NaiveDate::from_ymd_opt(2020, 4, 20).unwrap();
        EventSeries {
            label: "WTI".into(),
            points: prices
                .iter()
                .enumerate()
                .map(|(i, p)| (i as i64 - 1, day, *p))
                .collect(),
            day0: Some(day),
            ar0: Some(Tested {
                value: ar,
                t: 2.0,
                p: 0.04,
            }),
            car: None,
            sigma: Some(0.02),
            rolls: vec![],
        }
    }

    #[test]
    fn log_returns_are_shown_as_the_change_they_stand_for() {
        // ln(135/100) = 0.3001: the line goes 100 -> 135, the box says +35.0%, not +30.0%.
        let s = series(&[100.0, 135.0], (1.35f64).ln());
        assert!(stats_line(&s, "[0,1]", true).contains("AR +35.0% (t = 2.00**)"));
        assert!(stats_line(&s, "[0,1]", false).contains("AR +30.0%"));
    }

    #[test]
    fn a_window_with_a_negative_price_is_drawn_in_dollars_not_as_an_index() {
        let st = Statement::new("w", StatementTime::Date(chrono::NaiveDate::MIN), "s", "t");
        let chart = |prices: &[f64]| EventChart {
            number: 1,
            statement: &st,
            series: vec![series(prices, 0.1)],
            half_window: 2,
            car_window: "[0,1]".into(),
            source: String::new(),
            axis: String::new(),
            log_returns: true,
        };
        let (pts, normalised) = plotted(&chart(&[18.31, -36.98, 8.91]));
        assert!(!normalised);
        assert_eq!(pts[0][1].1, -36.98);
        assert!(plotted(&chart(&[18.0, 20.0, 9.0])).1);
    }
}
