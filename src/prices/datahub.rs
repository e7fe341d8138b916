//! The datahub mirror of EIA's daily spot prices (`datasets/oil-prices`, rebuilt daily from EIA's
//! spreadsheets): `GET {base}/core/oil-prices/r/brent-daily.csv` (or `wti-daily.csv`), `Date,Price`,
//! CRLF line ends, trading days only, full history in one file (sliced to the requested range here).

use super::file::parse_date_price;
use super::http::{check_csv, redact, FetchError, Http, Service};
use super::series::{PriceSeries, SeriesId};
use super::source::PriceSource;
use chrono::NaiveDate;
use reqwest::Url;

/// The datahub mirror at a base URL.
#[derive(Debug, Clone)]
pub struct Datahub(Service);

impl Datahub {
    /// The mirror at `base` (checked to be a URL).
    pub fn new(base: &str) -> Result<Self, FetchError> {
        Ok(Datahub(Service::new(base, "")?))
    }

    /// The file URL of `series`.
    pub fn url(&self, series: SeriesId) -> Result<Url, FetchError> {
        let path = format!("/core/oil-prices/r/{}-daily.csv", series.key());
        self.0.url(&path, &[])
    }
}

impl PriceSource for Datahub {
    fn name(&self) -> &'static str {
        "datahub"
    }

    fn supports(&self, series: SeriesId) -> bool {
        super::source::SourceKind::Datahub.publishes(series)
    }

    fn request(&self, series: SeriesId, _from: NaiveDate, _to: NaiveDate) -> Result<Url, FetchError> {
        self.url(series)
    }

    /// Download the whole file and return `[from, to]`.
    fn fetch(
        &self,
        http: &Http,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, FetchError> {
        let url = self.url(series)?;
        let body = http.get_text(&url)?;
        let shown = redact(&url);
        let expected = "datahub CSV 'Date,Price'";
        check_csv(&body, &url, expected, |h| {
            h.to_ascii_lowercase().starts_with("date")
        })?;
        let header = body
            .lines()
            .next()
            .unwrap_or("")
            .trim_end_matches('\r')
            .to_ascii_lowercase();
        if header != "date,price" {
            let e = crate::input_error::InputError::new(&shown, 1, "header", "'Date,Price'", &header);
            return Err(e.into());
        }
        Ok(parse_date_price(&body, series, &shown)?.slice(from, to))
    }
}
