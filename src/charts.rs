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
    /// Shade each statement's event window on the timeline.
    pub shade_windows: bool,
    /// Cross-event summary rows (for captions).
    pub summary: &'a [crate::analysis::groups::SummaryRow],
    /// Format, size and scale of the files.
    pub output: plot::Output,
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
    let out = &ctx.output;
    let ext = out.format.ext();
    let timeline = dir.join(format!("timeline.{ext}"));
    plot::timeline::render(&timeline, &timeline_of(ctx), out)?;
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
        let path = dir.join("events").join(format!("{stem}.{ext}"));
        plot::event::render(&path, &event_of(ctx, i), out)?;
        written.push(path);
    }
    written.extend(draw_across(ctx, &dir.join("summary"))?);
    Ok(written)
}

/// The across-event charts of every series into `dir` (skipped for fewer than 2 events with a CAR).
fn draw_across(ctx: &ChartContext<'_>, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    use crate::plot::across::{caar_path, render_caar, render_cars, render_stance, EventPoint};
    let mut written = Vec::new();
    let w = ctx.params.car();
    for (k, s) in ctx.series.iter().enumerate() {
        let points: Vec<EventPoint> = (0..ctx.statements.len())
            .filter_map(|i| {
                let r = &ctx.rows_of(i)[k];
                let car = r.stats.windows.first().copied().flatten()?.plain;
                let f = r.stats.estimation?;
                Some(EventPoint {
                    number: i + 1,
                    stance: ctx.statements[i].stance,
                    car: car.value,
                    se: f.s * (w.len() as f64).sqrt(),
                    path: r.stats.path_ar.clone(),
                })
            })
            .collect();
        if points.len() < 2 {
            continue;
        }
        let id = s.prices.id();
        let label = id.label();
        let key = crate::fsutil::safe_file_stem(id.key());
        let groups: Vec<(String, plotters::style::RGBColor, _)> = [
            ("all statements", None, crate::plot::SERIES_COLOURS[0]),
            (
                "pushing up",
                Some(Some(crate::statements::Stance::Up)),
                crate::plot::UP,
            ),
            (
                "pushing down",
                Some(Some(crate::statements::Stance::Down)),
                crate::plot::DOWN,
            ),
        ]
        .into_iter()
        .filter_map(|(name, stance, colour)| {
            let members: Vec<&EventPoint> = points
                .iter()
                .filter(|p| stance.is_none_or(|st| p.stance == st))
                .collect();
            let path = caar_path(&members, ctx.params.path.start, ctx.params.path.end);
            (members.len() >= 2 && !path.is_empty())
                .then(|| (format!("{name} (N = {})", members.len()), colour, path))
        })
        .collect();
        let (out, ext) = (&ctx.output, ctx.output.format.ext());
        let p = dir.join(format!("caar-{key}.{ext}"));
        render_caar(
            &p,
            &format!("{label}: cumulative average abnormal return around statements"),
            &groups,
            &ctx.source,
            out,
        )?;
        written.push(p);
        let p = dir.join(format!("cars-{key}.{ext}"));
        render_cars(
            &p,
            &format!("{label}: CAR{w} of each statement"),
            &points,
            &ctx.source,
            out,
        )?;
        written.push(p);
        let caption = stance_caption(ctx, id, w);
        let p = dir.join(format!("stance-{key}.{ext}"));
        render_stance(
            &p,
            &format!("{label}: CAR{w} by the direction statements pushed"),
            &caption,
            &points,
            &ctx.source,
            out,
        )?;
        written.push(p);
    }
    Ok(written)
}

fn stance_caption(
    ctx: &ChartContext<'_>,
    id: crate::series::SeriesId,
    w: crate::analysis::window::Window,
) -> String {
    let Some(r) = ctx
        .summary
        .iter()
        .find(|r| r.group == "all" && r.series == id && r.window == w)
    else {
        return String::new();
    };
    let st = &r.stance;
    if st.n == 0 {
        return "No statement has a stance.".into();
    }
    let corr = st.pearson.map_or("Pearson r n/a".to_string(), |c| {
        format!(
            "Pearson r = {:+.2} [{:+.2}, {:+.2}], p = {:.3}",
            c.r, c.lo, c.hi, c.p
        )
    });
    format!(
        "Hit rate {}/{} = {:.0}% (binomial p = {:.4}); {corr}",
        st.hits,
        st.n,
        100.0 * st.hits as f64 / st.n as f64,
        st.hit_p.unwrap_or(1.0)
    )
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
            let window = rows.first().and_then(|r| {
                let d0 = r.day0? as i64;
                let dates = ctx.series.first()?.prices.dates();
                let w = ctx.params.car();
                let at = |o: i64| usize::try_from(d0 + o).ok().and_then(|i| dates.get(i).copied());
                Some((at(w.start)?, at(w.end)?))
            });
            Marker {
                number: i + 1,
                statement: s,
                date,
                dots,
                window,
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
        shade_windows: ctx.shade_windows,
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
