//! `oilcorr.toml` and `run --analysis/--all`: settings become arguments, flags win, reruns work offline.

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, read_csv, Env};

const CONFIG: &str = "\
[defaults]
no-charts = true

[analysis.april]
from = 2020-04-01
to = 2020-04-21
car-window = [\"0,1\", \"-1,1\"]

[analysis.march]
from = 2020-03-01
to = 2020-03-31
series = \"brent\"
report = true
";

fn series_of(env: &Env, rel: &str) -> Vec<String> {
    let mut v: Vec<String> = read_csv(&env.path(rel))
        .into_iter()
        .map(|r| r["series"].clone())
        .collect();
    v.sort();
    v.dedup();
    v
}

#[test]
fn run_all_reruns_every_analysis_offline_after_one_online_run() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("oilcorr.toml", CONFIG);
    let out = ok(&mut env.cmd(&server.url, &["run", "--all"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("== analysis april") && stderr.contains("== analysis march"),
        "{stderr}"
    );
    let april = std::fs::read(env.path("data/exports/april/joined.csv")).unwrap();
    let march = std::fs::read(env.path("data/exports/march/joined.csv")).unwrap();
    assert_eq!(series_of(&env, "data/exports/april/joined.csv"), ["brent", "wti"]);
    assert_eq!(series_of(&env, "data/exports/march/joined.csv"), ["brent"]);
    let events = std::fs::read_to_string(env.path("data/exports/april/events.csv")).unwrap();
    let header = events.lines().next().unwrap();
    assert!(
        header.contains("car_0_p1") && header.contains("car_m1_p1"),
        "{header}"
    );
    assert!(env.path("data/exports/march/report.html").is_file());
    assert!(!env.path("data/exports/april/report.html").exists());
    assert!(
        !env.path("charts").exists(),
        "[defaults] no-charts applies to every analysis"
    );

    // From the cache alone, with no server at all: the same results.
    let hits = server.hits();
    std::fs::remove_dir_all(env.path("data/exports")).unwrap();
    ok(&mut env.local(&["run", "--all", "--offline"]));
    assert_eq!(server.hits(), hits);
    assert_eq!(
        std::fs::read(env.path("data/exports/april/joined.csv")).unwrap(),
        april
    );
    assert_eq!(
        std::fs::read(env.path("data/exports/march/joined.csv")).unwrap(),
        march
    );
}

#[test]
fn flags_typed_on_the_command_line_override_the_analysis() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("oilcorr.toml", CONFIG);
    let args = [
        "run",
        "--analysis",
        "april",
        "--car-window",
        "0,0",
        "--series",
        "wti",
    ];
    ok(&mut env.cmd(&server.url, &args));
    let events = std::fs::read_to_string(env.path("data/exports/april/events.csv")).unwrap();
    let header = events.lines().next().unwrap();
    assert!(
        header.contains("car_0_0") && !header.contains("car_0_p1"),
        "{header}"
    );
    assert_eq!(series_of(&env, "data/exports/april/joined.csv"), ["wti"]);
    // The file's [defaults] still apply where no flag was given: no charts.
    assert!(!env.path("charts").exists());
}

#[test]
fn a_config_elsewhere_resolves_paths_against_its_folder() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("proj/s.csv", "id,time,speaker,text\nmine,2020-04-02,Me,words\n");
    env.write(
        "proj/study.toml",
        "[analysis.mine]\nstatements = \"s.csv\"\nfrom = 2020-04-01\nto = 2020-04-30\n",
    );
    ok(&mut env.cmd(
        &server.url,
        &["run", "--config", "proj/study.toml", "--analysis", "mine"],
    ));
    let rows = read_csv(&env.path("proj/data/exports/mine/joined.csv"));
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["statement_id"] == "mine"));
    assert!(env.path("proj/charts/mine/timeline.png").is_file());
}

#[test]
fn a_bad_key_fails_on_one_line_with_its_path_and_line_before_any_work() {
    let env = Env::new();
    env.write(
        "oilcorr.toml",
        "[analysis.april]\nfrom = 2020-04-01\ncar-windw = \"0,1\"\n",
    );
    let out = env.local(&["run", "--all"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a bad config is bad input");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("oilcorr.toml: line 3, key 'analysis.april.car-windw': unknown key"),
        "{err}"
    );
    assert!(!env.path("data").exists());

    env.write("oilcorr.toml", "[analysis.april]\nmodel = \"magic\"\n");
    let out = env.local(&["run", "--analysis", "april"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 2, key 'analysis.april.model'") && err.contains("magic"),
        "{err}"
    );

    env.write("oilcorr.toml", "[analysis.april]\nmodel = \"raw\"\n");
    let out = env.local(&["run", "--analysis", "nope"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no analysis named 'nope' (defined: april)"), "{err}");
}

#[test]
fn analysis_without_a_config_file_is_an_error() {
    let env = Env::new();
    let out = env.local(&["run", "--all"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("need a config file"));
}
