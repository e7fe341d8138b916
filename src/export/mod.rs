//! The export files of a run, each declared as a list of columns ([`columns`]): `joined.csv`
//! ([`joined`]), `events.csv|json` ([`events`]), `summary.csv|json` ([`summary`]) and the event-time
//! `panel.csv|json` ([`panel`]); each also as Parquet or Arrow IPC ([`columnar`], `--format`).
//!
//! Numbers are written with Rust's shortest round-trip formatting (no rounding; `1.5e-18` style below
//! 1e-4, see [`table::push_num`]); a value that cannot be computed is an empty cell (JSON `null`) and
//! the `note` column says why. Every file is written atomically. Uses [`crate::analysis`] only.

pub mod chunk;
pub mod columnar;
pub mod columns;
pub mod csvbuf;
pub mod events;
pub mod intraday;
pub mod joined;
pub mod numfmt;
pub mod panel;
pub mod streamed;
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
    columns::table(&events::columns(study), records(study))
}

/// The summary table in memory (for the report).
pub fn summary_table(rows: &[SummaryRow]) -> Table {
    columns::table(&summary::columns(), rows)
}

/// A file format of the exports (`--format`, repeatable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV, streamed.
    Csv,
    /// A JSON array of objects keyed by header.
    Json,
    /// Parquet with column statistics ([`columnar`]).
    Parquet,
    /// Arrow IPC file ([`columnar`]).
    Arrow,
}

impl Format {
    /// File extension.
    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Parquet => "parquet",
            Format::Arrow => "arrow",
        }
    }
}

/// Write the records `make()` yields under `columns` as `dir/name.EXT` in every format of `formats`,
/// atomically: CSV and Parquet streamed, JSON and Arrow from one in-memory table. Returns the paths, in
/// `formats` order.
fn write<'r, R, I>(
    dir: &Path,
    name: &str,
    columns: &[Column<'_, R>],
    make: impl Fn() -> I,
    formats: &[Format],
) -> std::io::Result<Vec<PathBuf>>
where
    I: IntoIterator<Item = R>,
    R: 'r + Sync,
{
    let needs_table = formats.iter().any(|f| matches!(f, Format::Json | Format::Arrow));
    let table = needs_table.then(|| columns::table(columns, make()));
    let mut out = Vec::new();
    for f in formats {
        let path = dir.join(format!("{name}.{}", f.ext()));
        match (f, &table) {
            (Format::Csv, _) => write_atomic_with(&path, |w| columns::write_csv(w, columns, make()))?,
            (Format::Json, Some(t)) => write_atomic(&path, &t.to_json())?,
            (Format::Parquet, _) => {
                write_atomic_with(&path, |w| columnar::parquet_stream(w, columns, make()))?
            }
            (Format::Arrow, Some(t)) => write_atomic_with(&path, |w| columnar::arrow(t, w))?,
            _ => unreachable!("a table is built for JSON and Arrow"),
        }
        out.push(path);
    }
    Ok(out)
}

/// The output files of one run, written atomically into `dir`.
#[derive(Debug, Clone, Copy)]
pub struct Exports<'a> {
    /// Exports folder.
    pub dir: &'a Path,
    /// The study.
    pub study: &'a Study,
    /// Formats of every file (at least one).
    pub formats: &'a [Format],
}

impl Exports<'_> {
    /// Write `joined.*` in each format; returns the paths.
    pub fn joined(&self) -> std::io::Result<Vec<PathBuf>> {
        let cols = joined::columns(&self.study.params);
        write(self.dir, "joined", &cols, || records(self.study), self.formats)
    }

    /// Write `events.*`; returns the paths.
    pub fn events(&self) -> std::io::Result<Vec<PathBuf>> {
        let cols = events::columns(self.study);
        write(self.dir, "events", &cols, || records(self.study), self.formats)
    }

    /// Write `panel.*`; returns the paths.
    pub fn panel(&self) -> std::io::Result<Vec<PathBuf>> {
        let cols = panel::columns();
        write(
            self.dir,
            "panel",
            &cols,
            || panel::records(self.study),
            self.formats,
        )
    }

    /// Write `summary.*` from the across-event rows; returns the paths.
    pub fn summary(&self, rows: &[SummaryRow]) -> std::io::Result<Vec<PathBuf>> {
        write_summary(self.dir, rows, self.formats)
    }
}

/// Write `summary.*` from the across-event rows into `dir` in each of `formats`; returns the paths.
pub fn write_summary(dir: &Path, rows: &[SummaryRow], formats: &[Format]) -> std::io::Result<Vec<PathBuf>> {
    write(dir, "summary", &summary::columns(), || rows, formats)
}
