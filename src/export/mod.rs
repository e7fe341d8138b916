//! The export files of a run, each declared as a list of columns ([`columns`]): `joined.csv`
//! ([`joined`]), `events.csv|json` ([`events`]), `summary.csv|json` ([`summary`]) and the event-time
//! `panel.csv|json` ([`panel`]).
//!
//! Numbers are written with Rust's shortest round-trip formatting (no rounding; `1.5e-18` style below
//! 1e-4, see [`table::push_num`]); a value that cannot be computed is an empty cell (JSON `null`) and
//! the `note` column says why. Every file is written atomically. Uses [`crate::analysis`] only.

pub mod columns;
pub mod events;
pub mod joined;
pub mod numfmt;
pub mod panel;
pub mod summary;
pub mod table;

use crate::analysis::groups::SummaryRow;
use crate::analysis::{EventRow, Study};
use crate::fsutil::{write_atomic, write_atomic_with};
use crate::statements::Statement;
use columns::Column;
use std::path::{Path, PathBuf};
use table::Table;

/// One statement on one series: the record of `joined` and `events`.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// Its row on one series.
    pub row: &'a EventRow,
}

/// The records of `study`, statement-major.
pub fn records(study: &Study) -> impl Iterator<Item = Record<'_>> + '_ {
    study.rows().map(|row| Record {
        statement: &study.statements[row.statement],
        row,
    })
}

/// The events table in memory (for the report).
pub fn events_table(study: &Study) -> Table {
    columns::table(&events::columns(&study.statements, &study.params), records(study))
}

/// The summary table in memory (for the report).
pub fn summary_table(rows: &[SummaryRow]) -> Table {
    columns::table(&summary::columns(), rows)
}

/// Write `records` under `columns` to `path` atomically, as CSV (streamed) or JSON (an array of
/// objects keyed by header, built in memory).
fn write<R>(
    path: &Path,
    columns: &[Column<'_, R>],
    records: impl IntoIterator<Item = R>,
    json: bool,
) -> std::io::Result<()> {
    if json {
        write_atomic(path, &columns::table(columns, records).to_json())
    } else {
        write_atomic_with(path, |w| columns::write_csv(w, columns, records))
    }
}

/// The output files of one run, written atomically into `dir`.
#[derive(Debug, Clone, Copy)]
pub struct Exports<'a> {
    /// Exports folder.
    pub dir: &'a Path,
    /// The study.
    pub study: &'a Study,
    /// JSON instead of CSV for events and summary.
    pub json: bool,
}

impl Exports<'_> {
    fn path(&self, name: &str) -> PathBuf {
        let ext = if self.json { "json" } else { "csv" };
        self.dir.join(format!("{name}.{ext}"))
    }

    /// Write `joined.csv` (always CSV); returns its path.
    pub fn joined(&self) -> std::io::Result<PathBuf> {
        let path = self.dir.join("joined.csv");
        write(
            &path,
            &joined::columns(&self.study.params),
            records(self.study),
            false,
        )?;
        Ok(path)
    }

    /// Write `events.csv` or `events.json`; returns its path.
    pub fn events(&self) -> std::io::Result<PathBuf> {
        let path = self.path("events");
        let cols = events::columns(&self.study.statements, &self.study.params);
        write(&path, &cols, records(self.study), self.json)?;
        Ok(path)
    }

    /// Write `panel.csv` or `panel.json`; returns its path.
    pub fn panel(&self) -> std::io::Result<PathBuf> {
        let path = self.path("panel");
        write(&path, &panel::columns(), panel::records(self.study), self.json)?;
        Ok(path)
    }

    /// Write `summary.csv` or `summary.json` from the across-event rows; returns its path.
    pub fn summary(&self, rows: &[SummaryRow]) -> std::io::Result<PathBuf> {
        let path = self.path("summary");
        write(&path, &summary::columns(), rows, self.json)?;
        Ok(path)
    }
}
