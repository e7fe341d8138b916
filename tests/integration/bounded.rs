//! `--memory bounded` (statements sorted on disk, files written a batch at a time) against the
//! in-memory run, which the rest of the suite checks against hand computations and references: the
//! same bytes in every file and on stdout, the same errors for the same bad input, nothing written
//! when the input is bad. `OILCORR_BOUNDED_BATCH` makes a small input span many sorted runs and
//! batches (the defaults are 65,536 and 32,768 statements).

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, Env};

/// A deterministic shuffle of `n` statements: timed and date-only, many speakers and tags, stances,
/// a crowded day, statements before the first price and after the last, ids that sort differently
/// from their times; `skip` leaves out every statement whose number it matches.
fn statements(n: usize, seed: u64, skip: impl Fn(usize) -> bool) -> String {
    let mut x = seed;
    let mut next = move |m: u64| {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (x >> 33) % m
    };
    let first = chrono::NaiveDate::from_ymd_opt(2018, 5, 20).unwrap();
    let mut out = String::from("id,time,speaker,text,url,tags,stance\n");
    for i in 0..n {
        let day = if i % 17 == 0 {
            chrono::NaiveDate::from_ymd_opt(2020, 4, 2).unwrap()
        } else {
            first + chrono::Duration::days(next(780) as i64)
        };
        let time = match next(10) {
            0 => day.to_string(),
            _ => format!("{day}T{:02}:{:02}:00Z", next(24), next(4) * 15),
        };
        let speaker = [
            "Trump",
            "Putin, V.",
            "MBS",
            "Novak",
            "OPEC \"Secretariat\"",
            "Biden",
            "Sechin",
        ][next(7) as usize];
        let tags = ["", "opec", "cut;opec", "sanctions", "price-war;cut"][next(5) as usize];
        let stance = ["", "up", "down"][next(3) as usize];
        if !skip(i) {
            out.push_str(&format!(
                "s{:05},{time},{},{},,{tags},{stance}\n",
                (i * 7919) % 100_000,
                field(speaker),
                field(&format!("text {i}, with a comma"))
            ));
        }
    }
    out
}

/// A CSV field, quoted when it holds a comma or a quote.
fn field(s: &str) -> String {
    match s.contains([',', '"']) {
        true => format!("\"{}\"", s.replace('"', "\"\"")),
        false => s.to_string(),
    }
}

fn run(env: &Env, url: &str, memory: &str, dir: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "run",
        "--no-charts",
        "--memory",
        memory,
        "--exports-dir",
        dir,
        "--car-window",
        "0,1",
        "--car-window",
        "-1,3",
    ];
    args.extend(extra);
    let mut cmd = env.cmd(url, &args);
    cmd.env("OILCORR_BOUNDED_BATCH", "97");
    cmd.output().expect("spawn oilcorr")
}

/// The whole and the bounded run with `extra`, into `whole/` and `bounded/`, both successful.
#[track_caller]
fn both(env: &Env, url: &str, extra: &[&str]) -> (std::process::Output, std::process::Output) {
    let whole = run(env, url, "whole", "whole", extra);
    let bounded = run(env, url, "bounded", "bounded", extra);
    for out in [&whole, &bounded] {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    (whole, bounded)
}

#[track_caller]
fn same_files(env: &Env, a: &str, b: &str, names: &[&str]) {
    for name in names {
        let (x, y) = (env.path(&format!("{a}/{name}")), env.path(&format!("{b}/{name}")));
        let (x, y) = (std::fs::read(&x).unwrap(), std::fs::read(&y).unwrap());
        assert!(x == y, "{name} differs between the whole and the bounded run");
    }
}

#[test]
fn a_bounded_run_writes_the_in_memory_runs_bytes() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("s.csv", &statements(1_500, 7, |_| false));
    let extra = [
        "--statements",
        "s.csv",
        "--format",
        "csv,parquet",
        "--bootstrap",
        "19",
    ];
    let (whole, bounded) = both(&env, &server.url, &extra);
    let files = [
        "joined.csv",
        "joined.parquet",
        "events.csv",
        "events.parquet",
        "summary.csv",
        "summary.parquet",
    ];
    same_files(&env, "whole", "bounded", &files);
    // The cut table and the stance answer.
    assert_eq!(
        String::from_utf8_lossy(&bounded.stdout),
        String::from_utf8_lossy(&whole.stdout)
    );
    assert!(String::from_utf8_lossy(&whole.stdout).contains("50 of 3000 rows"));
    // The summary is not trivial: groups, event days with several statements, split days.
    let summary = std::fs::read_to_string(env.path("whole/summary.csv")).unwrap();
    for group in ["all,", "speaker:\"Putin, V.\"", "tag:price-war", "stance:down"] {
        assert!(
            summary.contains(group) || summary.contains(&group.replace('"', "")),
            "no {group} rows"
        );
    }
    assert!(summary.contains("left out of the stance statistics"));
}

