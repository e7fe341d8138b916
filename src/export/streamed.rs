//! `joined` and `events` written one batch of statements at a time (the bounded-memory run): each file
//! is opened as a temporary beside its final path, every batch's records are appended (CSV through
//! [`CsvStream`], Parquet through [`ParquetStream`]) and, once all are in, the files are synced and
//! renamed into place. The bytes are those the in-memory [`super::Exports`] writes for the same
//! statements: a record depends only on its statement, its row and the event days, which are known
//! up front. JSON and Arrow files are built from a whole table and are not written this way.

use super::columnar::ParquetStream;
use super::columns::CsvStream;
use super::events::{self, Days};
use super::{joined, records, Format};
use crate::analysis::stats::StudyParams;
use crate::analysis::Study;
use crate::fsutil::Writeback;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Which {
    Joined,
    Events,
}

/// The writer of one open file.
enum Sink {
    Csv(CsvStream<BufWriter<Writeback<File>>>),
    Parquet(Box<ParquetStream<BufWriter<Writeback<File>>>>),
}

/// One file being written.
struct Open {
    which: Which,
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
    sink: Sink,
}

/// The joined and events files of a run, open for batches.
pub struct StreamedExports {
    params: StudyParams,
    days: Days,
    files: Vec<Open>,
}

impl StreamedExports {
    /// Open `joined` in each of `joined_formats` and `events` in each of `events_formats` (CSV or
    /// Parquet) in `dir`; `days` are the event days of all the statements to come.
    pub fn create(
        dir: &Path,
        joined_formats: &[Format],
        events_formats: &[Format],
        params: &StudyParams,
        days: Days,
    ) -> std::io::Result<Self> {
        let mut files = Vec::new();
        let wanted = joined_formats
            .iter()
            .map(|f| (Which::Joined, *f))
            .chain(events_formats.iter().map(|f| (Which::Events, *f)));
        for (which, format) in wanted {
            let name = match which {
                Which::Joined => "joined",
                Which::Events => "events",
            };
            let path = dir.join(format!("{name}.{}", format.ext()));
            let tmp = crate::fsutil::temp_beside(&path, ".tmp")?;
            let file = tmp.as_file();
            let w = BufWriter::with_capacity(1 << 16, Writeback::new(file.try_clone()?, file.try_clone()?));
            let sink = match (which, format) {
                (Which::Joined, Format::Csv) => Sink::Csv(CsvStream::new(w, &joined::columns(params))?),
                (Which::Events, Format::Csv) => {
                    Sink::Csv(CsvStream::new(w, &events::columns_with(params, days.clone()))?)
                }
                (Which::Joined, Format::Parquet) => {
                    Sink::Parquet(Box::new(ParquetStream::new(w, &joined::columns(params))))
                }
                (Which::Events, Format::Parquet) => Sink::Parquet(Box::new(ParquetStream::new(
                    w,
                    &events::columns_with(params, days.clone()),
                ))),
                (_, f) => {
                    return Err(std::io::Error::other(format!(
                        "{name}.{} cannot be written a batch at a time",
                        f.ext()
                    )))
                }
            };
            files.push(Open {
                which,
                path,
                tmp,
                sink,
            });
        }
        Ok(StreamedExports {
            params: params.clone(),
            days,
            files,
        })
    }

    /// Append the records of `batch` to every file, one file per thread.
    pub fn push(&mut self, batch: &Study) -> std::io::Result<()> {
        let (params, days) = (&self.params, &self.days);
        std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .files
                .iter_mut()
                .map(|f| scope.spawn(move || append(f, batch, params, days)))
                .collect();
            handles
                .into_iter()
                .try_for_each(|h| h.join().expect("an export writer panicked"))
        })
    }

    /// Finish every file, sync it and rename it into place; returns the paths (joined first, then
    /// events, each in the order of its formats).
    pub fn finish(self) -> std::io::Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        for f in self.files {
            match f.sink {
                Sink::Csv(csv) => drop(csv.finish()?),
                Sink::Parquet(pq) => pq.finish()?,
            }
            f.tmp.as_file().sync_all()?;
            crate::fsutil::persist(f.tmp, &f.path)?;
            out.push(f.path);
        }
        Ok(out)
    }
}

/// Append `batch` to one file.
fn append(f: &mut Open, batch: &Study, params: &StudyParams, days: &Days) -> std::io::Result<()> {
    match (&mut f.sink, f.which) {
        (Sink::Csv(csv), Which::Joined) => csv.push(&joined::columns(params), records(batch)),
        (Sink::Csv(csv), Which::Events) => {
            csv.push(&events::columns_with(params, days.clone()), records(batch))
        }
        (Sink::Parquet(pq), Which::Joined) => pq.push(&joined::columns(params), records(batch)),
        (Sink::Parquet(pq), Which::Events) => {
            pq.push(&events::columns_with(params, days.clone()), records(batch))
        }
    }
}
