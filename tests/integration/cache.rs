//! The price cache across runs: a killed fetch leaves it intact, reruns fetch only what is missing,
//! and switching source replaces instead of mixing.

use crate::fixtures::{all_sources, fred_handler};
use crate::server::{Reply, Server};
use crate::sources::last_line;
use crate::util::{ok, snapshot, Env};
use std::time::Duration;

#[test]
fn a_run_killed_mid_fetch_leaves_the_old_cache_intact() {
    let fast = Server::start(fred_handler(false));
    let env = Env::new();
    ok(&mut env.cmd(
        &fast.url,
        &["fetch", "--from", "2020-04-01", "--to", "2020-04-30"],
    ));
    let before = snapshot(&env.path("data/prices"));
    let slow = Server::start_with(|t: &str| {
        let mut r: Reply = fred_handler(false)(t).into();
        r.delay = Duration::from_secs(5);
        r
    });
    let mut child = env
        .cmd(
            &slow.url,
            &["fetch", "--from", "2019-01-01", "--to", "2020-06-30"],
        )
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(slow.hits() >= 1, "the fetch had started");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(snapshot(&env.path("data/prices")), before);
}

#[test]
fn wider_rerun_fetches_only_the_missing_spans() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let fetch = |from: &str, to: &str| {
        let args = [
            "fetch",
            "--from",
            from,
            "--to",
            to,
            "--estimation-window",
            "-10,-2",
        ];
        ok(&mut env.cmd(&server.url, &args));
    };
    fetch("2020-04-01", "2020-04-30");
    // Covered so far: 2020-04-01 - (10*7/5+30 = 44 days) = 2020-02-17 .. 2020-04-30 + (20*7/5+10 = 38 days)
    // = 2020-06-07. Next: 2020-03-01 - 44 days = 2020-01-17; 2020-04-25 + 38 days = 2020-06-02 (covered).
    let first = server.targets().len();
    fetch("2020-03-01", "2020-04-25");
    let new: Vec<String> = server.targets()[first..].to_vec();
    assert_eq!(new.len(), 2, "one span per series: {new:?}");
    for t in &new {
        assert!(
            t.contains("cosd=2020-01-17&coed=2020-02-16"),
            "only the span before the cache: {t}"
        );
    }
    fetch("2020-03-01", "2020-04-25");
    assert_eq!(
        server.targets().len(),
        first + 2,
        "a covered rerun makes no request"
    );
    fetch("2020-05-01", "2020-06-10");
    let after: Vec<String> = server.targets()[first + 2..].to_vec();
    assert_eq!(after.len(), 2, "{after:?}");
    for t in &after {
        assert!(
            t.contains("cosd=2020-05-31&coed=2020-07-18"),
            "only the span after, re-reading a week: {t}"
        );
    }
}

#[test]
fn switching_source_refetches_instead_of_mixing() {
    let server = Server::start(all_sources(1000));
    let env = Env::new();
    let args = ["fetch", "--from", "2020-04-01", "--to", "2020-04-30"];
    ok(&mut env.cmd(&server.url, &args));
    let mut dh = args.to_vec();
    dh.extend(["--source", "datahub"]);
    ok(env.cmd(&server.url, &dh).env("OILCORR_DATAHUB_URL", &server.url));
    let meta = std::fs::read_to_string(env.path("data/prices/brent.meta.csv")).unwrap();
    assert!(meta.lines().nth(1).unwrap().starts_with("datahub,"), "{meta}");
    assert!(server
        .targets()
        .iter()
        .any(|t| t.starts_with("/core/oil-prices/r/brent-daily.csv")));
    let mut off = args.to_vec();
    off.push("--offline");
    let line = last_line(&env.local(&off).output().unwrap());
    assert!(
        line.contains("holds datahub prices") && line.contains("--source datahub"),
        "{line}"
    );
}