#[test]
fn bounded_files_with_a_range_two_files_dedupe_and_a_market_model_match_and_only_asked_files_are_written() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("a.csv", &statements(400, 3, |i| i % 3 == 0));
    // The second file repeats some of the first's ids (dropped by --dedupe) and adds its own.
    env.write(
        "b.csv",
        &statements(400, 3, |i| i % 3 == 1).replace("text ", "again "),
    );
    let extra = [
        "--statements",
        "a.csv",
        "--statements",
        "b.csv",
        "--dedupe",
        "--from",
        "2019-01-01",
        "--to",
        "2020-05-15",
        "--outputs",
        "joined,summary",
        "--exclude-events",
        "--series",
        "brent",
        "--model",
        "market",
        "--benchmark",
        "wti",
    ];
    let (whole, bounded) = both(&env, &server.url, &extra);
    same_files(&env, "whole", "bounded", &["joined.csv", "summary.csv"]);
    assert!(!env.path("bounded/events.csv").exists());
    assert_eq!(bounded.stdout, whole.stdout);
    let said = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stderr)
            .lines()
            .find(|l| l.starts_with("--dedupe"))
            .map(str::to_string)
    };
    assert!(said(&whole).is_some());
    assert_eq!(said(&bounded), said(&whole));
}

#[test]
fn bad_statements_fail_as_in_memory_and_leave_the_earlier_files() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let good = statements(300, 5, |_| false);
    env.write("s.csv", &good);
    let first = run(&env, &server.url, "bounded", "out", &["--statements", "s.csv"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let before = crate::util::snapshot(&env.path("out"));
    // A repeated id on line 250 (its first use is line 12), and a bad time later in another file.
    let lines: Vec<&str> = good.lines().collect();
    let id = lines[11].split(',').next().unwrap();
    let repeated = lines[249].replacen(lines[249].split(',').next().unwrap(), id, 1);
    let mut dup = lines.clone();
    dup[249] = repeated.as_str();
    env.write("dup.csv", &(dup.join("\n") + "\n"));
    let bad_time = good.replacen("2019-", "2019/", 1);
    env.write("bad.csv", &bad_time);
    for (files, want) in [
        (vec!["dup.csv"], "line 250"),
        (vec!["bad.csv"], "field 'time'"),
        (vec!["s.csv", "s.csv"], "appears in both"),
    ] {
        let mut extra = vec![];
        for f in &files {
            extra.extend(["--statements", f]);
        }
        let whole = run(&env, &server.url, "whole", "out", &extra);
        let bounded = run(&env, &server.url, "bounded", "out", &extra);
        let err = |o: &std::process::Output| String::from_utf8_lossy(&o.stderr).trim().to_string();
        assert!(!bounded.status.success());
        assert_eq!(bounded.status.code(), whole.status.code(), "{files:?}");
        assert_eq!(err(&bounded), err(&whole), "{files:?}");
        assert!(err(&bounded).contains(want), "{files:?}: {}", err(&bounded));
        assert_eq!(
            crate::util::snapshot(&env.path("out")),
            before,
            "{files:?} touched the outputs"
        );
    }
}

#[test]
fn bounded_refuses_what_needs_the_whole_study_and_auto_keeps_small_runs_whole() {
    let env = Env::new();
    env.write("s.csv", &statements(50, 9, |_| false));
    let bounded = |extra: &[&str]| {
        let mut args = vec!["run", "--offline", "--statements", "s.csv", "--memory", "bounded"];
        args.extend(extra);
        env.local(&args)
    };
    let out = bounded(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("charts (add --no-charts) needs the whole study"),
        "{err}"
    );
    let out = bounded(&["--no-charts", "--panel"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("--panel"));
    // Nowhere to sort: one line naming the folder, exit 1 (the machine's fault, not the input's).
    let out = bounded(&["--no-charts"])
        .env("TMPDIR", env.path("missing"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.trim().lines().count() == 1 && err.contains("temporary folder (TMPDIR)"),
        "{err}"
    );
    // A small file under auto: the whole run, which can draw charts.
    let server = Server::start(fred_handler(false));
    ok(&mut env.cmd(
        &server.url,
        &["run", "--statements", "s.csv", "--charts-dir", "c"],
    ));
    assert!(env.path("c/timeline.png").exists());
}
