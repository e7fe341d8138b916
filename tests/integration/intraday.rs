//! Intraday windows end to end: a generated minute-bar file (New York wall clock, written as UTC
//! instants, across the March 2020 DST change) with a 3 % jump planted in the 10:32 bar of 2 April
//! 2020, and a statement at 10:32:30. Expected values come from the generator, not from oilcorr.

use crate::util::{ok, read_csv, Env};
use chrono::{Datelike, NaiveDate, TimeZone};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Weekdays from 2 March to 3 April 2020.
pub fn days() -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut day = d("2020-03-02");
    while day <= d("2020-04-03") {
        if day.weekday().number_from_monday() <= 5 {
            out.push(day);
        }
        day += chrono::Duration::days(1);
    }
    out
}

/// Close of the bar starting `minute` minutes after 09:00 New York on trading day `k`.
pub fn close(k: usize, minute: u32, day: NaiveDate) -> f64 {
    let wiggle = 0.002 * (0.7 * minute as f64 + 1.3 * k as f64).sin() + 0.00001 * minute as f64;
    let jump = if day == d("2020-04-02") && minute >= 92 {
        1.03
    } else {
        1.0
    };
    20.0 * wiggle.exp() * jump
}

/// The minute-bar file: 09:00–15:59 New York, one bar per minute; `halt` drops 2 April's bars from
/// 09:40 to 10:20.
fn minute_file(halt: bool) -> String {
    let mut body = String::from("ts_event,open,high,low,close,volume\n");
    for (t, c) in minute_bars(halt) {
        let utc = chrono::DateTime::from_timestamp(t, 0).unwrap();
        body.push_str(&format!(
            "{},{c},{c},{c},{c},10\n",
            utc.format("%Y-%m-%dT%H:%M:%SZ")
        ));
    }
    body
}

/// `(bar start, close)` of every bar of the generated history (see [`minute_file`]).
pub fn minute_bars(halt: bool) -> Vec<(i64, f64)> {
    let ny = chrono_tz::America::New_York;
    let mut bars = Vec::new();
    for (k, day) in days().into_iter().enumerate() {
        for minute in 0..420u32 {
            if halt && day == d("2020-04-02") && (40..80).contains(&minute) {
                continue;
            }
            let wall = day.and_hms_opt(9, 0, 0).unwrap() + chrono::Duration::minutes(minute.into());
            let t = ny.from_local_datetime(&wall).unwrap().timestamp();
            bars.push((t, close(k, minute, day)));
        }
    }
    bars
}

/// ln(close at the end edge / close at the start edge) for a statement at 10:32:30 on day `k`, the
/// window being [-a, +b] minutes: the last bars ended by 10:32:30 − a and by 10:32:30 + b.
pub fn window_return(k: usize, a: u32, b: u32) -> f64 {
    let day = days()[k];
    // A bar starting at minute m ends at m + 1; by 92.5 − a the last ended bar started at 91 − a.
    let (m0, m1) = (92 - a - 1, 92 + b - 1);
    (close(k, m1, day) / close(k, m0, day)).ln()
}

fn run(env: &Env, halt: bool) -> Vec<std::collections::HashMap<String, String>> {
    env.write("cl-1m.csv", &minute_file(halt));
    env.write(
        "s.csv",
        "id,time,speaker,text\ntweet,2020-04-02T14:32:30Z,Donald Trump,Expects a cut of 10 million barrels\n",
    );
    let args = [
        "intraday",
        "--bars",
        "wti-fut=cl-1m.csv",
        "--statements",
        "s.csv",
        "--window",
        "-5m,+5m",
        "--window",
        "-30m,+120m",
    ];
    ok(&mut env.local(&args));
    read_csv(&env.path("data/exports/intraday.csv"))
}

