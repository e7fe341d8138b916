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
    if query(target, "interval") == Some("1m") {
        return yahoo_minutes(&symbol, (p1, p2));
    }
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

/// Yahoo's 1-minute answer for `[p1, p2)` from the intraday generator (tests/integration/intraday.rs),
/// with Yahoo's habits: at most 7 days per request (else a 422 with Yahoo's text), a null bar each
/// day at 12:20 New York, and a live partial bar 30 s after the last one repeating its close.
fn yahoo_minutes(symbol: &str, (p1, p2): (i64, i64)) -> crate::server::Response {
    if p2 - p1 > 7 * 86_400 {
        let body = r#"{"chart":{"result":null,"error":{"code":"Unprocessable Entity","description":"1m data not available for startTime and endTime. Only 7 days worth of 1m granularity data are allowed to be fetched per request."}}}"#;
        return (422, "application/json", body.into());
    }
    let noon_20 = chrono::NaiveTime::from_hms_opt(12, 20, 0).unwrap();
    let ny = chrono_tz::America::New_York;
    let mut bars: Vec<(i64, Option<f64>)> = crate::intraday::minute_bars(false)
        .into_iter()
        .filter(|(t, _)| (p1..p2).contains(t))
        .map(|(t, c)| {
            (
                t,
                (ny.timestamp_opt(t, 0).unwrap().time() != noon_20).then_some(c),
            )
        })
        .collect();
    if let Some(&(t, c)) = bars.last() {
        bars.push((t + 30, c));
    }
    let ts: Vec<String> = bars.iter().map(|b| b.0.to_string()).collect();
    let close: Vec<String> = bars
        .iter()
        .map(|b| b.1.map_or("null".into(), |c| c.to_string()))
        .collect();
    let body = format!(
        r#"{{"chart":{{"result":[{{"meta":{{"symbol":"{symbol}","exchangeTimezoneName":"America/New_York",
        "dataGranularity":"1m"}},"timestamp":[{}],"indicators":{{"quote":[{{"close":[{}]}}]}}}}],"error":null}}}}"#,
        ts.join(","),
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

    // Yahoo's CL=F switches from May to June after 21 April 2020 (NYMEX: 25 April a Saturday, so
    // four trading days before it): the 22 April row says its window holds a roll.
    let roll_row = joined
        .iter()
        .find(|r| r["series"] == "wti-fut" && r["statement_time"].starts_with("2020-04-22"))
        .unwrap();
    assert!(
        roll_row["note"].contains("contract roll (2020-04-22)"),
        "{}",
        roll_row["note"]
    );
    // --exclude-rolls leaves about one roll a month out of a year-long estimation window.
    let n = |rows: &[std::collections::HashMap<String, String>]| -> i64 {
        let r = rows
            .iter()
            .find(|r| r["series"] == "wti-fut" && r["statement_time"].starts_with("2020-04-02T14:32"));
        r.unwrap()["estimation_n"].parse().unwrap()
    };
    let mut again: Vec<&str> = args.to_vec();
    again.extend(["--exclude-rolls", "--offline", "--no-charts"]);
    ok(&mut env.local(&again));
    let fewer = n(&joined) - n(&read_csv(&env.path("data/exports/joined.csv")));
    assert!((10..=13).contains(&fewer), "{fewer} roll days left out");
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

/// Daily settlements of two WTI contracts on every weekday from 2019-01-02 to 2020-06-30: May
/// (`CLK0`, last bar 2020-04-21) and June (`CLM0`, 30 % above May throughout: a contrived contango).
/// Both share a small deterministic wiggle; on 2020-04-22, the first day June is held, June rises
/// exactly 2 % and on the 23rd exactly 1 %. `front_only` keeps one row per day (May, then June).
fn two_contracts(front_only: bool) -> String {
    let mut body = String::from("Trade Date,Contract,Settle,Volume\n");
    let (mut day, mut t, mut june) = (d("2019-01-02"), 0.0_f64, 0.0_f64);
    while day <= d("2020-06-30") {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            t += 1.0;
            let may = 20.0 * (0.01 * (t / 3.0).sin()).exp();
            june = match day.to_string().as_str() {
                "2020-04-22" => june * 1.02,
                "2020-04-23" => june * 1.01,
                _ if day > d("2020-04-23") => june * (0.003 * (t / 2.0).cos()).exp(),
                _ => 1.3 * may,
            };
            let may_held = day <= d("2020-04-21");
            if may_held {
                body.push_str(&format!("{day},CLK0,{may},500\n"));
            }
            if !(front_only && may_held) {
                body.push_str(&format!("{day},CLM0,{june},400\n"));
            }
        }
        day += chrono::Duration::days(1);
    }
    body
}

