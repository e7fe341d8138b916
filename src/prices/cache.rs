//! The price cache under `<data-dir>/prices/`: one `<series>.csv` (`date,price`) per series and a
//! `<series>.meta.csv` recording where and when it was fetched and which date range it covers.
//!
//! Both files are written atomically (data first, then metadata), so an interrupted run leaves either the
//! old cache or the new one; at worst the metadata under-states the coverage, which only causes a refetch.

use super::series::{PriceSeries, Roll, SeriesId};
use crate::fsutil::write_atomic;
use crate::input_error::InputError;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Errors reading or writing the cache.
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// A cache file is malformed.
    #[error("corrupt cache (delete the file or rerun with --refresh)")]
    Corrupt(#[from] InputError),
    /// An I/O failure on a cache file.
    #[error("cannot read or write {path}")]
    Io {
        /// The file involved.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Provenance and coverage of a cached series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheMeta {
    /// Source name (`fred`).
    pub source: String,
    /// URL fetched, keys removed.
    pub url: String,
    /// When it was fetched, RFC 3339 UTC.
    pub fetched_at: String,
    /// First date the fetched range covers (not necessarily a trading day).
    pub from: NaiveDate,
    /// Last date the fetched range covers.
    pub to: NaiveDate,
    /// What the prices were read from, when a source has an identity beyond its name (a local file:
    /// path, size, modification time, SHA-256); empty for web services.
    pub identity: String,
}

/// A cached series with its metadata.
#[derive(Debug, Clone)]
pub struct Cached {
    /// The prices.
    pub prices: PriceSeries,
    /// Where they came from and what range they cover.
    pub meta: CacheMeta,
}

/// An exclusive lock on the cache directory, released on drop.
#[derive(Debug)]
pub struct CacheLock {
    _lock: crate::fsutil::DirLock,
}

/// The cache directory `<data-dir>/prices`.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

impl Cache {
    /// The cache inside `data_dir`.
    pub fn new(data_dir: &Path) -> Self {
        Cache {
            dir: data_dir.join("prices"),
        }
    }

    /// The cache folder (`<data-dir>/prices`).
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Take the cache's lock file (`prices/.lock`), waiting while another oilcorr process holds it;
    /// `on_wait` is called once before waiting (to tell the user). Held until the returned guard is
    /// dropped; the OS releases it if the process dies.
    pub fn lock(&self, on_wait: impl FnOnce(&Path)) -> Result<CacheLock, CacheError> {
        let lock = crate::fsutil::lock_dir(&self.dir, ".lock", on_wait).map_err(|source| CacheError::Io {
            path: self.dir.join(".lock").display().to_string(),
            source,
        })?;
        // Under the lock no other oilcorr writes here: any temporary file is a killed run's.
        crate::fsutil::remove_stale_temps(&self.dir, std::time::Duration::ZERO);
        Ok(CacheLock { _lock: lock })
    }

    /// Path of the price file of `series`.
    pub fn price_path(&self, series: SeriesId) -> PathBuf {
        self.dir.join(format!("{}.csv", series.key()))
    }

    /// Path of the metadata file of `series`.
    pub fn meta_path(&self, series: SeriesId) -> PathBuf {
        self.dir.join(format!("{}.meta.csv", series.key()))
    }

    /// Path of the contract rolls of `series` (futures built from per-contract bars only).
    pub fn rolls_path(&self, series: SeriesId) -> PathBuf {
        self.dir.join(format!("{}.rolls.csv", series.key()))
    }

    /// Load `series`, or `None` if either file is absent.
    pub fn load(&self, series: SeriesId) -> Result<Option<Cached>, CacheError> {
        let (pp, mp) = (self.price_path(series), self.meta_path(series));
        if !pp.exists() || !mp.exists() {
            return Ok(None);
        }
        let (meta, rows) = read_meta(&mp)?;
        let mut prices = read_prices(&pp, series)?;
        let rp = self.rolls_path(series);
        if rp.exists() {
            prices = prices.with_rolls(read_rolls(&rp)?);
        }
        if rows.is_some_and(|n| n != prices.len()) {
            let want = format!("{} price rows, as its metadata records", rows.unwrap_or(0));
            let found = format!("{} rows (cut short or edited?)", prices.len());
            return Err(InputError::new(pp.display().to_string(), 0, "rows", want, &found).into());
        }
        Ok(Some(Cached { prices, meta }))
    }

    /// Store `cached` atomically (prices, then metadata).
    pub fn store(&self, cached: &Cached) -> Result<(), CacheError> {
        let series = cached.prices.id();
        let mut body = String::from("date,price\n");
        for (d, p) in cached.prices.iter() {
            body.push_str(&format!("{d},{p}\n"));
        }
        write(&self.price_path(series), body.as_bytes())?;
        self.store_rolls(&cached.prices)?;
        let m = &cached.meta;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(META_COLUMNS).expect("in-memory CSV write");
        let (from, to, rows) = (
            m.from.to_string(),
            m.to.to_string(),
            cached.prices.len().to_string(),
        );
        w.write_record([
            m.source.as_str(),
            &m.url,
            &m.fetched_at,
            &from,
            &to,
            &rows,
            &m.identity,
        ])
        .expect("in-memory CSV write");
        let bytes = w.into_inner().expect("in-memory CSV flush");
        write(&self.meta_path(series), &bytes)
    }
}

impl Cache {
    /// Store the rolls of `prices` (`date,from,to,base`), or remove a previous rolls file when it
    /// has none.
    fn store_rolls(&self, prices: &PriceSeries) -> Result<(), CacheError> {
        let path = self.rolls_path(prices.id());
        if prices.rolls().is_empty() {
            return match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(CacheError::Io {
                    path: path.display().to_string(),
                    source: e,
                }),
                _ => Ok(()),
            };
        }
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(["date", "from", "to", "base"])
            .expect("in-memory CSV write");
        for r in prices.rolls() {
            let base = r.base.map_or(String::new(), |b| b.to_string());
            w.write_record([r.date.to_string().as_str(), &r.from, &r.to, &base])
                .expect("in-memory CSV write");
        }
        write(&path, &w.into_inner().expect("in-memory CSV flush"))
    }
}

