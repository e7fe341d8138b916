//! Local price files, and the `Date,Price` CSV shared by the datahub mirror and oilcorr's cache.
//!
//! A file is sniffed from its header: FRED graph CSV (`observation_date,ID` or `DATE,ID`), datahub
//! (`Date,Price`), oilcorr's cache (`date,price`), or daily bars with a time and a close or settlement
//! column, optionally per contract ([`super::bars`]). Anything else is an error naming the file, line 1
//! and the headers accepted.

use super::bars::{self, BarsFormat};
use super::fred;
use super::http::{FetchError, Http};
use super::series::{plausible, PriceSeries, SeriesId, PLAUSIBLE_PRICE};
use super::source::{PriceSource, SourceError};
use crate::input_error::InputError;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Local price files, one per series (`--source file`).
#[derive(Debug, Clone)]
pub struct Files {
    files: Vec<(SeriesId, PathBuf)>,
    bars: BarsFormat,
}

impl Files {
    /// The files given (the last one for a series wins), with how bar files are read.
    pub fn new(files: Vec<(SeriesId, PathBuf)>, bars: BarsFormat) -> Self {
        Files { files, bars }
    }

    fn file_of(&self, series: SeriesId) -> Option<&PathBuf> {
        self.files
            .iter()
            .rev()
            .find(|(s, _)| *s == series)
            .map(|(_, p)| p)
    }
}

impl PriceSource for Files {
    fn name(&self) -> &'static str {
        "file"
    }

    fn supports(&self, series: SeriesId) -> bool {
        self.file_of(series).is_some()
    }

    /// A file is not requested over HTTP: there is no URL.
    fn request(
        &self,
        series: SeriesId,
        _from: NaiveDate,
        _to: NaiveDate,
    ) -> Result<reqwest::Url, FetchError> {
        Err(FetchError::BadUrl {
            url: self.describe(series, _from, _to),
            reason: "a local file".into(),
        })
    }

    fn describe(&self, series: SeriesId, _from: NaiveDate, _to: NaiveDate) -> String {
        self.file_of(series)
            .map_or(String::new(), |p| p.display().to_string())
    }

    fn fetch(
        &self,
        _http: &Http,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, FetchError> {
        let path = self.file_of(series).ok_or_else(|| FetchError::File {
            path: String::new(),
            reason: format!("no --prices {series}=PATH"),
        })?;
        read(path, series, (from, to), &self.bars)
    }

    fn identity(&self, series: SeriesId) -> Result<String, FetchError> {
        let path = self.file_of(series).ok_or_else(|| FetchError::File {
            path: String::new(),
            reason: format!("no --prices {series}=PATH"),
        })?;
        // How bar files are read is part of what was read: another roll rule rereads the file.
        Ok(format!("{} {}", identity(path)?, self.bars))
    }

    fn check(&self, series: &[SeriesId]) -> Result<(), SourceError> {
        match series.iter().find(|s| !self.supports(**s)) {
            Some(s) => Err(SourceError::MissingFile(*s)),
            None => Ok(()),
        }
    }
}

/// Parse a price CSV in any accepted layout; `origin` names the file or URL in errors.
pub fn parse_any(
    body: &str,
    series: SeriesId,
    origin: &str,
    fmt: &BarsFormat,
) -> Result<PriceSeries, InputError> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let header = body.lines().next().unwrap_or("").trim_end_matches('\r');
    let mut cols = header.split(',').map(str::trim);
    let (first, second) = (cols.next().unwrap_or(""), cols.next().unwrap_or(""));
    if first.eq_ignore_ascii_case("date") && second.eq_ignore_ascii_case("price") {
        return parse_date_price(body, series, origin);
    }
    if !series.fred_id().is_empty() && second.eq_ignore_ascii_case(series.fred_id()) {
        return fred::parse(body, series, origin);
    }
    if bars::looks_like_bars(header, fmt) {
        return bars::parse(body, series, origin, fmt, series.default_close().tz);
    }
    // FRED's layouts only for series FRED publishes (a futures file has no FRED id to name).
    let fred = match series.fred_id() {
        "" => String::new(),
        id => format!("'observation_date,{id}', 'DATE,{id}', "),
    };
    let want =
        format!("'Date,Price', 'date,price', {fred}or bars with time and close columns (--map to name them)");
    Err(InputError::new(origin, 1, "header", want, header))
}

