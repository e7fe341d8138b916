//! `joined.csv`: one row per statement × series with day 0, prices, returns and the headline
//! statistics (first CAR window). Columns are documented in the README ("Outputs").

use super::columns::Column;
use super::Record;
use crate::analysis::stats::StudyParams;

/// The columns of `joined.csv`.
pub fn columns<'a>(params: &StudyParams) -> Vec<Column<'a, Record<'a>>> {
    let window = format!("{},{}", params.car().start, params.car().end);
    vec![
        Column::user("statement_id", |r: &Record| &r.statement.id),
        Column::new("statement_time", |r: &Record, out| out.display(&r.statement.time)),
        Column::user("speaker", |r: &Record| &r.statement.speaker),
        Column::text("stance", |r: &Record| {
            r.statement.stance.map_or("", |x| x.as_str())
        }),
        Column::text("series", |r: &Record| r.row.series.key()),
        Column::new("event_date", |r: &Record, out| match r.row.event_date {
            Some(d) => out.display(&d),
            None => out.text(""),
        }),
        Column::num("close_before", |r: &Record| r.row.close_before),
        Column::num("close_event", |r: &Record| r.row.close_event),
        Column::num("simple_return", |r: &Record| r.row.simple_return),
        Column::num("log_return", |r: &Record| r.row.log_return),
        Column::num("abnormal_return", |r: &Record| r.row.stats.ar0.map(|t| t.value)),
        Column::num("t_stat", |r: &Record| r.row.stats.ar0.map(|t| t.t)),
        Column::num("p_value", |r: &Record| r.row.stats.ar0.map(|t| t.p)),
        Column::new("car_window", move |_: &Record, out| out.text(&window)),
        Column::num("car", |r: &Record| r.row.stats.car().map(|t| t.value)),
        Column::num("car_t_stat", |r: &Record| r.row.stats.car().map(|t| t.t)),
        Column::num("car_p_value", |r: &Record| r.row.stats.car().map(|t| t.p)),
        Column::num("car_pctl", |r: &Record| {
            r.row
                .stats
                .windows
                .first()
                .copied()
                .flatten()
                .and_then(|w| w.pctl)
        }),
        Column::int("estimation_n", |r: &Record| {
            r.row.stats.estimation.map(|e| e.m as u64)
        }),
        // The model's intercept: μ (the estimation mean) for `mean`, α for `market`, 0 otherwise.
        Column::num("estimation_alpha", |r: &Record| {
            r.row.stats.estimation.map(|e| e.alpha)
        }),
        Column::num("estimation_sd", |r: &Record| r.row.stats.estimation.map(|e| e.s)),
        Column::new("note", |r: &Record, out| match r.row.stats.notes.as_slice() {
            [] => out.text(""),
            [one] => out.text(one),
            _ => out.text(&r.row.note()),
        }),
    ]
}
