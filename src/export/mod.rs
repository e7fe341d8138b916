//! `joined.csv`: one row per statement × series with day 0, prices, returns and the event statistics.
//!
//! Numbers are written with Rust's shortest round-trip formatting (no rounding; `1.5e-18` style below
//! 1e-4); a value that cannot be
//! computed is an empty cell and the `note` column says why. Written atomically.

pub mod events;
pub mod numfmt;
pub mod summary;
pub mod table;

use crate::analysis::stats::StudyParams;
use crate::analysis::EventRow;
use crate::fsutil::{write_atomic, write_atomic_with};
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

/// Render the joined table as CSV bytes.
pub fn joined_csv(statements: &[Statement], rows: &[EventRow], params: &StudyParams) -> Vec<u8> {
    let mut out = Vec::new();
    write_joined_csv(&mut out, statements, rows, params).expect("in-memory write");
    out
}

/// Stream the joined table as CSV into `w`, one field at a time (no per-row strings).
pub fn write_joined_csv<W: std::io::Write>(
    w: W,
    statements: &[Statement],
    rows: &[EventRow],
    params: &StudyParams,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(COLUMNS)?;
    let window = format!("{},{}", params.car().start, params.car().end);
    let mut buf = String::new();
    let mut num = |w: &mut csv::Writer<W>, x: Option<f64>| {
        buf.clear();
        table::push_num(&mut buf, x);
        w.write_field(&buf)
    };
    for r in rows {
        let s = &statements[r.statement];
        let est = r.stats.estimation;
        let car = r.stats.car();
        let ar0 = r.stats.ar0;
        w.write_field(&s.id)?;
        w.write_field(s.time.to_string())?;
        w.write_field(&s.speaker)?;
        w.write_field(s.stance.map_or("", |x| x.as_str()))?;
        w.write_field(r.series.key())?;
        w.write_field(r.event_date.map_or(String::new(), |d| d.to_string()))?;
        for x in [r.close_before, r.close_event, r.simple_return, r.log_return] {
            num(&mut w, x)?;
        }
        for x in [ar0.map(|t| t.value), ar0.map(|t| t.t), ar0.map(|t| t.p)] {
            num(&mut w, x)?;
        }
        w.write_field(&window)?;
        for x in [car.map(|t| t.value), car.map(|t| t.t), car.map(|t| t.p)] {
            num(&mut w, x)?;
        }
        w.write_field(est.map_or(String::new(), |e| e.m.to_string()))?;
        num(&mut w, est.map(|e| e.alpha))?;
        num(&mut w, est.map(|e| e.s))?;
        w.write_field(r.note())?;
        w.write_record(None::<&[u8]>)?;
    }
    w.flush()
}

/// Write `joined.csv` into `dir` atomically; returns its path.
pub fn write_joined(
    dir: &Path,
    statements: &[Statement],
    rows: &[EventRow],
    params: &StudyParams,
) -> std::io::Result<std::path::PathBuf> {
    let path = dir.join("joined.csv");
    write_atomic_with(&path, |w| write_joined_csv(w, statements, rows, params))?;
    Ok(path)
}

/// The output files of one run, written atomically into `dir` (CSV streamed; JSON built in memory).
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    /// Exports folder.
    pub dir: &'a Path,
    /// Statements of the run.
    pub statements: &'a [Statement],
    /// Study rows.
    pub rows: &'a [EventRow],
    /// Study parameters.
    pub params: &'a StudyParams,
    /// JSON instead of CSV for events and summary.
    pub json: bool,
}

impl Files<'_> {
    fn ext(&self) -> &'static str {
        if self.json {
            "json"
        } else {
            "csv"
        }
    }

    /// Write `joined.csv`; returns its path.
    pub fn joined(&self) -> std::io::Result<std::path::PathBuf> {
        write_joined(self.dir, self.statements, self.rows, self.params)
    }

    /// Write `events.csv` or `events.json`; returns its path.
    pub fn events(&self) -> std::io::Result<std::path::PathBuf> {
        let path = self.dir.join(format!("events.{}", self.ext()));
        let (s, r, p) = (self.statements, self.rows, self.params);
        if self.json {
            write_atomic(&path, &events::table(s, r, p).to_json())?;
        } else {
            write_atomic_with(&path, |w| events::write_csv(w, s, r, p))?;
        }
        Ok(path)
    }

    /// Write `summary.csv` or `summary.json` from its table; returns its path.
    pub fn summary(&self, summary: &table::Table) -> std::io::Result<std::path::PathBuf> {
        let path = self.dir.join(format!("summary.{}", self.ext()));
        if self.json {
            write_atomic(&path, &summary.to_json())?;
        } else {
            write_atomic_with(&path, |w| summary.write_csv(w))?;
        }
        Ok(path)
    }
}
