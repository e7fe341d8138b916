//! The price cache across runs: a killed fetch leaves it intact, reruns fetch only what is missing,
//! switching source replaces instead of mixing, and a read-only cache is read as it is.

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

/// `mode` on `path` and, for folders, on everything under it (`dirs` for folders, `files` for files).
fn chmod_tree(path: &std::path::Path, dirs: u32, files: u32) {
    use std::os::unix::fs::PermissionsExt;
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap().flatten() {
            chmod_tree(&entry.path(), dirs, files);
        }
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(dirs)).unwrap();
    } else {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(files)).unwrap();
    }
}

/// The binary as user `nobody` when the tests run as root (root ignores file modes), otherwise as
/// the current user; from a copy inside `env`, which `nobody` can reach.
fn as_unprivileged(env: &Env, url: &str, args: &[&str]) -> std::process::Command {
    let copy = env.path("oilcorr-copy");
    if !copy.exists() {
        std::fs::copy(env!("CARGO_BIN_EXE_oilcorr"), &copy).unwrap();
    }
    let uid = std::process::Command::new("id").arg("-u").output().unwrap();
    let mut cmd = if String::from_utf8_lossy(&uid.stdout).trim() == "0" {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&copy);
        c
    } else {
        std::process::Command::new(&copy)
    };
    cmd.current_dir(env.dir.path())
        .env_remove("OILCORR_CONFIG")
        .env("OILCORR_FRED_URL", url)
        .args(args);
    cmd
}

#[test]
fn a_read_only_cache_is_read_as_it_is_and_never_written() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    ok(&mut env.cmd(
        &server.url,
        &["fetch", "--from", "2020-03-01", "--to", "2020-04-30"],
    ));
    let prices = env.path("data/prices");
    let before = snapshot(&prices);
    chmod_tree(env.dir.path(), 0o755, 0o644);
    chmod_tree(&env.path("data"), 0o555, 0o444);
    std::fs::create_dir(env.path("out")).unwrap();
    chmod_tree(&env.path("out"), 0o777, 0o666);
    let run = ["run", "--no-charts", "--exports-dir", "out", "--to", "2020-04-10"];

    // Covered: read without the lock, online and offline.
    for extra in [&[][..], &["--offline"][..]] {
        let mut args = run.to_vec();
        args.extend(["--from", "2020-04-01"]);
        args.extend(extra);
        let out = ok(&mut as_unprivileged(&env, &server.url, &args));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("reading the cache as it is"), "{err}");
        assert!(env.path("out/joined.csv").is_file());
    }
    // Not covered: one line saying why and what to do; nothing fetched.
    let hits = server.hits();
    let mut args = run.to_vec();
    args.extend(["--from", "2020-01-01"]);
    let out = as_unprivileged(&env, &server.url, &args).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let line = last_line(&out);
    assert!(
        line.contains("data/prices cannot be written") && line.contains("--data-dir"),
        "{line}"
    );
    assert_eq!(
        server.hits(),
        hits,
        "nothing fetched into a cache that cannot keep it"
    );
    assert_eq!(snapshot(&prices), before);
    chmod_tree(env.dir.path(), 0o755, 0o644);
}
