//! The cache decision for one series, without a source or a network: use the cache, or fetch which
//! spans.
//!
//! Rules:
//! - A series' cache records one contiguous covered range; a wider or shifted request fetches only the
//!   span(s) before and after it. The span after also re-reads the last week already cached, because the
//!   newest values are published late (EIA data reach FRED about weekly) and are sometimes revised.
//! - Coverage is what was received: the covered range ends at the request's end only when that date
//!   is more than 14 days old *and* the last price received is at most [`MAX_GAP_DAYS`] before it
//!   (a weekend or a holiday); otherwise it ends at the last price received, so a source that lags,
//!   pauses or sends a body cut short at a line boundary leaves no hole: the next run asks again
//!   from there.
//! - A cache filled from another source is not mixed in: it is refetched from the chosen source and
//!   replaced (offline, it is an error that says which source the cache holds).
//! - `--refresh` refetches the whole covered range.

use super::cache::CacheMeta;
use chrono::{Duration, NaiveDate};

/// Days after which a date's prices are considered published for good.
pub const SETTLE_DAYS: i64 = 14;
/// Calendar days without a price that a daily series never has in normal trading (the longest
/// holiday closures are 4 days): a longer stretch is a pause of the source, reported, and never
/// counted as covered at the end of a request.
pub const MAX_GAP_DAYS: i64 = 10;
/// Days re-read before the end of the cache when extending it forwards.
const OVERLAP_DAYS: i64 = 7;

/// What to do for one series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// The cache covers the request: use it as is.
    Cached,
    /// Fetch these spans (inclusive) and merge them into the cache.
    Fetch(Vec<(NaiveDate, NaiveDate)>),
}

/// The plan for a request `need` (its end already capped at `today`), given the metadata of a cache
/// filled from the chosen source (`None` if there is none, or it holds another source's prices).
/// Offline, coverage up to the settled date (or the cache's start) is enough: prices of the last
/// two weeks may not be published yet, and there is no way to ask.
pub fn plan(
    cached: Option<&CacheMeta>,
    need: (NaiveDate, NaiveDate),
    today: NaiveDate,
    offline: bool,
    refresh: bool,
) -> Plan {
    let (from, to) = need;
    let settled = today - Duration::days(SETTLE_DAYS);
    let Some(c) = cached else {
        return Plan::Fetch(vec![(from, to)]);
    };
    let enough_to = if offline { to.min(settled.max(c.from)) } else { to };
    if !refresh && c.from <= from && c.to >= enough_to {
        return Plan::Cached;
    }
    if refresh {
        return Plan::Fetch(vec![(from.min(c.from), to.max(c.to))]);
    }
    Plan::Fetch(missing_spans((c.from, c.to), need))
}

/// The spans of `need` not inside `have`, as at most two requests that keep the coverage contiguous
/// (a request beyond either end also fills the gap up to the cache). The span after the cache starts
/// a week (`OVERLAP_DAYS`) before its end, to pick up late or revised values.
pub fn missing_spans(
    have: (NaiveDate, NaiveDate),
    need: (NaiveDate, NaiveDate),
) -> Vec<(NaiveDate, NaiveDate)> {
    let (c, d) = have;
    let (a, b) = need;
    let mut out = Vec::new();
    if a < c {
        out.push((a, c - Duration::days(1)));
    }
    if b > d {
        out.push(((d - Duration::days(OVERLAP_DAYS)).max(c), b));
    }
    out
}

/// Where coverage ends after fetching up to `requested`, given the last price the cache now holds:
/// the request's end when it is settled and the last price is at most [`MAX_GAP_DAYS`] before it,
/// otherwise the last price (never after the request's end). `None` when there is no price at all.
pub fn coverage_end(
    requested: NaiveDate,
    last_price: Option<NaiveDate>,
    settled: NaiveDate,
) -> Option<NaiveDate> {
    let last = last_price?;
    let complete = requested <= settled && (requested - last).num_days() <= MAX_GAP_DAYS;
    Some(if complete { requested } else { last.min(requested) })
}

