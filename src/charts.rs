//! Turning study results into chart inputs and writing `timeline.png` and `events/<id>.png`.

use crate::analysis::stats::StudyParams;
use crate::analysis::{EventRow, PreparedSeries};
use crate::fsutil::safe_file_stem;
use crate::plot::event::{EventChart, EventSeries};
use crate::plot::timeline::{Marker, Timeline};
use crate::plot::{self, PlotError};
use crate::statements::Statement;
use chrono::NaiveDate;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What the charts are drawn from.
#[derive(Debug)]
pub struct ChartContext<'a> {
    /// Statements in the range, chronological.
    pub statements: &'a [Statement],
    /// The series.
    pub series: &'a [PreparedSeries],
    /// Study rows, statement-major, one per series.
    pub rows: &'a [EventRow],
    /// Study parameters.
    pub params: &'a StudyParams,
    /// First date of the timeline.
    pub from: NaiveDate,
    /// Last date of the timeline.
    pub to: NaiveDate,
    /// Trading days either side of day 0 in event charts.
    pub event_days: i64,
    /// Source line.
    pub source: String,
}

impl ChartContext<'_> {
    fn rows_of(&self, statement: usize) -> &[EventRow] {
        let n = self.series.len();
        &self.rows[statement * n..(statement + 1) * n]
    }
}

/// Draw the timeline and one event chart per statement into `dir`; returns the files written.
pub fn draw_all(ctx: &ChartContext<'_>, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    let mut written = Vec::new();
    let timeline = dir.join("timeline.png");
    plot::timeline::render(&timeline, &timeline_of(ctx))?;
    written.push(timeline);
    let mut stems = HashSet::new();
    for (i, s) in ctx.statements.iter().enumerate() {
        let mut stem = safe_file_stem(&s.id);
        let base = stem.clone();
        let mut k = 2;
        while !stems.insert(stem.clone()) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        let path = dir.join("events").join(format!("{stem}.png"));
        plot::event::render(&path, &event_of(ctx, i))?;
        written.push(path);
    }
    Ok(written)
}

fn timeline_of<'a>(ctx: &'a ChartContext<'a>) -> Timeline<'a> {
    let series = ctx
        .series
        .iter()
        .map(|s| {
            (
                s.prices.id().label().to_string(),
                s.prices.slice(ctx.from, ctx.to).iter().collect(),
            )
        })
        .collect();
    let markers = ctx
        .statements
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let rows = ctx.rows_of(i);
            let dots: Vec<(usize, NaiveDate, f64)> = rows
                .iter()
                .enumerate()
                .filter_map(|(k, r)| Some((k, r.event_date?, r.close_event?)))
                .filter(|(_, d, _)| *d <= ctx.to)
                .collect();
            let date = dots
                .iter()
                .map(|d| d.1)
                .min()
                .unwrap_or(s.time.date())
                .min(ctx.to);
            Marker {
                number: i + 1,
                statement: s,
                date,
                dots,
            }
        })
        .collect();
    let names: Vec<&str> = ctx.series.iter().map(|s| s.prices.id().label()).collect();
    let names = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    };
    Timeline {
        title: format!(
            "{names}: EIA spot prices and statements, {} to {}",
            ctx.from, ctx.to
        ),
        source: ctx.source.clone(),
        from: ctx.from,
        to: ctx.to,
        series,
        markers,
    }
}

fn event_of<'a>(ctx: &'a ChartContext<'a>, i: usize) -> EventChart<'a> {
    let k = ctx.event_days;
    let series = ctx
        .series
        .iter()
        .zip(ctx.rows_of(i))
        .map(|(s, row)| {
            let points = match row.day0 {
                Some(d0) => {
                    let lo = (d0 as i64 - k).max(0) as usize;
                    let hi = ((d0 as i64 + k) as usize).min(s.prices.len() - 1);
                    (lo..=hi)
                        .map(|j| (j as i64 - d0 as i64, s.prices.dates()[j], s.prices.prices()[j]))
                        .collect()
                }
                None => vec![],
            };
            EventSeries {
                label: s.prices.id().label().to_string(),
                points,
                row,
            }
        })
        .collect();
    EventChart {
        number: i + 1,
        statement: &ctx.statements[i],
        series,
        half_window: k,
        car_window: ctx.params.car().to_string(),
        source: ctx.source.clone(),
    }
}
