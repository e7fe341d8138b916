//! events and summary outputs: per-window statistics against an independent reference, the cross-event
//! aggregation recomputed from events.csv, JSON output, and the market model.

use crate::fixtures::{d, fred_handler, trading_days};
use crate::reference;
use crate::server::Server;
use crate::util::{ok, read_csv, Env};

#[track_caller]
fn close(have: f64, want: f64) {
    assert!(
        (have - want).abs() < 1e-9 * want.abs().max(1.0),
        "have {have}, want {want}"
    );
}

fn num(r: &std::collections::HashMap<String, String>, c: &str) -> f64 {
    r[c].parse().unwrap_or_else(|_| panic!("{c} = '{}'", r[c]))
}

const ARGS: [&str; 11] = [
    "run",
    "--from",
    "2020-03-01",
    "--to",
    "2020-05-31",
    "--no-charts",
    "--car-window",
    "0,1",
    "--car-window",
    "-1,1",
    "--bootstrap",
];

#[test]
fn windows_summary_and_hit_rate_check_out() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let mut args = ARGS.to_vec();
    args.push("199");
    ok(&mut env.cmd(&server.url, &args));
    let events = read_csv(&env.path("data/exports/events.csv"));
    let row = events
        .iter()
        .find(|r| r["statement_id"] == "trump-2020-04-02a" && r["series"] == "brent")
        .unwrap();
    let (car, t_adj) = reference::mean_adjusted_car(&trading_days(true), d("2020-04-02"), -1, 1);
    close(num(row, "car_m1_p1"), car);
    close(num(row, "car_t_adj_m1_p1"), t_adj);
    let boot = num(row, "car_p_boot_m1_p1");
    assert!(boot > 0.0 && boot <= 1.0);
    // Trump's two tweets and the Kremlin's denial share the day; Putin's statement of 3 April is the
    // next trading day, whose [-1,1] span shares two days with this one.
    assert_eq!(row["day_statements"], "3");
    assert!(
        row["overlapping_days"].split(';').any(|d| d == "2020-04-03"),
        "{}",
        row["overlapping_days"]
    );
    assert!(!row["overlapping_days"].contains("2020-04-02"), "not its own day");

    // The "all" Brent line of summary.csv, recomputed from events.csv over event days: statements
    // sharing a day 0 count once; a day's stance is its statements' common stance (none if they
    // disagree).
    let brent: Vec<_> = events
        .iter()
        .filter(|r| r["series"] == "brent" && !r["car_0_p1"].is_empty())
        .collect();
    let mut days: std::collections::BTreeMap<String, (f64, f64, Vec<String>)> = Default::default();
    for r in &brent {
        let e = days.entry(r["event_date"].clone()).or_insert((
            num(r, "car_0_p1"),
            num(r, "car_t_adj_0_p1"),
            vec![],
        ));
        if !r["stance"].is_empty() {
            e.2.push(r["stance"].clone());
        }
    }
    let cars: Vec<f64> = days.values().map(|v| v.0).collect();
    let scars: Vec<f64> = days.values().map(|v| v.1).collect();
    let n = cars.len() as f64;
    let mean_sd = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / n;
        (
            m,
            (x.iter().map(|c| (c - m).powi(2)).sum::<f64>() / (n - 1.0)).sqrt(),
        )
    };
    let (mean, sd) = mean_sd(&cars);
    let (smean, ssd) = mean_sd(&scars);
    let agreed: Vec<(&str, f64)> = days
        .values()
        .filter(|v| !v.2.is_empty() && v.2.iter().all(|s| *s == v.2[0]))
        .map(|v| (v.2[0].as_str(), v.0))
        .collect();
    let hits = agreed
        .iter()
        .filter(|(s, c)| (*s == "up" && *c > 0.0) || (*s == "down" && *c < 0.0))
        .count();
    let split = days.values().filter(|v| v.2.iter().any(|s| *s != v.2[0])).count();
    // r̄ from window overlap: [0,1] windows of days one trading day apart share one of two days.
    let index: Vec<usize> = days
        .keys()
        .map(|k| {
            let t = trading_days(true);
            t.iter().position(|(dd, _)| *dd == d(k)).unwrap()
        })
        .collect();
    let adjacent = index.windows(2).filter(|w| w[1] - w[0] == 1).count() as f64;
    let rbar = 2.0 * 0.5 * adjacent / (n * (n - 1.0));
    let summary = read_csv(&env.path("data/exports/summary.csv"));
    let all = summary
        .iter()
        .find(|r| r["group"] == "all" && r["series"] == "brent" && r["window"] == "0_p1")
        .unwrap();
    assert!(days.len() < brent.len(), "the fixture corpus has shared days");
    assert!(adjacent > 0.0 && split > 0, "and adjacent days, and a split day");
    assert_eq!(all["n_events"], days.len().to_string());
    assert_eq!(all["n_statements"], brent.len().to_string());
    close(num(all, "caar"), mean);
    close(num(all, "csect_t"), n.sqrt() * mean / sd);
    let bmp = n.sqrt() * smean / ssd;
    close(num(all, "bmp_t"), bmp);
    close(num(all, "r_overlap"), rbar);
    close(
        num(all, "kp_t"),
        bmp * ((1.0 - rbar) / (1.0 + (n - 1.0) * rbar)).sqrt(),
    );
    assert_eq!(all["hits"], hits.to_string());
    assert_eq!(all["n_stance"], agreed.len().to_string());
    assert_eq!(
        split > 0,
        all["note"].contains("push both ways"),
        "{}",
        all["note"]
    );
    assert!(summary
        .iter()
        .any(|r| r["group"] == "speaker:Donald Trump" && r["window"] == "m1_p1"));
    assert!(summary
        .iter()
        .all(|r| r["kp_p_bh"].is_empty() || num(r, "kp_p_bh") <= 1.0));
}

