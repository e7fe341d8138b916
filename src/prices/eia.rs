//! EIA API v2: `GET {base}/v2/petroleum/pri/spt/data/?api_key=K&frequency=daily&data[0]=value
//! &facets[series][]=RBRTE|RWTC&start=..&end=..&sort[0][column]=period&sort[0][direction]=asc
//! &offset=N&length=5000`, and the same query on `/v2/petroleum/pri/fut/data/` with `RCLC1` (NYMEX
//! WTI contract 1, EIA's "still-trading contract with the earliest delivery date") for `wti-fut`.
//!
//! Wire format (research notes §2.1): at most 5000 rows per page, so pages are requested until
//! `offset + rows >= total`; `response.total` and `value` may be strings or numbers (strings since
//! v2.1.6); non-trading days are absent. Errors come in two shapes, `{"error":{"code","message"}}` (the key
//! gate: 403 `API_KEY_MISSING` / `API_KEY_INVALID`) and `{"error":"text","code":400}`. The API echoes the
//! key in `request.params`, so raw bodies are never stored or printed.

use super::fred_api::{json_error, json_price, json_usize};
use super::http::{follow_pages, redact, sniff_non_data, status_error, FetchError, Http, Service};
use super::series::{Observations, PriceSeries, SeriesId};
use super::source::PriceSource;
use crate::input_error::InputError;
use chrono::NaiveDate;
use reqwest::Url;
use serde::Deserialize;

/// Rows per page (the API's maximum for JSON).
pub const PAGE: usize = 5000;

#[derive(Deserialize)]
struct Envelope {
    response: Option<Response>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Response {
    total: Option<serde_json::Value>,
    #[serde(default)]
    data: Vec<Row>,
}

#[derive(Deserialize)]
struct Row {
    period: String,
    #[serde(default)]
    value: serde_json::Value,
}

/// EIA's series code for `series`: the two spot series, and NYMEX WTI futures contract 1 (the
/// futures route has no Brent).
pub fn eia_id(series: SeriesId) -> Option<&'static str> {
    match series {
        SeriesId::Brent => Some("RBRTE"),
        SeriesId::Wti => Some("RWTC"),
        SeriesId::WtiFut => Some("RCLC1"),
        _ => None,
    }
}

/// The API route of `series`: spot prices, or NYMEX futures (whose history ends 2024-04-05, when
/// EIA stopped publishing them).
fn route(series: SeriesId) -> &'static str {
    if series.is_futures() {
        "/v2/petroleum/pri/fut/data/"
    } else {
        "/v2/petroleum/pri/spt/data/"
    }
}

/// EIA's API v2 at a base URL, with a key.
#[derive(Debug, Clone)]
pub struct Eia(Service);

impl Eia {
    /// The API at `base` (checked to be a URL) with `key`.
    pub fn new(base: &str, key: &str) -> Result<Self, FetchError> {
        Ok(Eia(Service::new(base, key)?))
    }

    /// The request URL of one page (with the key in clear: show it only through [`redact`]).
    pub fn url(
        &self,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
        offset: usize,
    ) -> Result<Url, FetchError> {
        let (from, to, offset, length) = (
            from.to_string(),
            to.to_string(),
            offset.to_string(),
            PAGE.to_string(),
        );
        let query = [
            ("api_key", self.0.key()),
            ("frequency", "daily"),
            ("data[0]", "value"),
            ("facets[series][]", eia_id(series).unwrap_or("NONE")),
            ("start", &from),
            ("end", &to),
            ("sort[0][column]", "period"),
            ("sort[0][direction]", "asc"),
            ("offset", &offset),
            ("length", &length),
        ];
        self.0.url(route(series), &query)
    }
}

impl PriceSource for Eia {
    fn secret(&self) -> &str {
        self.0.key()
    }

    fn name(&self) -> &'static str {
        "eia"
    }

    fn supports(&self, series: SeriesId) -> bool {
        eia_id(series).is_some()
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
                let (rows, seen, total) = parse_page(&answer.body, answer.status, &redact(&url), offset)?;
                Ok((rows, seen, Some(total)))
            },
            || self.describe(series, from, to),
        )?;
        PriceSeries::new(series, obs).map_err(|e| {
            let origin = self.describe(series, from, to);
            InputError::new(
                origin,
                0,
                "period",
                "one plausible price per date",
                &e.to_string(),
            )
            .into()
        })
    }
}

