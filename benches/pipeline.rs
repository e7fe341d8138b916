//! Criterion benchmarks of the hot parts on synthetic data generated here: parsing a FRED CSV,
//! aligning statements to day 0, the event statistics, the cross-event summary and the timeline chart.
//! Run with `cargo bench`; CI only builds them (`cargo bench --no-run`).

// criterion's macros generate an undocumented public function.
#![allow(missing_docs)]

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use oilcorr::analysis::stats::StudyParams;
use oilcorr::analysis::{align, PreparedSeries, Study};
use oilcorr::prices::series::{PriceSeries, SeriesId};
use oilcorr::statements::{Stance, Statement, StatementTime};

/// Weekday prices from 1987 on, a deterministic random walk.
fn prices(id: SeriesId, days: usize) -> PriceSeries {
    let mut rng = fastrand::Rng::with_seed(7);
    let mut d = NaiveDate::from_ymd_opt(1987, 5, 20).unwrap();
    let mut p = 20.0;
    let mut obs = Vec::with_capacity(days);
    while obs.len() < days {
        if chrono::Datelike::weekday(&d).number_from_monday() <= 5 {
            p *= (rng.f64() * 0.04 - 0.02).exp();
            obs.push((d, (p * 100.0f64).round() / 100.0));
        }
        d += Duration::days(1);
    }
    PriceSeries::new(id, obs).unwrap()
}

fn statements(n: usize) -> Vec<Statement> {
    let mut rng = fastrand::Rng::with_seed(11);
    let start = Utc.with_ymd_and_hms(1989, 1, 1, 0, 0, 0).unwrap().timestamp();
    let span = Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).unwrap().timestamp() - start;
    (0..n)
        .map(|i| {
            let t = StatementTime::Instant(Utc.timestamp_opt(start + rng.i64(0..span), 0).unwrap());
            let mut s = Statement::new(format!("s{i}"), t, format!("speaker {}", i % 20), "synthetic");
            s.tags = vec![format!("tag{}", i % 5)];
            s.stance = [Some(Stance::Up), Some(Stance::Down), None][i % 3];
            s
        })
        .collect()
}

fn fred_body(s: &PriceSeries) -> String {
    let mut b = String::from("observation_date,DCOILBRENTEU\n");
    for (d, p) in s.iter() {
        b.push_str(&format!("{d},{p}\n"));
    }
    b
}

fn benches(c: &mut Criterion) {
    let brent = prices(SeriesId::Brent, 10_000);
    let wti = prices(SeriesId::Wti, 10_000);
    let body = fred_body(&brent);
    c.bench_function("parse FRED CSV, 10k rows", |b| {
        b.iter(|| oilcorr::prices::fred::parse(&body, SeriesId::Brent, "bench").unwrap())
    });
    let stmts = statements(60_000);
    let close = SeriesId::Brent.default_close();
    c.bench_function("align 60k statements to 10k trading days (polars as-of)", |b| {
        b.iter(|| align::day_zero(&stmts, &brent, &close).unwrap())
    });
    let series = vec![
        PreparedSeries::new(brent.clone(), SeriesId::Brent.default_close()),
        PreparedSeries::new(wti.clone(), SeriesId::Wti.default_close()),
    ];
    let params = StudyParams::default();
    c.bench_function("event statistics, 60k statements x 2 series", |b| {
        b.iter_batched(
            || (stmts.clone(), series.clone()),
            |(st, se)| Study::run(st, se, None, params.clone()).unwrap(),
            BatchSize::LargeInput,
        )
    });
    let few = Study::run(statements(2_000), series.clone(), None, params.clone()).unwrap();
    c.bench_function("cross-event summary, 2k statements x 2 series", |b| {
        b.iter(|| few.summarize())
    });
    let fifty = Study::run(statements(50), series, None, params).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ctx = oilcorr::plot::draw::ChartContext {
        study: &fifty,
        series: fifty.select(|_| true),
        from: NaiveDate::from_ymd_opt(1988, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        event_days: 10,
        source: "synthetic".into(),
        prices_label: "synthetic prices".into(),
        axis_label: "US$ per barrel (synthetic)".into(),
        summary: &[],
        shade_windows: true,
        output: oilcorr::plot::Output::default(),
    };
    let mut g = c.benchmark_group("charts");
    g.sample_size(10);
    g.bench_function("timeline + 50 event charts + summary charts", |b| {
        b.iter_batched(
            || (),
            |_| oilcorr::plot::draw::draw_all(&ctx, dir.path()).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group! {
    name = pipeline;
    config = Criterion::default();
    targets = benches
}
criterion_main!(pipeline);
