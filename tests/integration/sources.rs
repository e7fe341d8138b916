//! Every price source against the loopback server: identical series, paging, retries, key errors,
//! truncation, timeouts, interrupted runs, incremental fetching and key hygiene.

use crate::fixtures::{all_sources, d, fred_handler};
use crate::server::{Reply, Server};
use crate::util::{ok, snapshot, Env};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

pub(crate) const FRED_KEY: &str = "abcdefghijklmnopqrstuvwxyz012345";
pub(crate) const EIA_KEY: &str = "eia-secret-7f3a9";

/// `oilcorr fetch` for the whole fixture with `source` against `url` in `env`, into `data-SOURCE/`.
fn fetch(env: &Env, url: &str, source: &str, extra: &[&str]) -> Output {
    fetch_range(env, url, source, ("2019-06-01", "2020-06-30"), extra)
}

/// [`fetch`] for the range `(from, to)`, with both keys in the environment.
pub(crate) fn fetch_range(
    env: &Env,
    url: &str,
    source: &str,
    (from, to): (&str, &str),
    extra: &[&str],
) -> Output {
    let dir = format!("data-{source}");
    let mut args = vec![
        "fetch",
        "--from",
        from,
        "--to",
        to,
        "--source",
        source,
        "--data-dir",
        &dir,
    ];
    args.extend_from_slice(extra);
    let mut cmd = env.cmd(url, &args);
    cmd.env("OILCORR_FRED_API_URL", url)
        .env("OILCORR_EIA_URL", url)
        .env("OILCORR_DATAHUB_URL", url)
        .env("OILCORR_YAHOO_URL", url)
        .env("FRED_API_KEY", FRED_KEY)
        .env("EIA_API_KEY", EIA_KEY);
    cmd.output().unwrap()
}

pub(crate) fn last_line(out: &Output) -> String {
    assert!(!out.status.success(), "expected failure");
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .last()
        .unwrap_or("")
        .to_string()
}

#[test]
fn all_sources_give_identical_series_and_eia_pages() {
    let server = Server::start(all_sources(100));
    let env = Env::new();
    for source in ["fred", "fred-api", "eia", "datahub"] {
        let out = fetch(&env, &server.url, source, &[]);
        assert!(
            out.status.success(),
            "{source}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let eia_pages = server.targets().iter().filter(|t| t.starts_with("/v2/")).count();
    assert!(
        eia_pages > 2 * 3,
        "EIA was paged ({eia_pages} requests for ~280 rows per series at 100 a page)"
    );
    let read =
        |s: &str, series: &str| std::fs::read(env.path(&format!("data-{s}/prices/{series}.csv"))).unwrap();
    for series in ["brent", "wti"] {
        let want = read("fred", series);
        assert!(want.len() > 1000);
        for source in ["fred-api", "eia", "datahub"] {
            assert_eq!(read(source, series), want, "{source} {series} differs from fred");
        }
    }
    // Local files in each layout give the same series again.
    let fred_file = env.write(
        "wti-fred.csv",
        &crate::fixtures::fred_csv("DCOILWTICO", d("2018-01-01"), d("2020-12-31"), true).unwrap(),
    );
    let dh_file = env.write("brent-dh.csv", &crate::fixtures::datahub_csv("brent").unwrap());
    let b = format!("brent={}", dh_file.display());
    let w = format!("wti={}", fred_file.display());
    ok(&mut env.local(&[
        "fetch",
        "--from",
        "2019-06-01",
        "--to",
        "2020-06-30",
        "--source",
        "file",
        "--prices",
        &b,
        "--prices",
        &w,
        "--data-dir",
        "data-file",
    ]));
    for series in ["brent", "wti"] {
        assert_eq!(read("file", series), read("fred", series), "file {series}");
    }
    // A report of prices from files credits the files, not "EIA via FRED" (charts carry the same line).
    ok(&mut env.local(&[
        "run",
        "--offline",
        "--from",
        "2020-03-01",
        "--to",
        "2020-05-31",
        "--source",
        "file",
        "--prices",
        &b,
        "--prices",
        &w,
        "--data-dir",
        "data-file",
        "--no-charts",
        "--report",
    ]));
    let report = std::fs::read_to_string(env.path("data-file/exports/report.html")).unwrap();
    assert!(
        report.contains("Brent from the file brent-dh.csv; WTI from the file wti-fred.csv"),
        "the method names the files"
    );
    assert!(!report.contains("RBRTE"), "nothing claims EIA's series ids");
}

#[test]
fn no_key_is_written_logged_or_printed() {
    let server = Server::start(all_sources(1000));
    let env = Env::new();
    let mut text = String::new();
    for source in ["fred-api", "eia"] {
        let out = fetch(&env, &server.url, source, &[]);
        assert!(out.status.success());
        text += &String::from_utf8_lossy(&out.stdout);
        text += &String::from_utf8_lossy(&out.stderr);
        let run = env
            .cmd(
                &server.url,
                &[
                    "run",
                    "--from",
                    "2020-04-01",
                    "--to",
                    "2020-04-03",
                    "--source",
                    source,
                    "--data-dir",
                    &format!("data-{source}"),
                ],
            )
            .env("OILCORR_FRED_API_URL", &server.url)
            .env("OILCORR_EIA_URL", &server.url)
            .env("FRED_API_KEY", FRED_KEY)
            .env("EIA_API_KEY", EIA_KEY)
            .output()
            .unwrap();
        text += &String::from_utf8_lossy(&run.stderr);
    }
    // An error message with a key in the URL.
    let broken = Server::start(|_: &str| (500, "text/plain", "down".into()));
    let out = fetch(&env, &broken.url, "eia", &["--retries", "1", "--refresh"]);
    text += &String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("api_key=***"), "the redacted URL is shown: {text}");
    for (path, bytes) in snapshot(env.dir.path()) {
        let body = String::from_utf8_lossy(&bytes);
        assert!(
            !body.contains(FRED_KEY) && !body.contains(EIA_KEY),
            "key in {}",
            path.display()
        );
    }
    assert!(
        !text.contains(FRED_KEY) && !text.contains(EIA_KEY),
        "key in output: {text}"
    );
}

#[test]
fn key_errors_explain_how_to_get_a_key() {
    let server = Server::start(all_sources(1000));
    let env = Env::new();
    let out = fetch(&env, &server.url, "eia", &["--eia-api-key", ""]);
    let line = last_line(&out);
    assert!(
        line.contains("EIA_API_KEY") && line.contains("eia.gov/opendata/register"),
        "{line}"
    );
    let out = env
        .cmd(
            &server.url,
            &["fetch", "--from", "2020-01-01", "--source", "fred-api"],
        )
        .env("OILCORR_FRED_API_URL", &server.url)
        .env("FRED_API_KEY", "short")
        .output()
        .unwrap();
    let line = last_line(&out);
    assert!(
        line.contains("api_key is not registered") && line.contains("FRED_API_KEY"),
        "{line}"
    );
    // A 403 from the EIA key gate (key sent but refused).
    let gate = Server::start(|_: &str| {
        (
            403,
            "application/json",
            r#"{"error":{"code":"API_KEY_INVALID","message":"An invalid api_key was supplied."}}"#.into(),
        )
    });
    let line = last_line(&fetch(&env, &gate.url, "eia", &[]));
    assert!(
        line.contains("API_KEY_INVALID") && line.contains("register"),
        "{line}"
    );
}

/// A FRED handler that answers `status` (with `Retry-After: 1`) to the first `n` requests.
fn flaky(status: u16, n: usize) -> impl Fn(&str) -> Reply + Send + Sync + 'static {
    let count = Arc::new(AtomicUsize::new(0));
    let fred = fred_handler(false);
    move |t: &str| {
        if count.fetch_add(1, Ordering::SeqCst) < n {
            Reply {
                status,
                content_type: "text/plain",
                body: "busy".into(),
                headers: vec![("Retry-After", "1".into())],
                delay: Duration::ZERO,
                ..Reply::from((0, "", String::new()))
            }
        } else {
            fred(t).into()
        }
    }
}

