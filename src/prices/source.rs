//! The price sources behind one interface, [`PriceSource`] (built from the settings in
//! `build.rs`).
//!
//! Every source returns the same [`PriceSeries`] for the same range: trading days only (FRED's blank
//! holiday rows are dropped), prices as published by EIA.

use super::http::{redact, FetchError, Http};
use super::series::{PriceSeries, SeriesId};
use chrono::NaiveDate;
use reqwest::Url;

/// Where prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// FRED's keyless graph CSV (default).
    Fred,
    /// The FRED API (JSON; key in FRED_API_KEY).
    FredApi,
    /// EIA's API v2 (JSON; key in EIA_API_KEY).
    Eia,
    /// The keyless datahub mirror of EIA's spreadsheets.
    Datahub,
    /// Local CSV files given with --prices SERIES=PATH.
    File,
    /// Yahoo Finance's chart endpoint (unofficial, keyless): front-month futures.
    Yahoo,
}

impl SourceKind {
    /// Whether this kind of source publishes `series` at all (a file source: any series it is given a
    /// file for, checked when it is built). Each source's `supports` agrees (tested in `build`).
    pub fn publishes(self, series: SeriesId) -> bool {
        use SeriesId::*;
        match self {
            SourceKind::Fred | SourceKind::FredApi => !matches!(series, Spread | BrentFut | WtiFut),
            SourceKind::Eia => matches!(series, Brent | Wti | WtiFut),
            SourceKind::Datahub => matches!(series, Brent | Wti),
            SourceKind::Yahoo => matches!(series, BrentFut | WtiFut),
            SourceKind::File => true,
        }
    }

    /// The name used on the command line and in cache metadata.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Fred => "fred",
            SourceKind::FredApi => "fred-api",
            SourceKind::Eia => "eia",
            SourceKind::Datahub => "datahub",
            SourceKind::File => "file",
            SourceKind::Yahoo => "yahoo",
        }
    }
}

/// A place prices can be fetched from.
pub trait PriceSource: Send + Sync {
    /// The source's name, as on the command line and in cache metadata.
    fn name(&self) -> &'static str;
    /// True when the source publishes `series`.
    fn supports(&self, series: SeriesId) -> bool;
    /// The (first) request for `series` over `[from, to]`, key in clear: never show it unredacted.
    fn request(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> Result<Url, FetchError>;
    /// Where `series` for `[from, to]` comes from, safe to store and print: the request, redacted.
    fn describe(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> String {
        self.request(series, from, to)
            .map_or(String::new(), |u| redact(&u))
    }
    /// Fetch `series` for `[from, to]` (trading days only).
    fn fetch(
        &self,
        http: &Http,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, FetchError>;

    /// What `series` would be read from beyond the source's name, to tell a changed input from the
    /// cached one (a local file's path, size, time and checksum); empty for web services.
    fn identity(&self, _series: SeriesId) -> Result<String, FetchError> {
        Ok(String::new())
    }

    /// The API key this source sends (empty for keyless ones): hidden from every error it returns.
    fn secret(&self) -> &str {
        ""
    }

    /// Fail before any request when a series cannot come from this source.
    fn check(&self, series: &[SeriesId]) -> Result<(), SourceError> {
        match series.iter().find(|s| !self.supports(**s)) {
            Some(s) => Err(SourceError::Unavailable {
                source_name: self.name(),
                series: *s,
            }),
            None => Ok(()),
        }
    }
}

/// Errors choosing or configuring a source.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The source does not publish this series.
    #[error("--source {source_name} has no series {series}: brent and wti (spot) come from fred, fred-api, eia and datahub, other FRED ids from fred or fred-api, brent-fut from yahoo, wti-fut from yahoo or eia (to 2024-04-05); any series from --source file")]
    Unavailable {
        /// Source name.
        source_name: &'static str,
        /// The series.
        series: SeriesId,
    },
    /// A key is required and missing.
    #[error("--source {source_name} needs an API key: set {var} (free keys: {register})")]
    MissingKey {
        /// Source name.
        source_name: &'static str,
        /// Environment variable.
        var: &'static str,
        /// Where to register.
        register: &'static str,
    },
    /// `--source file` without a file for a series.
    #[error("--source file needs --prices {0}=PATH for series {0}")]
    MissingFile(SeriesId),
    /// A base URL does not parse.
    #[error(transparent)]
    Url(#[from] FetchError),
}
