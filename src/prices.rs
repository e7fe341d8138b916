//! Getting the prices a run needs: from the cache when it covers the request, otherwise from FRED,
//! merged into the cache atomically. `--offline` never touches the network and says what is missing.

use crate::cache::{Cache, CacheError, CacheMeta, Cached};
use crate::fetch::{self, FetchError};
use crate::series::SeriesId;
use chrono::{NaiveDate, Utc};

/// Where and how to fetch.
#[derive(Debug, Clone)]
pub struct SourceOpts {
    /// Base URL of the FRED host.
    pub fred_url: String,
    /// Never use the network.
    pub offline: bool,
    /// Refetch even when the cache covers the request.
    pub refresh: bool,
    /// HTTP timeouts.
    pub http: fetch::HttpConfig,
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
    #[error("fetching {series} failed (cache unchanged)")]
    Fetch {
        /// The series.
        series: SeriesId,
        /// The cause.
        source: FetchError,
    },
    /// The cache could not be read or written.
    #[error(transparent)]
    Cache(#[from] CacheError),
}

/// Where a series came from in this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Served from the cache.
    Cache,
    /// Fetched now and merged into the cache.
    Fetched,
}

/// Return prices of `series` covering `[from, to]` (with `to` capped at today), fetching when needed.
pub fn obtain(
    cache: &Cache,
    series: SeriesId,
    from: NaiveDate,
    to: NaiveDate,
    opts: &SourceOpts,
) -> Result<(Cached, Origin), PricesError> {
    let to = to.min(Utc::now().date_naive());
    let cached = cache.load(series)?;
    if let Some(c) = &cached {
        if !opts.refresh && c.meta.covers(from, to) {
            return Ok((c.clone(), Origin::Cache));
        }
    }
    if opts.offline {
        let have = match &cached {
            Some(c) => format!(
                "it covers {}..{} in {}",
                c.meta.from,
                c.meta.to,
                cache.price_path(series).display()
            ),
            None => format!("{} does not exist", cache.price_path(series).display()),
        };
        return Err(PricesError::NotCached {
            series,
            from,
            to,
            have,
        });
    }
    // Refetch the union of what is cached and what is needed, so nothing cached is lost; with
    // --refresh too (upstream revisions then replace cached values).
    let (f_from, f_to) = match &cached {
        Some(c) => (from.min(c.meta.from), to.max(c.meta.to)),
        None => (from, to),
    };
    let client = fetch::client(&opts.http);
    let fetched = fetch::fred::fetch(&client, &opts.fred_url, series, f_from, f_to)
        .map_err(|source| PricesError::Fetch { series, source })?;
    let prices = match &cached {
        Some(c) => c.prices.merged_with(&fetched),
        None => fetched,
    };
    let meta = CacheMeta {
        source: "fred".into(),
        url: fetch::redact(&fetch::fred::url(&opts.fred_url, series, f_from, f_to)),
        fetched_at: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        from: f_from,
        to: f_to,
    };
    let fresh = Cached { prices, meta };
    cache.store(&fresh)?;
    Ok((fresh, Origin::Fetched))
}
