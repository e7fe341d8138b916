//! Roll days of continuous front-month series without contract information (Yahoo `=F`, EIA
//! contract 1): the first trading day after each contract's last trading day, from the exchanges'
//! expiry rules (research notes, futures-intraday §4). On those days the series switches contract, so
//! that day's return mixes two contracts (a step of contango or backwardation size).
//!
//! Business days are the series' own trading days (no holiday table: the prices say which days
//! traded), so a rule is off only where the exchange's calendar and the series' differ.
//! - **NYMEX WTI (CL)**: trading ends 3 business days before the 25th calendar day of the month before
//!   delivery; if the 25th is not a business day, 3 business days before the business day preceding
//!   it (4 before the 25th). CLK20 (May 2020): 25 April a Saturday, so Tuesday 21 April.
//! - **Brent (ICE `B`, and NYMEX `BZ`, which expires with it)**: from the March 2016 contract, the last
//!   business day of the second month before the contract month, moved to the business day before
//!   when it is the day before New Year's Day (so in December the second-to-last). Before, the
//!   business day immediately preceding the 15th day before the contract month's first day (or, when
//!   that 15th day is not a business day, preceding the last business day before it).

use super::series::SeriesId;
use chrono::{Datelike, Duration, NaiveDate};

/// Indices in `dates` of the roll days of `series` (empty for series that are not futures).
pub fn roll_days(series: SeriesId, dates: &[NaiveDate]) -> Vec<usize> {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut month = (first.year(), first.month());
    let end = shift((last.year(), last.month()), 2);
    while month <= end {
        let expiry = match series {
            SeriesId::WtiFut => cl_last_day(month, dates),
            SeriesId::BrentFut => brent_last_day(month, dates),
            _ => return vec![],
        };
        if let Some(e) = expiry {
            let next = dates.partition_point(|d| *d <= e);
            if next < dates.len() && !out.contains(&next) {
                out.push(next);
            }
        }
        month = shift(month, 1);
    }
    out
}

/// `(year, month)` moved by `k` months.
fn shift((y, m): (i32, u32), k: i32) -> (i32, u32) {
    let n = y * 12 + m as i32 - 1 + k;
    (n.div_euclid(12), n.rem_euclid(12) as u32 + 1)
}

/// The trading days of `dates` strictly before `day`.
fn before(dates: &[NaiveDate], day: NaiveDate) -> &[NaiveDate] {
    &dates[..dates.partition_point(|d| *d < day)]
}

/// The `k`-th last element of `days` (1 = the last), if it lies in `(y, m)`.
fn kth_last_in(days: &[NaiveDate], k: usize, (y, m): (i32, u32)) -> Option<NaiveDate> {
    let d = *days.get(days.len().checked_sub(k)?)?;
    (d.year() == y && d.month() == m).then_some(d)
}

/// NYMEX CL's last trading day for delivery month `delivery`.
pub fn cl_last_day(delivery: (i32, u32), dates: &[NaiveDate]) -> Option<NaiveDate> {
    let prior = shift(delivery, -1);
    let the25th = NaiveDate::from_ymd_opt(prior.0, prior.1, 25)?;
    if dates.last().is_none_or(|l| *l < the25th) {
        return None; // the data end before the rule can be applied
    }
    let back = if dates.binary_search(&the25th).is_ok() {
        3
    } else {
        4
    };
    kth_last_in(before(dates, the25th), back, prior)
}

/// Brent's (ICE `B`, NYMEX `BZ`) last trading day for contract month `contract`.
pub fn brent_last_day(contract: (i32, u32), dates: &[NaiveDate]) -> Option<NaiveDate> {
    if contract >= (2016, 3) {
        let two_before = shift(contract, -2);
        let next_month = shift(two_before, 1);
        let first_after = NaiveDate::from_ymd_opt(next_month.0, next_month.1, 1)?;
        if dates.last().is_none_or(|l| *l < first_after) {
            return None;
        }
        let k = if two_before.1 == 12 { 2 } else { 1 };
        return kth_last_in(before(dates, first_after), k, two_before);
    }
    let first = NaiveDate::from_ymd_opt(contract.0, contract.1, 1)?;
    let fifteenth = first - Duration::days(15);
    if dates.last().is_none_or(|l| *l < fifteenth) {
        return None;
    }
    let k = if dates.binary_search(&fifteenth).is_ok() {
        1
    } else {
        2
    };
    let days = before(dates, fifteenth);
    days.get(days.len().checked_sub(k)?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weekdays from `from` to `to` except `holidays`.
    fn calendar(from: &str, to: &str, holidays: &[&str]) -> Vec<NaiveDate> {
        let (mut d, end): (NaiveDate, NaiveDate) = (from.parse().unwrap(), to.parse().unwrap());
        let skip: Vec<NaiveDate> = holidays.iter().map(|h| h.parse().unwrap()).collect();
        let mut out = Vec::new();
        while d <= end {
            if d.weekday().number_from_monday() <= 5 && !skip.contains(&d) {
                out.push(d);
            }
            d += Duration::days(1);
        }
        out
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn nymex_wti_spring_2020() {
        // Good Friday and Memorial Day closed (research notes §4.4).
        let days = calendar("2020-02-01", "2020-06-30", &["2020-04-10", "2020-05-25"]);
        assert_eq!(cl_last_day((2020, 4), &days), Some(d("2020-03-20"))); // 25 March a Wednesday
        assert_eq!(cl_last_day((2020, 5), &days), Some(d("2020-04-21"))); // 25 April a Saturday
        assert_eq!(cl_last_day((2020, 6), &days), Some(d("2020-05-19"))); // 25 May Memorial Day
        let rolls: Vec<NaiveDate> = roll_days(SeriesId::WtiFut, &days)
            .iter()
            .map(|&i| days[i])
            .collect();
        assert_eq!(
            rolls,
            [
                d("2020-02-21"),
                d("2020-03-23"),
                d("2020-04-22"),
                d("2020-05-20"),
                d("2020-06-23")
            ]
        );
    }

    #[test]
    fn brent_under_both_rules() {
        let days = calendar(
            "2015-12-01",
            "2021-01-31",
            &["2016-01-01", "2020-12-25", "2021-01-01"],
        );
        // May and June 2020: the last business day of March and of April.
        assert_eq!(brent_last_day((2020, 5), &days), Some(d("2020-03-31")));
        assert_eq!(brent_last_day((2020, 6), &days), Some(d("2020-04-30")));
        // February 2021: not 31 December (the day before New Year's Day) but the 30th.
        assert_eq!(brent_last_day((2021, 2), &days), Some(d("2020-12-30")));
        // March 2016, the first under the new rule: the last business day of January 2016.
        assert_eq!(brent_last_day((2016, 3), &days), Some(d("2016-01-29")));
        // February 2016, the old rule: 15 days before 1 February is Sunday 17 January; the last
        // business day before it is Friday the 15th, and trading ends the business day before that.
        assert_eq!(brent_last_day((2016, 2), &days), Some(d("2016-01-14")));
    }
}
