//! From statements and price series to one result row per statement × series.
//!
//! [`align`] finds day 0 with a polars forward as-of join, [`returns`] computes log and simple returns,
//! [`stats`] the mean-adjusted event-study statistics; [`study`] ties them together.

pub mod align;
pub mod returns;
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
    /// Event-study statistics (empty when there is no day 0).
    pub stats: EventStats,
}

impl EventRow {
    /// Why some values are missing, joined with `; ` (empty when complete).
    pub fn note(&self) -> String {
        self.stats.notes.join("; ")
    }
}

/// Run the study: every statement against every series, rows ordered by statement then series.
pub fn study(
    statements: &[Statement],
    series: &[PreparedSeries],
    params: &StudyParams,
) -> Result<Vec<EventRow>, AlignError> {
    let mut per_series = Vec::with_capacity(series.len());
    for s in series {
        per_series.push(align::day_zero(statements, &s.prices, &s.close)?);
    }
    let mut rows = Vec::with_capacity(statements.len() * series.len());
    for i in 0..statements.len() {
        for (s, days) in series.iter().zip(&per_series) {
            rows.push(row(i, s, days[i], params));
        }
    }
    Ok(rows)
}

fn row(statement: usize, s: &PreparedSeries, day0: Option<usize>, params: &StudyParams) -> EventRow {
    let mut r = EventRow {
        statement,
        series: s.prices.id(),
        day0,
        event_date: None,
        close_before: None,
        close_event: None,
        simple_return: None,
        log_return: None,
        stats: EventStats::default(),
    };
    let Some(d) = day0 else {
        let last = s
            .prices
            .dates()
            .last()
            .map_or("none".to_string(), |d| d.to_string());
        r.stats.notes.push(format!(
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
    r.stats = stats::mean_adjusted(&s.returns.log, d, params);
    if d == 0 {
        r.stats.notes.insert(
            0,
            "day 0 is the first price in the data (no previous close)".into(),
        );
    }
    r
}