/// `joined.csv`'s row of the statement made on 2020-04-22 for `wti-fut` read from `file`.
fn roll_day_row(env: &Env, file: &str) -> std::collections::HashMap<String, String> {
    env.write(
        "roll.csv",
        "id,time,speaker,text\nroll-day,2020-04-22T12:00:00Z,Analyst,On the first day of June\n",
    );
    let prices = format!("wti-fut={file}");
    let args = [
        "run",
        "--source",
        "file",
        "--prices",
        &prices,
        "--series",
        "wti-fut",
        "--statements",
        "roll.csv",
        "--from",
        "2020-04-22",
        "--to",
        "2020-04-22",
        "--no-charts",
    ];
    ok(&mut env.local(&args));
    let rows = read_csv(&env.path("data/exports/joined.csv"));
    rows.into_iter()
        .find(|r| r["statement_id"] == "roll-day")
        .unwrap()
}

#[test]
fn returns_never_cross_a_contract_roll() {
    let env = Env::new();
    env.write("curve.csv", &two_contracts(false));
    let row = roll_day_row(&env, "curve.csv");
    assert_eq!(row["event_date"], "2020-04-22");
    // Within June: ln(1.02) on day 0 and ln(1.02 · 1.01) over [0,1]; across the roll it would be
    // ln(1.3 · 1.02) = 0.282, dominating everything.
    let log: f64 = row["log_return"].parse().unwrap();
    assert!((log - 1.02_f64.ln()).abs() < 1e-12, "day-0 log return {log}");
    let car: f64 = row["car"].parse().unwrap();
    let alpha: f64 = row["estimation_alpha"].parse().unwrap();
    assert!(
        (car - ((1.02_f64 * 1.01).ln() - 2.0 * alpha)).abs() < 1e-12,
        "CAR {car}"
    );
    let rolls = std::fs::read_to_string(env.path("data/prices/wti-fut.rolls.csv")).unwrap();
    assert!(
        rolls.starts_with("date,from,to,base\n2020-04-22,CLK0,CLM0,"),
        "{rolls}"
    );

    // Front-month rows only: no June price the day before, so no day-0 return at all.
    let env = Env::new();
    env.write("front.csv", &two_contracts(true));
    let row = roll_day_row(&env, "front.csv");
    assert_eq!(row["log_return"], "");
    assert!(row["note"].contains("contract roll"), "{}", row["note"]);
}

#[test]
fn spot_and_futures_side_by_side_each_from_its_own_source() {
    let server = Server::start(all_sources(1000));
    let env = Env::new();
    let args = [
        "run",
        "--series",
        "brent,brent-fut",
        "--source",
        "fred,yahoo",
        "--from",
        "2020-04-02",
        "--to",
        "2020-04-02",
        "--report",
    ];
    ok(env.cmd(&server.url, &args).env("OILCORR_YAHOO_URL", &server.url));
    let metas: Vec<String> = ["brent", "brent-fut"]
        .iter()
        .map(|k| std::fs::read_to_string(env.path(&format!("data/prices/{k}.meta.csv"))).unwrap())
        .collect();
    assert!(
        metas[0].contains("\nfred,") && metas[1].contains("\nyahoo,"),
        "{metas:?}"
    );
    let joined = read_csv(&env.path("data/exports/joined.csv"));
    let tweet: Vec<_> = joined
        .iter()
        .filter(|r| r["statement_time"].starts_with("2020-04-02T14:32"))
        .collect();
    assert_eq!(tweet.len(), 2, "one row per series");
    let price = |series: &str| -> f64 {
        tweet.iter().find(|r| r["series"] == series).unwrap()["close_event"]
            .parse()
            .unwrap()
    };
    // The fixture's futures are its spot prices plus 1.25.
    assert!((price("brent-fut") - price("brent") - 1.25).abs() < 1e-9);
    let report = std::fs::read_to_string(env.path("data/exports/report.html")).unwrap();
    assert!(report.contains("U.S. EIA daily spot prices (Brent RBRTE; not futures) via FRED"));
    assert!(report.contains("(NYMEX Brent Last Day Financial BZ=F; not spot) via Yahoo Finance"));
    assert!(env.path("charts/events/trump-2020-04-02a.png").is_file());
}
