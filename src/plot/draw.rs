//! Turning a [`Study`] into chart inputs and writing `timeline`, `events/<id>` and the
//! across-statement charts in `summary/`.

use crate::analysis::caar::{caar_path, Path95};
use crate::analysis::events::{event_days, DayStance};
use crate::analysis::groups::{GroupKey, SummaryRow};
use crate::analysis::window::Window;
use crate::analysis::{EventRow, SeriesStudy, Study};
use crate::fsutil::safe_file_stem;
use crate::plot::across::EventPoint;
use crate::plot::event::{EventChart, EventSeries};
use crate::plot::timeline::{Marker, Timeline};
use crate::plot::{self, PlotError};
use crate::prices::SeriesId;
use crate::statements::Stance;
use chrono::NaiveDate;
use plotters::style::RGBColor;
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What the charts are drawn from.
#[derive(Debug)]
pub struct ChartContext<'a> {
    /// The study.
    pub study: &'a Study,
    /// The series to draw (US$/bbl ones), in order.
    pub series: Vec<&'a SeriesStudy>,
    /// First date of the timeline.
    pub from: NaiveDate,
    /// Last date of the timeline.
    pub to: NaiveDate,
    /// Trading days either side of day 0 in event charts.
    pub event_days: i64,
    /// Source line.
    pub source: String,
    /// What the prices are, for titles: "EIA spot prices", or "prices" when a series came from a file.
    pub prices_label: String,
    /// The price axis' label, e.g. "US$ per barrel (EIA spot)" or "US$ per barrel (front-month futures)".
    pub axis_label: String,
    /// Shade each statement's event window on the timeline.
    pub shade_windows: bool,
    /// Cross-event summary rows (for captions).
    pub summary: &'a [SummaryRow],
    /// Format, size and scale of the files.
    pub output: plot::Output,
}

impl ChartContext<'_> {
    /// The rows of statement `i` on the drawn series.
    fn rows_of(&self, i: usize) -> impl Iterator<Item = &EventRow> + '_ {
        self.series.iter().map(move |s| &s.rows[i])
    }
}

/// Draw the timeline and one event chart per statement with prices around it into `dir`; returns the
/// files written (timeline, event charts in statement order, across-event charts). The charts are
/// independent: drawn on every core (rayon), listed in that order.
pub fn draw_all(ctx: &ChartContext<'_>, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    type Job<'j> = Box<dyn Fn() -> Result<Vec<PathBuf>, PlotError> + Send + Sync + 'j>;
    let out = &ctx.output;
    let ext = out.format.ext();
    let mut jobs: Vec<Job<'_>> = Vec::new();
    let timeline = dir.join(format!("timeline.{ext}"));
    jobs.push(Box::new(move || {
        plot::timeline::render(&timeline, &timeline_of(ctx), out)
    }));
    let mut stems = HashSet::new();
    for (i, s) in ctx.study.statements.iter().enumerate() {
        let mut stem = safe_file_stem(&s.id);
        let base = stem.clone();
        let mut k = 2;
        while !stems.insert(stem.clone()) {
            stem = format!("{base}-{k}");
            k += 1;
        }
        let path = dir.join("events").join(format!("{stem}.{ext}"));
        jobs.push(Box::new(move || {
            let chart = event_of(ctx, i);
            // A statement outside every drawn series' prices has nothing to show: no empty frame.
            if chart.series.iter().all(|s| s.points.is_empty()) {
                return Ok(Vec::new());
            }
            plot::event::render(&path, &chart, out)?;
            Ok(vec![path.clone()])
        }));
    }
    let summary = dir.join("summary");
    jobs.push(Box::new(move || draw_across(ctx, &summary)));
    let done: Vec<Result<Vec<PathBuf>, PlotError>> = jobs.par_iter().map(|job| job()).collect();
    let mut written = Vec::new();
    for files in done {
        written.extend(files?);
    }
    Ok(written)
}

/// The headline CAR of every statement on `s` that has one, as the across-event charts see it.
fn event_points(ctx: &ChartContext<'_>, s: &SeriesStudy) -> Vec<EventPoint> {
    let w = ctx.study.params.car();
    let with_car = s
        .rows
        .iter()
        .filter(|r| r.stats.car().is_some() && r.stats.estimation.is_some());
    event_days(with_car)
        .iter()
        .map(|day| {
            let (r, statements) = (day.row(), &ctx.study.statements);
            let car = r.stats.car().expect("filtered");
            let f = r.stats.estimation.expect("filtered");
            // The standard error the row's t used: S·√L, or the GARCH one under --variance garch.
            let se = if car.t.is_finite() && car.t != 0.0 {
                (car.value / car.t).abs()
            } else {
                f.s * (w.len() as f64).sqrt()
            };
            let numbers: Vec<String> = day.rows.iter().map(|r| (r.statement + 1).to_string()).collect();
            let stance = day.stance(statements);
            EventPoint {
                label: numbers.join(","),
                stance: match stance {
                    DayStance::Agreed(s) => Some(s),
                    _ => None,
                },
                split: stance == DayStance::Split,
                car: car.value,
                se,
            }
        })
        .collect()
}

