//! Yahoo Finance's chart endpoint (unofficial, keyless): daily bars of front-month futures,
//! `GET {base}/v8/finance/chart/{BZ=F|CL=F}?period1=UNIX&period2=UNIX&interval=1d&includePrePost=false
//! &events=div,splits`.
//!
//! Wire format (research notes, futures-intraday §2): `{"chart":{"result":[R],"error":null}}`; R has
//! `meta` (`exchangeTimezoneName`, `dataGranularity`, `instrumentType`), `timestamp` (epoch seconds,
//! the *start* of each bar: 00:00 exchange time of the trade date for daily futures bars) and
//! `indicators.quote[0].close`, parallel to `timestamp`, any element `null`. Errors: `result` null and
//! `error` `{code, description}`, with 404, 422, 400 or even 200. Quirks handled as yfinance does:
//! bars whose close is null are dropped (holidays); a bar stamped 22:00 or 23:00 of the previous day
//! (a DST slip) is the next day's; two bars on one date (a live bar beside the settled one) keep the
//! later; bars outside the request are dropped; an empty window has no `timestamp` at all.
//!
//! `BZ=F` is NYMEX Brent Last Day Financial, not ICE Brent; `CL=F` is NYMEX WTI. Both are continuous
//! front-month series stitched at an undocumented roll, not back-adjusted. The service is unofficial
//! and meant for personal use (Yahoo's terms); history of daily bars goes back to 2000 (CL=F) and 2007
//! (BZ=F).

use super::fred_api::{json_error, json_price};
use super::http::{redact, sniff_non_data, status_error, FetchError, Http, Service};
use super::series::{Observations, PriceSeries, SeriesId};
use super::source::PriceSource;
use crate::input_error::InputError;
use chrono::{NaiveDate, TimeZone, Timelike};
use chrono_tz::Tz;
use reqwest::Url;
use serde::Deserialize;

/// Yahoo's symbol for `series` (front-month futures only).
pub fn symbol(series: SeriesId) -> Option<&'static str> {
    match series {
        SeriesId::BrentFut => Some("BZ=F"),
        SeriesId::WtiFut => Some("CL=F"),
        _ => None,
    }
}

/// Yahoo's chart endpoint at a base URL.
#[derive(Debug, Clone)]
pub struct Yahoo(Service);

impl Yahoo {
    /// The endpoint at `base` (checked to be a URL).
    pub fn new(base: &str) -> Result<Self, FetchError> {
        Ok(Yahoo(Service::new(base, "")?))
    }

    /// The request for daily bars of `series` from `from` 00:00 UTC to the end of `to` (period2 is
    /// exclusive; a day later covers a bar stamped at exchange midnight of `to`).
    pub fn url(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> Result<Url, FetchError> {
        let secs = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map_or(0, |t| t.and_utc().timestamp());
        let (p1, p2) = (
            secs(from).to_string(),
            secs(to + chrono::Duration::days(2)).to_string(),
        );
        let query = [
            ("period1", p1.as_str()),
            ("period2", p2.as_str()),
            ("interval", "1d"),
            ("includePrePost", "false"),
            ("events", "div,splits"),
        ];
        let path = format!("/v8/finance/chart/{}", symbol(series).unwrap_or("NONE"));
        self.0.url(&path, &query)
    }
}

impl Yahoo {
    /// The request for bars of `interval` of `series` from `p1` (inclusive) to `p2` (exclusive),
    /// epoch seconds.
    pub fn bars_url(
        &self,
        series: SeriesId,
        interval: &str,
        (p1, p2): (i64, i64),
    ) -> Result<Url, FetchError> {
        let (p1, p2) = (p1.to_string(), p2.to_string());
        let query = [
            ("period1", p1.as_str()),
            ("period2", p2.as_str()),
            ("interval", interval),
            ("includePrePost", "false"),
        ];
        let path = format!("/v8/finance/chart/{}", symbol(series).unwrap_or("NONE"));
        self.0.url(&path, &query)
    }
}

impl PriceSource for Yahoo {
    fn name(&self) -> &'static str {
        "yahoo"
    }

    fn supports(&self, series: SeriesId) -> bool {
        symbol(series).is_some()
    }

