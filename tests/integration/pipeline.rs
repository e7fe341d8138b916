//! End-to-end runs of `oilcorr run` on the fixture price history.

use crate::fixtures::{d, fred_handler, trading_days};
use crate::reference;
use crate::server::Server;
use crate::util::{assert_chart, ok, png_size, read_csv, Env};
use std::collections::HashMap;

type Row = HashMap<String, String>;

fn find<'a>(rows: &'a [Row], id: &str, series: &str) -> &'a Row {
    rows.iter()
        .find(|r| r["statement_id"] == id && r["series"] == series)
        .unwrap_or_else(|| panic!("{id}/{series}"))
}

fn num(r: &Row, col: &str) -> f64 {
    r[col].parse().unwrap_or_else(|_| panic!("{col} = '{}'", r[col]))
}

#[track_caller]
fn close(have: f64, want: f64) {
    assert!((have - want).abs() < 1e-9, "have {have}, want {want}");
}

const APRIL: [&str; 5] = ["run", "--from", "2020-03-01", "--to", "2020-05-31"];

#[test]
fn april_2020_matches_real_prices_and_the_reference_statistics() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    ok(&mut env.cmd(&server.url, &APRIL));
    let rows = read_csv(&env.path("data/exports/joined.csv"));

    let b = find(&rows, "trump-2020-04-02a", "brent");
    let w = find(&rows, "trump-2020-04-02a", "wti");
    assert_eq!(
        (b["event_date"].as_str(), w["event_date"].as_str()),
        ("2020-04-02", "2020-04-02")
    );
    assert_eq!((num(b, "close_before"), num(b, "close_event")), (14.97, 20.24));
    assert_eq!((num(w, "close_before"), num(w, "close_event")), (20.28, 25.18));
    close(num(b, "simple_return"), 20.24 / 14.97 - 1.0);
    close(num(b, "log_return"), (20.24f64 / 14.97).ln());

    for (row, brent) in [(b, true), (w, false)] {
        let want = reference::mean_adjusted(&trading_days(brent), d("2020-04-02"));
        close(num(row, "close_before"), want.close_before);
        close(num(row, "close_event"), want.close_event);
        close(num(row, "abnormal_return"), want.ar);
        close(num(row, "t_stat"), want.t);
        close(num(row, "car"), want.car);
        close(num(row, "car_t_stat"), want.car_t);
        assert_eq!(row["estimation_n"], want.m.to_string());
        assert!(
            num(row, "p_value") < 1e-6,
            "a 30% jump is far outside normal moves"
        );
    }

    // The Sunday deal: WTI traded on Easter Monday, Brent did not.
    assert_eq!(
        find(&rows, "opecplus-2020-04-12", "wti")["event_date"],
        "2020-04-13"
    );
    assert_eq!(
        find(&rows, "opecplus-2020-04-12", "brent")["event_date"],
        "2020-04-14"
    );
    // Saturday price cut lands on Monday.
    assert_eq!(
        find(&rows, "aramco-2020-03-07", "brent")["event_date"],
        "2020-03-09"
    );

    assert_every_chart(&env, &rows);
}

/// One row per statement and series, and every chart of the run drawn at its default size.
fn assert_every_chart(env: &Env, rows: &[std::collections::HashMap<String, String>]) {
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["statement_id"].as_str()).collect();
    assert_eq!(rows.len(), ids.len() * 2);
    assert_eq!(png_size(&env.path("charts/timeline.png")).0, 1600);
    for id in ids {
        assert_chart(&env.path(&format!("charts/events/{id}.png")), (1200, 760));
    }
    let timeline = env.path("charts/timeline.png");
    assert_chart(&timeline, (1600, png_size(&timeline).1));
    for kind in ["caar", "cars", "stance"] {
        for series in ["brent", "wti"] {
            assert_chart(
                &env.path(&format!("charts/summary/{kind}-{series}.png")),
                (1200, 700),
            );
        }
    }
}

#[test]
fn reruns_reuse_the_cache_and_offline_needs_no_server() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    ok(&mut env.cmd(&server.url, &APRIL));
    let first = std::fs::read(env.path("data/exports/joined.csv")).unwrap();
    let hits = server.hits();
    assert_eq!(hits, 2, "one request per series");

    ok(&mut env.cmd(&server.url, &APRIL));
    assert_eq!(server.hits(), hits, "a covered rerun makes no request");

    let mut offline: Vec<&str> = APRIL.to_vec();
    offline.extend(["--offline", "--no-charts"]);
    ok(&mut env.local(&offline));
    assert_eq!(std::fs::read(env.path("data/exports/joined.csv")).unwrap(), first);
}

