//! How the cost of a study grows (issue: statistics must not rescan the price history). Timed, so
//! ignored by a plain `cargo test`: run them with `cargo test --release -- --ignored` on an idle
//! machine.
//!
//! Timed, so the bounds are wide: each check compares two sizes whose expected cost ratio is far from
//! the ratio a rescan or a quadratic step would give, and takes the fastest of several runs.

use super::stats::StudyParams;
use super::{PreparedSeries, Study};
use crate::prices::series::{PriceSeries, SeriesId};
use crate::statements::{Statement, StatementTime};
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use std::time::Instant;

/// `days` weekday prices ending 2025-12-31 (a seeded random walk).
fn history(days: usize) -> PreparedSeries {
    let mut rng = fastrand::Rng::with_seed(5);
    let mut d = NaiveDate::from_ymd_opt(2025, 12, 31).expect("date");
    let mut obs = Vec::with_capacity(days);
    while obs.len() < days {
        if chrono::Datelike::weekday(&d).number_from_monday() <= 5 {
            obs.push((d, 0.0));
        }
        d -= Duration::days(1);
    }
    obs.reverse();
    let mut p = 60.0;
    for o in &mut obs {
        p *= (rng.f64() - 0.5) * 0.04 + 1.0;
        o.1 = p;
    }
    let s = PriceSeries::new(SeriesId::Brent, obs).expect("valid prices");
    PreparedSeries::new(s, SeriesId::Brent.default_close())
}

/// `n` statements at random times in 2022–2025.
fn statements(n: usize) -> Vec<Statement> {
    let mut rng = fastrand::Rng::with_seed(9);
    let start = Utc.with_ymd_and_hms(2022, 1, 1, 0, 0, 0).unwrap().timestamp();
    let mut v: Vec<Statement> = (0..n)
        .map(|i| {
            let t = Utc
                .timestamp_opt(start + rng.i64(0..4 * 365 * 86_400), 0)
                .unwrap();
            Statement::new(format!("s{i}"), StatementTime::Instant(t), "x", "t")
        })
        .collect();
    v.sort_by_key(|s| s.time.sort_key());
    v
}

/// Fastest of five runs, in seconds.
fn fastest(series: &PreparedSeries, stmts: &[Statement]) -> f64 {
    let p = StudyParams::default();
    (0..5)
        .map(|_| {
            let (stmts, series) = (stmts.to_vec(), vec![series.clone()]);
            let t = Instant::now();
            let study = Study::run(stmts, series, None, p.clone()).expect("study");
            assert_eq!(study.n_rows(), study.statements.len());
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
#[ignore = "timed: run with `cargo test --release -- --ignored` on an idle machine"]
fn a_ten_times_longer_history_costs_little_more() {
    // Per statement the work is the estimation window and the event window, found by index: a
    // rescan of the history would make the long case ~10x slower; alignment grows a little.
    let stmts = statements(2_000);
    let short = fastest(&history(1_300), &stmts);
    let long = fastest(&history(13_000), &stmts);
    assert!(
        long < 3.0 * short + 0.005,
        "1,300 days: {short:.4} s; 13,000 days: {long:.4} s"
    );
}

#[test]
#[ignore = "timed: run with `cargo test --release -- --ignored` on an idle machine"]
fn four_times_the_statements_cost_at_most_about_four_times_as_much() {
    // Linear: x4 (less where statements share a day 0). Quadratic (e.g. an all-pairs overlap scan):
    // x16.
    let series = history(2_000);
    let few = fastest(&series, &statements(3_000));
    let many = fastest(&series, &statements(12_000));
    assert!(many < 8.0 * few + 0.005, "3,000: {few:.4} s; 12,000: {many:.4} s");
}
