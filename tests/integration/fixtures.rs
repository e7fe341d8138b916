//! Synthetic but realistically shaped price history, served in FRED's CSV format.
//!
//! Weekdays 2018-06-01 … 2020-06-30. Prices follow a deterministic wiggle, except 2020-03-30 … 2020-04-21,
//! which carry the real EIA spot prices of those days (so the April 2020 numbers can be checked against
//! the published record). Holidays are blank rows, as FRED serves them: Good Friday 2020-04-10 for both
//! series, Easter Monday 2020-04-13 for Brent only (UK holiday; WTI traded).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Real EIA spot prices (Brent RBRTE, WTI RWTC), 30 March – 21 April 2020; `None` = no price that day.
const REAL: [(&str, Option<f64>, Option<f64>); 17] = [
    ("2020-03-30", Some(19.19), Some(14.1)),
    ("2020-03-31", Some(14.85), Some(20.51)),
    ("2020-04-01", Some(14.97), Some(20.28)),
    ("2020-04-02", Some(20.24), Some(25.18)),
    ("2020-04-03", Some(24.33), Some(28.36)),
    ("2020-04-06", Some(22.58), Some(26.21)),
    ("2020-04-07", Some(22.1), Some(23.54)),
    ("2020-04-08", Some(25.22), Some(24.97)),
    ("2020-04-09", Some(20.23), Some(22.9)),
    ("2020-04-10", None, None),
    ("2020-04-13", None, Some(22.36)),
    ("2020-04-14", Some(21.74), Some(20.15)),
    ("2020-04-15", Some(19.8), Some(19.96)),
    ("2020-04-16", Some(18.69), Some(19.82)),
    ("2020-04-17", Some(19.75), Some(18.31)),
    ("2020-04-20", Some(17.36), Some(-36.98)),
    ("2020-04-21", Some(9.12), Some(8.91)),
];

/// `(date, Option<price>)` for every weekday of the fixture, for `brent` (true) or WTI.
pub fn history(brent: bool) -> Vec<(NaiveDate, Option<f64>)> {
    let mut out = Vec::new();
    let mut day = d("2018-06-01");
    let mut t = 0.0_f64;
    while day <= d("2020-06-30") {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            t += 1.0;
            let base = if brent { 62.0 } else { 57.0 };
            let wiggle =
                4.0 * (t / 9.0).sin() + 1.5 * (t / 2.3).cos() + ((t as i64 * 7919) % 13) as f64 * 0.11;
            let mut price = Some(((base + wiggle) * 100.0).round() / 100.0);
            if let Some(r) = REAL.iter().find(|r| d(r.0) == day) {
                price = if brent { r.1 } else { r.2 };
            }
            out.push((day, price));
        }
        day += Duration::days(1);
    }
    out
}

/// Trading days only (blank rows dropped): the calendar oilcorr must work in.
pub fn trading_days(brent: bool) -> Vec<(NaiveDate, f64)> {
    history(brent)
        .into_iter()
        .filter_map(|(d, p)| Some((d, p?)))
        .collect()
}

/// FRED graph CSV body for `id` within `[from, to]`; `old_format` uses `DATE` and `.` for blanks.
pub fn fred_csv(id: &str, from: NaiveDate, to: NaiveDate, old_format: bool) -> Option<String> {
    let (brent, scale) = match id {
        "DCOILBRENTEU" => (true, 1.0),
        "DCOILWTICO" => (false, 1.0),
        // A stand-in for another FRED series (an equity index): Brent's shape at 50 times the level.
        "SP500" => (true, 50.0),
        _ => return None,
    };
    let mut body = if old_format {
        format!("DATE,{id}\n")
    } else {
        format!("observation_date,{id}\n")
    };
    for (day, p) in history(brent).into_iter().filter(|(x, _)| *x >= from && *x <= to) {
        let v = match p {
            Some(p) => format!("{:.2}", p * scale),
            None if old_format => ".".to_string(),
            None => String::new(),
        };
        body.push_str(&format!("{day},{v}\n"));
    }
    Some(body)
}

/// A handler serving the fixture at `/graph/fredgraph.csv`.
pub fn fred_handler(old_format: bool) -> impl Fn(&str) -> super::server::Response + Send + Sync + 'static {
    move |target: &str| {
        use super::server::query;
        if !target.starts_with("/graph/fredgraph.csv") {
            return (404, "text/plain", "not found".into());
        }
        let from = query(target, "cosd").map_or(d("1900-01-01"), d);
        let to = query(target, "coed").map_or(d("2100-01-01"), d);
        match query(target, "id").and_then(|id| fred_csv(id, from, to, old_format)) {
            Some(body) => (200, "text/csv", body),
            None => (404, "text/plain", "unknown series".into()),
        }
    }
}

/// Stand-in front-month futures: the fixture's spot price plus 1.25 US$ on the same days (only the
/// wire formats of the futures sources are real, as in the shared price mirror).
pub fn futures_history(brent: bool) -> Vec<(NaiveDate, Option<f64>)> {
    history(brent)
        .into_iter()
        .map(|(d, p)| (d, p.map(|p| ((p + 1.25) * 100.0).round() / 100.0)))
        .collect()
}

/// Weekday observations of the series with FRED id `fred_id` (or EIA code, datahub name or Yahoo
/// symbol).
pub fn series_rows(name: &str, from: NaiveDate, to: NaiveDate) -> Option<Vec<(NaiveDate, Option<f64>)>> {
    let rows = match name {
        "DCOILBRENTEU" | "RBRTE" | "brent" => history(true),
        "DCOILWTICO" | "RWTC" | "wti" => history(false),
        "BZ=F" => futures_history(true),
        "CL=F" | "RCLC1" => futures_history(false),
        _ => return None,
    };
    Some(rows.into_iter().filter(|(d, _)| *d >= from && *d <= to).collect())
}

