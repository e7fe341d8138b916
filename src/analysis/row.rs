//! The result for one statement on one series: day 0, the prices around it, its returns and the
//! event statistics ([`super::stats`]).

use super::context::SeriesContext;
use super::stats::{self, EventStats, StudyParams};
use super::PreparedSeries;
use crate::prices::SeriesId;
use chrono::NaiveDate;
use std::sync::Arc;

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
    pub stats: Arc<EventStats>,
}

impl EventRow {
    /// The row of `statement` on `series` before day 0 is known: no prices, no statistics (room for
    /// `n_windows` CAR windows).
    pub fn empty(statement: usize, series: SeriesId, n_windows: usize) -> Self {
        EventRow {
            statement,
            series,
            day0: None,
            event_date: None,
            close_before: None,
            close_event: None,
            simple_return: None,
            log_return: None,
            stats: Arc::new(EventStats {
                windows: vec![None; n_windows],
                ..Default::default()
            }),
        }
    }

    /// Why some values are missing, joined with `; ` (empty when complete).
    pub fn note(&self) -> String {
        self.stats.notes.join("; ")
    }
}

/// The statistics of the last day 0 computed on a series. Statements are in time order, so those
/// sharing a day 0 are adjacent, and their statistics are identical (same estimation sample, same
/// event window) unless a bootstrap draws with a per-statement seed: with 60,000 statements on ~9,000
/// trading days, six in seven are reused instead of recomputed.
pub(crate) type Memo = Option<(usize, Arc<EventStats>)>;

/// The row of `statement` on `s`, whose day 0 is `day0` (`None`: no trading day after it); `number` is
/// the statement's place in the whole study (it seeds a bootstrap).
pub(crate) fn row(
    statement: usize,
    number: usize,
    s: &PreparedSeries,
    day0: Option<usize>,
    ctx: &SeriesContext,
    params: &StudyParams,
    memo: &mut Memo,
) -> EventRow {
    if day0 == Some(0) {
        let mut r = EventRow::empty(statement, s.prices.id(), params.windows.len());
        // The first close in the data follows the statement, but so might an earlier one the data does
        // not hold: the reaction cannot be dated.
        let first = s
            .prices
            .dates()
            .first()
            .map_or("none".into(), ToString::to_string);
        Arc::make_mut(&mut r.stats).notes.push(format!(
            "statement before the first {} price in the data ({first}): no day 0",
            s.prices.id().label()
        ));
        return r;
    }
    let Some(d) = day0 else {
        let mut r = EventRow::empty(statement, s.prices.id(), params.windows.len());
        let last = s
            .prices
            .dates()
            .last()
            .map_or("none".to_string(), |d| d.to_string());
        Arc::make_mut(&mut r.stats).notes.push(format!(
            "no {} close after the statement (last price {last})",
            s.prices.id().label()
        ));
        return r;
    };
    // Statements sharing a day 0 share its statistics (no allocation per row).
    let stats = match memo {
        Some((day, stats)) if *day == d && params.bootstrap == 0 => Arc::clone(stats),
        _ => {
            let input = ctx.input(s, params, d, (number as u64) << 32 | d as u64);
            let mut stats = stats::event_stats(&input, params);
            note_rolls(&mut stats.notes, s, ctx, d, params);
            let stats = Arc::new(stats);
            *memo = Some((d, Arc::clone(&stats)));
            stats
        }
    };
    let prices = s.prices.prices();
    EventRow {
        statement,
        series: s.prices.id(),
        day0,
        event_date: Some(s.prices.dates()[d]),
        close_event: Some(prices[d]),
        close_before: d.checked_sub(1).map(|b| prices[b]),
        simple_return: s.returns.simple[d],
        log_return: s.returns.log[d],
        stats,
    }
}

/// Say when the event span around day `d` holds a roll day of a continuous futures series.
fn note_rolls(notes: &mut Vec<String>, s: &PreparedSeries, ctx: &SeriesContext, d: usize, p: &StudyParams) {
    let span = p.event_span();
    let (lo, hi) = (d as i64 + span.start, d as i64 + span.end);
    let days: Vec<String> = ctx
        .rolls_within(lo, hi)
        .map(|i| s.prices.dates()[i].to_string())
        .collect();
    if !days.is_empty() {
        notes.push(format!(
            "the event window holds a contract roll ({}): a front-month series' return that day mixes two \
             contracts",
            days.join(", ")
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::stats::StudyParams;
    use crate::analysis::{PreparedSeries, Study};
    use crate::prices::series::{PriceSeries, SeriesId};
    use crate::statements::{Statement, StatementTime};
    use chrono::NaiveDate;

    #[test]
    fn a_statement_before_the_first_price_has_no_day_zero() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let obs = vec![
            (d("2020-01-02"), 60.0),
            (d("2020-01-03"), 61.0),
            (d("2020-01-06"), 62.0),
        ];
        let prices = PriceSeries::new(SeriesId::Brent, obs).unwrap();
        let series = PreparedSeries::new(prices, SeriesId::Brent.default_close());
        let before = Statement::new("old", StatementTime::Date(d("2019-06-01")), "x", "t");
        let inside = Statement::new("new", StatementTime::Date(d("2020-01-03")), "x", "t");
        let study = Study::run(vec![before, inside], vec![series], None, StudyParams::default()).unwrap();
        let rows = &study.series[0].rows;
        assert_eq!((rows[0].day0, rows[0].event_date), (None, None));
        assert!(rows[0]
            .note()
            .contains("before the first Brent price in the data (2020-01-02)"));
        assert_eq!(rows[1].event_date, Some(d("2020-01-03")));
    }
}
