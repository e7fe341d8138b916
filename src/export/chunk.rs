//! A chunk of records as typed column buffers, for the streamed Parquet files.
//!
//! [`Chunk`] is a [`Sink`] that appends each cell to its column's buffer: numbers and counts to
//! vectors, text to one arena per column. A million statements make two million rows of 22 cells;
//! holding each text cell as its own `String` (the in-memory [`super::table::Table`]) spent most of
//! the Parquet run allocating and freeing them.

use super::columnar::{date_column, days, text_column};
use super::table::{format_into, Sink};
use polars::prelude::*;

/// One column's cells.
#[derive(Debug)]
enum Buf {
    /// No cell yet.
    Empty,
    Num(Vec<Option<f64>>),
    Int(Vec<Option<u64>>),
    /// The texts back to back, each cell's end in `bytes`; an empty text is a null.
    Text {
        bytes: String,
        ends: Vec<usize>,
    },
}

/// Records as typed column buffers; each record calls the sink once per column, in order.
#[derive(Debug)]
pub struct Chunk {
    cols: Vec<Buf>,
    k: usize,
    rows: usize,
    scratch: String,
}

impl Chunk {
    /// An empty chunk of `columns` columns.
    pub fn new(columns: usize) -> Self {
        Chunk {
            cols: (0..columns).map(|_| Buf::Empty).collect(),
            k: 0,
            rows: 0,
            scratch: String::new(),
        }
    }

    /// End the current record.
    pub fn end_record(&mut self) {
        self.k = 0;
        self.rows += 1;
    }

    /// Append the records of `other` (a chunk of the same columns) after this one's.
    pub fn append(&mut self, other: Chunk) {
        if other.rows == 0 {
            return;
        }
        for (mine, theirs) in self.cols.iter_mut().zip(other.cols) {
            match (mine, theirs) {
                (Buf::Num(a), Buf::Num(b)) => a.extend(b),
                (Buf::Int(a), Buf::Int(b)) => a.extend(b),
                (Buf::Text { bytes, ends }, Buf::Text { bytes: b, ends: e }) => {
                    let base = bytes.len();
                    bytes.push_str(&b);
                    ends.extend(e.into_iter().map(|x| x + base));
                }
                (mine @ Buf::Empty, theirs) => *mine = theirs,
                (_, Buf::Empty) => {}
                _ => unreachable!("a column's cells are of one kind"),
            }
        }
        self.rows += other.rows;
    }

    /// Number of records.
    pub fn rows(&self) -> usize {
        self.rows
    }

    fn next(&mut self) -> &mut Buf {
        let k = self.k;
        self.k += 1;
        &mut self.cols[k]
    }

    /// The chunk as a frame under `names`: with the column types of `schema` (a later chunk of a
    /// file), or, for the first chunk, numbers as `Float64`, counts as `UInt64`, text as `String`
    /// except a column whose name ends in `date` and whose texts are all `YYYY-MM-DD`, as `Date`.
    pub fn frame(&self, names: &[String], schema: Option<&Schema>) -> PolarsResult<DataFrame> {
        let columns = self
            .cols
            .iter()
            .zip(names)
            .enumerate()
            .map(|(k, (buf, name))| {
                let want = schema.and_then(|s| s.get_at_index(k)).map(|(_, t)| t);
                series(name.as_str().into(), buf, self.rows, want).map(Series::into_column)
            })
            .collect::<PolarsResult<Vec<_>>>()?;
        DataFrame::new(self.rows, columns)
    }
}

/// The texts of a text buffer, `None` for empty ones.
fn texts<'b>(bytes: &'b str, ends: &'b [usize]) -> impl Iterator<Item = Option<&'b str>> + 'b {
    let starts = std::iter::once(0).chain(ends.iter().copied());
    starts.zip(ends).map(|(a, &b)| (a < b).then(|| &bytes[a..b]))
}

fn series(name: PlSmallStr, buf: &Buf, rows: usize, want: Option<&DataType>) -> PolarsResult<Series> {
    Ok(match (buf, want) {
        (Buf::Num(v), _) => Series::new(name, v),
        (Buf::Int(v), _) => Series::new(name, v),
        (Buf::Empty, _) => Series::new(name, vec![None::<&str>; rows]),
        (Buf::Text { bytes, ends }, Some(DataType::Date)) => {
            date_column(name, texts(bytes, ends).map(|t| t.and_then(days)).collect())?
        }
        (Buf::Text { bytes, ends }, Some(_)) => Series::new(name, texts(bytes, ends).collect::<Vec<_>>()),
        (Buf::Text { bytes, ends }, None) => text_column(name, texts(bytes, ends).collect())?,
    })
}

impl Sink for Chunk {
    fn text(&mut self, t: &str) {
        let buf = self.next();
        if matches!(buf, Buf::Empty) {
            *buf = Buf::Text {
                bytes: String::new(),
                ends: Vec::new(),
            };
        }
        if let Buf::Text { bytes, ends } = buf {
            bytes.push_str(t);
            ends.push(bytes.len());
        }
    }
    fn display(&mut self, v: &dyn std::fmt::Display) {
        let mut scratch = std::mem::take(&mut self.scratch);
        self.text(format_into(&mut scratch, v));
        self.scratch = scratch;
    }
    fn num(&mut self, x: Option<f64>) {
        let buf = self.next();
        if matches!(buf, Buf::Empty) {
            *buf = Buf::Num(Vec::new());
        }
        if let Buf::Num(v) = buf {
            v.push(x.filter(|v| v.is_finite()));
        }
    }
    fn int(&mut self, x: Option<u64>) {
        let buf = self.next();
        if matches!(buf, Buf::Empty) {
            *buf = Buf::Int(Vec::new());
        }
        if let Buf::Int(v) = buf {
            v.push(x);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_parse_fast_and_as_chrono_does() {
        assert_eq!(days("1970-01-02"), Some(1));
        assert_eq!(days("2020-04-02"), Some(18_354));
        assert_eq!(days("2020-02-30"), None);
        assert_eq!(
            days("2020-4-2"),
            NaiveDate::parse_from_str("2020-4-2", "%Y-%m-%d")
                .ok()
                .map(|_| 18_354)
        );
        assert_eq!(days("x"), None);
    }

    #[test]
    fn chunks_appended_in_order_equal_one_chunk_of_all_records() {
        use crate::export::columns::{push_record, Column};
        // Texts of varying length (and empty ones: nulls), numbers and counts with gaps.
        let cols: Vec<Column<'_, usize>> = vec![
            Column::int("i", |r: &usize| (!r.is_multiple_of(5)).then_some(*r as u64)),
            Column::num("x", |r: &usize| (!r.is_multiple_of(3)).then(|| *r as f64 / 4.0)),
            Column::new("t", |r: &usize, out| out.text(&"ab".repeat(r % 4))),
        ];
        let names: Vec<String> = ["i", "x", "t"].map(String::from).to_vec();
        let build = |range: std::ops::Range<usize>| {
            let mut c = Chunk::new(cols.len());
            range.for_each(|r| push_record(&cols, &r, &mut c));
            c
        };
        let whole = build(0..1000).frame(&names, None).unwrap();
        for cuts in [
            vec![0, 1000],
            vec![0, 1, 1000],
            vec![0, 0, 333, 334, 1000],
            vec![0, 999, 1000],
        ] {
            let mut joined = build(0..0);
            for w in cuts.windows(2) {
                joined.append(build(w[0]..w[1]));
            }
            assert_eq!(joined.rows(), 1000);
            assert!(
                joined.frame(&names, None).unwrap().equals_missing(&whole),
                "{cuts:?}"
            );
        }
    }
}
