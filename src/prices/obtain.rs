//! Getting the prices a run needs: [`obtain`] follows the [`super::plan`] for one series, fetching the
//! planned spans from the source, merging them into the cache (reporting revised values) and storing
//! the result atomically; the caller holds the cache lock.

use super::cache::{Cache, CacheError, CacheMeta, Cached};
use super::http::{FetchError, Http};
use super::plan::{coverage_end, plan, Plan, SETTLE_DAYS};
use super::series::{PriceSeries, SeriesId};
use super::source::PriceSource;
use chrono::{Duration, NaiveDate, Utc};

/// How to obtain prices: from which source, and whether the network may be used.
#[derive(Clone, Copy)]
pub struct Acquire<'a> {
    /// The chosen source's name (what the cache must hold).
    pub source_name: &'static str,
    /// The source and the HTTP client, or `None` for `--offline` (the cache alone).
    pub fetcher: Option<(&'a dyn PriceSource, &'a Http)>,
    /// Refetch even when the cache covers the request.
    pub refresh: bool,
    /// Why the cache cannot be written (a read-only folder or file system), if so: it is then read
    /// as it is, and a request it does not cover is an error instead of a fetch.
    pub read_only: Option<&'a str>,
}

/// Errors obtaining prices.
#[derive(Debug, thiserror::Error)]
pub enum PricesError {
    /// The cache does not cover the request and nothing may be fetched into it.
    #[error("{why}: the cache has no {series} prices for {from}..{to} ({have}); {advice}")]
    NotCached {
        /// Why nothing may be fetched (`--offline`, or the cache folder cannot be written).
        why: String,
        /// What to do about it.
        advice: &'static str,
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
        cause: Box<FetchError>,
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
    /// Stretches of more than [`super::plan::MAX_GAP_DAYS`] days without a price in what was fetched.
    pub gaps: Vec<(NaiveDate, NaiveDate)>,
    /// When the last price received is well short of the request's end: `(last price, end)`. The
    /// cache covers only up to the last price, and the next run asks again.
    pub short: Option<(NaiveDate, NaiveDate)>,
}

/// Return prices of `series` covering `[from, to]` (`to` capped at today), fetching what is missing.
pub fn obtain(
    cache: &Cache,
    series: SeriesId,
    from: NaiveDate,
    to: NaiveDate,
    how: &Acquire<'_>,
) -> Result<Obtained, PricesError> {
    let today = Utc::now().date_naive();
    let to = to.min(today);
    let name = how.source_name;
    let cached = match cache.load(series) {
        // --refresh refetches everything: a corrupt cache is replaced, not an error.
        Err(CacheError::Corrupt(_)) if how.refresh && how.fetcher.is_some() => None,
        other => other?,
    };
    let identity = match how.fetcher {
        Some((source, _)) => source.identity(series).map_err(|cause| PricesError::Fetch {
            series,
            source_name: name,
            cause: Box::new(cause),
        })?,
        None => String::new(),
    };
    // Another source's prices, or another file's, are replaced, never mixed in.
    let same_source = cached
        .as_ref()
        .filter(|c| c.meta.source == name && (identity.is_empty() || c.meta.identity == identity));
    let offline = how.fetcher.is_none() || (how.read_only.is_some() && !how.refresh);
    let decided = plan(
        same_source.map(|c| &c.meta),
        (from, to),
        today,
        offline,
        how.refresh,
    );
    match (decided, how.fetcher) {
        (Plan::Cached, _) => Ok(Obtained {
            cached: same_source.expect("a cache-only plan has a cache").clone(),
            fetched: vec![],
            changed: vec![],
            gaps: vec![],
            short: None,
        }),
        (Plan::Fetch(_), _) if how.read_only.is_some() || how.fetcher.is_none() => {
            Err(not_cached(cache, series, (from, to), cached.as_ref(), how))
        }
        (Plan::Fetch(spans), Some((source, http))) => {
            let fetched = fetch_spans(source, http, series, &spans)?;
            let mut fresh = merge(same_source, series, &spans, &fetched, source, today);
            fresh.cached.meta.identity = identity;
            cache.store(&fresh.cached)?;
            Ok(fresh)
        }
        (Plan::Fetch(_), None) => unreachable!("a plan without a fetcher is handled above"),
    }
}

/// Fetch every span from `source`; the first failure stops (and nothing is cached).
fn fetch_spans(
    source: &dyn PriceSource,
    http: &Http,
    series: SeriesId,
    spans: &[(NaiveDate, NaiveDate)],
) -> Result<Vec<PriceSeries>, PricesError> {
    let http = &http.for_series();
    spans
        .iter()
        .map(|&(a, b)| {
            source
                .fetch(http, series, a, b)
                .map_err(|cause| PricesError::Fetch {
                    series,
                    source_name: source.name(),
                    cause: Box::new(cause.hide(source.secret())),
                })
        })
        .collect()
}

/// The cache after merging `fetched` (the answers for `spans`) into `base`, with its coverage.
fn merge(
    base: Option<&Cached>,
    series: SeriesId,
    spans: &[(NaiveDate, NaiveDate)],
    fetched: &[PriceSeries],
    source: &dyn PriceSource,
    today: NaiveDate,
) -> Obtained {
    let old = base.map_or_else(
        || PriceSeries::new(series, vec![]).expect("empty"),
        |c| c.prices.clone(),
    );
    let mut changed = Vec::new();
    let mut gaps = Vec::new();
    let mut prices = old.clone();
    for part in fetched {
        changed.extend(changes(&old, part));
        gaps.extend(super::plan::gaps(part.dates()));
        prices = prices.merged_with(part);
    }
    let before = base.map(|c| (c.meta.from, c.meta.to));
    let cov_from = spans
        .iter()
        .map(|s| s.0)
        .chain(before.map(|b| b.0))
        .min()
        .expect("a span");
    let requested_to = spans
        .iter()
        .map(|s| s.1)
        .chain(before.map(|b| b.1))
        .max()
        .expect("a span");
    let settled = today - Duration::days(SETTLE_DAYS);
    let last = prices.dates().last().copied();
    let to = coverage_end(requested_to, last, settled).map_or(cov_from, |t| t.max(cov_from));
    let meta = CacheMeta {
        source: source.name().to_string(),
        url: source.describe(series, cov_from, requested_to),
        fetched_at: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        from: cov_from,
        to,
        identity: String::new(),
    };
    let short = (requested_to.min(settled) - to).num_days() > super::plan::MAX_GAP_DAYS;
    Obtained {
        cached: Cached { prices, meta },
        fetched: spans.to_vec(),
        changed,
        gaps,
        short: short.then_some((to, requested_to)),
    }
}

fn not_cached(
    cache: &Cache,
    series: SeriesId,
    (from, to): (NaiveDate, NaiveDate),
    cached: Option<&Cached>,
    how: &Acquire<'_>,
) -> PricesError {
    let name = how.source_name;
    let (why, advice) = match how.read_only {
        Some(reason) => (
            format!("{} cannot be written ({reason})", cache.dir().display()),
            "point --data-dir at a writable folder to fetch them",
        ),
        None => (
            "--offline".to_string(),
            "run once without --offline to fetch them",
        ),
    };
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
        why,
        advice,
        series,
        from,
        to,
        have,
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
