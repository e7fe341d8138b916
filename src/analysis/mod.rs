//! From statements and price series to one result row per statement × series.
//!
//! [`align`] finds day 0 with a polars forward as-of join, [`returns`] computes log and simple returns,
//! [`stats`] the mean-adjusted event-study statistics; [`study`] ties them together.

pub mod align;
pub mod correlation;
pub mod cross;
pub mod groups;
pub mod model;
pub mod multitest;
#[cfg(test)]
mod properties;
pub mod returns;
#[cfg(test)]
mod scaling_tests;
pub mod stats;
pub mod window;

use crate::series::{CloseTime, PriceSeries, SeriesId};
use crate::statements::Statement;
use chrono::NaiveDate;
use returns::Returns;
use stats::{EventStats, StudyParams};

pub use align::AlignError;

/// A price series prepared for the study: prices, returns and its close time.
#[derive(Debug, Clone)]
pub struct PreparedSeries {
    /// The prices.
    pub prices: PriceSeries,
    /// Returns over consecutive trading days.
    pub returns: Returns,
    /// The daily close used for alignment.
    pub close: CloseTime,
}

impl PreparedSeries {
    /// Precompute returns of `prices`.
    pub fn new(prices: PriceSeries, close: CloseTime) -> Self {
        let returns = Returns::from_prices(prices.prices());
        PreparedSeries {
            prices,
            returns,
            close,
        }
    }
}

/// The result for one statement on one series.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// Index of the statement in the analysed list.
    pub statement: usize,
    /// The series.
    pub series: SeriesId,
    /// Index of day 0 in the series, if any.
    pub day0: Option<usize>,
    /// Day 0's date.
    pub event_date: Option<NaiveDate>,
    /// Price on the trading day before day 0.
    pub close_before: Option<f64>,
    /// Price on day 0.
    pub close_event: Option<f64>,
    /// Simple return on day 0.
    pub simple_return: Option<f64>,
    /// Log return on day 0.
    pub log_return: Option<f64>,
    /// Event-study statistics (empty when there is no day 0); shared by the statements of a series
    /// with the same day 0, whose statistics are identical.
    pub stats: std::sync::Arc<EventStats>,
    /// Indexes of other statements whose event spans overlap this one on this series (confounded).
    pub overlaps: Vec<usize>,
}

impl EventRow {
    /// Why some values are missing, joined with `; ` (empty when complete).
    pub fn note(&self) -> String {
        self.stats.notes.join("; ")
    }
}

/// Run the study: every statement against every series, rows ordered by statement then series.
/// `benchmark` supplies `Rm` for the market models (its returns on each series' trading dates).
pub fn study(
    statements: &[Statement],
    series: &[PreparedSeries],
    benchmark: Option<&PreparedSeries>,
    params: &StudyParams,
) -> Result<Vec<EventRow>, AlignError> {
    // Series are independent: one thread each (the machines this runs on have a few cores).
    let per_series: Vec<Result<Vec<EventRow>, AlignError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = series
            .iter()
            .map(|s| scope.spawn(move || series_rows(statements, s, benchmark, params)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a study thread panicked"))
            .collect()
    });
    let mut columns = Vec::with_capacity(series.len());
    for c in per_series {
        columns.push(c?.into_iter());
    }
    let mut rows = Vec::with_capacity(statements.len() * series.len());
    for _ in statements {
        for c in &mut columns {
            rows.extend(c.next());
        }
    }
    Ok(rows)
}

/// The rows of one series, in statement order.
fn series_rows(
    statements: &[Statement],
    s: &PreparedSeries,
    benchmark: Option<&PreparedSeries>,
    params: &StudyParams,
) -> Result<Vec<EventRow>, AlignError> {
    let days = align::day_zero(statements, &s.prices, &s.close)?;
    let ctx = SeriesContext::new(s, benchmark, &days, params);
    let mut shared = overlaps(&days, params);
    let mut memo = None;
    Ok(days
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let mut r = row(i, s, *d, &ctx, params, &mut memo);
            r.overlaps = std::mem::take(&mut shared[i]);
            r
        })
        .collect())
}

/// The statistics of the last day 0 computed on a series. Statements are in time order, so those
/// sharing a day 0 are adjacent, and their statistics are identical (same estimation sample, same
/// event window) unless a bootstrap draws with a per-statement seed: with 60,000 statements on ~9,000
/// trading days, six in seven are reused instead of recomputed.
type Memo = Option<(usize, std::sync::Arc<EventStats>)>;

/// Per-series inputs shared by its events: studied returns, aligned benchmark returns, excluded days.
/// What the statistics of one series need besides day 0: its returns, the benchmark's on the same
/// days, and the days excluded from estimation.
struct SeriesContext<'a> {
    r: &'a [Option<f64>],
    rm: Option<Vec<Option<f64>>>,
    excluded: Vec<bool>,
}

