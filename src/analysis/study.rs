//! The result of a study in one value: [`Study`] holds the analysed statements, per series its
//! prepared prices, the context its statistics were computed in and one [`EventRow`] per statement,
//! and the parameters. Exports, the printed table, the charts and the report all read it.

use super::align::{self, AlignError};
use super::context::SeriesContext;
use super::row::{row, EventRow, Memo};
use super::stats::{self, StudyParams};
use super::PreparedSeries;
use crate::prices::SeriesId;
use crate::statements::Statement;

/// One series of a study: its prices, its context and one row per statement, in statement order.
#[derive(Debug, Clone)]
pub struct SeriesStudy {
    /// Prices, returns and close time.
    pub prepared: PreparedSeries,
    context: SeriesContext,
    /// Row `i` is statement `i` on this series.
    pub rows: Vec<EventRow>,
}

impl SeriesStudy {
    /// The series' id.
    pub fn id(&self) -> SeriesId {
        self.prepared.prices.id()
    }

    /// Indices of the contract rolls within `[lo, hi]` (trading-day indices), for charts: those of a
    /// continuous front-month series from the expiry rules ([`crate::prices::expiry`]; their returns
    /// mix two contracts) and those of a series built from per-contract bars ([`crate::prices::roll`];
    /// their returns are the new contract's, but the price level steps).
    pub fn rolls_within(&self, lo: i64, hi: i64) -> Vec<usize> {
        let prices = &self.prepared.prices;
        let from_bars = prices
            .rolls()
            .iter()
            .filter_map(|r| prices.dates().binary_search(&r.date).ok())
            .filter(|&i| (lo..=hi).contains(&(i as i64)));
        self.context.rolls_within(lo, hi).chain(from_bars).collect()
    }

    /// The estimation residuals `(day index, e_t)` of `row` on this series, recomputed (the study does
    /// not keep ~250 per event); empty when it has no fitted model.
    pub fn residuals(&self, row: &EventRow, params: &StudyParams) -> Vec<(usize, f64)> {
        let (Some(d), Some(f)) = (row.day0, row.stats.estimation) else {
            return Vec::new();
        };
        let input = self.context.input(&self.prepared, params, d, 0);
        stats::residuals(&input, params, &f)
    }
}

/// A whole study: statements × series, with the parameters it ran with.
#[derive(Debug, Clone)]
pub struct Study {
    /// The analysed statements, in time order.
    pub statements: Vec<Statement>,
    /// Per series, in the order requested.
    pub series: Vec<SeriesStudy>,
    /// Benchmark series of the market models.
    pub benchmark: Option<PreparedSeries>,
    /// The parameters.
    pub params: StudyParams,
}

impl Study {
    /// Run the study: every statement against every series. `benchmark` supplies `Rm` for the
    /// market models (its returns on each series' trading dates).
    pub fn run(
        statements: Vec<Statement>,
        series: Vec<PreparedSeries>,
        benchmark: Option<PreparedSeries>,
        params: StudyParams,
    ) -> Result<Study, AlignError> {
        // Series are independent: one thread each (the machines this runs on have a few cores).
        let done: Vec<Result<SeriesStudy, AlignError>> = std::thread::scope(|scope| {
            let (st, b, p) = (&statements, benchmark.as_ref(), &params);
            let handles: Vec<_> = series
                .into_iter()
                .map(|s| scope.spawn(move || series_study(st, s, b, p)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a study thread panicked"))
                .collect()
        });
        Ok(Study {
            statements,
            series: done.into_iter().collect::<Result<_, _>>()?,
            benchmark,
            params,
        })
    }

    /// Every row, statement-major: statement 0 on each series, then statement 1, ...
    pub fn rows(&self) -> impl Iterator<Item = &EventRow> + '_ {
        (0..self.statements.len()).flat_map(move |i| self.rows_of(i))
    }

    /// The rows of statement `i`, one per series.
    pub fn rows_of(&self, i: usize) -> impl Iterator<Item = &EventRow> + '_ {
        self.series.iter().map(move |s| &s.rows[i])
    }

    /// Number of rows (statements × series).
    pub fn n_rows(&self) -> usize {
        self.statements.len() * self.series.len()
    }

    /// The series for which `keep` holds, in order.
    pub fn select(&self, keep: impl Fn(SeriesId) -> bool) -> Vec<&SeriesStudy> {
        self.series.iter().filter(|s| keep(s.id())).collect()
    }

    /// The same statements and parameters with day 0 moved to `days[k][i]` for statement `i` on series
    /// `k` and, when given, other prices on the same trading days (`series`, in the study's order): the
    /// placebo and the calibration rerun a study this way, without aligning again.
    pub fn moved(&self, series: Option<Vec<PreparedSeries>>, days: &[Vec<Option<usize>>]) -> Study {
        let series = series.unwrap_or_else(|| self.series.iter().map(|s| s.prepared.clone()).collect());
        let b = self.benchmark.as_ref();
        Study {
            statements: self.statements.clone(),
            series: series
                .into_iter()
                .zip(days)
                .map(|(s, d)| rows_at(s, d, b, &self.params))
                .collect(),
            benchmark: self.benchmark.clone(),
            params: self.params.clone(),
        }
    }

