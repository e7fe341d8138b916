//! The cache decision for one series, without a source or a network: use the cache, or fetch which
//! spans.
//!
//! Rules:
//! - A series' cache records one contiguous covered range; a wider or shifted request fetches only the
//!   span(s) before and after it. The span after also re-reads the last week already cached, because the
//!   newest values are published late (EIA data reach FRED about weekly) and are sometimes revised.
//! - The covered range ends at the request's end only once that date is more than 14 days old; for
//!   recent dates it ends at the last published price, so later runs pick up new prices.
//! - A cache filled from another source is not mixed in: it is refetched from the chosen source and
//!   replaced (offline, it is an error that says which source the cache holds).
//! - `--refresh` refetches the whole covered range.

use super::cache::CacheMeta;
use chrono::{Duration, NaiveDate};

/// Days after which a date's prices are considered published for good.
pub const SETTLE_DAYS: i64 = 14;
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

/// Where coverage ends after fetching up to `requested`: the request's end once it is settled,
/// otherwise the last published price (but never before the settled date).
pub fn coverage_end(requested: NaiveDate, last_price: Option<NaiveDate>, settled: NaiveDate) -> NaiveDate {
    if requested <= settled {
        requested
    } else {
        last_price.unwrap_or(settled).max(settled).min(requested)
    }
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
    fn recent_coverage_ends_at_the_last_price() {
        let settled = d("2026-11-12");
        assert_eq!(
            coverage_end(d("2020-05-31"), Some(d("2020-05-29")), settled),
            d("2020-05-31")
        );
        assert_eq!(
            coverage_end(d("2026-11-26"), Some(d("2026-11-17")), settled),
            d("2026-11-17")
        );
        assert_eq!(
            coverage_end(d("2026-11-26"), Some(d("2026-10-01")), settled),
            settled
        );
        assert_eq!(coverage_end(d("2026-11-26"), None, settled), settled);
    }
}
