//! Front-month futures: Yahoo's chart format (with its quirks) and EIA's futures route served on
//! loopback, run end to end, and labelled as futures in every output.

use crate::fixtures::{all_sources, d, futures_history};
use crate::server::{query, Server};
use crate::util::{ok, read_csv, Env};
use chrono::{NaiveDate, TimeZone};

/// Epoch seconds of `day` at `h`:00 New York time.
fn ny(day: NaiveDate, h: u32) -> i64 {
    let local = day.and_hms_opt(h, 0, 0).unwrap();
    chrono_tz::America::New_York
        .from_local_datetime(&local)
        .earliest()
        .unwrap()
        .timestamp()
}

/// Yahoo chart JSON for `/v8/finance/chart/{BZ=F|CL=F}?period1=..&period2=..&interval=1d`: daily
/// bars stamped 00:00 New York of each weekday in `[period1, period2)`, holidays as null closes, the
/// 9 March 2020 bar stamped 23:00 the evening before (Yahoo's DST slip), and one bar after period2
/// (Yahoo appends the latest price).
pub fn yahoo_json(target: &str) -> crate::server::Response {
    let path = target.split('?').next().unwrap_or("");
    let symbol = path.trim_start_matches("/v8/finance/chart/").replace("%3D", "=");
    let brent = match symbol.as_str() {
        "BZ=F" => true,
        "CL=F" => false,
        _ => {
            let body = r#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#;
            return (404, "application/json", body.into());
        }
    };
    let p1: i64 = query(target, "period1").and_then(|v| v.parse().ok()).unwrap_or(0);
    let p2: i64 = query(target, "period2")
        .and_then(|v| v.parse().ok())
        .unwrap_or(i64::MAX);
    let bars: Vec<(i64, Option<f64>)> = futures_history(brent)
        .into_iter()
        .map(|(day, p)| {
            let slip = day == d("2020-03-09");
            let ts = if slip {
                ny(day.pred_opt().unwrap(), 23)
            } else {
                ny(day, 0)
            };
            (ts, p)
        })
        .collect();
    let inside = bars.iter().filter(|(ts, _)| *ts >= p1 && *ts < p2);
    let after = bars.iter().find(|(ts, _)| *ts >= p2);
    let shown: Vec<&(i64, Option<f64>)> = inside.chain(after).collect();
    let ts: Vec<String> = shown.iter().map(|(t, _)| t.to_string()).collect();
    let close: Vec<String> = shown
        .iter()
        .map(|(_, p)| p.map_or("null".into(), |p| format!("{p}")))
        .collect();
    let body = format!(
        r#"{{"chart":{{"result":[{{"meta":{{"currency":"USD","symbol":"{symbol}","exchangeName":"NYM",
        "instrumentType":"FUTURE","firstTradeDate":967003200,"gmtoffset":-18000,"timezone":"EST",
        "exchangeTimezoneName":"America/New_York","priceHint":2,"dataGranularity":"1d","range":""}},
        "timestamp":[{}],"indicators":{{"quote":[{{"close":[{}]}}],"adjclose":[{{"adjclose":[{}]}}]}}}}],
        "error":null}}}}"#,
        ts.join(","),
        close.join(","),
        close.join(",")
    );
    (200, "application/json", body)
}

/// The served futures price of `day`.
fn served(brent: bool, day: &str) -> f64 {
    let rows = futures_history(brent);
    rows.iter().find(|(x, _)| *x == d(day)).unwrap().1.unwrap()
}

#[test]
fn yahoo_futures_run_end_to_end_and_are_labelled_as_futures() {
    let server = Server::start(all_sources(1000));
    let env = Env::new();
    let args = [
        "run",
        "--series",
        "brent-fut,wti-fut",
        "--source",
        "yahoo",
        "--from",
        "2020-03-01",
        "--to",
        "2020-05-31",
        "--report",
    ];
    ok(env.cmd(&server.url, &args).env("OILCORR_YAHOO_URL", &server.url));
    assert!(server
        .targets()
        .iter()
        .any(|t| t.starts_with("/v8/finance/chart/BZ=F")));

    // Day 0 of Trump's 2 April tweet (14:32 UTC, before the 14:30 New York settlement) is 2 April.
    let joined = read_csv(&env.path("data/exports/joined.csv"));
    for (series, brent) in [("brent-fut", true), ("wti-fut", false)] {
        let row = joined
            .iter()
            .find(|r| r["series"] == series && r["statement_time"].starts_with("2020-04-02T14:32"))
            .unwrap_or_else(|| panic!("{series}: no row for the 2 April tweet"));
        assert_eq!(row["event_date"], "2020-04-02");
        let price: f64 = row["close_event"].parse().unwrap();
        assert_eq!(price, served(brent, "2020-04-02"));
    }
    // The cache holds trading days only: no null (Good Friday) bar, the slipped bar on its own day,
    // nothing past the request.
    let cached = std::fs::read_to_string(env.path("data/prices/wti-fut.csv")).unwrap();
    assert!(!cached.contains("2020-04-10"), "the null bar was dropped");
    assert!(cached.contains(&format!("2020-03-09,{}", served(false, "2020-03-09"))));
    let meta = std::fs::read_to_string(env.path("data/prices/wti-fut.meta.csv")).unwrap();
    assert!(
        meta.contains("yahoo") && meta.contains("/v8/finance/chart/CL=F"),
        "{meta}"
    );

    let report = std::fs::read_to_string(env.path("data/exports/report.html")).unwrap();
    assert!(report.contains("front-month futures settlements (NYMEX Brent Last Day Financial BZ=F"));
    assert!(report.contains("not spot") && !report.contains("EIA daily spot prices"));
    assert!(report.contains("stitched at each roll"));
}

#[test]
fn eia_futures_route_serves_wti_contract_1_and_nothing_else_is_promised() {
    let server = Server::start(all_sources(1000));
    let env = Env::new();
    let args = [
        "run",
        "--series",
        "wti-fut",
        "--source",
        "eia",
        "--from",
        "2020-03-01",
        "--to",
        "2020-05-31",
        "--no-charts",
    ];
    ok(env
        .cmd(&server.url, &args)
        .env("OILCORR_EIA_URL", &server.url)
        .env("EIA_API_KEY", "k"));
    assert!(server
        .targets()
        .iter()
        .all(|t| t.starts_with("/v2/petroleum/pri/fut/data/")));
    let joined = read_csv(&env.path("data/exports/joined.csv"));
    assert!(!joined.is_empty() && joined.iter().all(|r| r["series"] == "wti-fut"));

    // Brent futures are not on EIA's route, and spot is not on Yahoo: refused before any request.
    for (source, series) in [("eia", "brent-fut"), ("yahoo", "brent"), ("fred", "wti-fut")] {
        let hits = server.hits();
        let args = [
            "fetch",
            "--series",
            series,
            "--source",
            source,
            "--from",
            "2020-03-01",
        ];
        let out = env
            .cmd(&server.url, &args)
            .env("OILCORR_EIA_URL", &server.url)
            .env("OILCORR_YAHOO_URL", &server.url)
            .env("EIA_API_KEY", "k")
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{source} {series}");
        assert!(
            err.contains(&format!("--source {source} has no series {series}")),
            "{err}"
        );
        assert_eq!(server.hits(), hits, "refused before any request");
    }
}