#[test]
fn old_fred_header_and_dot_blanks_give_identical_results() {
    let new = Server::start(fred_handler(false));
    let old = Server::start(fred_handler(true));
    let (a, b) = (Env::new(), Env::new());
    let mut args = APRIL.to_vec();
    args.push("--no-charts");
    ok(&mut a.cmd(&new.url, &args));
    ok(&mut b.cmd(&old.url, &args));
    assert_eq!(
        std::fs::read(a.path("data/exports/joined.csv")).unwrap(),
        std::fs::read(b.path("data/exports/joined.csv")).unwrap()
    );
}

#[test]
fn after_close_statement_and_negative_wti() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    // Friday 17 April 2020, 20:00 UTC: after both closes, so day 0 is Monday 20 April (WTI -36.98).
    env.write(
        "s.csv",
        "id,time,speaker,text,stance\nlate,2020-04-17T16:00:00-04:00,Someone,After the close,down\n",
    );
    let args = [
        "run",
        "--statements",
        "s.csv",
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-30",
        "--no-charts",
    ];
    ok(&mut env.cmd(&server.url, &args));
    let rows = read_csv(&env.path("data/exports/joined.csv"));
    let w = find(&rows, "late", "wti");
    assert_eq!(w["event_date"], "2020-04-20");
    assert_eq!(num(w, "close_event"), -36.98);
    // 18.31 → −36.98 is no return at all, simple or log (not −302 %).
    assert_eq!(
        (
            w["simple_return"].as_str(),
            w["log_return"].as_str(),
            w["abnormal_return"].as_str(),
            w["car"].as_str()
        ),
        ("", "", "", "")
    );
    assert!(w["note"].contains("price <= 0"), "{}", w["note"]);
    assert_eq!(w["stance"], "down");
    let b = find(&rows, "late", "brent");
    assert_eq!(b["event_date"], "2020-04-20");
    close(num(b, "log_return"), (17.36f64 / 19.75).ln());
}

#[test]
fn hostile_ids_never_write_outside_the_charts_folder() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write(
        "s.csv",
        "id,time,speaker,text\n../../escape,2020-04-02,X,t\na/b,2020-04-03,Y,u\n",
    );
    let args = [
        "run",
        "--statements",
        "s.csv",
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-30",
    ];
    ok(&mut env.cmd(&server.url, &args));
    assert!(env.path("charts/events/______escape.png").exists());
    assert!(env.path("charts/events/a_b.png").exists());
    assert!(!env.dir.path().parent().unwrap().join("escape.png").exists());
}

#[test]
fn help_lists_every_option() {
    let out = Env::new().local(&["run", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--from",
        "--to",
        "--statements",
        "--series",
        "--offline",
        "--data-dir",
        "--exports-dir",
        "--charts-dir",
        "--fred-url",
        "--car-window",
        "--estimation-window",
        "--close",
    ] {
        assert!(help.contains(flag), "{flag} missing from run --help");
    }
}

#[test]
fn spread_and_other_fred_series_join_the_analysis() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let args = [
        "run",
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-30",
        "--series",
        "wti,spread,SP500",
    ];
    let out = ok(&mut env.cmd(&server.url, &args));
    assert!(String::from_utf8_lossy(&out.stderr).contains("SP500 not drawn"));
    let rows = read_csv(&env.path("data/exports/joined.csv"));
    let s = find(&rows, "trump-2020-04-02a", "spread");
    close(num(s, "close_event"), 20.24 - 25.18);
    close(num(s, "close_before"), 14.97 - 20.28);
    let sp = find(&rows, "trump-2020-04-02a", "SP500");
    close(num(sp, "close_event"), 20.24 * 50.0);
    assert_eq!(sp["event_date"], "2020-04-02");
    assert_eq!(find(&rows, "trump-2020-04-02a", "wti")["close_event"], "25.18");
    assert!(env.path("charts/timeline.png").exists());
    // EIA does not publish other FRED series: a clear error before any request.
    let out = env
        .cmd(
            &server.url,
            &[
                "fetch",
                "--from",
                "2020-04-01",
                "--series",
                "SP500",
                "--source",
                "eia",
            ],
        )
        .env("EIA_API_KEY", "k")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("--source eia has no series SP500"),
        "{err}"
    );
}

