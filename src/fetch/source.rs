//! Choosing a price source and fetching a date range from it.
//!
//! Every source returns the same [`PriceSeries`] for the same range: trading days only (FRED's blank
//! holiday rows are dropped), prices as published by EIA.

use super::{datahub, eia, file, fred, fred_api, redact, FetchError, HttpConfig};
use crate::series::{PriceSeries, SeriesId};
use chrono::NaiveDate;
use std::path::PathBuf;

/// Where prices come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
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
}

impl SourceKind {
    /// The name used on the command line and in cache metadata.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Fred => "fred",
            SourceKind::FredApi => "fred-api",
            SourceKind::Eia => "eia",
            SourceKind::Datahub => "datahub",
            SourceKind::File => "file",
        }
    }
}

/// Everything needed to fetch from any source.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    /// The chosen source.
    pub kind: SourceKind,
    /// Base URL of FRED's CSV host.
    pub fred_url: String,
    /// Base URL of the FRED API.
    pub fred_api_url: String,
    /// Base URL of EIA's API.
    pub eia_url: String,
    /// Base URL of the datahub mirror.
    pub datahub_url: String,
    /// FRED API key.
    pub fred_api_key: Option<String>,
    /// EIA API key.
    pub eia_api_key: Option<String>,
    /// Local files per series (source `file`).
    pub files: Vec<(SeriesId, PathBuf)>,
    /// Timeouts and retries.
    pub http: HttpConfig,
}

/// Errors choosing or configuring a source.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    /// The source does not publish this series.
    #[error("--source {source_name} has no series {series}: brent and wti come from every source, other FRED ids from fred or fred-api")]
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
    /// The fetch failed.
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

impl SourceConfig {
    /// Check keys and files before any request, so a missing key fails fast and clearly.
    pub fn check(&self, series: &[SeriesId]) -> Result<(), SourceError> {
        let oil_only = matches!(self.kind, SourceKind::Eia | SourceKind::Datahub);
        if let Some(s) = series
            .iter()
            .find(|s| **s == SeriesId::Spread || (oil_only && !SeriesId::OIL.contains(s)))
        {
            return Err(SourceError::Unavailable {
                source_name: self.kind.name(),
                series: *s,
            });
        }
        match self.kind {
            SourceKind::FredApi if self.fred_api_key.is_none() => Err(SourceError::MissingKey {
                source_name: "fred-api",
                var: "FRED_API_KEY",
                register: "https://fred.stlouisfed.org/docs/api/api_key.html",
            }),
            SourceKind::Eia if self.eia_api_key.is_none() => Err(SourceError::MissingKey {
                source_name: "eia",
                var: "EIA_API_KEY",
                register: "https://www.eia.gov/opendata/register.php",
            }),
            SourceKind::File => match series.iter().find(|s| !self.files.iter().any(|(f, _)| f == *s)) {
                Some(s) => Err(SourceError::MissingFile(*s)),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// A description of where `series` comes from, safe to store and print (keys removed).
    pub fn describe(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> String {
        let key = "KEY";
        match self.kind {
            SourceKind::Fred => fred::url(&self.fred_url, series, from, to),
            SourceKind::FredApi => redact(&fred_api::url(&self.fred_api_url, key, series, from, to, 0)),
            SourceKind::Eia => redact(&eia::url(&self.eia_url, key, series, from, to, 0)),
            SourceKind::Datahub => datahub::url(&self.datahub_url, series),
            SourceKind::File => self
                .file_of(series)
                .map_or(String::new(), |p| p.display().to_string()),
        }
    }

    fn file_of(&self, series: SeriesId) -> Option<&PathBuf> {
        self.files
            .iter()
            .rev()
            .find(|(s, _)| *s == series)
            .map(|(_, p)| p)
    }

    /// Fetch `series` for `[from, to]`.
    pub fn fetch(
        &self,
        client: &reqwest::blocking::Client,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, SourceError> {
        self.check(&[series])?;
        let h = &self.http;
        let none = String::new();
        Ok(match self.kind {
            SourceKind::Fred => fred::fetch(client, h, &self.fred_url, series, from, to)?,
            SourceKind::FredApi => {
                let key = self.fred_api_key.as_ref().unwrap_or(&none);
                fred_api::fetch(client, h, &self.fred_api_url, key, series, from, to)?
            }
            SourceKind::Eia => {
                let key = self.eia_api_key.as_ref().unwrap_or(&none);
                eia::fetch(client, h, &self.eia_url, key, series, from, to)?
            }
            SourceKind::Datahub => datahub::fetch(client, h, &self.datahub_url, series, from, to)?,
            SourceKind::File => {
                let path = self.file_of(series).ok_or(SourceError::MissingFile(series))?;
                file::fetch(path, series, from, to)?
            }
        })
    }
}