/// The CAAR paths drawn over event days (statements sharing a day 0 counted once): all, pushing up,
/// pushing down (days whose statements agree; each path with at least 2 days).
fn caar_groups(ctx: &ChartContext<'_>, s: &SeriesStudy) -> Vec<(String, RGBColor, Path95)> {
    let span = ctx.study.params.path;
    let days = event_days(
        s.rows
            .iter()
            .filter(|r| r.stats.car().is_some() && r.stats.estimation.is_some()),
    );
    let statements = &ctx.study.statements;
    [
        ("all event days", None, ALL_DAYS),
        ("pushing up", Some(Stance::Up), plot::UP),
        ("pushing down", Some(Stance::Down), plot::DOWN),
    ]
    .into_iter()
    .filter_map(|(name, stance, colour)| {
        let members: Vec<&[(i64, f64)]> = days
            .iter()
            .filter(|d| stance.is_none_or(|st| d.stance(statements) == DayStance::Agreed(st)))
            .map(|d| d.row().stats.path_ar.as_slice())
            .collect();
        let path = caar_path(&members, span.start, span.end);
        (members.len() >= 2 && !path.is_empty())
            .then(|| (format!("{name} (N = {})", members.len()), colour, path))
    })
    .collect()
}

/// The colour of "all event days" on the CAAR chart: neutral, not a series colour (it is drawn for
/// either series).
const ALL_DAYS: RGBColor = RGBColor(60, 60, 60);

/// The across-event charts of every series into `dir` (skipped for fewer than 2 events with a CAR).
fn draw_across(ctx: &ChartContext<'_>, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    use crate::plot::across::{render_caar, render_cars, render_stance};
    let mut written = Vec::new();
    let w = ctx.study.params.car();
    let (out, ext) = (&ctx.output, ctx.output.format.ext());
    for s in &ctx.series {
        let points = event_points(ctx, s);
        if points.len() < 2 {
            continue;
        }
        let id = s.id();
        let label = id.label();
        let key = safe_file_stem(id.key());
        let title = format!("{label}: cumulative average abnormal return around statements");
        let p = dir.join(format!("caar-{key}.{ext}"));
        render_caar(&p, &title, &caar_groups(ctx, s), &ctx.source, out)?;
        written.push(p);
        let p = dir.join(format!("cars-{key}.{ext}"));
        let omitted = s
            .rows
            .iter()
            .filter(|r| r.event_date.is_some() && r.stats.car().is_none())
            .count();
        let source = match omitted {
            0 => ctx.source.clone(),
            n => format!(
                "{n} statement(s) with no CAR{w} (see joined.csv) not shown. {}",
                ctx.source
            ),
        };
        let title = format!("{label}: CAR{w} of each event day");
        let note = format!(
            "CAR{w}: the abnormal log returns of days {} to {} summed, shown as % change.",
            plot::text::signed_day(w.start),
            plot::text::signed_day(w.end)
        );
        render_cars(&p, (&title, &note), &points, &source, out)?;
        written.push(p);
        // Without an event day that pushed one way the stance chart would be an empty frame.
        if !points.iter().any(|p| !p.split && p.stance.is_some()) {
            continue;
        }
        let mut caption = stance_caption(ctx, id, w);
        let split = points.iter().filter(|p| p.split).count();
        if split > 0 {
            caption.push_str(&format!("; {split} day(s) pushed both ways not shown"));
        }
        let p = dir.join(format!("stance-{key}.{ext}"));
        let title = format!("{label}: CAR{w} by the direction statements pushed");
        render_stance(&p, (&title, &note), &caption, &points, &ctx.source, out)?;
        written.push(p);
    }
    Ok(written)
}

fn stance_caption(ctx: &ChartContext<'_>, id: SeriesId, w: Window) -> String {
    let Some(r) = ctx
        .summary
        .iter()
        .find(|r| r.group == GroupKey::All && r.series == id && r.window == w)
    else {
        return String::new();
    };
    let st = &r.stance;
    if st.n == 0 {
        return "No statement has a stance.".into();
    }
    let corr = st.pearson.map_or("Pearson r n/a".to_string(), |c| {
        format!(
            "Pearson r = {} [{}, {}], p = {:.3}",
            plot::text::minus(format!("{:+.2}", c.r)),
            plot::text::minus(format!("{:+.2}", c.lo)),
            plot::text::minus(format!("{:+.2}", c.hi)),
            c.p
        )
    });
    format!(
        "Hit rate {}/{} event days = {:.0}% (exact binomial p = {:.4}); {corr}",
        st.hits,
        st.n,
        100.0 * st.hits as f64 / st.n as f64,
        st.hit_p.unwrap_or(1.0)
    )
}