    /// Day 0 of every statement, per series (`None`: no trading day after it).
    pub fn day0s(&self) -> Vec<Vec<Option<usize>>> {
        self.series
            .iter()
            .map(|s| s.rows.iter().map(|r| r.day0).collect())
            .collect()
    }

    /// The estimation residuals `(day index, e_t)` of `row` on `series` ([`SeriesStudy::residuals`]).
    pub fn residuals(&self, series: &SeriesStudy, row: &EventRow) -> Vec<(usize, f64)> {
        series.residuals(row, &self.params)
    }
}

/// The rows of one series, in statement order.
fn series_study(
    statements: &[Statement],
    s: PreparedSeries,
    benchmark: Option<&PreparedSeries>,
    params: &StudyParams,
) -> Result<SeriesStudy, AlignError> {
    let days = align::day_zero(statements, &s.prices, &s.close)?;
    Ok(rows_at(s, &days, benchmark, params))
}

/// The rows of one series whose statements have day 0 at `days` (index per statement).
fn rows_at(
    s: PreparedSeries,
    days: &[Option<usize>],
    benchmark: Option<&PreparedSeries>,
    params: &StudyParams,
) -> SeriesStudy {
    let context = SeriesContext::new(&s, benchmark, days, params);
    let mut memo: Memo = None;
    let rows = days
        .iter()
        .enumerate()
        .map(|(i, d)| row(i, i, &s, *d, &context, params, &mut memo))
        .collect();
    SeriesStudy {
        prepared: s,
        context,
        rows,
    }
}

/// A study computed one batch of statements at a time, for inputs too large to hold (the
/// bounded-memory run): each batch comes out as a [`Study`] of its own statements (row `i` of a
/// series is the batch's statement `i`) with the rows, statistics and seeds the whole study would give
/// them, because what one row depends on beyond its own day 0 — the days excluded from estimation —
/// is fixed up front from every statement's day 0 ([`StudyBatches::new`]). Batches are independent
/// once made: one can be written while the next is computed.
pub struct StudyBatches {
    series: Vec<SeriesStudy>,
    benchmark: Option<PreparedSeries>,
    params: StudyParams,
    memos: Vec<Memo>,
    done: usize,
}

impl StudyBatches {
    /// Batches over `series`, whose statements (all of them, over every batch) have their day 0s among
    /// `days` (per series, as [`day_zeros`] gives them, in any order, repeats allowed).
    pub fn new(
        series: Vec<PreparedSeries>,
        benchmark: Option<PreparedSeries>,
        params: StudyParams,
        days: &[Vec<Option<usize>>],
    ) -> Self {
        let series: Vec<SeriesStudy> = series
            .into_iter()
            .zip(days)
            .map(|(s, d)| SeriesStudy {
                context: SeriesContext::new(&s, benchmark.as_ref(), d, &params),
                prepared: s,
                rows: Vec::new(),
            })
            .collect();
        StudyBatches {
            memos: vec![None; series.len()],
            series,
            benchmark,
            params,
            done: 0,
        }
    }

    /// The next batch of statements (later than every earlier batch's, in time order) as a study of
    /// its own, with a copy of each series' prices and context (a few hundred kilobytes per series).
    pub fn next(&mut self, statements: Vec<Statement>) -> Result<Study, AlignError> {
        let offset = self.done;
        self.done += statements.len();
        let mut series = Vec::with_capacity(self.series.len());
        for (s, memo) in self.series.iter().zip(&mut self.memos) {
            let days = align::day_zero(&statements, &s.prepared.prices, &s.prepared.close)?;
            let rows = days
                .iter()
                .enumerate()
                .map(|(i, d)| row(i, offset + i, &s.prepared, *d, &s.context, &self.params, memo))
                .collect();
            series.push(SeriesStudy { rows, ..s.clone() });
        }
        Ok(Study {
            statements,
            series,
            benchmark: self.benchmark.clone(),
            params: self.params.clone(),
        })
    }

    /// The series (rows empty): prices and contexts, for the summary ([`super::groups::summarize`]).
    pub fn series(&self) -> &[SeriesStudy] {
        &self.series
    }

    /// The parameters.
    pub fn params(&self) -> &StudyParams {
        &self.params
    }
}

/// Day 0 of statements made at each of `times` on each of `series` ([`align::day_zero`]).
pub fn day_zeros(
    times: &[crate::statements::StatementTime],
    series: &[PreparedSeries],
) -> Result<Vec<Vec<Option<usize>>>, AlignError> {
    series
        .iter()
        .map(|s| align::day_zero_of(times.iter(), &s.prices, &s.close))
        .collect()
}