    fn request(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> Result<Url, FetchError> {
        self.url(series, from, to)
    }

    fn fetch(
        &self,
        http: &Http,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, FetchError> {
        let url = self.url(series, from, to)?;
        let answer = http.get_json(&url)?;
        let shown = redact(&url);
        let obs = parse(&answer.body, answer.status, &shown)?;
        let obs = obs.into_iter().filter(|(d, _)| *d >= from && *d <= to).collect();
        PriceSeries::new(series, obs).map_err(|e| {
            let e = InputError::new(
                &shown,
                0,
                "timestamp",
                "one plausible price per date",
                &e.to_string(),
            );
            e.into()
        })
    }
}

#[derive(Deserialize)]
struct Envelope {
    chart: Option<Chart>,
}

#[derive(Deserialize)]
struct Chart {
    result: Option<Vec<ChartResult>>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ChartResult {
    #[serde(default)]
    meta: Meta,
    #[serde(default)]
    timestamp: Vec<i64>,
    indicators: Option<Indicators>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Meta {
    exchange_timezone_name: Option<String>,
    data_granularity: Option<String>,
}

#[derive(Deserialize)]
struct Indicators {
    #[serde(default)]
    quote: Vec<Quote>,
}

#[derive(Deserialize)]
struct Quote {
    close: Option<Vec<serde_json::Value>>,
}

/// Parse a chart answer into `(trade date, close)` pairs, one per date (see the module notes).
pub fn parse(body: &str, status: u16, shown: &str) -> Result<Observations, FetchError> {
    let (tz, raw) = parse_raw(body, status, shown, "1d")?;
    let mut out: Observations = Vec::with_capacity(raw.len());
    for (i, (ts, price)) in raw.into_iter().enumerate() {
        let date = trade_date(tz, ts).ok_or_else(|| {
            InputError::new(
                shown,
                (i + 1) as u64,
                "timestamp",
                "epoch seconds",
                &ts.to_string(),
            )
        })?;
        match out.last_mut() {
            // Two bars on one date: the later one (a live bar beside the settled one) wins.
            Some(last) if last.0 == date => last.1 = price,
            _ => out.push((date, price)),
        }
    }
    Ok(out)
}

/// The exchange's zone and the `(bar start, close)` pairs with a close of an answer for bars of
/// `interval` (`1d`, `1m`, `5m`, `60m`, …); null bars are dropped.
pub fn parse_raw(
    body: &str,
    status: u16,
    shown: &str,
    interval: &str,
) -> Result<(Tz, Vec<(i64, f64)>), FetchError> {
    let wrong = |what: String| FetchError::WrongFormat {
        url: shown.to_string(),
        what,
        expected: "Yahoo chart JSON".into(),
    };
    let result = chart_result(body, status, shown)?;
    bars(result, shown, interval).map_err(|e| match e {
        Bars::Wrong(what) => wrong(what),
        Bars::Input(e) => e.into(),
    })
}

/// The first result of a chart answer, or the error it carries.
fn chart_result(body: &str, status: u16, shown: &str) -> Result<ChartResult, FetchError> {
    let wrong = |what: String| FetchError::WrongFormat {
        url: shown.to_string(),
        what,
        expected: "Yahoo chart JSON".into(),
    };
    let ok = (200..300).contains(&status);
    if let Some(what) = sniff_non_data(body) {
        return Err(if ok {
            wrong(what)
        } else {
            status_error(shown, status)
        });
    }
    let env: Envelope = match serde_json::from_str(body) {
        Ok(e) => e,
        Err(_) if !ok => return Err(status_error(shown, status)),
        Err(e) => return Err(json_error(shown, &e)),
    };
    let chart = env
        .chart
        .ok_or_else(|| wrong("JSON without a 'chart' object".into()))?;
    if let Some(err) = chart.error.filter(|e| !e.is_null()) {
        let message = error_message(&err);
        return Err(FetchError::Api {
            url: shown.to_string(),
            message,
        });
    }
    if !ok {
        return Err(status_error(shown, status));
    }
    let result = chart.result.and_then(|r| r.into_iter().next());
    result.ok_or_else(|| wrong("a chart without a result".into()))
}

enum Bars {
    Wrong(String),
    Input(InputError),
}

/// Whether Yahoo's `got` granularity is the `asked` interval (it labels 60m bars `1h`).
fn same_interval(got: &str, asked: &str) -> bool {
    got == asked || matches!((got, asked), ("1h", "60m") | ("60m", "1h"))
}

/// The exchange's zone and the `(bar start, close)` pairs with a close of one result.
fn bars(r: ChartResult, shown: &str, interval: &str) -> Result<(Tz, Vec<(i64, f64)>), Bars> {
    if let Some(g) = r
        .meta
        .data_granularity
        .as_deref()
        .filter(|g| !same_interval(g, interval))
    {
        return Err(Bars::Wrong(format!("bars of {g}, not {interval}")));
    }
    let zone = r
        .meta
        .exchange_timezone_name
        .as_deref()
        .unwrap_or("America/New_York");
    let tz: Tz = zone
        .parse()
        .map_err(|_| Bars::Wrong(format!("an unknown exchange time zone '{zone}'")))?;
    let closes = r
        .indicators
        .and_then(|i| i.quote.into_iter().next())
        .and_then(|q| q.close)
        .unwrap_or_default();
    if closes.len() != r.timestamp.len() {
        let (c, t) = (closes.len(), r.timestamp.len());
        return Err(Bars::Wrong(format!("{c} closes for {t} timestamps")));
    }
    let mut out = Vec::with_capacity(closes.len());
    for (i, (ts, close)) in r.timestamp.iter().zip(&closes).enumerate() {
        let field = "indicators.quote[0].close";
        if let Some(price) = json_price(close, shown, (i + 1) as u64, field).map_err(Bars::Input)? {
            out.push((*ts, price));
        }
    }
    Ok((tz, out))
}

/// The trade date of a daily bar starting at `ts` (epoch seconds) on an exchange in `tz`: its local
/// date, or the next day when the stamp slipped to 22:00 or 23:00 of the evening before (DST).
pub fn trade_date(tz: Tz, ts: i64) -> Option<NaiveDate> {
    let local = tz.timestamp_opt(ts, 0).single()?;
    let date = local.date_naive();
    Some(match (local.hour(), local.minute()) {
        (22 | 23, 0) => date.succ_opt()?,
        _ => date,
    })
}

/// The `error` object's description, with its code.
fn error_message(err: &serde_json::Value) -> String {
    let text = |k: &str| {
        err.get(k)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .trim()
            .to_string()
    };
    match (text("code"), text("description")) {
        (c, d) if c.is_empty() => d,
        (c, d) => format!("{c}: {d}"),
    }
}

#[cfg(test)]
#[path = "yahoo_tests.rs"]
mod tests;