#[test]
fn the_planted_jump_is_found_in_its_bar_against_the_same_clock_window_of_previous_days() {
    let env = Env::new();
    let rows = run(&env, false);
    assert_eq!(rows.len(), 2);
    let short = rows.iter().find(|r| r["window"] == "-5m,+5m").unwrap();
    assert_eq!(short["event_bar"], "2020-04-02T14:32:00Z");
    // 2 April is trading day 23 (0-based); the baseline is days 3..=22 at the same New York time.
    let event = window_return(23, 5, 5);
    let num = |k: &str| short[k].parse::<f64>().unwrap();
    assert!((num("log_return") - event).abs() < 1e-12);
    assert!(
        (event - 1.03_f64.ln()).abs() < 0.01,
        "the jump dominates the window"
    );
    let base: Vec<f64> = (3..23).map(|k| window_return(k, 5, 5)).collect();
    let mean = base.iter().sum::<f64>() / 20.0;
    let sd = (base.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 19.0).sqrt();
    assert_eq!(short["baseline_n"], "20");
    assert!((num("baseline_mean") - mean).abs() < 1e-12);
    assert!((num("baseline_sd") - sd).abs() < 1e-12);
    assert!((num("abnormal_return") - (event - mean)).abs() < 1e-12);
    assert!((num("t_stat") - (event - mean) / sd).abs() < 1e-6);
    assert_eq!(num("placebo_p"), 1.0 / 21.0, "no baseline window moved as far");
    // The start price is the close of the bar that ended by 10:27:30 New York (14:27 UTC).
    assert_eq!(short["start_at"], "2020-04-02T14:27:00Z");

    crate::util::assert_chart(&env.path("charts/intraday/tweet-wti-fut.png"), (1200, 700));
    // Across statements (here one): no cross-section with N = 1, and the randomization p is the
    // chance of drawing the event window, the only one moving this far: 1/21 up to Monte Carlo error.
    let summary = read_csv(&env.path("data/exports/intraday_summary.csv"));
    let group = summary.iter().find(|r| r["window"] == "-5m,+5m").unwrap();
    assert_eq!(
        (group["n_statements"].as_str(), group["bmp_p"].as_str()),
        ("1", "")
    );
    let p: f64 = group["randomization_p"].parse().unwrap();
    assert!((p - 1.0 / 21.0).abs() < 0.01, "{p}");
    let long = rows.iter().find(|r| r["window"] == "-30m,+120m").unwrap();
    let r: f64 = long["log_return"].parse().unwrap();
    assert!((r - window_return(23, 30, 120)).abs() < 1e-12);
}

#[test]
fn a_halt_before_the_window_leaves_it_undefined_not_interpolated() {
    let env = Env::new();
    let rows = run(&env, true);
    let long = rows.iter().find(|r| r["window"] == "-30m,+120m").unwrap();
    assert_eq!(long["log_return"], "");
    assert!(
        long["note"].contains("no bar ended within 15 min before the window's start"),
        "{}",
        long["note"]
    );
    let short = rows.iter().find(|r| r["window"] == "-5m,+5m").unwrap();
    assert!(
        !short["log_return"].is_empty(),
        "the short window is after the halt"
    );
}

#[test]
fn yahoo_minute_bars_are_fetched_in_seven_day_pieces_and_give_the_same_answer() {
    let server = crate::server::Server::start(crate::fixtures::all_sources(1000));
    let env = Env::new();
    env.write(
        "s.csv",
        "id,time,speaker,text\ntweet,2020-04-02T14:32:30Z,Donald Trump,Expects a cut of 10 million barrels\n",
    );
    let args = [
        "intraday",
        "--yahoo",
        "wti-fut",
        "--statements",
        "s.csv",
        "--window",
        "-5m,+5m",
        "--no-charts",
    ];
    ok(env.local(&args).env("OILCORR_YAHOO_URL", &server.url));
    let spans: Vec<i64> = server
        .targets()
        .iter()
        .map(|t| {
            let q = |k| crate::server::query(t, k).unwrap().parse::<i64>().unwrap();
            q("period2") - q("period1")
        })
        .collect();
    assert!(
        spans.len() >= 5 && spans.iter().all(|s| *s <= 7 * 86_400),
        "{spans:?}"
    );
    let rows = read_csv(&env.path("data/exports/intraday.csv"));
    let r: f64 = rows[0]["log_return"].parse().unwrap();
    assert!((r - window_return(23, 5, 5)).abs() < 1e-12);
    assert_eq!(rows[0]["baseline_n"], "20");
}