impl<'a> SeriesContext<'a> {
    fn new(
        s: &'a PreparedSeries,
        bench: Option<&PreparedSeries>,
        days: &[Option<usize>],
        p: &StudyParams,
    ) -> Self {
        let r = s.returns.of(p.returns);
        let rm = bench.filter(|_| p.model.needs_benchmark()).map(|b| {
            let by_date: std::collections::HashMap<NaiveDate, Option<f64>> = b
                .prices
                .dates()
                .iter()
                .copied()
                .zip(b.returns.of(p.returns).iter().copied())
                .collect();
            s.prices
                .dates()
                .iter()
                .map(|d| by_date.get(d).copied().flatten())
                .collect()
        });
        let mut excluded = vec![false; s.prices.len()];
        if p.exclude_events {
            let span = p.event_span();
            for d in days.iter().flatten() {
                let lo = (*d as i64 + span.start).max(0) as usize;
                let hi = ((*d as i64 + span.end).max(0) as usize).min(excluded.len().saturating_sub(1));
                excluded[lo..=hi].iter_mut().for_each(|x| *x = true);
            }
        }
        SeriesContext { r, rm, excluded }
    }
}

/// For every statement, the other statements whose event spans share a trading day with its own on
/// this series. Sorted by day 0 and searched by range, so the cost grows with the number of overlaps,
/// not with the square of the number of statements.
/// Recomputes the estimation residuals of any row on demand, so the study need not keep ~250 per event
/// (60,000 statements × 2 series would hold ~0.5 GB of them).
pub struct ResidualSource<'a> {
    series: Vec<(SeriesId, SeriesContext<'a>)>,
    params: &'a StudyParams,
}

impl<'a> ResidualSource<'a> {
    /// For the `rows` of a [`study`] of `series` (and `benchmark`) with `params`.
    pub fn new(
        series: &'a [PreparedSeries],
        benchmark: Option<&PreparedSeries>,
        rows: &[EventRow],
        params: &'a StudyParams,
    ) -> Self {
        let n = series.len().max(1);
        let series = series
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let days: Vec<Option<usize>> = rows.iter().skip(k).step_by(n).map(|r| r.day0).collect();
                (s.prices.id(), SeriesContext::new(s, benchmark, &days, params))
            })
            .collect();
        ResidualSource { series, params }
    }

    /// The estimation residuals `(day index, e_t)` of `row`; empty when it has no fitted model.
    pub fn of(&self, row: &EventRow) -> Vec<(usize, f64)> {
        let (Some(d), Some(f)) = (row.day0, row.stats.estimation) else {
            return Vec::new();
        };
        let Some((_, ctx)) = self.series.iter().find(|(id, _)| *id == row.series) else {
            return Vec::new();
        };
        let input = stats::EventInput {
            r: ctx.r,
            rm: ctx.rm.as_deref(),
            day0: d,
            excluded: &ctx.excluded,
            seed: 0,
        };
        stats::residuals(&input, self.params, &f)
    }
}

fn overlaps(days: &[Option<usize>], p: &StudyParams) -> Vec<Vec<usize>> {
    let span = p.event_span();
    let reach = (span.end - span.start) as usize;
    let mut order: Vec<(usize, usize)> = days
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some(((*d)?, i)))
        .collect();
    order.sort_unstable();
    let mut out = vec![Vec::new(); days.len()];
    for &(d, i) in &order {
        let lo = order.partition_point(|(e, _)| *e + reach < d);
        let hi = order.partition_point(|(e, _)| *e <= d + reach);
        out[i] = order[lo..hi]
            .iter()
            .filter(|(_, j)| *j != i)
            .map(|(_, j)| *j)
            .collect();
        out[i].sort_unstable();
    }
    out
}

fn row(
    statement: usize,
    s: &PreparedSeries,
    day0: Option<usize>,
    ctx: &SeriesContext<'_>,
    params: &StudyParams,
    memo: &mut Memo,
) -> EventRow {
    let mut r = EventRow {
        statement,
        series: s.prices.id(),
        day0,
        event_date: None,
        close_before: None,
        close_event: None,
        simple_return: None,
        log_return: None,
        stats: std::sync::Arc::new(EventStats {
            windows: vec![None; params.windows.len()],
            ..Default::default()
        }),
        overlaps: vec![],
    };
    let Some(d) = day0 else {
        let last = s
            .prices
            .dates()
            .last()
            .map_or("none".to_string(), |d| d.to_string());
        std::sync::Arc::make_mut(&mut r.stats).notes.push(format!(
            "no {} close after the statement (last price {last})",
            s.prices.id().label()
        ));
        return r;
    };
    let prices = s.prices.prices();
    r.event_date = Some(s.prices.dates()[d]);
    r.close_event = Some(prices[d]);
    r.close_before = d.checked_sub(1).map(|b| prices[b]);
    r.simple_return = s.returns.simple[d];
    r.log_return = s.returns.log[d];
    let input = stats::EventInput {
        r: ctx.r,
        rm: ctx.rm.as_deref(),
        day0: d,
        excluded: &ctx.excluded,
        seed: (statement as u64) << 32 | d as u64,
    };
    r.stats = match memo {
        Some((day, stats)) if *day == d && params.bootstrap == 0 => std::sync::Arc::clone(stats),
        _ => {
            let stats = std::sync::Arc::new(stats::event_stats(&input, params));
            *memo = Some((d, std::sync::Arc::clone(&stats)));
            stats
        }
    };
    if d == 0 {
        std::sync::Arc::make_mut(&mut r.stats).notes.insert(
            0,
            "day 0 is the first price in the data (no previous close)".into(),
        );
    }
    r
}
