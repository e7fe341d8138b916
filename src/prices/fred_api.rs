//! The FRED API (keyed JSON): `GET {base}/fred/series/observations?series_id=ID&api_key=K&file_type=json
//! &observation_start=..&observation_end=..`.
//!
//! Wire format (research notes §1.2): `observations[].value` is always a string and `"."` means missing;
//! `count` is the number of matching rows (paginate with `offset` when it exceeds `limit`, 100 000 by
//! default, far above the ~10 000 daily rows of these series). Errors are JSON
//! `{"error_code":400,"error_message":"..."}` whatever the Content-Type, so the body is read before the
//! status decides anything. The key is sent but never shown: URLs in messages are redacted.

use super::http::{follow_pages, redact, sniff_non_data, status_error, FetchError, Http, Service};
use super::series::{Observations, PriceSeries, SeriesId};
use super::source::PriceSource;
use crate::input_error::InputError;
use chrono::NaiveDate;
use reqwest::Url;
use serde::Deserialize;

#[derive(Deserialize)]
struct Page {
    #[serde(default)]
    count: Option<serde_json::Value>,
    observations: Vec<Observation>,
}

#[derive(Deserialize)]
struct Observation {
    date: String,
    value: serde_json::Value,
}

#[derive(Deserialize)]
struct ApiError {
    error_message: String,
}

/// The FRED API at a base URL, with a key.
#[derive(Debug, Clone)]
pub struct FredApi(Service);

impl FredApi {
    /// The API at `base` (checked to be a URL) with `key`.
    pub fn new(base: &str, key: &str) -> Result<Self, FetchError> {
        Ok(FredApi(Service::new(base, key)?))
    }

    /// The request URL of the page at `offset` (with the key in clear: show it only through [`redact`]).
    pub fn url(
        &self,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
        offset: usize,
    ) -> Result<Url, FetchError> {
        let (from, to, offset) = (from.to_string(), to.to_string(), offset.to_string());
        let query = [
            ("series_id", series.fred_id()),
            ("api_key", self.0.key()),
            ("file_type", "json"),
            ("observation_start", &from),
            ("observation_end", &to),
            ("sort_order", "asc"),
            ("offset", &offset),
        ];
        self.0.url("/fred/series/observations", &query)
    }
}

impl PriceSource for FredApi {
    fn secret(&self) -> &str {
        self.0.key()
    }

    fn name(&self) -> &'static str {
        "fred-api"
    }

    fn supports(&self, series: SeriesId) -> bool {
        super::source::SourceKind::FredApi.publishes(series)
    }

    fn request(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> Result<Url, FetchError> {
        self.url(series, from, to, 0)
    }

    fn fetch(
        &self,
        http: &Http,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, FetchError> {
        let obs = follow_pages(
            |offset| {
                let url = self.url(series, from, to, offset)?;
                let answer = http.get_json(&url)?;
                let page = parse_page(&answer.body, answer.status, &redact(&url), series)?;
                // Offsets count every observation, including the "." rows dropped from `prices`.
                Ok((page.prices, page.seen, page.count))
            },
            || self.describe(series, from, to),
        )?;
        PriceSeries::new(series, obs).map_err(|e| {
            let origin = self.describe(series, from, to);
            InputError::new(origin, 0, "date", "one plausible price per date", &e.to_string()).into()
        })
    }
}

/// One parsed page of observations.
#[derive(Debug, Clone, PartialEq)]
pub struct ObsPage {
    /// Prices on the page (missing values dropped).
    pub prices: Observations,
    /// Observations on the page, missing ones included.
    pub seen: usize,
    /// Total matching observations (`count`), if given.
    pub count: Option<usize>,
}

/// Parse one answer: observations (missing values dropped) and the total `count`; `shown` is the
/// request URL as shown in errors (keys redacted).
pub fn parse_page(body: &str, status: u16, shown: &str, series: SeriesId) -> Result<ObsPage, FetchError> {
    let shown = shown.to_string();
    if let Ok(e) = serde_json::from_str::<ApiError>(body) {
        return Err(FetchError::Api {
            url: shown,
            message: advise(&e.error_message),
        });
    }
    if !(200..300).contains(&status) {
        return Err(status_error(&shown, status));
    }
    if let Some(what) = sniff_non_data(body) {
        return Err(FetchError::WrongFormat {
            url: shown,
            what,
            expected: "FRED API JSON".into(),
        });
    }
    let page: Page = serde_json::from_str(body).map_err(|e| json_error(&shown, &e))?;
    let mut rows = Vec::with_capacity(page.observations.len());
    for (i, o) in page.observations.iter().enumerate() {
        let line = i as u64 + 1;
        let date = NaiveDate::parse_from_str(&o.date, "%Y-%m-%d").map_err(|_| {
            InputError::new(&shown, line, "observations[].date", "a date YYYY-MM-DD", &o.date)
        })?;
        if let Some(v) = json_price(&o.value, &shown, line, series.fred_id())? {
            rows.push((date, v));
        }
    }
    let count = page.count.as_ref().and_then(json_usize);
    Ok(ObsPage {
        prices: rows,
        seen: page.observations.len(),
        count,
    })
}

/// A price from a JSON value: a number, or a string holding one; `"."`, `""` and `null` are missing.
pub fn json_price(
    v: &serde_json::Value,
    origin: &str,
    line: u64,
    field: &str,
) -> Result<Option<f64>, InputError> {
    let bad = |found: &str| InputError::new(origin, line, field, "a price, \".\" or null", found);
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Number(n) => n
            .as_f64()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| bad(&n.to_string())),
        serde_json::Value::String(s) if s.trim().is_empty() || s.trim() == "." => Ok(None),
        serde_json::Value::String(s) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Some)
            .ok_or_else(|| bad(s)),
        other => Err(bad(&other.to_string())),
    }
}