/// FRED API JSON for the fixture: every weekday, "." for holidays, values as strings.
pub fn fred_api_json(target: &str) -> super::server::Response {
    use super::server::query;
    if query(target, "api_key").is_none_or(|k| k.len() != 32) {
        let msg = r#"{"error_code":400,"error_message":"Bad Request.  The value for variable api_key is not registered."}"#;
        return (400, "text/xml;charset=utf-8", msg.into());
    }
    let from = query(target, "observation_start").map_or(d("1900-01-01"), d);
    let to = query(target, "observation_end").map_or(d("2100-01-01"), d);
    let Some(rows) = query(target, "series_id").and_then(|id| series_rows(id, from, to)) else {
        return (
            400,
            "application/json",
            r#"{"error_code":400,"error_message":"Bad Request.  The series does not exist."}"#.into(),
        );
    };
    let obs: Vec<String> = rows
        .iter()
        .map(|(day, p)| {
            let v = p.map_or(".".to_string(), |p| format!("{p:.2}"));
            format!(r#"{{"realtime_start":"2026-11-26","realtime_end":"2026-11-26","date":"{day}","value":"{v}"}}"#)
        })
        .collect();
    let body = format!(
        r#"{{"count":{},"offset":0,"limit":100000,"observations":[{}]}}"#,
        obs.len(),
        obs.join(",")
    );
    (200, "application/json", body)
}

/// EIA v2 JSON for the fixture, trading days only, at most `page` rows per answer whatever `length`
/// asks; `total` alternates between a string and a number, values between strings and numbers.
pub fn eia_json(target: &str, page: usize) -> super::server::Response {
    use super::server::query;
    if query(target, "api_key").is_none_or(str::is_empty) {
        let msg = r#"{"error":{"code":"API_KEY_MISSING","message":"No api_key was supplied.  Please register for one at https://www.eia.gov/opendata/register.php"}}"#;
        return (403, "application/json", msg.into());
    }
    let from = query(target, "start").map_or(d("1900-01-01"), d);
    let to = query(target, "end").map_or(d("2100-01-01"), d);
    let series = query(target, "facets%5Bseries%5D%5B%5D").or_else(|| query(target, "facets[series][]"));
    // Futures contracts only on the futures route, spot only on the spot route.
    let route_fits = (series == Some("RCLC1")) == target.contains("/pri/fut/");
    let Some(rows) = series
        .and_then(|s| series_rows(s, from, to))
        .filter(|_| route_fits)
    else {
        return (
            400,
            "application/json",
            r#"{"error": "Invalid facet.", "code": 400}"#.into(),
        );
    };
    let rows: Vec<(NaiveDate, f64)> = rows.into_iter().filter_map(|(d, p)| Some((d, p?))).collect();
    let offset: usize = query(target, "offset").and_then(|o| o.parse().ok()).unwrap_or(0);
    let length: usize = query(target, "length")
        .and_then(|o| o.parse().ok())
        .unwrap_or(5000);
    let slice = rows.iter().skip(offset).take(length.min(page));
    let data: Vec<String> = slice
        .enumerate()
        .map(|(i, (day, p))| {
            let v = if i % 2 == 0 {
                format!(r#""{p:.2}""#)
            } else {
                format!("{p:.2}")
            };
            format!(r#"{{"period":"{day}","series":"X","value":{v},"units":"$/BBL"}}"#)
        })
        .collect();
    let total = if (offset / page).is_multiple_of(2) {
        format!(r#""{}""#, rows.len())
    } else {
        rows.len().to_string()
    };
    let key = query(target, "api_key").unwrap_or("");
    let body = format!(
        r#"{{"response":{{"total":{total},"dateFormat":"YYYY-MM-DD","frequency":"daily","data":[{}]}},"request":{{"command":"/v2/petroleum/pri/spt/data/","params":{{"api_key":"{key}"}}}},"apiVersion":"2.1.8"}}"#,
        data.join(",")
    );
    (200, "application/json", body)
}

/// datahub CSV (CRLF, trading days only, trailing zeros dropped) for `brent` or `wti`.
pub fn datahub_csv(name: &str) -> Option<String> {
    let rows = series_rows(name, d("1900-01-01"), d("2100-01-01"))?;
    let mut body = String::from("Date,Price\r\n");
    for (day, p) in rows {
        if let Some(p) = p {
            body.push_str(&format!("{day},{p}\r\n"));
        }
    }
    Some(body)
}

/// One handler for every source's path on the fixture history (EIA pages of `eia_page` rows).
pub fn all_sources(eia_page: usize) -> impl Fn(&str) -> super::server::Response + Send + Sync + 'static {
    let fred = fred_handler(false);
    move |target: &str| {
        if target.starts_with("/graph/fredgraph.csv") {
            fred(target)
        } else if target.starts_with("/fred/series/observations") {
            fred_api_json(target)
        } else if target.starts_with("/v2/petroleum/pri/spt/data/")
            || target.starts_with("/v2/petroleum/pri/fut/data/")
        {
            eia_json(target, eia_page)
        } else if target.starts_with("/v8/finance/chart/") {
            crate::futures::yahoo_json(target)
        } else if let Some(name) = target
            .strip_prefix("/core/oil-prices/r/")
            .and_then(|n| n.strip_suffix("-daily.csv"))
        {
            datahub_csv(name).map_or((404, "text/plain", "no".into()), |b| (200, "text/csv", b))
        } else {
            (404, "text/plain", "not found".into())
        }
    }
}