/// Parse one page: `(prices, rows on the page, total)`. `offset` numbers rows in error messages;
/// `shown` is the request URL as shown in errors (keys redacted).
pub fn parse_page(
    body: &str,
    status: u16,
    shown: &str,
    offset: usize,
) -> Result<(Observations, usize, usize), FetchError> {
    let shown = shown.to_string();
    if let Some(what) = sniff_non_data(body) {
        if (200..300).contains(&status) {
            return Err(FetchError::WrongFormat {
                url: shown,
                what,
                expected: "EIA API v2 JSON".into(),
            });
        }
        return Err(status_error(&shown, status));
    }
    let env: Envelope = match serde_json::from_str(body) {
        Ok(e) => e,
        Err(_) if !(200..300).contains(&status) => return Err(status_error(&shown, status)),
        Err(e) => return Err(json_error(&shown, &e)),
    };
    if let Some(err) = env.error {
        return Err(FetchError::Api {
            url: shown,
            message: error_message(&err),
        });
    }
    if !(200..300).contains(&status) {
        return Err(status_error(&shown, status));
    }
    let resp = env.response.ok_or_else(|| FetchError::WrongFormat {
        url: shown.clone(),
        what: "JSON without a 'response' object".into(),
        expected: "EIA API v2 JSON".into(),
    })?;
    let total = resp
        .total
        .as_ref()
        .and_then(json_usize)
        .unwrap_or(offset + resp.data.len());
    let mut out = Vec::with_capacity(resp.data.len());
    for (i, r) in resp.data.iter().enumerate() {
        let line = (offset + i + 1) as u64;
        let date = NaiveDate::parse_from_str(&r.period, "%Y-%m-%d").map_err(|_| {
            InputError::new(
                &shown,
                line,
                "response.data[].period",
                "a date YYYY-MM-DD",
                &r.period,
            )
        })?;
        if let Some(v) = json_price(&r.value, &shown, line, "response.data[].value")? {
            out.push((date, v));
        }
    }
    Ok((out, resp.data.len(), total))
}

/// The message of either error shape, with advice for the key gate.
fn error_message(err: &serde_json::Value) -> String {
    let (code, message) = match err {
        serde_json::Value::Object(o) => (
            o.get("code").and_then(|c| c.as_str()).unwrap_or("").to_string(),
            o.get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("")
                .to_string(),
        ),
        serde_json::Value::String(s) => (String::new(), s.clone()),
        other => (String::new(), other.to_string()),
    };
    let message = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if code.starts_with("API_KEY") {
        format!(
            "{code}: {message} — register for a free key at https://www.eia.gov/opendata/register.php \
             and set EIA_API_KEY"
        )
    } else if code.is_empty() {
        message
    } else {
        format!("{code}: {message}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strings_and_numbers_and_reports_total() {
        let body = r#"{"response":{"total":"3","dateFormat":"YYYY-MM-DD","data":[
            {"period":"2020-04-20","series":"RWTC","value":"-36.98"},
            {"period":"2020-04-21","series":"RWTC","value":8.91},
            {"period":"2020-04-22","series":"RWTC","value":null}]},
            "request":{"command":"/v2/petroleum/pri/spt/data/","params":{"api_key":"SECRET"}},"apiVersion":"2.1.8"}"#;
        let (rows, seen, total) = parse_page(body, 200, "http://h/v2?api_key=***", 0).unwrap();
        assert_eq!((seen, total), (3, 3));
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, -36.98);
        let body = body.replace(r#""total":"3""#, r#""total":3"#);
        assert_eq!(parse_page(&body, 200, "u", 0).unwrap().2, 3);
    }

    #[test]
    fn key_errors_say_how_to_get_a_key_and_hide_it() {
        let body = r#"{"error":{"code":"API_KEY_INVALID","message":"An invalid api_key was supplied."}}"#;
        let e = parse_page(body, 403, "http://h/v2?api_key=***", 0)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("API_KEY_INVALID") && e.contains("EIA_API_KEY") && e.contains("register"),
            "{e}"
        );
        assert!(!e.contains("SECRET"), "{e}");
        let flat = r#"{"error": "Invalid frequency 'yearly' provided.", "code": 400}"#;
        let e = parse_page(flat, 400, "u", 0).unwrap_err().to_string();
        assert!(e.contains("Invalid frequency"), "{e}");
    }

    #[test]
    fn empty_page_has_no_rows() {
        let body = r#"{"response":{"total":0,"data":[]}}"#;
        assert_eq!(parse_page(body, 200, "u", 0).unwrap(), (vec![], 0, 0));
    }
}