/// A count that may be sent as a number or a string.
pub fn json_usize(v: &serde_json::Value) -> Option<usize> {
    match v {
        serde_json::Value::Number(n) => n.as_u64().map(|x| x as usize),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Describe a JSON body that did not have the expected shape; a body cut short is reported as such.
pub fn json_error(shown_url: &str, e: &serde_json::Error) -> FetchError {
    if e.is_eof() {
        FetchError::Truncated {
            url: shown_url.to_string(),
        }
    } else {
        let what = match e.classify() {
            serde_json::error::Category::Syntax => format!("not JSON ({e})"),
            _ => format!("JSON of another shape ({e})"),
        };
        FetchError::WrongFormat {
            url: shown_url.to_string(),
            what,
            expected: "the documented JSON".into(),
        }
    }
}

fn advise(message: &str) -> String {
    let m = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if m.contains("api_key") {
        format!(
            "{m} (get a free key at https://fred.stlouisfed.org/docs/api/api_key.html and set FRED_API_KEY)"
        )
    } else {
        m
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = r#"{"realtime_start":"2024-05-28","count":4,"offset":0,"limit":100000,"observations":[
        {"realtime_start":"2024-05-28","realtime_end":"2024-05-28","date":"2020-04-17","value":"18.31"},
        {"realtime_start":"2024-05-28","realtime_end":"2024-05-28","date":"2020-04-20","value":"-36.98"},
        {"realtime_start":"2024-05-28","realtime_end":"2024-05-28","date":"2020-04-10","value":"."},
        {"realtime_start":"2024-05-28","realtime_end":"2024-05-28","date":"2020-04-21","value":8.91}]}"#;

    #[test]
    fn parses_strings_numbers_and_dots() {
        let page = parse_page(BODY, 200, "http://h/x?api_key=***", SeriesId::Wti).unwrap();
        assert_eq!((page.count, page.seen), (Some(4), 4));
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(
            page.prices,
            vec![
                (d("2020-04-17"), 18.31),
                (d("2020-04-20"), -36.98),
                (d("2020-04-21"), 8.91)
            ]
        );
    }

    #[test]
    fn json_error_in_any_status_is_reported_without_the_key() {
        let body = r#"{"error_code":400,"error_message":"Bad Request.  The value for variable api_key is not registered."}"#;
        for status in [200, 400] {
            let e = parse_page(body, status, "http://h/x?api_key=***", SeriesId::Wti)
                .unwrap_err()
                .to_string();
            assert!(
                e.contains("api_key is not registered") && e.contains("FRED_API_KEY"),
                "{e}"
            );
            assert!(!e.contains("secret123"), "{e}");
        }
    }

    #[test]
    fn truncated_json_is_named() {
        let cut = &BODY[..BODY.len() / 2];
        let e = parse_page(cut, 200, "http://h/x", SeriesId::Wti).unwrap_err();
        assert!(matches!(e, FetchError::Truncated { .. }), "{e}");
    }
}
