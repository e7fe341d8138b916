//! Turning the source settings into the chosen [`PriceSource`] once, checking its key and base URL
//! before any request.

use super::series::SeriesId;
use super::source::{PriceSource, SourceError, SourceKind};
use super::{datahub, eia, file, fred, fred_api, yahoo};
use std::path::PathBuf;

/// The settings every source is built from.
#[derive(Debug, Clone)]
pub struct SourceSettings {
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
    /// Base URL of Yahoo's chart endpoint.
    pub yahoo_url: String,
    /// FRED API key.
    pub fred_api_key: Option<String>,
    /// EIA API key.
    pub eia_api_key: Option<String>,
    /// Local files per series (source `file`); the last one given for a series wins.
    pub files: Vec<(SeriesId, PathBuf)>,
    /// How bar files among them are read.
    pub bars: super::bars::BarsFormat,
}

/// The source `settings.kind`, checked: its key is present and its base URL parses.
pub fn build(settings: &SourceSettings) -> Result<Box<dyn PriceSource>, SourceError> {
    let s = settings;
    let key = |k: &Option<String>| k.clone().filter(|k| !k.trim().is_empty());
    Ok(match s.kind {
        SourceKind::Fred => Box::new(fred::FredCsv::new(&s.fred_url)?),
        SourceKind::FredApi => {
            let key = key(&s.fred_api_key).ok_or(SourceError::MissingKey {
                source_name: "fred-api",
                var: "FRED_API_KEY",
                register: "https://fred.stlouisfed.org/docs/api/api_key.html",
            })?;
            Box::new(fred_api::FredApi::new(&s.fred_api_url, &key)?)
        }
        SourceKind::Eia => {
            let key = key(&s.eia_api_key).ok_or(SourceError::MissingKey {
                source_name: "eia",
                var: "EIA_API_KEY",
                register: "https://www.eia.gov/opendata/register.php",
            })?;
            Box::new(eia::Eia::new(&s.eia_url, &key)?)
        }
        SourceKind::Datahub => Box::new(datahub::Datahub::new(&s.datahub_url)?),
        SourceKind::File => Box::new(file::Files::new(s.files.clone(), s.bars.clone())),
        SourceKind::Yahoo => Box::new(yahoo::Yahoo::new(&s.yahoo_url)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_source_supports_exactly_what_its_kind_publishes() {
        let settings = |kind| SourceSettings {
            kind,
            fred_url: "http://127.0.0.1:9".into(),
            fred_api_url: "http://127.0.0.1:9".into(),
            eia_url: "http://127.0.0.1:9".into(),
            datahub_url: "http://127.0.0.1:9".into(),
            yahoo_url: "http://127.0.0.1:9".into(),
            fred_api_key: Some("k".repeat(32)),
            eia_api_key: Some("k".into()),
            files: vec![],
            bars: Default::default(),
        };
        let all = [
            SeriesId::Brent,
            SeriesId::Wti,
            SeriesId::Spread,
            SeriesId::BrentFut,
            SeriesId::WtiFut,
            SeriesId::Fred("SP500"),
        ];
        for kind in [
            SourceKind::Fred,
            SourceKind::FredApi,
            SourceKind::Eia,
            SourceKind::Datahub,
            SourceKind::Yahoo,
        ] {
            let source = build(&settings(kind)).unwrap();
            for s in all {
                assert_eq!(source.supports(s), kind.publishes(s), "{} {s}", kind.name());
            }
        }
    }
}
