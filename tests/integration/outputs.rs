//! Machine-readable outputs: `run --json` (one JSON document on stdout, nothing else there) and the
//! event-time panel (`--panel`) checked against joined.csv.

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, read_csv, Env};

const ARGS: [&str; 9] = [
    "run",
    "--from",
    "2020-03-01",
    "--to",
    "2020-05-31",
    "--no-charts",
    "--panel",
    "--event-days",
    "5",
];

fn num(r: &std::collections::HashMap<String, String>, c: &str) -> f64 {
    r[c].parse().unwrap_or_else(|_| panic!("{c} = '{}'", r[c]))
}

#[test]
fn json_result_is_the_only_thing_on_stdout() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let mut args = ARGS.to_vec();
    args.push("--json");
    let out = ok(&mut env.cmd(&server.url, &args));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    let answer = doc["answer"].as_array().unwrap();
    assert_eq!(answer.len(), 2, "one stance answer per series");
    assert_eq!(answer[0]["series"], "brent");
    assert!(answer[0]["event_days"].as_u64().unwrap() < answer[0]["statements"].as_u64().unwrap());
    let exports: Vec<&str> = doc["files"]["exports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(exports.len(), 4);
    assert!(exports
        .iter()
        .all(|f| std::path::Path::new(f).is_absolute() || env.path(f).is_file()));
    // The table and the stance lines went to stderr instead.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("event days with a stance") && err.contains("statement "));
}

#[test]
fn the_panel_agrees_with_joined() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    ok(&mut env.cmd(&server.url, &ARGS));
    let joined = read_csv(&env.path("data/exports/joined.csv"));
    let panel = read_csv(&env.path("data/exports/panel.csv"));
    let with_day0 = joined.iter().filter(|r| !r["event_date"].is_empty()).count();
    assert_eq!(
        panel.len(),
        with_day0 * 11,
        "±5 trading days for every row with a day 0"
    );
    for j in joined.iter().filter(|r| !r["abnormal_return"].is_empty()) {
        let rows: Vec<_> = panel
            .iter()
            .filter(|p| p["statement_id"] == j["statement_id"] && p["series"] == j["series"])
            .collect();
        let day0 = rows.iter().find(|p| p["t"] == "0").unwrap();
        assert_eq!(day0["date"], j["event_date"]);
        assert_eq!(num(day0, "price"), num(j, "close_event"));
        assert!((num(day0, "ar") - num(j, "abnormal_return")).abs() < 1e-12);
        // The cumulative AR adds day 0's AR to day −1's.
        let before = rows.iter().find(|p| p["t"] == "-1").unwrap();
        if !before["car"].is_empty() && !day0["car"].is_empty() {
            assert!((num(day0, "car") - num(before, "car") - num(day0, "ar")).abs() < 1e-12);
        }
        assert!(before["band"].is_empty() && num(day0, "band") > 0.0);
    }
}

#[test]
fn exit_codes_tell_bad_input_from_failure() {
    let env = Env::new();
    let code = |args: &[&str]| env.local(args).output().unwrap().status.code();
    let bad = env.write("bad.csv", "id,time,speaker,text\nx,notadate,a,b\n");
    let bad = bad.to_str().unwrap();
    // Usage and input: 2.
    assert_eq!(code(&["run", "--bogus"]), Some(2));
    assert_eq!(code(&["run", "--event-days", "0"]), Some(2));
    assert_eq!(code(&["run", "--statements", bad, "--offline"]), Some(2));
    let prices = env.write("p.csv", "date,price\n2020-03-02,abc\n");
    let p = format!("brent={}", prices.display());
    let args = [
        "run",
        "--from",
        "2020-03-01",
        "--to",
        "2020-03-31",
        "--series",
        "brent",
    ];
    let mut file = args.to_vec();
    file.extend(["--source", "file", "--prices", &p]);
    assert_eq!(code(&file), Some(2), "a bad local price file is input");
    // A source that cannot be reached (every base URL points at a closed loopback port): 1.
    assert_eq!(code(&args), Some(1));
}