#[test]
fn a_statement_after_the_last_price_gets_no_empty_event_chart() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write(
        "s.csv",
        "id,time,speaker,text\nin-range,2020-04-02T14:32:00Z,A,Inside\nlate,2020-06-30T23:00:00Z,B,After the last close\n",
    );
    let out = ok(&mut env.cmd(&server.url, &["run", "--statements", "s.csv"]));
    assert!(env.path("charts/events/in-range.png").is_file());
    assert!(!env.path("charts/events/late.png").exists(), "no empty frame");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("gets no event chart"), "{err}");
}

/// The chart files under `charts/` of `env`, as sorted relative paths.
fn chart_files(env: &Env) -> Vec<String> {
    let root = env.path("charts");
    let mut out = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(&root).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn every_degenerate_case_gets_its_designed_charts_and_no_empty_frame() {
    let server = Server::start(fred_handler(false));
    let head = "id,time,speaker,text,stance\n";
    let case = |body: &str, extra: &[&str]| -> (Env, String) {
        let env = Env::new();
        env.write("s.csv", &format!("{head}{body}"));
        let mut args = vec!["run", "--statements", "s.csv"];
        args.extend(extra);
        let out = ok(&mut env.cmd(&server.url, &args));
        (env, String::from_utf8_lossy(&out.stderr).into_owned())
    };
    // No statements in the range: the timeline of prices only, titled without "statements".
    let (env, err) = case(
        "a,2020-04-02T14:32:00Z,A,Outside the range,up\n",
        &["--from", "2020-04-10", "--to", "2020-04-20"],
    );
    assert_eq!(chart_files(&env), ["timeline.png"]);
    assert!(
        err.contains("no statements dated 2020-04-10..2020-04-20"),
        "{err}"
    );
    // One statement: its event chart and the timeline; nothing across statements (one event day).
    let (env, _) = case("only,2020-04-02T14:32:00Z,A,One,up\n", &[]);
    assert_eq!(chart_files(&env), ["events/only.png", "timeline.png"]);
    // Thirty statements on one day, half pushing each way, on two event days per series (before and
    // after the close): thirty event charts; CARs by event day; no stance chart, since every day
    // pushed both ways (it would be an empty frame).
    let rows: String = (0..30)
        .map(|i| {
            let stance = ["up", "down"][i % 2];
            format!(
                "d{i},2020-04-02T{:02}:{:02}:00Z,S,Same day,{stance}\n",
                8 + i / 2,
                i
            )
        })
        .collect();
    let (env, _) = case(&rows, &[]);
    let files = chart_files(&env);
    assert_eq!(files.iter().filter(|f| f.starts_with("events/")).count(), 30);
    for s in ["brent", "wti"] {
        assert!(files.contains(&format!("summary/cars-{s}.png")), "{files:?}");
        assert!(!files.contains(&format!("summary/stance-{s}.png")), "{files:?}");
    }
    // One series: no chart of the other.
    let two = "a,2020-04-02T14:32:00Z,A,Up,up\nb,2020-04-09T12:00:00Z,B,Down,down\n";
    let (env, err) = case(two, &["--series", "brent"]);
    let files = chart_files(&env);
    assert!(
        files.contains(&"summary/caar-brent.png".to_string()),
        "{files:?} {err}"
    );
    assert!(!files.iter().any(|f| f.contains("wti")), "{files:?}");
    // The spread: event charts in US$ always; across-statement charts only with two event days that
    // have a CAR (its log returns exist only while the spread is positive).
    let (env, _) = case(two, &["--series", "spread"]);
    let files = chart_files(&env);
    assert!(
        files.starts_with(&["events/a.png".to_string(), "events/b.png".to_string()]),
        "{files:?}"
    );
    let rows = read_csv(&env.path("data/exports/joined.csv"));
    let with_car = rows.iter().filter(|r| !r["car"].is_empty()).count();
    let across = files.iter().filter(|f| f.starts_with("summary/")).count();
    assert_eq!(across, if with_car >= 2 { 3 } else { 0 }, "{files:?}");
}