/// Read a rolls file written by [`Cache::store`].
fn read_rolls(path: &Path) -> Result<Vec<Roll>, CacheError> {
    let origin = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path).map_err(|e| io_or_corrupt(&origin, e))?;
    let mut rolls = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| io_or_corrupt(&origin, e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let field = |i: usize| rec.get(i).unwrap_or("").trim();
        let date = NaiveDate::parse_from_str(field(0), "%Y-%m-%d")
            .map_err(|_| InputError::new(&origin, line, "date", "a date YYYY-MM-DD", field(0)))?;
        let base = match field(3) {
            "" => None,
            b => Some(
                b.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| InputError::new(&origin, line, "base", "a number or empty", b))?,
            ),
        };
        let (from, to) = (field(1).to_string(), field(2).to_string());
        rolls.push(Roll { date, from, to, base });
    }
    Ok(rolls)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), CacheError> {
    write_atomic(path, bytes).map_err(|source| CacheError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The metadata columns; `rows` (the price rows stored, to detect a cut or edited price file) and
/// `identity` are absent from caches written before they existed.
const META_COLUMNS: [&str; 7] = ["source", "url", "fetched_at", "from", "to", "rows", "identity"];

/// The metadata and, when recorded, the number of price rows.
fn read_meta(path: &Path) -> Result<(CacheMeta, Option<usize>), CacheError> {
    let origin = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path).map_err(|e| io_or_corrupt(&origin, e))?;
    let rec = match rdr.records().next() {
        Some(r) => r.map_err(|e| io_or_corrupt(&origin, e))?,
        None => return Err(InputError::new(origin, 2, "row", "one metadata row", "").into()),
    };
    let date = |i: usize| {
        let txt = rec.get(i).unwrap_or("").trim();
        NaiveDate::parse_from_str(txt, "%Y-%m-%d")
            .map_err(|_| InputError::new(&origin, 2, META_COLUMNS[i], "a date YYYY-MM-DD", txt))
    };
    let (from, to) = (date(3)?, date(4)?);
    if from > to {
        let found = format!("{from} after {to}");
        return Err(InputError::new(&origin, 2, "from", "a range with from <= to", &found).into());
    }
    let rows = match rec.get(5).map(str::trim) {
        None | Some("") => None,
        Some(n) => Some(
            n.parse::<usize>()
                .map_err(|_| InputError::new(&origin, 2, "rows", "a count", n))?,
        ),
    };
    let meta = CacheMeta {
        source: rec.get(0).unwrap_or("").to_string(),
        url: rec.get(1).unwrap_or("").to_string(),
        fetched_at: rec.get(2).unwrap_or("").to_string(),
        from,
        to,
        identity: rec.get(6).unwrap_or("").to_string(),
    };
    Ok((meta, rows))
}

/// Read an oilcorr cache file (`date,price`).
pub fn read_prices(path: &Path, series: SeriesId) -> Result<PriceSeries, CacheError> {
    let origin = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path).map_err(|e| io_or_corrupt(&origin, e))?;
    let mut obs = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| io_or_corrupt(&origin, e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let date = rec.get(0).unwrap_or("").trim();
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d")
            .map_err(|_| InputError::new(&origin, line, "date", "a date YYYY-MM-DD", date))?;
        let price = rec.get(1).unwrap_or("").trim();
        let price = price
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite())
            .ok_or_else(|| InputError::new(&origin, line, "price", "a number", price))?;
        obs.push((date, price));
    }
    PriceSeries::new(series, obs).map_err(|e| {
        InputError::new(&origin, 0, "date", "one plausible price per date", &e.to_string()).into()
    })
}

