//! Failures end with one clear line on stderr, a non-zero exit, and the cache untouched.

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, snapshot, Env};

/// The last stderr line, asserting it is the only `error:` line.
fn error_line(out: &std::process::Output) -> String {
    assert!(!out.status.success(), "expected failure");
    let err = String::from_utf8_lossy(&out.stderr);
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(errors.len(), 1, "stderr: {err}");
    assert_eq!(
        err.lines().last(),
        Some(errors[0]),
        "the error is the last line: {err}"
    );
    errors[0].to_string()
}

/// A scratch dir whose cache holds prices for a narrow April 2020 request.
fn warm_cache() -> (Env, Vec<(std::path::PathBuf, Vec<u8>)>) {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let args = ["run", "--from", "2020-04-01", "--to", "2020-04-03", "--no-charts"];
    ok(&mut env.cmd(&server.url, &args));
    let snap = snapshot(&env.path("data/prices"));
    let csvs = snap
        .iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "csv"))
        .count();
    assert_eq!(csvs, 4, "two price files and two metadata files");
    (env, snap)
}

const WIDER: [&str; 6] = ["run", "--from", "2019-01-01", "--to", "2020-05-31", "--no-charts"];

#[test]
fn malformed_statements_file_names_file_line_and_field() {
    let (env, before) = warm_cache();
    let body = "id,time,speaker,text\nok,2020-04-02,A,fine\nbad,2020-04-31,B,no such day\n";
    env.write("bad.csv", body);
    let out = env.local(&["run", "--statements", "bad.csv"]).output().unwrap();
    let line = error_line(&out);
    assert!(
        line.contains("bad.csv: line 3, field 'time'") && line.contains("found '2020-04-31'"),
        "{line}"
    );
    assert_eq!(snapshot(&env.path("data/prices")), before);
    assert_eq!(
        std::fs::read_to_string(env.path("bad.csv")).unwrap(),
        body,
        "user file untouched"
    );
}

#[test]
fn a_statements_error_wins_over_a_price_error_read_alongside() {
    // With --from and --to the prices are read while the statements load; both fail here (a bad
    // date, an unreachable host for a wider span than the cache holds): the statements' error is the
    // one line reported, as when the two were read one after the other.
    let (env, before) = warm_cache();
    env.write("bad.csv", "id,time,speaker,text\nbad,2020-04-31,B,no such day\n");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut args = WIDER.to_vec();
    args.extend(["--statements", "bad.csv"]);
    let out = env
        .cmd(&format!("http://127.0.0.1:{port}"), &args)
        .output()
        .unwrap();
    let line = error_line(&out);
    assert!(line.contains("bad.csv: line 2, field 'time'"), "{line}");
    assert_eq!(snapshot(&env.path("data/prices")), before);
}

#[test]
fn unreachable_host_is_named_and_cache_kept() {
    let (env, before) = warm_cache();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let line = error_line(&env.cmd(&url, &WIDER).output().unwrap());
    assert!(
        line.contains(&format!("cannot reach {url}/graph/fredgraph.csv?id=DCOILBRENTEU")),
        "{line}"
    );
    assert!(line.contains("cache unchanged"), "{line}");
    assert_eq!(
        line.matches("cannot reach").count(),
        1,
        "cause printed once: {line}"
    );
    assert_eq!(snapshot(&env.path("data/prices")), before);
}

#[test]
fn html_answer_is_rejected_and_cache_kept() {
    let (env, before) = warm_cache();
    let html = Server::start(|_: &str| {
        (
            200,
            "text/html",
            "<!DOCTYPE html><html><body>blocked</body></html>".into(),
        )
    });
    let line = error_line(&env.cmd(&html.url, &WIDER).output().unwrap());
    assert!(
        line.contains("answered 200 but the body is an HTML page"),
        "{line}"
    );
    assert_eq!(snapshot(&env.path("data/prices")), before);
}

#[test]
fn server_error_status_is_reported() {
    let (env, before) = warm_cache();
    let broken = Server::start(|_: &str| (500, "text/plain", "oops".into()));
    let line = error_line(&env.cmd(&broken.url, &WIDER).output().unwrap());
    assert!(line.contains("answered HTTP 500"), "{line}");
    assert_eq!(snapshot(&env.path("data/prices")), before);
}

#[test]
fn wrong_csv_header_names_the_url_line_and_field() {
    let (env, before) = warm_cache();
    let odd = Server::start(|_: &str| (200, "text/csv", "date,value\n2020-01-02,1\n".into()));
    let line = error_line(&env.cmd(&odd.url, &WIDER).output().unwrap());
    assert!(
        line.contains("line 1, field 'header'") && line.contains(&odd.url),
        "{line}"
    );
    assert_eq!(snapshot(&env.path("data/prices")), before);
}

#[test]
fn offline_without_cover_says_what_is_missing() {
    let (env, before) = warm_cache();
    let mut args = WIDER.to_vec();
    args.push("--offline");
    let line = error_line(&env.local(&args).output().unwrap());
    assert!(
        line.contains("--offline") && line.contains("brent") && line.contains("it covers"),
        "{line}"
    );
    assert_eq!(snapshot(&env.path("data/prices")), before);
}
