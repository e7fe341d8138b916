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
fn text_column(name: PlSmallStr, values: Vec<Option<&str>>) -> PolarsResult<Series> {
    if name.ends_with("date") {
        let days: Option<Vec<Option<i32>>> = values
            .iter()
            .map(|v| match v {
                None => Some(None),
                Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .ok()
                    .map(|d| Some((d - epoch()).num_days() as i32)),
            })
            .collect();
        if let Some(days) = days {
            return Series::new(name, days).cast(&DataType::Date);
        }
    }
    Ok(Series::new(name, values))
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

/// Write `table` as Parquet (with statistics) into `w`.
pub fn parquet(table: &Table, w: impl std::io::Write) -> std::io::Result<()> {
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