fn io_or_corrupt(origin: &str, e: csv::Error) -> CacheError {
    let line = e.position().map_or(0, |p| p.line());
    match e.into_kind() {
        csv::ErrorKind::Io(source) => CacheError::Io {
            path: origin.to_string(),
            source,
        },
        other => InputError::new(origin, line, "row", "a valid cache row", &format!("{other:?}")).into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn sample() -> Cached {
        let prices = PriceSeries::new(
            SeriesId::Wti,
            vec![(d("2020-04-17"), 18.31), (d("2020-04-20"), -36.98)],
        )
        .unwrap();
        let meta = CacheMeta {
            source: "fred".into(),
            url: "http://h/graph".into(),
            fetched_at: "2026-11-26T00:00:00Z".into(),
            from: d("2020-04-01"),
            to: d("2020-04-30"),
            identity: String::new(),
        };
        Cached { prices, meta }
    }

    #[test]
    fn round_trips_prices_and_meta() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        assert!(cache.load(SeriesId::Wti).unwrap().is_none());
        cache.store(&sample()).unwrap();
        let back = cache.load(SeriesId::Wti).unwrap().unwrap();
        assert_eq!(back.prices, sample().prices);
        assert_eq!(back.meta, sample().meta);
    }

    #[test]
    fn a_price_file_cut_at_a_line_or_reversed_metadata_is_corrupt_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        cache.store(&sample()).unwrap();
        std::fs::write(cache.price_path(SeriesId::Wti), "date,price\n2020-04-17,18.31\n").unwrap();
        let err = cache.load(SeriesId::Wti).unwrap_err();
        let msg = format!("{err}: {}", std::error::Error::source(&err).unwrap());
        assert!(
            msg.contains("expected 2 price rows") && msg.contains("found '1 rows"),
            "{msg}"
        );
        cache.store(&sample()).unwrap();
        let meta = std::fs::read_to_string(cache.meta_path(SeriesId::Wti)).unwrap();
        let reversed = meta.replace("2020-04-01,2020-04-30", "2020-04-30,2020-04-01");
        assert_ne!(meta, reversed);
        std::fs::write(cache.meta_path(SeriesId::Wti), reversed).unwrap();
        assert!(matches!(cache.load(SeriesId::Wti), Err(CacheError::Corrupt(_))));
    }

    #[test]
    fn metadata_without_a_row_count_still_loads() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        cache.store(&sample()).unwrap();
        let old =
            "source,url,fetched_at,from,to\nfred,http://h/graph,2026-11-26T00:00:00Z,2020-04-01,2020-04-30\n";
        std::fs::write(cache.meta_path(SeriesId::Wti), old).unwrap();
        assert_eq!(cache.load(SeriesId::Wti).unwrap().unwrap().meta, sample().meta);
    }

    #[test]
    fn corrupt_price_names_file_line_and_field() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path());
        cache.store(&sample()).unwrap();
        std::fs::write(cache.price_path(SeriesId::Wti), "date,price\n2020-04-17,abc\n").unwrap();
        let err = cache.load(SeriesId::Wti).unwrap_err();
        let msg = format!("{err}: {}", std::error::Error::source(&err).unwrap());
        assert!(
            msg.contains("wti.csv: line 2, field 'price': expected a number, found 'abc'"),
            "{msg}"
        );
    }
}
