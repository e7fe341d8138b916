//! Nothing silently wrong: a source that pauses or sends a body cut at a line boundary leaves no
//! hole in the cache, echoed keys are hidden, a reader that closes stdout early does not stop the
//! run, spreadsheet formulas in user text are neutralised, and `--refresh` repairs a corrupt cache.

use crate::fixtures::{d, fred_csv, fred_handler, trading_days};
use crate::server::{query, Server};
use crate::util::{ok, read_csv, Env};
use chrono::NaiveDate;
use std::process::Stdio;
use std::sync::{Arc, Mutex};

/// A FRED CSV server that publishes nothing after the date in `cut` (a paused or lagging source).
fn paused_fred(cut: Arc<Mutex<NaiveDate>>) -> Server {
    Server::start(move |t: &str| {
        let from = query(t, "cosd").map_or(d("1900-01-01"), d);
        let to = query(t, "coed").map_or(d("2100-01-01"), d);
        let to = to.min(*cut.lock().unwrap());
        match query(t, "id").and_then(|id| fred_csv(id, from, to, false)) {
            Some(body) => (200, "text/csv", body),
            None => (404, "text/plain", "unknown series".into()),
        }
    })
}

/// The dates in a cache price file.
fn cached_dates(env: &Env, series: &str) -> Vec<NaiveDate> {
    read_csv(&env.path(&format!("data/prices/{series}.csv")))
        .iter()
        .map(|r| d(&r["date"]))
        .collect()
}

#[test]
fn a_source_that_pauses_for_weeks_leaves_no_hole_and_is_reported() {
    let cut = Arc::new(Mutex::new(d("2020-04-03")));
    let server = paused_fred(Arc::clone(&cut));
    let env = Env::new();
    // Prices needed: 2020-04-01 - 44 days = 2020-02-17 .. 2020-04-30 + 38 days = 2020-06-07.
    let args = [
        "fetch",
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-30",
        "--estimation-window",
        "-10,-2",
    ];
    let first = ok(&mut env.cmd(&server.url, &args));
    let err = String::from_utf8_lossy(&first.stderr);
    assert!(
        err.contains("brent: the source sent no price after 2020-04-03") && err.contains("asks again"),
        "{err}"
    );
    let meta = std::fs::read_to_string(env.path("data/prices/brent.meta.csv")).unwrap();
    assert!(
        meta.contains(",2020-02-17,2020-04-03,"),
        "coverage is what was received: {meta}"
    );

    // The source resumes: the same request fills the gap, and every trading day is there.
    *cut.lock().unwrap() = d("2100-01-01");
    ok(&mut env.cmd(&server.url, &args));
    for (series, brent) in [("brent", true), ("wti", false)] {
        let want: Vec<NaiveDate> = trading_days(brent)
            .into_iter()
            .map(|(day, _)| day)
            .filter(|day| (d("2020-02-17")..=d("2020-06-07")).contains(day))
            .collect();
        assert_eq!(cached_dates(&env, series), want, "{series}");
    }
}

#[test]
fn a_body_cut_at_a_line_boundary_is_not_counted_as_covered() {
    // Every answer stops after its 20th line, newline included: well formed, but short.
    let server = Server::start(|t: &str| {
        let (status, kind, body) = fred_handler(false)(t);
        let cut: String = body.lines().take(20).map(|l| format!("{l}\n")).collect();
        (status, kind, cut)
    });
    let env = Env::new();
    ok(&mut env.cmd(
        &server.url,
        &["fetch", "--from", "2020-04-01", "--to", "2020-04-30"],
    ));
    let rows = cached_dates(&env, "brent");
    let last = rows.last().copied().unwrap();
    let meta = std::fs::read_to_string(env.path("data/prices/brent.meta.csv")).unwrap();
    assert!(
        meta.contains(&format!(",{last},")),
        "coverage ends at {last}: {meta}"
    );
    // A complete server then fills the rest.
    let full = Server::start(fred_handler(false));
    ok(&mut env.cmd(
        &full.url,
        &["fetch", "--from", "2020-04-01", "--to", "2020-04-30"],
    ));
    assert!(cached_dates(&env, "brent").len() > rows.len() + 30);
}