#[test]
fn completions_and_the_manual_come_from_the_same_definitions() {
    let env = Env::new();
    let bash = ok(&mut env.local(&["completions", "bash"])).stdout;
    let bash = String::from_utf8(bash).unwrap();
    assert!(bash.contains("_oilcorr()") && bash.contains("--placebo") && bash.contains("calibrate"));
    let man = String::from_utf8(ok(&mut env.local(&["man"])).stdout).unwrap();
    assert!(man.starts_with(".ie") && man.contains(".TH oilcorr 1") && man.contains("calibrate"));
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn a_rerun_with_fewer_statements_leaves_no_stale_chart_and_the_manifest_lists_what_is_there() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let run = |to: &str| {
        ok(&mut env.cmd(&server.url, &["run", "--from", "2020-03-01", "--to", to]));
    };
    run("2020-05-31");
    assert!(env.path("charts/events/trump-2020-04-22.png").is_file());
    env.write("charts/my-notes.txt", "not oilcorr's");
    run("2020-04-05");
    assert!(
        !env.path("charts/events/trump-2020-04-22.png").exists(),
        "a dropped statement's chart"
    );
    assert!(
        env.path("charts/my-notes.txt").is_file(),
        "files oilcorr never wrote stay"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("data/exports/manifest.json")).unwrap()).unwrap();
    let mut listed: Vec<std::path::PathBuf> = manifest["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| std::path::PathBuf::from(f["path"].as_str().unwrap()))
        .collect();
    listed.sort();
    let charts_dir = env.path("charts").canonicalize().unwrap();
    let mut present: Vec<_> = files_under(&charts_dir)
        .into_iter()
        .filter(|p| !p.ends_with("my-notes.txt"))
        .collect();
    for name in ["joined.csv", "events.csv", "summary.csv"] {
        present.push(env.path("data/exports").canonicalize().unwrap().join(name));
    }
    present.sort();
    let listed: Vec<_> = listed.iter().map(|p| p.canonicalize().unwrap()).collect();
    assert_eq!(listed, present);
    // The built-in corpus, with its checksum (computed here from the file it is built from).
    let corpus = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/statements/oil-politics.csv"
    ))
    .unwrap();
    let statements = &manifest["inputs"]["statements"][0];
    assert!(statements["path"].as_str().unwrap().contains("oil-politics.csv"));
    use sha2::Digest;
    let want = format!("{:x}", sha2::Sha256::digest(&corpus));
    assert_eq!(statements["sha256"].as_str().unwrap(), want);
    assert_eq!(manifest["inputs"]["prices"][0]["series"], "brent");
}

/// A polars cell as the CSV would print it (numbers compared by value, nulls as empty).
fn same(cell: polars::prelude::AnyValue<'_>, csv: &str) -> bool {
    use polars::prelude::AnyValue;
    match cell {
        AnyValue::Null => csv.is_empty(),
        AnyValue::Float64(x) => csv.parse::<f64>().is_ok_and(|y| y == x),
        AnyValue::UInt64(x) => csv.parse::<u64>() == Ok(x),
        AnyValue::String(s) => {
            // The CSV neutralises user text a spreadsheet would run as a formula.
            s == csv || csv.strip_prefix('\'') == Some(s)
        }
        AnyValue::Date(days) => {
            let d =
                chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap() + chrono::Duration::days(days.into());
            d.to_string() == csv
        }
        other => panic!("unexpected type {other:?}"),
    }
}

#[test]
fn parquet_and_arrow_hold_the_csv_values_typed() {
    use polars::prelude::*;
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let mut args = ARGS.to_vec();
    args.extend(["--format", "csv,parquet", "--format", "arrow"]);
    ok(&mut env.cmd(&server.url, &args));
    for name in ["joined", "events", "summary", "panel"] {
        let csv = read_csv(&env.path(&format!("data/exports/{name}.csv")));
        for ext in ["parquet", "arrow"] {
            let path = env.path(&format!("data/exports/{name}.{ext}"));
            let file = std::fs::File::open(&path).unwrap();
            let df = if ext == "parquet" {
                ParquetReader::new(file).finish().unwrap()
            } else {
                IpcReader::new(file).finish().unwrap()
            };
            assert_eq!(df.height(), csv.len(), "{name}.{ext} rows");
            for col in df.columns() {
                let head = col.name().as_str();
                for (i, row) in csv.iter().enumerate() {
                    let v = col.get(i).unwrap();
                    assert!(
                        same(v.clone(), &row[head]),
                        "{name}.{ext} {head} row {i}: {v:?} vs '{}'",
                        row[head]
                    );
                }
            }
        }
    }
    // Types: dates are dates, counts are counts.
    let file = std::fs::File::open(env.path("data/exports/summary.parquet")).unwrap();
    let summary = ParquetReader::new(file).finish().unwrap();
    assert_eq!(summary.column("n_events").unwrap().dtype(), &DataType::UInt64);
    let file = std::fs::File::open(env.path("data/exports/joined.parquet")).unwrap();
    let joined = ParquetReader::new(file).finish().unwrap();
    assert_eq!(joined.column("event_date").unwrap().dtype(), &DataType::Date);
}

#[test]
fn outputs_writes_only_the_files_asked_for_with_the_same_rows() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let base = ["run", "--from", "2020-03-01", "--to", "2020-05-31", "--no-charts"];
    ok(&mut env.cmd(&server.url, &base));
    let full = std::fs::read(env.path("data/exports/joined.csv")).unwrap();
    let mut only = base.to_vec();
    only.extend(["--outputs", "joined", "--offline"]);
    ok(&mut env.local(&only));
    assert_eq!(std::fs::read(env.path("data/exports/joined.csv")).unwrap(), full);
    for gone in ["events.csv", "summary.csv"] {
        assert!(
            !env.path(&format!("data/exports/{gone}")).exists(),
            "{gone} left from the earlier run"
        );
    }
}
