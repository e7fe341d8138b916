//! A chunk of records as typed column buffers, for the streamed Parquet files.
//!
//! [`Chunk`] is a [`Sink`] that appends each cell to its column's buffer: numbers and counts to
//! vectors, text to one arena per column. A million statements make two million rows of 22 cells;
//! holding each text cell as its own `String` (the in-memory [`super::table::Table`]) spent most of
//! the Parquet run allocating and freeing them.

use super::table::Sink;
use chrono::NaiveDate;
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

/// Days since 1970-01-01 of `YYYY-MM-DD` (written by oilcorr, so usually the fast path; anything else
/// takes chrono's parser, as before).
fn days(s: &str) -> Option<i32> {
    let b = s.as_bytes();
    let fast = (b.len() == 10 && b[4] == b'-' && b[7] == b'-')
        .then(|| {
            let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
            NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
        })
        .flatten();
    let d = fast.or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())?;
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    Some((d - epoch).num_days() as i32)
}

fn series(name: PlSmallStr, buf: &Buf, rows: usize, want: Option<&DataType>) -> PolarsResult<Series> {
    Ok(match (buf, want) {
        (Buf::Num(v), _) => Series::new(name, v),
        (Buf::Int(v), _) => Series::new(name, v),
        (Buf::Empty, _) => Series::new(name, vec![None::<&str>; rows]),
        (Buf::Text { bytes, ends }, Some(DataType::Date)) => {
            let d: Vec<Option<i32>> = texts(bytes, ends).map(|t| t.and_then(days)).collect();
            Series::new(name, d).cast(&DataType::Date)?
        }
        (Buf::Text { bytes, ends }, Some(_)) => Series::new(name, texts(bytes, ends).collect::<Vec<_>>()),
        (Buf::Text { bytes, ends }, None) => {
            let all: Vec<Option<&str>> = texts(bytes, ends).collect();
            let as_days: Option<Vec<Option<i32>>> = name
                .ends_with("date")
                .then(|| {
                    all.iter()
                        .map(|t| t.map_or(Some(None), |s| days(s).map(Some)))
                        .collect()
                })
                .flatten();
            match as_days {
                Some(d) => Series::new(name, d).cast(&DataType::Date)?,
                None => Series::new(name, all),
            }
        }
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
        use std::fmt::Write as _;
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let _ = write!(scratch, "{v}");
        self.text(&scratch);
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
}
