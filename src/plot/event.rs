//! The event chart of one statement: each series' prices over trading days `-k..+k` around its own
//! day 0 (x is event time, so series with different calendars line up on day 0), day 0 marked, the
//! statement as the title, and per series the day-0 abnormal return and CAR with t and stars.

use super::text::{bold, font, wrap};
use super::{stars, PlotError, GRID, SERIES_COLOURS};
use crate::analysis::EventRow;
use crate::statements::Statement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// One series in an event chart.
#[derive(Debug, Clone)]
pub struct EventSeries<'a> {
    /// Series label.
    pub label: String,
    /// `(offset from day 0, date, price)` for the plotted window.
    pub points: Vec<(i64, chrono::NaiveDate, f64)>,
    /// The statistics row of this statement on this series.
    pub row: &'a EventRow,
}

/// Everything an event chart draws.
#[derive(Debug, Clone)]
pub struct EventChart<'a> {
    /// Flag number on the timeline.
    pub number: usize,
    /// The statement.
    pub statement: &'a Statement,
    /// Series to draw.
    pub series: Vec<EventSeries<'a>>,
    /// Half-width of the window in trading days.
    pub half_window: i64,
    /// CAR window text, e.g. `[0,1]`.
    pub car_window: String,
    /// Source line at the bottom.
    pub source: String,
}

const W: u32 = 1200;
const H: u32 = 760;

fn de<E: std::fmt::Display>(e: E) -> String {
    e.to_string()
}

fn pct(x: f64) -> String {
    format!("{:+.1}%", x * 100.0)
}

/// The statistics line printed for one series.
pub fn stats_line(s: &EventSeries<'_>, car_window: &str) -> String {
    let r = s.row;
    let day0 = r.event_date.map_or("none".to_string(), |d| d.to_string());
    let ar = r.stats.ar0.map_or("AR n/a".to_string(), |a| {
        format!("AR {} (t = {:.2}{})", pct(a.value), a.t, stars(a.p))
    });
    let car = r.stats.car().map_or(format!("CAR{car_window} n/a"), |c| {
        format!("CAR{car_window} {} (t = {:.2}{})", pct(c.value), c.t, stars(c.p))
    });
    format!("{}: day 0 = {day0}; {ar}; {car}", s.label)
}

/// Render the event chart to `path` (PNG, 1200×760).
pub fn render(path: &Path, c: &EventChart<'_>) -> Result<(), PlotError> {
    super::render_png(path, (W, H), |root| {
        let s = c.statement;
        let when = match s.time {
            crate::statements::StatementTime::Instant(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            crate::statements::StatementTime::Date(d) => format!("{d} (time of day unknown)"),
        };
        let title = format!("#{} {} — {when}", c.number, s.speaker);
        root.draw(&Text::new(title, (20, 14), bold(22.0).color(&BLACK)))
            .map_err(de)?;
        let mut y = 46;
        for line in wrap(&s.text, &font(16.0), W - 40, 2) {
            root.draw(&Text::new(line, (20, y), font(16.0))).map_err(de)?;
            y += 21;
        }
        y += 6;
        for (i, es) in c.series.iter().enumerate() {
            let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
            root.draw(&Rectangle::new([(20, y + 3), (34, y + 15)], colour.filled()))
                .map_err(de)?;
            root.draw(&Text::new(stats_line(es, &c.car_window), (42, y), font(16.0)))
                .map_err(de)?;
            y += 21;
        }
        let note = "AR, CAR: mean-adjusted log returns; t from the estimation window; * p<0.1, ** p<0.05, *** p<0.01";
        root.draw(&Text::new(note, (20, y), font(14.0).color(&RGBColor(90, 90, 90))))
            .map_err(de)?;
        let (_, rest) = root.split_vertically(y + 24);
        let (plot_area, _) = rest.split_vertically(H as i32 - y - 24 - 30);
        plot(&plot_area, c)?;
        let style = font(14.0).color(&RGBColor(90, 90, 90));
        root.draw(&Text::new(c.source.clone(), (20, H as i32 - 24), style))
            .map_err(de)
    })
}

fn plot(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    c: &EventChart<'_>,
) -> Result<(), String> {
    let vals = c.series.iter().flat_map(|s| s.points.iter().map(|p| p.2));
    let (lo, hi) = vals.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
        (a.min(p), b.max(p))
    });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let pad = ((hi - lo) * 0.08).max(0.5);
    let k = c.half_window;
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d((-k as f64 - 0.5)..(k as f64 + 0.5), (lo - pad)..(hi + pad))
        .map_err(de)?;
    chart
        .configure_mesh()
        .x_labels((2 * k + 1) as usize)
        .x_label_formatter(&|v| format!("{:+}", v.round() as i64).replace("+0", "0"))
        .x_desc("trading days relative to day 0 (each series on its own calendar)")
        .y_desc("US$ per barrel (EIA spot)")
        .y_label_formatter(&|v| format!("{v:.1}"))
        .light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .label_style(font(14.0))
        .axis_desc_style(font(16.0))
        .draw()
        .map_err(de)?;
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, lo - pad), (0.0, hi + pad)],
            BLACK.mix(0.5).stroke_width(2),
        ))
        .map_err(de)?;
    // Backend coordinates are absolute; `area` draws relative to its own origin.
    let (ox, oy) = area.get_base_pixel();
    let (x0, top) = chart.backend_coord(&(0.0, hi + pad));
    let style = bold(14.0)
        .into_text_style(area)
        .pos(Pos::new(HPos::Left, VPos::Top));
    area.draw(&Text::new("day 0", (x0 - ox + 6, top - oy + 4), style))
        .map_err(de)?;
    for (i, s) in c.series.iter().enumerate() {
        let colour = SERIES_COLOURS[i % SERIES_COLOURS.len()];
        let pts: Vec<(f64, f64)> = s.points.iter().map(|(o, _, p)| (*o as f64, *p)).collect();
        chart
            .draw_series(LineSeries::new(pts.clone(), colour.stroke_width(2)))
            .map_err(de)?;
        chart
            .draw_series(pts.iter().map(|p| Circle::new(*p, 4, colour.filled())))
            .map_err(de)?;
    }
    Ok(())
}