#[test]
fn retries_503_and_429_honouring_retry_after() {
    for status in [503, 429] {
        let server = Server::start_with(flaky(status, 2));
        let env = Env::new();
        let start = std::time::Instant::now();
        let out = fetch(&env, &server.url, "fred", &[]);
        assert!(
            out.status.success(),
            "{status}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            start.elapsed() >= Duration::from_secs(2),
            "waited Retry-After twice"
        );
        assert_eq!(server.hits(), 4, "2 refusals, then brent and wti");
    }
}

#[test]
fn gives_up_after_bounded_retries_and_never_retries_404() {
    let busy = Server::start_with(flaky(503, 100));
    let env = Env::new();
    let line = last_line(&fetch(&env, &busy.url, "fred", &["--retries", "3"]));
    assert!(line.contains("HTTP 503"), "{line}");
    assert_eq!(busy.hits(), 3);
    let missing = Server::start(|_: &str| (404, "text/plain", "no".into()));
    let line = last_line(&fetch(&env, &missing.url, "fred", &[]));
    assert!(line.contains("HTTP 404"), "{line}");
    assert_eq!(missing.hits(), 1);
}

#[test]
fn truncated_bodies_are_detected_and_not_cached() {
    let env = Env::new();
    let csv = Server::start(|t: &str| {
        let (s, c, body) = fred_handler(false)(t);
        (s, c, body[..body.len() / 2].trim_end_matches('\n').to_string())
    });
    let line = last_line(&fetch(&env, &csv.url, "fred", &[]));
    assert!(line.contains("cut short"), "{line}");
    let json = Server::start(|t: &str| {
        let (s, c, body) = all_sources(1000)(t);
        (s, c, body[..body.len() / 2].to_string())
    });
    let line = last_line(&fetch(&env, &json.url, "eia", &[]));
    assert!(line.contains("cut short"), "{line}");
    assert!(
        !env.path("data-fred/prices/brent.csv").exists() && !env.path("data-eia/prices/brent.csv").exists()
    );
}

#[test]
fn slow_server_hits_the_timeout() {
    let slow = Server::start_with(|t: &str| {
        let mut r: Reply = fred_handler(false)(t).into();
        r.delay = Duration::from_secs(4);
        r
    });
    let env = Env::new();
    let start = std::time::Instant::now();
    let line = last_line(&fetch(
        &env,
        &slow.url,
        "fred",
        &["--timeout", "1", "--retries", "2"],
    ));
    assert!(line.contains("timed out"), "{line}");
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "gave up before the server answered"
    );
}
