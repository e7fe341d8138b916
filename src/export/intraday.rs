//! `intraday.csv`: one row per timed statement × series × clock window, with the event's move, its
//! baseline and the statistics of [`crate::analysis::intraday`]. Times are RFC 3339 UTC.

use super::columns::{write_csv, Column};
use crate::analysis::intraday::IntradayRow;
use crate::prices::SeriesId;
use std::path::Path;

/// One row of `intraday.csv`: a statement × window on one series.
pub type Record<'a> = (SeriesId, &'a IntradayRow<'a>);

fn utc(secs: Option<i64>) -> String {
    secs.and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map_or(String::new(), |t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

/// The columns of `intraday.csv`.
pub fn columns<'a>() -> Vec<Column<'a, Record<'a>>> {
    let mv =
        |r: &Record, f: fn(&crate::analysis::intraday::WindowMove) -> f64| r.1.event.as_ref().ok().map(f);
    let vs = |r: &Record, f: fn(&crate::analysis::intraday::Versus) -> Option<f64>| {
        r.1.versus.as_ref().and_then(f)
    };
    vec![
        Column::user("statement_id", |r: &Record| &r.1.statement.id),
        Column::new("statement_time", |r: &Record, out| {
            out.display(&r.1.statement.time)
        }),
        Column::user("speaker", |r: &Record| &r.1.statement.speaker),
        Column::new("series", |r: &Record, out| out.text(r.0.key())),
        Column::new("window", |r: &Record, out| out.display(&r.1.window)),
        Column::new("event_bar", |r: &Record, out| out.text(&utc(r.1.bar))),
        Column::new("start_at", |r: &Record, out| {
            out.text(&utc(r.1.event.as_ref().ok().map(|m| m.from.0)))
        }),
        Column::num("start_price", move |r: &Record| mv(r, |m| m.from.1)),
        Column::new("end_at", |r: &Record, out| {
            out.text(&utc(r.1.event.as_ref().ok().map(|m| m.to.0)))
        }),
        Column::num("end_price", move |r: &Record| mv(r, |m| m.to.1)),
        Column::num("log_return", move |r: &Record| mv(r, |m| m.ret)),
        Column::int("baseline_n", |r: &Record| Some(r.1.baseline.len() as u64)),
        Column::num("baseline_mean", move |r: &Record| vs(r, |v| Some(v.mean))),
        Column::num("baseline_sd", move |r: &Record| vs(r, |v| Some(v.sd))),
        Column::num("abnormal_return", move |r: &Record| vs(r, |v| Some(v.ar))),
        Column::num("t_stat", move |r: &Record| vs(r, |v| v.t)),
        Column::num("placebo_p", move |r: &Record| vs(r, |v| Some(v.placebo_p))),
        Column::text("note", |r: &Record| &r.1.note),
    ]
}

/// Write `records` to `path` atomically.
pub fn write(path: &Path, records: &[Record<'_>]) -> std::io::Result<()> {
    crate::fsutil::write_atomic_with(path, |w| write_csv(w, &columns(), records.iter().copied()))
}

/// One row of `intraday_summary.csv`: a series × window across statements.
pub type GroupRecord<'a> = (
    SeriesId,
    crate::analysis::intraday::ClockWindow,
    &'a crate::analysis::intraday_cross::IntradayGroup,
);

/// The columns of `intraday_summary.csv` ([`crate::analysis::intraday_cross`]).
pub fn summary_columns<'a>() -> Vec<Column<'a, GroupRecord<'a>>> {
    vec![
        Column::new("series", |r: &GroupRecord, out| out.text(r.0.key())),
        Column::new("window", |r: &GroupRecord, out| out.display(&r.1)),
        Column::int("n_statements", |r: &GroupRecord| Some(r.2.n as u64)),
        Column::num("mean_ar", |r: &GroupRecord| Some(r.2.mean_ar)),
        Column::int("n_positive", |r: &GroupRecord| Some(r.2.n_pos as u64)),
        Column::num("bmp_z", |r: &GroupRecord| r.2.bmp.map(|b| b.0)),
        Column::num("bmp_p", |r: &GroupRecord| r.2.bmp.map(|b| b.1)),
        Column::num("randomization_p", |r: &GroupRecord| Some(r.2.randomization_p)),
    ]
}

/// Write the across-statement `records` to `path` atomically.
pub fn write_summary(path: &Path, records: &[GroupRecord<'_>]) -> std::io::Result<()> {
    crate::fsutil::write_atomic_with(path, |w| {
        write_csv(w, &summary_columns(), records.iter().copied())
    })
}