#[test]
fn json_output_has_the_same_rows() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let mut args = ARGS.to_vec();
    args.extend(["0", "--format", "json"]);
    ok(&mut env.cmd(&server.url, &args));
    let events: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("data/exports/events.json")).unwrap()).unwrap();
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("data/exports/summary.json")).unwrap()).unwrap();
    let joined: serde_json::Value =
        serde_json::from_slice(&std::fs::read(env.path("data/exports/joined.json")).unwrap()).unwrap();
    assert_eq!(events.as_array().unwrap().len(), joined.as_array().unwrap().len());
    // Only the formats asked for: no CSV beside the JSON.
    for name in ["joined.csv", "events.csv", "summary.csv"] {
        assert!(
            !env.path(&format!("data/exports/{name}")).exists(),
            "{name} written unasked"
        );
    }
    let first = &summary.as_array().unwrap()[0];
    assert_eq!(first["group"], "all");
    assert!(first["caar"].is_number() && first["car_p_boot_0_p1"].is_null());
}

#[test]
fn market_model_matches_ols_on_the_benchmark() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let args = [
        "run",
        "--from",
        "2020-04-01",
        "--to",
        "2020-04-03",
        "--no-charts",
        "--series",
        "brent",
        "--model",
        "market",
        "--benchmark",
        "wti",
    ];
    ok(&mut env.cmd(&server.url, &args));
    let events = read_csv(&env.path("data/exports/events.csv"));
    let row = events
        .iter()
        .find(|r| r["statement_id"] == "trump-2020-04-02a")
        .unwrap();
    // Reference: Brent log returns on Brent's trading days [-260, -11] around 2020-04-02, paired with WTI's
    // log return on the same date (WTI's own previous trading day), where WTI has one.
    let b = trading_days(true);
    let w: std::collections::HashMap<_, _> =
        reference::log_returns(&trading_days(false)).into_iter().collect();
    let rb = reference::log_returns(&b);
    let i0 = rb.iter().position(|(dd, _)| *dd == d("2020-04-02")).unwrap();
    let pairs: Vec<(f64, f64)> = rb[i0 - 260..=i0 - 11]
        .iter()
        .filter_map(|(dd, r)| Some((*w.get(dd)?, *r)))
        .collect();
    let (alpha, beta) = reference::ols(&pairs);
    assert_eq!(row["estimation_n"], pairs.len().to_string());
    close(num(row, "beta"), beta);
    close(num(row, "alpha"), alpha);
    let ar0 = rb[i0].1 - alpha - beta * w[&d("2020-04-02")];
    close(num(row, "ar0"), ar0);
    // Without a benchmark the market model is refused.
    let out = env
        .cmd(&server.url, &["run", "--model", "market", "--no-charts"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs --benchmark"));
}

#[test]
fn placebo_p_values_and_the_calibration_report() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    let mut args = ARGS.to_vec();
    args.extend(["0", "--placebo", "49", "--seed", "4"]);
    ok(&mut env.cmd(&server.url, &args));
    let summary = read_csv(&env.path("data/exports/summary.csv"));
    for r in &summary {
        if r["caar"].is_empty() {
            continue;
        }
        // (1 + k)/(1 + 49): a multiple of 1/50 in [0.02, 1].
        let p = num(r, "placebo_p");
        assert!(
            (p * 50.0 - (p * 50.0).round()).abs() < 1e-9 && (0.02..=1.0).contains(&p),
            "{p}"
        );
    }
    // The calibration of the same run, to stdout: a table row per printed test and per null.
    let mut cal = vec!["calibrate"];
    cal.extend(&ARGS[1..]);
    cal.extend(["0", "--reps", "20", "-o", "-"]);
    let out = ok(&mut env.cmd(&server.url, &cal));
    let text = String::from_utf8(out.stdout).unwrap();
    for test in [
        "| `kp_p` |",
        "| `sign_p` |",
        "| `pearson_p` |",
        "| single event: `car_p_adj` |",
    ] {
        assert_eq!(text.matches(test).count(), 3, "{test} once per null:\n{text}");
    }
    assert!(text.contains("GARCH(1,1)") && text.contains("placebo"));
}