/// Stretches of more than [`MAX_GAP_DAYS`] calendar days without a price inside `dates` (sorted),
/// as `(last date before, first date after)`.
pub fn gaps(dates: &[NaiveDate]) -> Vec<(NaiveDate, NaiveDate)> {
    dates
        .windows(2)
        .filter(|w| (w[1] - w[0]).num_days() > MAX_GAP_DAYS)
        .map(|w| (w[0], w[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn meta(from: &str, to: &str) -> CacheMeta {
        CacheMeta {
            source: "fred".into(),
            url: String::new(),
            fetched_at: String::new(),
            from: d(from),
            to: d(to),
            identity: String::new(),
        }
    }

    #[test]
    fn spans_cover_only_what_is_missing() {
        let have = (d("2020-01-01"), d("2020-06-30"));
        assert_eq!(missing_spans(have, (d("2020-02-01"), d("2020-03-01"))), vec![]);
        assert_eq!(
            missing_spans(have, (d("2019-06-01"), d("2020-03-01"))),
            vec![(d("2019-06-01"), d("2019-12-31"))]
        );
        assert_eq!(
            missing_spans(have, (d("2020-03-01"), d("2020-09-30"))),
            vec![(d("2020-06-23"), d("2020-09-30"))]
        );
        // Disjoint later request: the gap is fetched too, so coverage stays contiguous.
        assert_eq!(
            missing_spans(have, (d("2021-01-01"), d("2021-02-01"))),
            vec![(d("2020-06-23"), d("2021-02-01"))]
        );
    }

    #[test]
    fn plans_use_the_cache_fetch_gaps_and_refresh_everything() {
        let today = d("2026-12-01");
        let m = meta("2020-01-01", "2020-06-30");
        let need = (d("2020-02-01"), d("2020-03-01"));
        assert_eq!(plan(Some(&m), need, today, false, false), Plan::Cached);
        assert_eq!(plan(None, need, today, false, false), Plan::Fetch(vec![need]));
        assert_eq!(
            plan(Some(&m), need, today, false, true),
            Plan::Fetch(vec![(d("2020-01-01"), d("2020-06-30"))])
        );
        let later = (d("2020-03-01"), d("2020-07-31"));
        assert_eq!(
            plan(Some(&m), later, today, false, false),
            Plan::Fetch(vec![(d("2020-06-23"), d("2020-07-31"))])
        );
    }

    #[test]
    fn offline_accepts_a_cache_short_only_of_unsettled_days() {
        let today = d("2026-12-01");
        let m = meta("2026-01-01", "2026-11-20");
        let need = (d("2026-02-01"), today);
        assert_eq!(plan(Some(&m), need, today, true, false), Plan::Cached);
        assert!(matches!(
            plan(Some(&m), need, today, false, false),
            Plan::Fetch(_)
        ));
        let old = meta("2026-01-01", "2026-10-01");
        assert!(matches!(
            plan(Some(&old), need, today, true, false),
            Plan::Fetch(_)
        ));
    }

    #[test]
    fn coverage_ends_at_the_last_price_unless_settled_and_close_to_it() {
        let settled = d("2026-11-12");
        // Settled, last price the Friday before a Sunday request end: covered to the end.
        assert_eq!(
            coverage_end(d("2020-05-31"), Some(d("2020-05-29")), settled),
            Some(d("2020-05-31"))
        );
        // Recent: the last published price.
        assert_eq!(
            coverage_end(d("2026-11-26"), Some(d("2026-11-17")), settled),
            Some(d("2026-11-17"))
        );
        // A source that paused for weeks, recent or settled: only up to what was received.
        assert_eq!(
            coverage_end(d("2026-11-26"), Some(d("2026-10-01")), settled),
            Some(d("2026-10-01"))
        );
        assert_eq!(
            coverage_end(d("2019-06-12"), Some(d("2018-09-21")), settled),
            Some(d("2018-09-21"))
        );
        assert_eq!(coverage_end(d("2026-11-26"), None, settled), None);
    }

    #[test]
    fn gaps_longer_than_the_threshold_are_found() {
        let dates = [d("2020-04-09"), d("2020-04-14"), d("2020-05-01"), d("2020-05-04")];
        assert_eq!(gaps(&dates), vec![(d("2020-04-14"), d("2020-05-01"))]);
        assert!(gaps(&dates[..2]).is_empty(), "Easter (5 days) is no gap");
    }
}
