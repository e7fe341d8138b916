//! Export files declared as lists of columns: each [`Column`] names itself and writes its own cell,
//! so a header can never drift from its cells. [`write_csv`] streams records to CSV; [`table`] builds
//! the in-memory [`Table`] that JSON and the report use.

use super::csvbuf::CsvBuf;
use super::table::{Cell, Sink, Table};
use rayon::prelude::*;

/// The function that writes one column's cell for a record.
type CellFn<'a, R> = Box<dyn Fn(&R, &mut dyn Sink) + Send + Sync + 'a>;

/// One column of an export file: its name and its cell.
pub struct Column<'a, R> {
    /// The header.
    pub name: String,
    cell: CellFn<'a, R>,
}

impl<'a, R> Column<'a, R> {
    /// A column `name` whose cell `cell` writes for each record.
    pub fn new(name: impl Into<String>, cell: impl Fn(&R, &mut dyn Sink) + Send + Sync + 'a) -> Self {
        Column {
            name: name.into(),
            cell: Box::new(cell),
        }
    }

    /// A text column.
    pub fn text(name: &str, f: impl Fn(&R) -> &str + Send + Sync + 'a) -> Self {
        Column::new(name, move |r, out| out.text(f(r)))
    }

    /// A text column of user input (neutralised in CSV: [`super::table::neutralise`]).
    pub fn user(name: &str, f: impl Fn(&R) -> &str + Send + Sync + 'a) -> Self {
        Column::new(name, move |r, out| out.user_text(f(r)))
    }

    /// A number column (empty when absent).
    pub fn num(name: &str, f: impl Fn(&R) -> Option<f64> + Send + Sync + 'a) -> Self {
        Column::new(name, move |r, out| out.num(f(r)))
    }

    /// A count column (empty when absent).
    pub fn int(name: &str, f: impl Fn(&R) -> Option<u64> + Send + Sync + 'a) -> Self {
        Column::new(name, move |r, out| out.int(f(r)))
    }
}

impl<R> std::fmt::Debug for Column<'_, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Column")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// The headers of `columns`.
pub fn headers<R>(columns: &[Column<'_, R>]) -> Vec<String> {
    columns.iter().map(|c| c.name.clone()).collect()
}

/// Records formatted per block by one thread; a run of 60,000 statements formats 1.3 million
/// numbers, the costliest part of writing joined.csv.
const BLOCK: usize = 4096;

/// Stream `records` as CSV into `w` in bounded memory (60,000 statements would otherwise hold millions
/// of cells) through one [`CsvStream`].
pub fn write_csv<R: Sync, W: std::io::Write>(
    w: W,
    columns: &[Column<'_, R>],
    records: impl IntoIterator<Item = R>,
) -> std::io::Result<()> {
    let mut csv = CsvStream::new(w, columns)?;
    csv.push(columns, records)?;
    csv.finish().map(drop)
}

/// A CSV file written a batch of records at a time: the header first, then each batch in rounds of
/// one block per core, the blocks formatted on every core (rayon) and written in order. The bytes are
/// those of one writer over all the records (a CSV record does not depend on the records before it,
/// nor on how they were batched).
pub struct CsvStream<W: std::io::Write> {
    w: W,
}

impl<W: std::io::Write> CsvStream<W> {
    /// Start the file: write the header of `columns`.
    pub fn new<R>(mut w: W, columns: &[Column<'_, R>]) -> std::io::Result<Self> {
        let mut header = CsvBuf::with_capacity(256);
        header.header(&headers(columns));
        w.write_all(header.out.as_bytes())?;
        Ok(CsvStream { w })
    }

    /// Append `records` under `columns` (the columns of [`CsvStream::new`], rebuilt for each batch's
    /// lifetime if need be).
    pub fn push<R: Sync>(
        &mut self,
        columns: &[Column<'_, R>],
        records: impl IntoIterator<Item = R>,
    ) -> std::io::Result<()> {
        let cores = rayon::current_num_threads();
        let mut records = records.into_iter().peekable();
        while records.peek().is_some() {
            let round: Vec<Vec<R>> = (0..cores)
                .map(|_| records.by_ref().take(BLOCK).collect::<Vec<R>>())
                .filter(|b| !b.is_empty())
                .collect();
            let bytes: Vec<Vec<u8>> = round.par_iter().map(|b| csv_block(columns, b)).collect();
            for b in bytes {
                self.w.write_all(&b)?;
            }
        }
        Ok(())
    }

    /// Flush and hand back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}

/// `records` as CSV records (no header) in memory ([`CsvBuf`]: the `csv` crate's bytes).
fn csv_block<R>(columns: &[Column<'_, R>], records: &[R]) -> Vec<u8> {
    let mut buf = CsvBuf::with_capacity(records.len() * 300);
    for r in records {
        for c in columns {
            (c.cell)(r, &mut buf);
        }
        buf.end_record();
    }
    buf.out.into_bytes()
}

/// Append `record` under `columns` to typed column buffers (the streamed Parquet files).
pub fn push_record<R>(columns: &[Column<'_, R>], record: &R, chunk: &mut super::chunk::Chunk) {
    for c in columns {
        (c.cell)(record, chunk);
    }
    chunk.end_record();
}

/// `records` under `columns` as an in-memory table.
pub fn table<R>(columns: &[Column<'_, R>], records: impl IntoIterator<Item = R>) -> Table {
    let rows = records
        .into_iter()
        .map(|r| {
            let mut cells: Vec<Cell> = Vec::with_capacity(columns.len());
            for c in columns {
                (c.cell)(&r, &mut cells);
            }
            cells
        })
        .collect();
    Table {
        headers: headers(columns),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_and_table_carry_the_same_cells_under_their_headers() {
        type R<'s> = (&'s str, f64);
        let cols: Vec<Column<'_, R>> = vec![
            Column::text("name", |r: &R| r.0),
            Column::num("x", |r: &R| Some(r.1)),
            Column::int("len", |r: &R| Some(r.0.len() as u64)),
            Column::new("shown", |r: &R, out| out.display(&format_args!("<{}>", r.0))),
        ];
        let recs = [("a,b", 0.5), ("c", 2.5e-7)];
        let mut csv = Vec::new();
        write_csv(&mut csv, &cols, recs).unwrap();
        assert_eq!(
            String::from_utf8(csv).unwrap(),
            "name,x,len,shown\n\"a,b\",0.5,3,\"<a,b>\"\nc,2.5e-7,1,<c>\n"
        );
        let t = table(&cols, recs);
        assert_eq!(t.headers, ["name", "x", "len", "shown"]);
        assert_eq!(t.rows[1][1], Cell::Num(Some(2.5e-7)));
        assert_eq!(t.rows[0][3], Cell::Text("<a,b>".into()));
    }
}
