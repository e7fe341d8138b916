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
    let wrong = |what: String| FetchError::WrongFormat {
        url: shown.to_string(),
        what,
        expected: "Yahoo chart JSON".into(),
    };
    if let Some(what) = sniff_non_data(body) {
        return Err(match (200..300).contains(&status) {
            true => wrong(what),
            false => status_error(shown, status),
        });
    }
    let env: Envelope = match serde_json::from_str(body) {
        Ok(e) => e,
        Err(_) if !(200..300).contains(&status) => return Err(status_error(shown, status)),
        Err(e) => return Err(json_error(shown, &e)),
    };
    let chart = env
        .chart
        .ok_or_else(|| wrong("JSON without a 'chart' object".into()))?;
    if let Some(err) = chart.error.filter(|e| !e.is_null()) {
        return Err(FetchError::Api {
            url: shown.to_string(),
            message: error_message(&err),
        });
    }
    if !(200..300).contains(&status) {
        return Err(status_error(shown, status));
    }
    let result = chart.result.and_then(|r| r.into_iter().next());
    let result = result.ok_or_else(|| wrong("a chart without a result".into()))?;
    bars(result, shown).map_err(|e| match e {
        Bars::Wrong(what) => wrong(what),
        Bars::Input(e) => e.into(),
    })
}

enum Bars {
    Wrong(String),
    Input(InputError),
}

/// The daily closes of one result, dated in the exchange's time zone.
fn bars(r: ChartResult, shown: &str) -> Result<Observations, Bars> {
    if let Some(g) = r.meta.data_granularity.as_deref().filter(|g| *g != "1d") {
        return Err(Bars::Wrong(format!("bars of {g}, not daily")));
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
    let mut out: Observations = Vec::with_capacity(closes.len());
    for (i, (ts, close)) in r.timestamp.iter().zip(&closes).enumerate() {
        let line = (i + 1) as u64;
        let field = "indicators.quote[0].close";
        let Some(price) = json_price(close, shown, line, field).map_err(Bars::Input)? else {
            continue;
        };
        let date = trade_date(tz, *ts).ok_or_else(|| {
            let e = InputError::new(shown, line, "timestamp", "epoch seconds", &ts.to_string());
            Bars::Input(e)
        })?;
        match out.last_mut() {
            // Two bars on one date: the later one (a live bar beside the settled one) wins.
            Some(last) if last.0 == date => last.1 = price,
            _ => out.push((date, price)),
        }
    }
    Ok(out)
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
