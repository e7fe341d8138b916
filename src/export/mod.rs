//! `joined.csv`: one row per statement × series with day 0, prices, returns and the event statistics.
//!
//! Numbers are written with Rust's shortest round-trip formatting (no rounding; `1.5e-18` style below
//! 1e-4); a value that cannot be
//! computed is an empty cell and the `note` column says why. Written atomically.

pub mod events;
pub mod summary;
pub mod table;

use crate::analysis::stats::StudyParams;
use crate::analysis::EventRow;
use crate::fsutil::write_atomic;
use crate::statements::Statement;
use std::path::Path;

/// The column header of `joined.csv`, in order.
pub const COLUMNS: [&str; 21] = [
    "statement_id",
    "statement_time",
    "speaker",
    "stance",
    "series",
    "event_date",
    "close_before",
    "close_event",
    "simple_return",
    "log_return",
    "abnormal_return",
    "t_stat",
    "p_value",
    "car_window",
    "car",
    "car_t_stat",
    "car_p_value",
    "estimation_n",
    "estimation_mean",
    "estimation_sd",
    "note",
];

fn num(x: Option<f64>) -> String {
    table::num_text(x)
}

/// Render the joined table as CSV bytes.
pub fn joined_csv(statements: &[Statement], rows: &[EventRow], params: &StudyParams) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS).expect("in-memory write");
    for r in rows {
        let s = &statements[r.statement];
        let est = r.stats.estimation;
        let record = [
            s.id.clone(),
            s.time.to_string(),
            s.speaker.clone(),
            s.stance.map_or("", |x| x.as_str()).to_string(),
            r.series.key().to_string(),
            r.event_date.map_or(String::new(), |d| d.to_string()),
            num(r.close_before),
            num(r.close_event),
            num(r.simple_return),
            num(r.log_return),
            num(r.stats.ar0.map(|t| t.value)),
            num(r.stats.ar0.map(|t| t.t)),
            num(r.stats.ar0.map(|t| t.p)),
            format!("{},{}", params.car().start, params.car().end),
            num(r.stats.car().map(|t| t.value)),
            num(r.stats.car().map(|t| t.t)),
            num(r.stats.car().map(|t| t.p)),
            est.map_or(String::new(), |e| e.m.to_string()),
            num(est.map(|e| e.alpha)),
            num(est.map(|e| e.s)),
            r.note(),
        ];
        w.write_record(&record).expect("in-memory write");
    }
    w.into_inner().expect("in-memory flush")
}

/// Write `joined.csv` into `dir` atomically; returns its path.
pub fn write_joined(
    dir: &Path,
    statements: &[Statement],
    rows: &[EventRow],
    params: &StudyParams,
) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join("joined.csv");
    write_atomic(&path, &joined_csv(statements, rows, params))?;
    Ok(path)
}

/// Write `events.{csv,json}` and `summary.{csv,json}` into `dir` atomically; returns their paths.
pub fn write_statistics(
    dir: &Path,
    events: &table::Table,
    summary: &table::Table,
    json: bool,
) -> std::io::Result<Vec<std::path::PathBuf>> {
    let ext = if json { "json" } else { "csv" };
    let mut out = Vec::new();
    for (name, t) in [("events", events), ("summary", summary)] {
        let path = dir.join(format!("{name}.{ext}"));
        write_atomic(&path, &if json { t.to_json() } else { t.to_csv() })?;
        out.push(path);
    }
    Ok(out)
}
