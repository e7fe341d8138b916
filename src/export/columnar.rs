//! Parquet and Arrow IPC forms of an export table (`--format parquet|arrow`), written with polars, for
//! notebooks that would otherwise re-parse megabytes of CSV text and lose its types.
//!
//! The columns are those of the CSV, typed: numbers as nullable `Float64`, counts as nullable `UInt64`,
//! dates (`event_date`, `date`, …: every column whose name ends in `date` and whose cells all parse as
//! `YYYY-MM-DD`) as `Date`, other text as `String`; an empty cell is a null. Parquet files carry
//! column statistics (min, max, null count) so readers can skip row groups. `statement_time` stays a
//! string: it holds either an instant (`…Z`) or a bare date, and turning the latter into a midnight
//! timestamp would invent a time.

use super::table::{Cell, Table};
use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

/// The epoch of polars' `Date` (days since 1970-01-01).
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

/// One typed column from the cells of column `k`.
fn column(name: &str, rows: &[Vec<Cell>], k: usize) -> PolarsResult<Column> {
    let cells = || rows.iter().map(move |r| &r[k]);
    let kind = cells().find(|c| !matches!(c, Cell::Text(t) if t.is_empty()));
    let name: PlSmallStr = name.into();
    let series = match kind {
        Some(Cell::Num(_)) => Series::new(
            name,
            cells()
                .map(|c| match c {
                    Cell::Num(x) => *x,
                    _ => None,
                })
                .collect::<Vec<Option<f64>>>(),
        ),
        Some(Cell::Int(_)) => Series::new(
            name,
            cells()
                .map(|c| match c {
                    Cell::Int(x) => *x,
                    _ => None,
                })
                .collect::<Vec<Option<u64>>>(),
        ),
        _ => text_column(name, cells().map(text_of).collect())?,
    };
    Ok(series.into_column())
}

fn text_of(c: &Cell) -> Option<&str> {
    match c {
        Cell::Text(t) if !t.is_empty() => Some(t.as_str()),
        _ => None,
    }
}

/// A text column, as `Date` when its name ends in `date` and every value is a date.
pub(super) fn text_column(name: PlSmallStr, values: Vec<Option<&str>>) -> PolarsResult<Series> {
    if name.ends_with("date") {
        let as_days: Option<Vec<Option<i32>>> = values
            .iter()
            .map(|v| v.map_or(Some(None), |s| days(s).map(Some)))
            .collect();
        if let Some(d) = as_days {
            return date_column(name, d);
        }
    }
    Ok(Series::new(name, values))
}

/// A `Date` column from days since 1970-01-01.
pub(super) fn date_column(name: PlSmallStr, days: Vec<Option<i32>>) -> PolarsResult<Series> {
    Series::new(name, days).cast(&DataType::Date)
}

/// Days since 1970-01-01 of `YYYY-MM-DD` (written by oilcorr, so usually the fast path; anything else
/// takes chrono's parser).
pub(super) fn days(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let fast = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| {
            let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
            NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
        })
        .flatten();
    let d = fast.or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())?;
    Some((d - epoch()).num_days() as i32)
}

/// The table as a typed polars frame.
pub fn frame(table: &Table) -> PolarsResult<DataFrame> {
    let columns = table
        .headers
        .iter()
        .enumerate()
        .map(|(k, h)| column(h, &table.rows, k))
        .collect::<PolarsResult<Vec<_>>>()?;
    DataFrame::new(table.rows.len(), columns)
}

