//! Day 0: the first trading session of a series that could reflect a statement.
//!
//! Rule (methods notes, "oilcorr's defaults"): for a timed statement, day 0 is the first trading day of
//! the series whose close (e.g. Brent 16:30 Europe/London, WTI 14:30 America/New_York, DST included) is
//! strictly later than the statement. For a date-only statement, day 0 is the first trading day on or
//! after the date. Trading days are the days with a price in *that* series, so each series keeps its own
//! calendar (Brent has no price on Easter Monday 2020-04-13; WTI has one).
//!
//! Both rules are one forward as-of join in polars (its eager API: the lazy engine is not compiled
//! in, which halves the cold build): statements keyed by their instant (epoch ms; a bare date is keyed
//! one millisecond before local midnight of that date in the series' zone) against the series'
//! closes, strategy `Forward`, `allow_eq = false` (strictly later). Polars stays behind this
//! boundary: [`day_zero`] takes and returns plain Rust values.

use crate::prices::series::{local_epoch_ms, CloseTime, PriceSeries};
use crate::statements::{Statement, StatementTime};
use chrono::NaiveTime;
use polars::prelude::*;

/// Error from the as-of join.
#[derive(Debug, thiserror::Error)]
#[error("aligning statements to trading days failed")]
pub struct AlignError(#[from] PolarsError);

/// The join key of a statement for a series with close `close`, in epoch milliseconds.
pub fn statement_key(time: &StatementTime, close: &CloseTime) -> i64 {
    match time {
        StatementTime::Instant(t) => t.timestamp_millis(),
        StatementTime::Date(d) => local_epoch_ms(close.tz, *d, NaiveTime::MIN) - 1,
    }
}

/// For each statement (in input order), the index of its day 0 in `series`, or `None` when no close
/// later than the statement is in the data.
pub fn day_zero(
    statements: &[Statement],
    series: &PriceSeries,
    close: &CloseTime,
) -> Result<Vec<Option<usize>>, AlignError> {
    day_zero_of(statements.iter().map(|s| &s.time), series, close)
}

/// [`day_zero`] of statements made at `times`.
pub fn day_zero_of<'t>(
    times: impl ExactSizeIterator<Item = &'t StatementTime>,
    series: &PriceSeries,
    close: &CloseTime,
) -> Result<Vec<Option<usize>>, AlignError> {
    let n = times.len();
    let mut keyed: Vec<(i64, u32)> = times
        .enumerate()
        .map(|(i, t)| (statement_key(t, close), i as u32))
        .collect();
    keyed.sort_unstable();
    let (keys, order): (Vec<i64>, Vec<u32>) = keyed.into_iter().unzip();
    let closes: Vec<i64> = series.dates().iter().map(|d| close.epoch_ms(*d)).collect();
    let days: Vec<u32> = (0..closes.len() as u32).collect();

    let left = df!("t" => keys, "stmt" => order)?;
    let right = df!("close" => closes, "day" => days)?;
    let opts = AsOfOptions {
        strategy: AsofStrategy::Forward,
        allow_eq: false,
        check_sortedness: true,
        ..Default::default()
    };
    let args = JoinArgs::new(JoinType::AsOf(Box::new(opts)));
    let joined = left.join(&right, ["t"], ["close"], args, None)?;

    let mut out = vec![None; n];
    let stmt = joined.column("stmt")?.u32()?;
    let day = joined.column("day")?.u32()?;
    for (s, d) in stmt.iter().zip(day.iter()) {
        if let Some(s) = s {
            out[s as usize] = d.map(|d| d as usize);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::series::SeriesId;
    use chrono::{DateTime, NaiveDate, Utc};

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn series(id: SeriesId, days: &[&str]) -> PriceSeries {
        PriceSeries::new(id, days.iter().map(|s| (d(s), 1.0)).collect()).unwrap()
    }

    fn stmt(time: &str) -> Statement {
        let time = if time.len() == 10 {
            StatementTime::Date(d(time))
        } else {
            StatementTime::Instant(time.parse::<DateTime<Utc>>().unwrap())
        };
        Statement::new(time.to_string(), time, "s", "t")
    }

    /// Day-0 dates of `times` against `days` of `id` with its default close.
    fn day0(id: SeriesId, days: &[&str], times: &[&str]) -> Vec<Option<String>> {
        let s = series(id, days);
        let st: Vec<Statement> = times.iter().map(|t| stmt(t)).collect();
        let idx = day_zero(&st, &s, &id.default_close()).unwrap();
        idx.into_iter()
            .map(|i| i.map(|i| s.dates()[i].to_string()))
            .collect()
    }

    // Brent and WTI around Easter 2020 as EIA publishes them: Brent has no 10 or 13 April; WTI has 13 April.
    const BRENT: [&str; 6] = [
        "2020-04-08",
        "2020-04-09",
        "2020-04-14",
        "2020-04-15",
        "2020-04-16",
        "2020-04-17",
    ];
    const WTI: [&str; 7] = [
        "2020-04-08",
        "2020-04-09",
        "2020-04-13",
        "2020-04-14",
        "2020-04-15",
        "2020-04-16",
        "2020-04-17",
    ];

    #[test]
    fn sunday_deal_maps_per_series_calendar() {
        assert_eq!(
            day0(SeriesId::Wti, &WTI, &["2020-04-12"]),
            vec![Some("2020-04-13".into())]
        );
        assert_eq!(
            day0(SeriesId::Brent, &BRENT, &["2020-04-12"]),
            vec![Some("2020-04-14".into())]
        );
    }

    #[test]
    fn bare_date_on_a_trading_day_is_that_day() {
        assert_eq!(
            day0(SeriesId::Brent, &BRENT, &["2020-04-09"]),
            vec![Some("2020-04-09".into())]
        );
    }

    #[test]
    fn before_and_after_the_close() {
        // WTI closes 14:30 New York = 18:30 UTC in April (EDT). Brent 16:30 London = 15:30 UTC (BST).
        let wti = day0(
            SeriesId::Wti,
            &WTI,
            &["2020-04-09T18:29:59Z", "2020-04-09T18:30:00Z"],
        );
        assert_eq!(wti, vec![Some("2020-04-09".into()), Some("2020-04-13".into())]);
        let brent = day0(
            SeriesId::Brent,
            &BRENT,
            &["2020-04-09T15:29:00Z", "2020-04-09T15:31:00Z"],
        );
        assert_eq!(brent, vec![Some("2020-04-09".into()), Some("2020-04-14".into())]);
    }

    #[test]
    fn weekend_tweet_goes_to_monday() {
        let days = ["2020-03-06", "2020-03-09", "2020-03-10"];
        assert_eq!(
            day0(SeriesId::Wti, &days, &["2020-03-07T12:00:00Z"]),
            vec![Some("2020-03-09".into())]
        );
    }

    #[test]
    fn dst_switch_moves_the_utc_close() {
        // US clocks went forward on 2020-03-08: WTI closed 19:30 UTC on Friday 6 March, 18:30 UTC on Monday 9 March.
        let days = ["2020-03-06", "2020-03-09"];
        let got = day0(
            SeriesId::Wti,
            &days,
            &["2020-03-06T19:00:00Z", "2020-03-09T19:00:00Z"],
        );
        assert_eq!(got, vec![Some("2020-03-06".into()), None]);
        // UK clocks went forward on 2020-03-29: Brent closed 16:30 UTC on 27 March, 15:30 UTC on 30 March.
        let days = ["2020-03-27", "2020-03-30", "2020-03-31"];
        let got = day0(
            SeriesId::Brent,
            &days,
            &["2020-03-27T16:00:00Z", "2020-03-30T16:00:00Z"],
        );
        assert_eq!(got, vec![Some("2020-03-27".into()), Some("2020-03-31".into())]);
    }

    #[test]
    fn after_the_last_close_has_no_day_zero_and_order_is_kept() {
        let got = day0(
            SeriesId::Wti,
            &WTI,
            &["2020-04-20", "2020-04-08", "2020-04-17T20:00:00Z"],
        );
        assert_eq!(got, vec![None, Some("2020-04-08".into()), None]);
    }

    #[test]
    fn two_statements_on_the_same_instant_both_map() {
        let got = day0(
            SeriesId::Wti,
            &WTI,
            &["2020-04-13T13:31:19Z", "2020-04-13T13:31:19Z"],
        );
        assert_eq!(got, vec![Some("2020-04-13".into()), Some("2020-04-13".into())]);
    }
}
