//! Every network source (Yahoo's futures too) against every server fault: a body cut mid-transfer (at its first byte, its
//! middle and its last byte), a persistent server error, an HTML or empty or binary 200, headers then
//! silence, a key echoed in an error and in a 200 body, and a redirect to another host.
//!
//! For each pair: the run fails with one `error:` line (last on stderr) naming the source's host,
//! within the deadline; no key appears on stderr; the server never receives a key the source was not
//! configured for; the cache filled by an earlier good fetch is byte for byte unchanged.

use crate::fixtures::all_sources;
use crate::server::{Reply, Server};
use crate::sources::{fetch_range, EIA_KEY, FRED_KEY};
use crate::util::{snapshot, Env};
use std::time::{Duration, Instant};

/// What a misbehaving server does to an otherwise good answer.
#[derive(Clone, Copy, Debug)]
enum Fault {
    /// The header announces the whole body; only `numerator/denominator` of it (at least one byte
    /// fewer than announced) arrives before the connection closes.
    Cut(usize, usize),
    /// HTTP 500 to every request.
    ServerError,
    /// A 200 carrying an HTML page (a captive portal, a maintenance page).
    Html,
    /// A 200 with an empty body.
    Empty,
    /// A 200 with bytes that are neither CSV nor JSON.
    Binary,
    /// Status line and headers, then silence longer than the deadline.
    Stall,
    /// A 400 whose message repeats the request, keys included.
    EchoInError,
    /// A 200 whose (unreadable) body repeats the request, keys included.
    EchoInBody,
    /// A 302 to a different host name.
    RedirectAway,
}

const SOURCES: [&str; 5] = ["fred", "fred-api", "eia", "datahub", "yahoo"];

/// The fixture's good answer to `target`, spoiled by `fault`; `away` is the other host's base URL.
fn spoil(fault: Fault, target: &str, away: &str) -> Reply {
    let good: Reply = all_sources(1000)(target).into();
    let text = |status: u16, content_type: &'static str, body: String| -> Reply {
        Reply::from((status, content_type, body))
    };
    match fault {
        Fault::Cut(num, den) => {
            let len = good.body.len();
            let at = (len * num / den).min(len - 1);
            Reply {
                cut_at: Some(at),
                ..good
            }
        }
        Fault::ServerError => text(500, "text/plain", "internal error".into()),
        Fault::Html => text(
            200,
            "text/html",
            "<!DOCTYPE html><html><body><h1>Down for maintenance</h1></body></html>".into(),
        ),
        Fault::Empty => text(200, "text/csv", String::new()),
        Fault::Binary => text(
            200,
            "application/octet-stream",
            "PK\u{3}\u{4}\u{0}\u{1}\u{7f}".into(),
        ),
        Fault::Stall => Reply {
            stall: Duration::from_secs(8),
            ..good
        },
        Fault::EchoInError => text(400, "text/plain", format!("Bad Request: {target} is suspended")),
        Fault::EchoInBody => text(200, "text/plain", format!("request {target} accepted")),
        Fault::RedirectAway => Reply {
            headers: vec![("Location", format!("{away}{target}"))],
            ..text(302, "text/plain", String::new())
        },
    }
}

/// What the error line must say for `fault` (the right diagnosis, not just any failure).
fn diagnosis(fault: Fault, source: &str) -> &'static str {
    let csv = matches!(source, "fred" | "datahub");
    match fault {
        Fault::Cut(..) => "the connection broke off after",
        Fault::ServerError => "answered HTTP 500",
        Fault::Html => "the body is an HTML page",
        Fault::Empty => "the body is empty",
        Fault::Binary | Fault::EchoInBody if csv => "the body is text starting",
        Fault::Binary | Fault::EchoInBody => "the body is not JSON",
        Fault::Stall => "timed out: no complete answer within 3 s (--deadline)",
        Fault::EchoInError => "answered HTTP 400",
        Fault::RedirectAway => "answered HTTP 302",
    }
}

/// The keys `source` is configured to send (the others must never leave).
fn own_keys(source: &str) -> &'static [&'static str] {
    match source {
        "fred-api" => &[FRED_KEY],
        "eia" => &[EIA_KEY],
        _ => &[],
    }
}

/// One source against one fault, after a good fetch of April 2020 into the same cache.
fn check(source: &str, fault: Fault) {
    let good = Server::start(all_sources(1000));
    let env = Env::new();
    let series: &[&str] = match source {
        "yahoo" => &["--series", "brent-fut,wti-fut"],
        _ => &[],
    };
    let warm = fetch_range(&env, &good.url, source, ("2020-04-01", "2020-04-30"), series);
    assert!(warm.status.success(), "{source}: warm fetch failed");
    let dir = env.path(&format!("data-{source}"));
    let before = snapshot(&dir);

    let other = Server::start(all_sources(1000));
    let away = other.url.replace("127.0.0.1", "localhost");
    let bad = Server::start_with(move |t: &str| spoil(fault, t, &away));
    let start = Instant::now();
    let mut extra = vec!["--deadline", "3", "--retries", "2"];
    extra.extend_from_slice(series);
    let out = fetch_range(&env, &bad.url, source, ("2019-06-01", "2020-12-31"), &extra);
    let took = start.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    let case = format!("{source} × {fault:?}");

    assert_eq!(out.status.code(), Some(1), "{case}: {err}");
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "{case}: one error line: {err}");
    assert_eq!(err.lines().last(), Some(errors[0]), "{case}: error last: {err}");
    let host = bad.url.trim_start_matches("http://");
    assert!(errors[0].contains(host), "{case}: names {host}: {}", errors[0]);
    let said = diagnosis(fault, source);
    assert!(errors[0].contains(said), "{case}: says '{said}': {}", errors[0]);
    assert!(took < Duration::from_secs(7), "{case}: took {took:?}");
    for key in [FRED_KEY, EIA_KEY] {
        assert!(!err.contains(key), "{case}: a key on stderr: {err}");
        let leaked = bad.targets().iter().any(|t| t.contains(key));
        assert!(
            !leaked || own_keys(source).contains(&key),
            "{case}: a key sent that this source was not given"
        );
    }
    assert_eq!(other.hits(), 0, "{case}: the other host was reached");
    assert!(bad.hits() >= 1, "{case}: the faulty server was asked");
    assert_eq!(snapshot(&dir), before, "{case}: cache changed");
}

/// One test per fault (they run in parallel), each over every source.
macro_rules! fault_tests {
    ($($name:ident => $fault:expr;)*) => {$(
        #[test]
        fn $name() {
            for source in SOURCES {
                check(source, $fault);
            }
        }
    )*};
}

fault_tests! {
    cut_at_the_first_byte => Fault::Cut(0, 1);
    cut_in_the_middle => Fault::Cut(1, 2);
    cut_before_the_last_byte => Fault::Cut(1, 1);
    persistent_server_error => Fault::ServerError;
    html_page => Fault::Html;
    empty_body => Fault::Empty;
    binary_body => Fault::Binary;
    headers_then_silence => Fault::Stall;
    key_echoed_in_an_error => Fault::EchoInError;
    key_echoed_in_a_200_body => Fault::EchoInBody;
    redirect_to_another_host => Fault::RedirectAway;
}