/// Parse a `Date,Price` CSV (header any case, LF or CRLF); blank or `.` prices are skipped.
pub fn parse_date_price(body: &str, series: SeriesId, origin: &str) -> Result<PriceSeries, InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    let mut obs = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            InputError::new(origin, line, "row", "a CSV row of two fields", &e.to_string())
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        let date_txt = rec.get(0).unwrap_or("").trim();
        let date = NaiveDate::parse_from_str(date_txt, "%Y-%m-%d")
            .map_err(|_| InputError::new(origin, line, "Date", "a date YYYY-MM-DD", date_txt))?;
        let value = rec.get(1).unwrap_or("").trim();
        if value.is_empty() || value == "." {
            continue;
        }
        let price = value
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite())
            .ok_or_else(|| InputError::new(origin, line, "Price", "a number", value))?;
        if !plausible(series, price) {
            return Err(InputError::new(origin, line, "Price", PLAUSIBLE_PRICE, value));
        }
        obs.push((date, price));
    }
    PriceSeries::new(series, obs)
        .map_err(|e| InputError::new(origin, 0, "Date", "one plausible price per date", &e.to_string()))
}

/// `path`, its size, modification time and SHA-256: the cache is reread when any of them changes.
pub fn identity(path: &Path) -> Result<String, FetchError> {
    use sha2::{Digest, Sha256};
    let io = |e: std::io::Error| FetchError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .map_err(io)?
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(format!(
        "{} size={} mtime_ns={modified} sha256={digest}",
        path.display(),
        bytes.len()
    ))
}

/// Read `series` from the local file `path`, limited to `[from, to]`.
pub fn read(
    path: &Path,
    series: SeriesId,
    (from, to): (NaiveDate, NaiveDate),
    fmt: &BarsFormat,
) -> Result<PriceSeries, FetchError> {
    let origin = path.display().to_string();
    let body = std::fs::read_to_string(path).map_err(|e| FetchError::File {
        path: origin.clone(),
        reason: e.to_string(),
    })?;
    Ok(parse_any(&body, series, &origin, fmt)?.slice(from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_every_layout() {
        let datahub = "Date,Price\r\n2020-04-17,18.31\r\n2020-04-20,-36.98\r\n";
        let cache = "date,price\n2020-04-17,18.31\n2020-04-20,-36.98\n";
        let fred_new = "observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,-36.98\n";
        let fred_old = "DATE,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,-36.98\n";
        let want = parse_any(datahub, SeriesId::Wti, "a", &BarsFormat::default()).unwrap();
        assert_eq!(want.prices(), &[18.31, -36.98]);
        for body in [cache, fred_new, fred_old] {
            assert_eq!(
                parse_any(body, SeriesId::Wti, "b", &BarsFormat::default()).unwrap(),
                want
            );
        }
    }

    #[test]
    fn unknown_header_is_named() {
        let e = parse_any(
            "day,close\n2020-01-02,1\n",
            SeriesId::Brent,
            "p.csv",
            &BarsFormat::default(),
        )
        .unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (1, "header"));
        assert!(e.to_string().contains("'Date,Price'"), "{e}");
        // A futures file is not offered FRED's layouts, which have no id for it.
        let e = parse_any("day,x\n", SeriesId::WtiFut, "f.csv", &BarsFormat::default()).unwrap_err();
        assert!(!e.to_string().contains("observation_date"), "{e}");
    }

    #[test]
    fn bad_price_is_located() {
        let e = parse_any(
            "Date,Price\n2020-01-02,1\n2020-01-03,x\n",
            SeriesId::Brent,
            "p.csv",
            &BarsFormat::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "p.csv: line 3, field 'Price': expected a number, found 'x'"
        );
    }
}