fn io(e: PolarsError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

/// Rows per Parquet row group when records are streamed.
pub const CHUNK: usize = 65_536;

/// Stream `records` under `columns` into `w` as Parquet through one [`ParquetStream`].
pub fn parquet_stream<R: Sync>(
    w: impl std::io::Write,
    columns: &[super::columns::Column<'_, R>],
    records: impl IntoIterator<Item = R>,
) -> std::io::Result<()> {
    let mut out = ParquetStream::new(w, columns);
    out.push(columns, records)?;
    out.finish()
}

/// A Parquet file (with statistics) written a batch of records at a time, one row group of [`CHUNK`]
/// rows whenever that many are gathered, however the records were batched: memory holds one chunk,
/// not the file (a million statements make two million rows), as typed column buffers
/// ([`super::chunk::Chunk`]). The column types are those of the first row group; later ones are built
/// to them.
pub struct ParquetStream<W: std::io::Write> {
    names: Vec<String>,
    chunk: super::chunk::Chunk,
    out: Option<W>,
    sink: Option<(polars::io::parquet::write::BatchedWriter<W>, Schema)>,
}

impl<W: std::io::Write> ParquetStream<W> {
    /// A file of `columns`, nothing written yet.
    pub fn new<R>(w: W, columns: &[super::columns::Column<'_, R>]) -> Self {
        ParquetStream {
            names: super::columns::headers(columns),
            chunk: super::chunk::Chunk::new(columns.len()),
            out: Some(w),
            sink: None,
        }
    }

    /// Append `records` under `columns` (the columns of [`ParquetStream::new`]). Each run of records
    /// up to the next row group is turned into column buffers on every core (rayon), in parts joined
    /// in order: building the buffers was the longest part of a large events file.
    pub fn push<R: Sync>(
        &mut self,
        columns: &[super::columns::Column<'_, R>],
        records: impl IntoIterator<Item = R>,
    ) -> std::io::Result<()> {
        let records: Vec<R> = records.into_iter().collect();
        let parts = rayon::current_num_threads().max(1);
        let mut rest = records.as_slice();
        while !rest.is_empty() {
            let (piece, after) = rest.split_at(rest.len().min(CHUNK - self.chunk.rows()));
            let size = piece.len().div_ceil(parts).max(1024);
            let built: Vec<super::chunk::Chunk> = piece
                .par_chunks(size)
                .map(|part| {
                    let mut chunk = super::chunk::Chunk::new(columns.len());
                    part.iter()
                        .for_each(|r| super::columns::push_record(columns, r, &mut chunk));
                    chunk
                })
                .collect();
            built.into_iter().for_each(|c| self.chunk.append(c));
            if self.chunk.rows() == CHUNK {
                self.write_chunk()?;
            }
            rest = after;
        }
        Ok(())
    }

    /// Write the gathered rows as a row group (the first one also fixes the schema, even empty).
    fn write_chunk(&mut self) -> std::io::Result<()> {
        let chunk = std::mem::replace(&mut self.chunk, super::chunk::Chunk::new(self.names.len()));
        let df = chunk
            .frame(&self.names, self.sink.as_ref().map(|s| &s.1))
            .map_err(io)?;
        drop(chunk);
        if self.sink.is_none() {
            let schema = df.schema().as_ref().clone();
            let out = self.out.take().expect("the writer is taken once");
            let writer = ParquetWriter::new(out)
                .with_statistics(StatisticsOptions::full())
                .batched(&schema)
                .map_err(io)?;
            self.sink = Some((writer, schema));
        }
        let (writer, _) = self.sink.as_mut().expect("created above");
        if df.height() > 0 {
            writer.write_batch(&df).map_err(io)?;
        }
        Ok(())
    }

    /// Write the last rows and the footer.
    pub fn finish(mut self) -> std::io::Result<()> {
        if self.chunk.rows() > 0 || self.sink.is_none() {
            self.write_chunk()?;
        }
        let (writer, _) = self.sink.as_mut().expect("written above");
        writer.finish().map_err(io)?;
        Ok(())
    }
}

/// Write `table` as Parquet (with statistics) into `w` in one piece (the round-trip test's reference
/// for [`parquet_stream`]).
#[cfg(test)]
fn parquet(table: &Table, w: impl std::io::Write) -> std::io::Result<()> {
    let mut df = frame(table).map_err(io)?;
    ParquetWriter::new(w)
        .with_statistics(StatisticsOptions::full())
        .finish(&mut df)
        .map_err(io)?;
    Ok(())
}

/// Write `table` as an Arrow IPC file into `w`.
pub fn arrow(table: &Table, w: impl std::io::Write) -> std::io::Result<()> {
    let mut df = frame(table).map_err(io)?;
    IpcWriter::new(w).finish(&mut df).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            headers: vec![
                "id".into(),
                "event_date".into(),
                "car".into(),
                "n".into(),
                "note".into(),
            ],
            rows: vec![
                vec![
                    Cell::Text("a".into()),
                    Cell::Text("2020-04-02".into()),
                    Cell::Num(Some(0.25)),
                    Cell::Int(Some(3)),
                    Cell::Text(String::new()),
                ],
                vec![
                    Cell::Text("b".into()),
                    Cell::Text(String::new()),
                    Cell::Num(None),
                    Cell::Int(None),
                    Cell::Text("no day 0".into()),
                ],
            ],
        }
    }

    #[test]
    fn types_and_nulls() {
        let df = frame(&table()).unwrap();
        let dtypes: Vec<DataType> = df.dtypes();
        assert_eq!(
            dtypes,
            vec![
                DataType::String,
                DataType::Date,
                DataType::Float64,
                DataType::UInt64,
                DataType::String
            ]
        );
        assert_eq!(df.column("car").unwrap().f64().unwrap().get(0), Some(0.25));
        assert_eq!(df.column("car").unwrap().null_count(), 1);
        assert_eq!(df.column("note").unwrap().null_count(), 1, "empty text is null");
        // 2020-04-02 is day 18,354 after 1970-01-01.
        let days = df.column("event_date").unwrap().cast(&DataType::Int32).unwrap();
        assert_eq!(days.i32().unwrap().get(0), Some(18_354));
    }

    #[test]
    fn a_streamed_parquet_file_holds_every_chunk_with_the_first_chunk_s_types() {
        use crate::export::columns::Column;
        // Three chunks and a bit; `x` is empty in the first row only, `when` a date throughout.
        let n = 3 * CHUNK + 5;
        let cols: Vec<Column<'_, usize>> = vec![
            Column::int("i", |r: &usize| Some(*r as u64)),
            Column::num("x", |r: &usize| (*r > 0).then(|| *r as f64 / 2.0)),
            Column::new("when_date", |r: &usize, out| {
                out.text(if r.is_multiple_of(2) { "2020-04-02" } else { "" })
            }),
        ];
        let mut buf = Vec::new();
        parquet_stream(&mut buf, &cols, 0..n).unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(buf)).finish().unwrap();
        assert_eq!(back.height(), n);
        assert_eq!(
            back.dtypes(),
            vec![DataType::UInt64, DataType::Float64, DataType::Date]
        );
        let i = back.column("i").unwrap().u64().unwrap();
        assert_eq!((i.get(0), i.get(n - 1)), (Some(0), Some(n as u64 - 1)));
        let x = back.column("x").unwrap().f64().unwrap();
        assert_eq!(
            (x.get(0), x.get(CHUNK + 1)),
            (None, Some((CHUNK + 1) as f64 / 2.0))
        );
        assert_eq!(back.column("when_date").unwrap().null_count(), n / 2);
    }

    #[test]
    fn parquet_and_arrow_read_back_equal() {
        let mut buf = Vec::new();
        parquet(&table(), &mut buf).unwrap();
        let back = ParquetReader::new(std::io::Cursor::new(buf)).finish().unwrap();
        assert!(back.equals_missing(&frame(&table()).unwrap()));
        let mut buf = Vec::new();
        arrow(&table(), &mut buf).unwrap();
        let back = IpcReader::new(std::io::Cursor::new(buf)).finish().unwrap();
        assert!(back.equals_missing(&frame(&table()).unwrap()));
    }
}