#[test]
fn a_key_echoed_by_the_server_is_never_printed() {
    const KEY: &str = "zyxwvutsrqponmlkjihgfedcba987654";
    let server = Server::start(|t: &str| {
        let key = query(t, "api_key").unwrap_or("");
        let body = format!(r#"{{"error_code":400,"error_message":"Bad Request. Key {key} is suspended."}}"#);
        (400, "application/json", body)
    });
    let env = Env::new();
    let out = env
        .cmd(
            &server.url,
            &["fetch", "--from", "2020-04-01", "--source", "fred-api"],
        )
        .env("OILCORR_FRED_API_URL", &server.url)
        .env("FRED_API_KEY", KEY)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("Key *** is suspended"),
        "{err}"
    );
    assert!(!err.contains(KEY), "{err}");
}

#[test]
fn a_reader_that_closes_stdout_early_does_not_stop_the_run() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let mut child = env
        .cmd(
            &server.url,
            &["run", "--from", "2020-03-01", "--to", "2020-05-31"],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // like `| head -0`: the pipe's reader is gone before any line
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    for file in [
        "data/exports/joined.csv",
        "data/exports/summary.csv",
        "charts/timeline.png",
    ] {
        assert!(env.path(file).is_file(), "{file} written");
    }
}

#[test]
fn spreadsheet_formulas_in_user_text_are_neutralised() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write(
        "s.csv",
        "id,time,speaker,text,tags\n=1+2,2020-04-02T14:32:08Z,@evil,Oil,+tag\nplain,2020-04-09,-x,Oil,\n",
    );
    let args = ["run", "--statements", "s.csv", "--no-charts"];
    ok(&mut env.cmd(&server.url, &args));
    let joined = read_csv(&env.path("data/exports/joined.csv"));
    assert_eq!(
        (joined[0]["statement_id"].as_str(), joined[0]["speaker"].as_str()),
        ("'=1+2", "'@evil")
    );
    assert_eq!(
        (joined[2]["statement_id"].as_str(), joined[2]["speaker"].as_str()),
        ("plain", "'-x")
    );
    let events = read_csv(&env.path("data/exports/events.csv"));
    assert_eq!(events[0]["tags"], "'+tag");
    // Numbers keep their sign: only user text is neutralised (Brent fell from 25.22 to 20.23).
    assert!(
        joined[2]["log_return"].starts_with("-0.22"),
        "{}",
        joined[2]["log_return"]
    );
}

#[test]
fn refresh_repairs_a_corrupt_cache() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let args = ["fetch", "--from", "2020-04-01", "--to", "2020-04-30"];
    ok(&mut env.cmd(&server.url, &args));
    let cut = "date,price\n2020-02-03,1\n";
    std::fs::write(env.path("data/prices/brent.csv"), cut).unwrap();
    let out = env.cmd(&server.url, &args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("--refresh"), "{err}");
    let mut refresh = args.to_vec();
    refresh.push("--refresh");
    ok(&mut env.cmd(&server.url, &refresh));
    ok(&mut env.local(&["fetch", "--from", "2020-04-01", "--to", "2020-04-30", "--offline"]));
    assert!(cached_dates(&env, "brent").len() > 50);
}

#[test]
fn a_lying_total_is_refused_after_a_bounded_number_of_pages() {
    // One new row per page, and a total that never ends.
    let server = Server::start(|t: &str| {
        let offset: i64 = query(t, "offset").and_then(|o| o.parse().ok()).unwrap_or(0);
        let day = d("2000-01-03") + chrono::Duration::days(offset);
        let body = format!(
            r#"{{"response":{{"total":"1000000000000","data":[{{"period":"{day}","value":"20"}}]}}}}"#
        );
        (200, "application/json", body)
    });
    let env = Env::new();
    let out = env
        .cmd(&server.url, &["fetch", "--from", "2020-04-01", "--source", "eia"])
        .env("OILCORR_EIA_URL", &server.url)
        .env("EIA_API_KEY", "k")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && err.contains("after 200 pages"), "{err}");
    assert!(server.hits() <= 201, "{} requests", server.hits());
}

#[test]
fn a_stalling_server_is_given_up_on_at_the_deadline() {
    let server = Server::start_with(|t: &str| {
        let mut r: crate::server::Reply = fred_handler(false)(t).into();
        r.delay = std::time::Duration::from_secs(5);
        r
    });
    let env = Env::new();
    let start = std::time::Instant::now();
    let args = [
        "fetch",
        "--from",
        "2020-04-01",
        "--deadline",
        "2",
        "--retries",
        "9",
    ];
    let out = env.cmd(&server.url, &args).output().unwrap();
    let took = start.elapsed();
    assert!(!out.status.success());
    assert!(took < std::time::Duration::from_secs(4), "took {took:?}");
}

