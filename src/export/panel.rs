//! `panel.csv` / `panel.json` (`oilcorr run --panel`): the event-time panel, one row per statement ×
//! series × relative trading day `t` in the chart span (`±--event-days`), the data behind every event
//! and CAAR chart, for redrawing or re-testing anything. Columns are documented in the README.
//!
//! `car` cumulates the abnormal returns from day −1 (0 there; `Σ AR_0..t` after, `−Σ AR_t+1..−1`
//! before), empty from the first AR it needs that is undefined: the cumulation the CAAR chart
//! averages over event days ([`crate::analysis::caar::anchored`]). `band` is the half-width of the event chart's 95 % range of
//! a normal move since day −1, `z·S·√(t+1)` for `t ≥ 0` (log or simple return units).

use super::columns::Column;
use crate::analysis::stats::z975;
use crate::analysis::{EventRow, SeriesStudy, Study};
use crate::statements::Statement;
use chrono::NaiveDate;

/// One statement on one series on one relative trading day.
#[derive(Debug, Clone, Copy)]
pub struct PanelRecord<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// Its row on the series.
    pub row: &'a EventRow,
    /// Relative trading day.
    pub t: i64,
    /// The trading day's date and price, when inside the price history.
    pub day: Option<(NaiveDate, f64)>,
    /// The day's return.
    pub ret: Option<f64>,
    /// Abnormal return.
    pub ar: Option<f64>,
    /// Abnormal return cumulated from day −1 ([`crate::analysis::caar::anchored`]).
    pub car: Option<f64>,
}

/// The panel records of `study`, statement-major, then series, then `t` (generated on the fly).
pub fn records(study: &Study) -> impl Iterator<Item = PanelRecord<'_>> + '_ {
    let span = study.params.path;
    (0..study.statements.len()).flat_map(move |i| {
        study.series.iter().flat_map(move |s| {
            let row = &s.rows[i];
            let statement = &study.statements[i];
            let cars = crate::analysis::caar::anchored(&row.stats.path_ar, span.start, span.end);
            (span.start..=span.end)
                .filter(move |_| row.day0.is_some())
                .map(move |t| {
                    let ar = row.stats.path_ar.iter().find(|p| p.0 == t).map(|p| p.1);
                    let car = cars[(t - span.start) as usize];
                    let (day, ret) = day_of(s, study, row, t);
                    PanelRecord {
                        statement,
                        row,
                        t,
                        day,
                        ret,
                        ar,
                        car,
                    }
                })
        })
    })
}

/// Date, price and return of relative day `t` of `row` on `s`.
fn day_of(s: &SeriesStudy, study: &Study, row: &EventRow, t: i64) -> (Option<(NaiveDate, f64)>, Option<f64>) {
    let Some(i) = row
        .day0
        .and_then(|d| usize::try_from(d as i64 + t).ok())
        .filter(|i| *i < s.prepared.prices.len())
    else {
        return (None, None);
    };
    let p = &s.prepared;
    let ret = p.returns.of(study.params.returns)[i];
    (Some((p.prices.dates()[i], p.prices.prices()[i])), ret)
}

/// The columns of the panel.
pub fn columns<'a>() -> Vec<Column<'a, PanelRecord<'a>>> {
    type R<'r> = PanelRecord<'r>;
    vec![
        Column::user("statement_id", |r: &R| &r.statement.id),
        Column::text("series", |r: &R| r.row.series.key()),
        Column::new("event_date", |r: &R, out| match r.row.event_date {
            Some(d) => out.display(&d),
            None => out.text(""),
        }),
        Column::new("t", |r: &R, out| out.display(&r.t)),
        Column::new("date", |r: &R, out| match r.day {
            Some((d, _)) => out.display(&d),
            None => out.text(""),
        }),
        Column::num("price", |r: &R| r.day.map(|d| d.1)),
        Column::num("return", |r: &R| r.ret),
        Column::num("ar", |r: &R| r.ar),
        Column::num("car", |r: &R| r.car),
        Column::num("band", |r: &R| {
            let s = r.row.stats.estimation?.s;
            (r.t >= 0).then(|| z975() * s * ((r.t + 1) as f64).sqrt())
        }),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::caar::caar_path;
    use crate::analysis::events::event_days;
    use crate::analysis::stats::StudyParams;
    use crate::analysis::window::Window;
    use crate::analysis::PreparedSeries;
    use crate::prices::series::{PriceSeries, SeriesId};
    use crate::statements::StatementTime;
    use chrono::Duration;

    /// A seeded random walk on weekdays of 2019–2021, and statements every 40 days of 2020–2021.
    fn study() -> Study {
        let mut rng = fastrand::Rng::with_seed(3);
        let mut d = NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
        let (mut obs, mut p) = (Vec::new(), 50.0);
        while d < NaiveDate::from_ymd_opt(2022, 1, 1).unwrap() {
            if chrono::Datelike::weekday(&d).number_from_monday() <= 5 {
                p *= 1.0 + (rng.f64() - 0.5) * 0.05;
                obs.push((d, p));
            }
            d += Duration::days(1);
        }
        let prices = PriceSeries::new(SeriesId::Brent, obs).unwrap();
        let s = PreparedSeries::new(prices, SeriesId::Brent.default_close());
        let start = NaiveDate::from_ymd_opt(2020, 1, 6).unwrap();
        let stmts: Vec<Statement> = (0..18)
            .map(|k| {
                let day = start + Duration::days(40 * (k / 2)); // pairs share a day
                Statement::new(format!("s{k}"), StatementTime::Date(day), "x", "t")
            })
            .collect();
        let params = StudyParams {
            path: Window::new(-5, 5),
            ..Default::default()
        };
        Study::run(stmts, vec![s], None, params).unwrap()
    }

    #[test]
    fn the_panel_reproduces_the_caar_path() {
        let study = study();
        let rows: Vec<PanelRecord> = records(&study).collect();
        assert_eq!(rows.len(), 18 * 11);
        // CAAR over event days from the panel: one statement per event day, mean of `car` by t.
        let days = event_days(study.series[0].rows.iter());
        let firsts: Vec<usize> = days.iter().map(|d| d.row().statement).collect();
        let paths: Vec<&[(i64, f64)]> = days.iter().map(|d| d.row().stats.path_ar.as_slice()).collect();
        let want = caar_path(&paths, -5, 5);
        for (t, caar, _) in want {
            let cars: Vec<f64> = rows
                .iter()
                .filter(|r| r.t == t && firsts.contains(&(r.row.statement)))
                .filter_map(|r| r.car)
                .collect();
            let mean = cars.iter().sum::<f64>() / cars.len() as f64;
            assert!((mean - caar).abs() < 1e-15, "t = {t}: {mean} vs {caar}");
        }
        // Day 0's AR is the row's AR_0, and its date is day 0.
        let r0 = rows.iter().find(|r| r.t == 0).unwrap();
        assert_eq!(r0.ar, r0.row.stats.ar0.map(|a| a.value));
        assert_eq!(r0.day.map(|d| d.0), r0.row.event_date);
    }
}
