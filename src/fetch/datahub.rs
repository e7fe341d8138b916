//! The datahub mirror of EIA's daily spot prices (`datasets/oil-prices`, rebuilt daily from EIA's
//! spreadsheets): `GET {base}/core/oil-prices/r/brent-daily.csv` (or `wti-daily.csv`), `Date,Price`,
//! CRLF line ends, trading days only, full history in one file (sliced to the requested range here).

use super::file::parse_date_price;
use super::{check_complete, get_text, sniff_non_data, FetchError, HttpConfig};
use crate::series::{PriceSeries, SeriesId};
use chrono::NaiveDate;

/// The file URL of `series`.
pub fn url(base: &str, series: SeriesId) -> String {
    format!(
        "{}/core/oil-prices/r/{}-daily.csv",
        base.trim_end_matches('/'),
        series.key()
    )
}

/// Download the whole file and return `[from, to]`.
pub fn fetch(
    client: &reqwest::blocking::Client,
    cfg: &HttpConfig,
    base: &str,
    series: SeriesId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<PriceSeries, FetchError> {
    let url = url(base, series);
    let body = get_text(client, &url, cfg)?;
    if let Some(what) = sniff_non_data(&body) {
        return Err(FetchError::WrongFormat {
            url,
            what,
            expected: "datahub CSV 'Date,Price'".into(),
        });
    }
    check_complete(&body, &url)?;
    let header = body
        .lines()
        .next()
        .unwrap_or("")
        .trim_end_matches('\r')
        .to_ascii_lowercase();
    if header != "date,price" {
        let e = crate::input_error::InputError::new(&url, 1, "header", "'Date,Price'", &header);
        return Err(e.into());
    }
    Ok(parse_date_price(&body, series, &url)?.slice(from, to))
}