/// A `Date,Price` file of every weekday of 2020's first half at 50, with `price` on 2020-04-02.
fn price_file(price: &str) -> String {
    let mut body = String::from("Date,Price\n");
    let mut day = d("2020-01-01");
    while day <= d("2020-06-30") {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            let p = if day == d("2020-04-02") { price } else { "50" };
            body.push_str(&format!("{day},{p}\n"));
        }
        day += chrono::Duration::days(1);
    }
    body
}

#[test]
fn an_edited_price_file_is_reread_online_and_offline() {
    let env = Env::new();
    env.write("w.csv", &price_file("50"));
    let args = |price: &str, extra: &[&'static str]| {
        env.write("b.csv", &price_file(price));
        let mut a = vec![
            "fetch",
            "--from",
            "2020-04-01",
            "--to",
            "2020-04-03",
            "--source",
            "file",
            "--prices",
            "brent=b.csv",
            "--prices",
            "wti=w.csv",
        ];
        a.extend_from_slice(extra);
        ok(&mut env.local(&a));
        std::fs::read_to_string(env.path("data/prices/brent.csv")).unwrap()
    };
    assert!(args("21.5", &[]).contains("2020-04-02,21.5\n"));
    // Same size, other content: reread, not served from the cache.
    assert!(args("99.5", &[]).contains("2020-04-02,99.5\n"));
    assert!(args("12.5", &["--offline"]).contains("2020-04-02,12.5\n"));
    let meta = std::fs::read_to_string(env.path("data/prices/brent.meta.csv")).unwrap();
    assert!(meta.contains("b.csv size=") && meta.contains("sha256="), "{meta}");
}

#[test]
fn prices_no_market_quotes_are_refused_with_their_date_not_hung_on() {
    for price in ["1e308", "5e-324"] {
        let env = Env::new();
        env.write("b.csv", &price_file(price));
        env.write("w.csv", &price_file("50"));
        let args = [
            "run",
            "--from",
            "2020-03-01",
            "--to",
            "2020-05-31",
            "--source",
            "file",
            "--prices",
            "brent=b.csv",
            "--prices",
            "wti=w.csv",
        ];
        let out = env.local(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "bad input: {err}");
        // Line 68 of the file is 2020-04-02: the header, then the 66 weekdays 2020-01-01..2020-04-01.
        assert!(
            err.contains("b.csv: line 68, field 'Price': expected a plausible US$/bbl price"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
}

#[test]
fn a_redirect_to_another_host_is_not_followed() {
    // The "other host" counts what reaches it: with the key in the query, nothing may.
    let other = Server::start(fred_handler(false));
    let to = other.url.replace("127.0.0.1", "localhost");
    let server = Server::start_with(move |t: &str| crate::server::Reply {
        status: 302,
        content_type: "text/plain",
        body: String::new(),
        headers: vec![("Location", format!("{to}{t}"))],
        delay: std::time::Duration::ZERO,
        ..crate::server::Reply::from((0, "", String::new()))
    });
    let env = Env::new();
    let out = env
        .cmd(
            &server.url,
            &["fetch", "--from", "2020-04-01", "--source", "fred-api"],
        )
        .env("OILCORR_FRED_API_URL", &server.url)
        .env("FRED_API_KEY", "abcdefghijklmnopqrstuvwxyz012345")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert_eq!(other.hits(), 0, "the redirect was followed to another host");
    assert!(String::from_utf8_lossy(&out.stderr).contains("302"));
}

#[test]
fn outputs_replace_symlinks_instead_of_writing_through_them() {
    // A joined.csv and an event chart planted as symlinks to files elsewhere (a shared folder, a
    // hostile checkout): the run replaces the links and never writes into their targets.
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let victim = env.write("elsewhere/precious.txt", "keep me");
    let victim2 = env.write("elsewhere/precious2.txt", "keep me too");
    std::fs::create_dir_all(env.path("data/exports")).unwrap();
    std::fs::create_dir_all(env.path("charts/events")).unwrap();
    std::os::unix::fs::symlink(&victim, env.path("data/exports/joined.csv")).unwrap();
    std::os::unix::fs::symlink(&victim2, env.path("charts/events/trump-2020-04-02a.png")).unwrap();
    ok(&mut env.cmd(
        &server.url,
        &["run", "--from", "2020-04-01", "--to", "2020-04-03"],
    ));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert_eq!(std::fs::read_to_string(&victim2).unwrap(), "keep me too");
    for p in ["data/exports/joined.csv", "charts/events/trump-2020-04-02a.png"] {
        let meta = std::fs::symlink_metadata(env.path(p)).unwrap();
        assert!(meta.is_file(), "{p} is now a regular file");
    }
}
