//! Getting the prices a run needs: from the cache when it covers the request, otherwise by fetching
//! only the missing spans from the chosen source and merging them in, under a lock, atomically.
//!
//! Rules:
//! - A series' cache records one contiguous covered range; a wider or shifted request fetches only the
//!   span(s) before and after it. The span after also re-reads the last week already cached, because the
//!   newest values are published late (EIA data reach FRED about weekly) and are sometimes revised.
//! - Values that changed upstream replace the cached ones and are reported.
//! - The covered range ends at the request's end only once that date is more than 14 days old; for
//!   recent dates it ends at the last published price, so later runs pick up new prices.
//! - A cache filled from another source is not mixed in: it is refetched from the chosen source and
//!   replaced (offline, it is an error that says which source the cache holds).
//! - `--refresh` refetches the whole covered range.

use crate::cache::{Cache, CacheError, CacheMeta, Cached};
use crate::fetch::source::{SourceConfig, SourceError};
use crate::series::{PriceSeries, SeriesId};
use chrono::{Duration, NaiveDate, Utc};

/// How to obtain prices.
#[derive(Debug, Clone)]
pub struct SourceOpts {
    /// The source and its settings.
    pub source: SourceConfig,
    /// Never use the network.
    pub offline: bool,
    /// Refetch even when the cache covers the request.
    pub refresh: bool,
}

/// Errors obtaining prices.
#[derive(Debug, thiserror::Error)]
pub enum PricesError {
    /// The cache does not cover the request and the network may not be used.
    #[error("--offline: the cache has no {series} prices for {from}..{to} ({have}); run once without --offline to fetch them")]
    NotCached {
        /// The series.
        series: SeriesId,
        /// First date needed.
        from: NaiveDate,
        /// Last date needed.
        to: NaiveDate,
        /// What the cache holds.
        have: String,
    },
    /// Fetching failed; the cache is unchanged.
    #[error("fetching {series} from {source_name} failed (cache unchanged)")]
    Fetch {
        /// The series.
        series: SeriesId,
        /// The source.
        source_name: &'static str,
        /// The cause.
        #[source]
        cause: Box<SourceError>,
    },
    /// The cache could not be read or written.
    #[error(transparent)]
    Cache(#[from] CacheError),
}

/// What [`obtain`] did.
#[derive(Debug, Clone)]
pub struct Obtained {
    /// The cached series after the call.
    pub cached: Cached,
    /// The spans fetched (empty when served from the cache).
    pub fetched: Vec<(NaiveDate, NaiveDate)>,
    /// Cached values replaced by different upstream values: `(date, old, new)`.
    pub changed: Vec<(NaiveDate, f64, f64)>,
}

/// Days after which a date's prices are considered published for good.
const SETTLE_DAYS: i64 = 14;
/// Days re-read before the end of the cache when extending it forwards.
const OVERLAP_DAYS: i64 = 7;

/// Return prices of `series` covering `[from, to]` (`to` capped at today), fetching what is missing.
pub fn obtain(
    cache: &Cache,
    client: &reqwest::blocking::Client,
    series: SeriesId,
    from: NaiveDate,
    to: NaiveDate,
    opts: &SourceOpts,
) -> Result<Obtained, PricesError> {
    let today = Utc::now().date_naive();
    let settled = today - Duration::days(SETTLE_DAYS);
    let to = to.min(today);
    let name = opts.source.kind.name();
    let cached = cache.load(series)?;
    let same_source = cached.as_ref().filter(|c| c.meta.source == name);
    if let Some(c) = same_source {
        let enough_to = if opts.offline {
            to.min(settled.max(c.meta.from))
        } else {
            to
        };
        if !opts.refresh && c.meta.from <= from && c.meta.to >= enough_to {
            return Ok(Obtained {
                cached: c.clone(),
                fetched: vec![],
                changed: vec![],
            });
        }
    }
    if opts.offline {
        return Err(not_cached(cache, series, from, to, cached.as_ref(), name));
    }
    let spans = match (same_source, opts.refresh) {
        (Some(c), false) => missing_spans((c.meta.from, c.meta.to), (from, to)),
        (Some(c), true) => vec![(from.min(c.meta.from), to.max(c.meta.to))],
        (None, _) => vec![(from, to)],
    };
    let mut fetched: Vec<PriceSeries> = Vec::new();
    for &(a, b) in &spans {
        let part = opts
            .source
            .fetch(client, series, a, b)
            .map_err(|cause| PricesError::Fetch {
                series,
                source_name: name,
                cause: Box::new(cause),
            })?;
        fetched.push(part);
    }
    let base = same_source.map_or_else(
        || PriceSeries::new(series, vec![]).expect("empty"),
        |c| c.prices.clone(),
    );
    let mut changed = Vec::new();
    let mut prices = base.clone();
    for part in &fetched {
        changed.extend(changes(&base, part));
        prices = prices.merged_with(part);
    }
    let cov_from = spans
        .iter()
        .map(|s| s.0)
        .chain(same_source.map(|c| c.meta.from))
        .min()
        .unwrap_or(from);
    let requested_to = spans
        .iter()
        .map(|s| s.1)
        .chain(same_source.map(|c| c.meta.to))
        .max()
        .unwrap_or(to);
    let last = prices.dates().last().copied();
    let meta = CacheMeta {
        source: name.to_string(),
        url: opts.source.describe(series, cov_from, requested_to),
        fetched_at: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        from: cov_from,
        to: coverage_end(requested_to, last, settled).max(cov_from),
    };
    let fresh = Cached { prices, meta };
    cache.store(&fresh)?;
    Ok(Obtained {
        cached: fresh,
        fetched: spans,
        changed,
    })
}

fn not_cached(
    cache: &Cache,
    series: SeriesId,
    from: NaiveDate,
    to: NaiveDate,
    cached: Option<&Cached>,
    name: &str,
) -> PricesError {
    let have = match cached {
        Some(c) if c.meta.source != name => format!(
            "it holds {} prices, not {name}: pass --source {} to use them",
            c.meta.source, c.meta.source
        ),
        Some(c) => format!(
            "it covers {}..{} in {}",
            c.meta.from,
            c.meta.to,
            cache.price_path(series).display()
        ),
        None => format!("{} does not exist", cache.price_path(series).display()),
    };
    PricesError::NotCached {
        series,
        from,
        to,
        have,
    }
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

/// Values of `old` that `new` changes: `(date, old, new)`.
fn changes(old: &PriceSeries, new: &PriceSeries) -> Vec<(NaiveDate, f64, f64)> {
    new.iter()
        .filter_map(|(d, p)| {
            let i = old.dates().binary_search(&d).ok()?;
            let was = old.prices()[i];
            (was != p).then_some((d, was, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
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

    #[test]
    fn changes_lists_replaced_values_only() {
        let old = PriceSeries::new(
            SeriesId::Brent,
            vec![(d("2020-04-14"), 21.74), (d("2020-04-15"), 19.8)],
        )
        .unwrap();
        let new = PriceSeries::new(
            SeriesId::Brent,
            vec![(d("2020-04-15"), 19.81), (d("2020-04-16"), 18.69)],
        )
        .unwrap();
        assert_eq!(changes(&old, &new), vec![(d("2020-04-15"), 19.8, 19.81)]);
    }
}
