//! The across-event charts' points: one per event day.
use super::*;
use crate::analysis::stats::StudyParams;
use crate::analysis::{PreparedSeries, Study};
use crate::prices::series::{PriceSeries, SeriesId};
use crate::statements::{Statement, StatementTime};

/// A chart context over every series of `study` from `from` to `to`, with no labels or summary.
fn context(study: &Study, (from, to): (NaiveDate, NaiveDate)) -> ChartContext<'_> {
    ChartContext {
        study,
        series: study.select(|_| true),
        from,
        to,
        event_days: 5,
        source: String::new(),
        prices_label: String::new(),
        axis_label: String::new(),
        shade_windows: false,
        summary: &[],
        output: plot::Output::default(),
    }
}

#[test]
fn across_charts_count_event_days_not_statements() {
    // 80 weekdays of a wiggling price; statements 1 and 2 share day 0 and push both ways,
    // statement 3 is alone and pushes up.
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let obs: Vec<(NaiveDate, f64)> = (0..80)
        .map(|i| (start + chrono::Duration::days(i), 50.0 + (i as f64 * 0.7).sin()))
        .collect();
    let prices = PriceSeries::new(SeriesId::Brent, obs).unwrap();
    let series = PreparedSeries::new(prices, SeriesId::Brent.default_close());
    let day = |s: &str, stance| {
        let mut st = Statement::new(
            s,
            StatementTime::Date(start + chrono::Duration::days(60)),
            "x",
            "t",
        );
        st.stance = stance;
        st
    };
    let mut third = day("c", Some(Stance::Up));
    third.time = StatementTime::Date(start + chrono::Duration::days(70));
    let statements = vec![day("a", Some(Stance::Up)), day("b", Some(Stance::Down)), third];
    let params = StudyParams {
        estimation: crate::analysis::window::Window::new(-50, -5),
        ..StudyParams::default()
    };
    let study = Study::run(statements, vec![series], None, params).unwrap();
    let ctx = context(&study, (start, start));
    let points = event_points(&ctx, ctx.series[0]);
    let labels: Vec<(&str, bool)> = points.iter().map(|p| (p.label.as_str(), p.split)).collect();
    assert_eq!(labels, [("1,2", true), ("3", false)]);
    assert_eq!(points[1].stance, Some(Stance::Up));
}

#[test]
fn the_timeline_marks_the_rolls_of_a_continuous_futures_series() {
    // Weekdays of March–May 2020 (no holidays): NYMEX CL rolls after 20 March (25 March a
    // Wednesday: 3 business days before), 21 April (25 April a Saturday: 4 before) and 20 May
    // (25 May a Monday here: 3 before).
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let obs: Vec<(NaiveDate, f64)> = (0..92)
        .map(|i| d("2020-03-01") + chrono::Duration::days(i))
        .filter(|x| chrono::Datelike::weekday(x).number_from_monday() <= 5)
        .map(|x| (x, 30.0))
        .collect();
    let prices = PriceSeries::new(SeriesId::WtiFut, obs).unwrap();
    let series = PreparedSeries::new(prices, SeriesId::WtiFut.default_close());
    let study = Study::run(vec![], vec![series], None, StudyParams::default()).unwrap();
    let ctx = context(&study, (d("2020-03-01"), d("2020-05-31")));
    let rolls = timeline_of(&ctx).rolls;
    assert_eq!(
        rolls,
        [(0, d("2020-03-23")), (0, d("2020-04-22")), (0, d("2020-05-21"))]
    );
}

#[test]
fn an_event_chart_chains_prices_across_a_contract_roll() {
    use crate::prices::roll::Roll;
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let obs = vec![
        (d("2020-04-21"), 20.0),
        (d("2020-04-22"), 25.5),
        (d("2020-04-23"), 26.0),
    ];
    let roll = Roll {
        date: d("2020-04-22"),
        from: "CLK0".into(),
        to: "CLM0".into(),
        base: Some(25.0),
    };
    let prices = PriceSeries::new(SeriesId::WtiFut, obs)
        .unwrap()
        .with_rolls(vec![roll]);
    // Roll on day 0: the day before is brought to June's level (20 · 25/20 = 25), so day 0 reads
    // +2 % (25.5/25), the return the statistics use.
    assert_eq!(chained_prices(&prices, (0, 2), 1), [25.0, 25.5, 26.0]);
    // Roll after day 0: June's prices brought to May's level (× 20/25).
    let after = chained_prices(&prices, (0, 2), 0);
    assert_eq!(after[0], 20.0);
    assert!((after[1] - 20.4).abs() < 1e-12 && (after[2] - 20.8).abs() < 1e-12);
}

#[test]
fn shaded_windows_follow_each_series_own_trading_days_and_never_stack() {
    // Brent has no price on 2 March 2020 (a made-up holiday), WTI does: a statement on Friday
    // 28 February has day 0 on the 28th on both, day +1 on Tuesday the 3rd for Brent and Monday
    // the 2nd for WTI. Two more statements the same day must not add shading.
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    let days: Vec<NaiveDate> = (0..120)
        .map(|i| d("2019-12-01") + chrono::Duration::days(i))
        .filter(|x| chrono::Datelike::weekday(x).number_from_monday() <= 5)
        .collect();
    let obs = |skip: Option<NaiveDate>| -> Vec<(NaiveDate, f64)> {
        days.iter()
            .filter(|x| Some(**x) != skip)
            .enumerate()
            .map(|(i, x)| (*x, 50.0 + (i as f64 * 0.9).sin()))
            .collect()
    };
    let brent = PriceSeries::new(SeriesId::Brent, obs(Some(d("2020-03-02")))).unwrap();
    let wti = PriceSeries::new(SeriesId::Wti, obs(None)).unwrap();
    let series = vec![
        PreparedSeries::new(brent, SeriesId::Brent.default_close()),
        PreparedSeries::new(wti, SeriesId::Wti.default_close()),
    ];
    let statement = |id: &str| Statement::new(id, StatementTime::Date(d("2020-02-28")), "x", "t");
    let params = StudyParams {
        estimation: crate::analysis::window::Window::new(-50, -5),
        ..StudyParams::default()
    };
    let statements = vec![statement("a"), statement("b"), statement("c")];
    let study = Study::run(statements, series, None, params).unwrap();
    let mut ctx = context(&study, (d("2020-02-01"), d("2020-03-20")));
    ctx.shade_windows = true;
    let t = timeline_of(&ctx);
    assert_eq!(
        t.markers[0].windows,
        [
            (0, d("2020-02-28"), d("2020-03-03")),
            (1, d("2020-02-28"), d("2020-03-02"))
        ]
    );
    assert_eq!(t.window_label, "CAR[0,1]");
    let x = |s: &str| plot::timeline::x_of(d(s));
    // One wash span for three statements: the union of both series' windows (a window runs from its
    // first to its last day, over the weekend between).
    assert_eq!(
        plot::timeline_shade::spans(&t, None),
        [(x("2020-02-28") - 0.5, x("2020-03-03") + 0.5)]
    );
    assert_eq!(
        plot::timeline_shade::spans(&t, Some(1)),
        [(x("2020-02-28") - 0.5, x("2020-03-02") + 0.5)]
    );
}
