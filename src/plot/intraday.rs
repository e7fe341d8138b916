//! The intraday event chart of one statement: the price path in minutes around it, indexed to 100 at
//! the last trade before it, the statement's minute marked, other statements inside the span flagged,
//! and the 95 % band of a normal move at that time of day (same clock, previous trading days).

use super::text::{self, font, wrap};
use super::{DrawError, PlotError, GRID, NOTE, SERIES_COLOURS};
use crate::statements::Statement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Everything an intraday chart draws.
#[derive(Debug, Clone)]
pub struct IntradayChart<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// Series label, e.g. "WTI futures".
    pub label: String,
    /// `(minutes from the statement, log change since the last trade before it)`; `None` = no fresh bar.
    pub path: Vec<(f64, Option<f64>)>,
    /// `(minutes, lower, upper)` of the normal-move band, in log points.
    pub band: Vec<(f64, f64, f64)>,
    /// Baseline days behind the band.
    pub baseline_days: usize,
    /// Other statements inside the span: `(minutes from this one, its id)`.
    pub others: Vec<(f64, String)>,
    /// Source line at the bottom.
    pub source: String,
}

const W: u32 = 1200;
const H: u32 = 700;

/// Render the chart to `path` (1200×700 unless `--size` says otherwise).
pub fn render(path: &Path, c: &IntradayChart<'_>, out: &super::Output) -> Result<(), PlotError> {
    let (w, h) = out.size_or((W, H));
    super::render(path, (w, h), out, |root| {
        let s = c.statement;
        let when = match s.time {
            crate::statements::StatementTime::Instant(t) => t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            crate::statements::StatementTime::Date(d) => d.to_string(),
        };
        let speaker = text::isolate(&s.speaker);
        super::title(root, &format!("{} — {speaker} — {when}", c.label), 22.0)?;
        let mut y = 46;
        for line in wrap(&s.text, &font(16.0), w - 40, 2) {
            root.draw(&Text::new(line, (20, y), font(16.0)))?;
            y += 21;
        }
        let note = format!(
            "Index: 100 = the last trade before the statement. Shaded: 95% range of the move from the same clock \
             time on the previous {} trading days.",
            c.baseline_days
        );
        let (note, f) = text::fit(&note, 14.0, w.saturating_sub(40), font);
        root.draw(&Text::new(note, (20, y + 4), f.color(&NOTE)))?;
        let top = y + 28;
        let (_, rest) = root.split_vertically(top);
        let (area, _) = rest.split_vertically(h as i32 - top - 30);
        plot(&area, c)?;
        super::footer(root, c.source.clone(), 24)
    })
}

fn index(v: f64) -> f64 {
    100.0 * v.exp()
}

fn plot(area: &super::Area<'_>, c: &IntradayChart<'_>) -> Result<(), DrawError> {
    let xs: Vec<f64> = c.path.iter().map(|p| p.0).collect();
    let (x0, x1) = (
        xs.first().copied().unwrap_or(-60.0),
        xs.last().copied().unwrap_or(120.0),
    );
    let mut ys: Vec<f64> = c.path.iter().filter_map(|p| p.1).map(index).collect();
    ys.extend(c.band.iter().flat_map(|b| [index(b.1), index(b.2)]));
    let lo = ys.iter().copied().fold(100.0_f64, f64::min);
    let hi = ys.iter().copied().fold(100.0_f64, f64::max);
    let pad = ((hi - lo) * 0.08).max(0.2);
    let (y0, y1) = (lo - pad, hi + pad * 2.0);
    let mut chart = ChartBuilder::on(area)
        .margin_left(20)
        .margin_right(30)
        .x_label_area_size(50)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let ticks = ((area.dim_in_pixel().0 as usize).saturating_sub(140) / 70).clamp(4, 16);
    super::house_mesh(
        chart
            .configure_mesh()
            .x_labels(ticks)
            .x_label_formatter(&|v| text::minus(format!("{:+.0}", v.round()).replace("+0", "0")))
            .x_desc("minutes relative to the statement")
            .y_desc("price index (100 = last trade before)")
            .y_label_formatter(&|v| text::minus(format!("{v:.1}"))),
        14.0,
    )
    .draw()?;
    let colour = SERIES_COLOURS[1];
    if !c.band.is_empty() {
        let upper = c.band.iter().map(|b| (b.0, index(b.2)));
        let lower: Vec<(f64, f64)> = c.band.iter().rev().map(|b| (b.0, index(b.1))).collect();
        let poly: Vec<(f64, f64)> = upper.chain(lower).collect();
        chart.draw_series(std::iter::once(Polygon::new(poly, GRID.mix(0.9))))?;
    }
    for (o, _) in &c.others {
        chart.draw_series(LineSeries::new(
            vec![(*o, y0), (*o, y1)],
            NOTE.mix(0.6).stroke_width(1),
        ))?;
    }
    chart.draw_series(LineSeries::new(
        vec![(0.0, y0), (0.0, y1)],
        BLACK.mix(0.5).stroke_width(2),
    ))?;
    // The path in runs of consecutive bars: a gap (a halt, no trades) stays a gap.
    for run in c.path.split(|p| p.1.is_none()).filter(|r| !r.is_empty()) {
        let pts: Vec<(f64, f64)> = run.iter().filter_map(|p| Some((p.0, index(p.1?)))).collect();
        chart.draw_series(LineSeries::new(pts, colour.stroke_width(2)))?;
    }
    labels(area, &chart, c, (y0, y1))
}

/// "statement" at the foot of its line and each other statement's id at the top of its line.
fn labels(
    area: &super::Area<'_>,
    chart: &super::XyChart<'_, '_>,
    c: &IntradayChart<'_>,
    (y0, y1): (f64, f64),
) -> Result<(), DrawError> {
    let (ox, oy) = area.get_base_pixel();
    let (x, yb) = chart.backend_coord(&(0.0, y0));
    let bold = super::text::bold(14.0)
        .into_text_style(area)
        .pos(Pos::new(HPos::Left, VPos::Bottom));
    area.draw(&Text::new("statement", (x - ox + 6, yb - oy - 6), bold))?;
    for (i, (o, id)) in c.others.iter().enumerate() {
        let (x, yt) = chart.backend_coord(&(*o, y1));
        let style = font(12.0)
            .into_text_style(area)
            .color(&NOTE)
            .pos(Pos::new(HPos::Left, VPos::Top));
        let line = 16 * (i as i32 % 3);
        area.draw(&Text::new(id.clone(), (x - ox + 4, yt - oy + 4 + line), style))?;
    }
    Ok(())
}