/// The flag of statement `i`: at its earliest day 0 among the drawn series (its date if none, never
/// after the end), with a dot at each day-0 close and its headline window on each series' own days.
fn marker<'a>(ctx: &'a ChartContext<'a>, i: usize) -> Marker<'a> {
    let s = &ctx.study.statements[i];
    let dots: Vec<(usize, NaiveDate, f64)> = ctx
        .rows_of(i)
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
    let w = ctx.study.params.car();
    let windows = ctx
        .rows_of(i)
        .zip(&ctx.series)
        .enumerate()
        .filter_map(|(si, (r, s))| {
            let d0 = r.day0? as i64;
            let dates = s.prepared.prices.dates();
            let at = |o: i64| usize::try_from(d0 + o).ok().and_then(|i| dates.get(i).copied());
            Some((si, at(w.start)?, at(w.end)?))
        })
        .collect();
    Marker {
        number: i + 1,
        statement: s,
        date,
        dots,
        windows,
    }
}

fn timeline_of<'a>(ctx: &'a ChartContext<'a>) -> Timeline<'a> {
    let series = ctx
        .series
        .iter()
        .map(|s| {
            let prices = &s.prepared.prices;
            (
                prices.id().label().to_string(),
                prices.slice(ctx.from, ctx.to).iter().collect(),
            )
        })
        .collect();
    let markers = (0..ctx.study.statements.len()).map(|i| marker(ctx, i)).collect();
    let rolls = ctx
        .series
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            let dates = s.prepared.prices.dates();
            s.rolls_within(0, dates.len() as i64)
                .into_iter()
                .map(move |i| (si, dates[i]))
                .filter(|(_, d)| (ctx.from..=ctx.to).contains(d))
        })
        .collect();
    let names: Vec<&str> = ctx.series.iter().map(|s| s.id().label()).collect();
    let names = match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => names.join(""),
    };
    Timeline {
        title: format!(
            "{names}: {}{}, {} to {}",
            ctx.prices_label,
            if ctx.study.statements.is_empty() {
                ""
            } else {
                " and statements"
            },
            ctx.from,
            ctx.to
        ),
        source: ctx.source.clone(),
        axis: ctx.axis_label.clone(),
        from: ctx.from,
        to: ctx.to,
        series,
        markers,
        shade_windows: ctx.shade_windows,
        window_label: format!("CAR{}", ctx.study.params.car()),
        rolls,
    }
}

/// Prices `lo..=hi` of `prices` chained across the contract rolls of a series built from
/// per-contract bars, so the drawn path moves as the returns do: the prices on the far side of day 0
/// from a roll are rescaled by the new contract's previous price over the old one's (a ratio
/// adjustment within the window). Rolls without that price, and prices ≤ 0, are left as they are.
fn chained_prices(prices: &crate::prices::PriceSeries, (lo, hi): (usize, usize), d0: usize) -> Vec<f64> {
    let p = prices.prices();
    let mut out = p[lo..=hi].to_vec();
    for roll in prices.rolls() {
        let Ok(i) = prices.dates().binary_search(&roll.date) else {
            continue;
        };
        let (Some(base), true) = (roll.base, i > lo && i <= hi) else {
            continue;
        };
        let before = p[i - 1];
        if base <= 0.0 || before <= 0.0 {
            continue;
        }
        let factor = before / base;
        for (j, v) in out.iter_mut().enumerate().map(|(k, v)| (lo + k, v)) {
            match (i > d0, j >= i) {
                (true, true) => *v *= factor, // after day 0: the new contract brought to the old level
                (false, false) => *v /= factor, // before day 0: the old contract brought to the new level
                _ => {}
            }
        }
    }
    out
}

fn event_of<'a>(ctx: &'a ChartContext<'a>, i: usize) -> EventChart<'a> {
    let k = ctx.event_days;
    let series = ctx
        .series
        .iter()
        .map(|s| {
            let row = &s.rows[i];
            let prices = &s.prepared.prices;
            let points = match row.day0 {
                Some(d0) => {
                    let lo = (d0 as i64 - k).max(0) as usize;
                    let hi = ((d0 as i64 + k) as usize).min(prices.len() - 1);
                    let chained = chained_prices(prices, (lo, hi), d0);
                    (lo..=hi)
                        .map(|j| (j as i64 - d0 as i64, prices.dates()[j], chained[j - lo]))
                        .collect()
                }
                None => vec![],
            };
            EventSeries {
                label: prices.id().label().to_string(),
                points,
                day0: row.event_date,
                ar0: row.stats.ar0,
                car: row.stats.car(),
                sigma: row.stats.estimation.map(|f| f.s),
                rolls: row.day0.map_or(vec![], |d0| {
                    let d0 = d0 as i64;
                    s.rolls_within(d0 - k, d0 + k)
                        .into_iter()
                        .map(|r| r as i64 - d0)
                        .collect()
                }),
            }
        })
        .collect();
    EventChart {
        number: i + 1,
        statement: &ctx.study.statements[i],
        series,
        half_window: k,
        car_window: ctx.study.params.car().to_string(),
        source: ctx.source.clone(),
        axis: ctx.axis_label.clone(),
        log_returns: ctx.study.params.returns == crate::analysis::model::ReturnKind::Log,
    }
}

#[cfg(test)]
#[path = "draw_tests.rs"]
mod tests;
