//! A small typed table written as CSV or JSON, so events and summaries share one writer.

/// A cell: a number (empty when absent) or text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A number; `None` is an empty CSV cell and JSON `null`.
    Num(Option<f64>),
    /// An integer count.
    Int(Option<u64>),
    /// Text.
    Text(String),
}

/// Rows under one header.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Column names.
    pub headers: Vec<String>,
    /// Rows, each as long as `headers`.
    pub rows: Vec<Vec<Cell>>,
}

/// Receives one row's cells in column order: a table row in memory, or CSV fields on their way to disk.
pub trait Sink {
    /// A text cell.
    fn text(&mut self, t: &str);
    /// A text cell formatted from `v` (into a reused buffer when streaming).
    fn display(&mut self, v: &dyn std::fmt::Display);
    /// A text cell holding user input (ids, speakers, tags). In CSV, a cell a spreadsheet would
    /// evaluate as a formula is neutralised ([`neutralise`]); elsewhere it is written as is.
    fn user_text(&mut self, t: &str) {
        self.text(t);
    }
    /// A number cell (empty when absent).
    fn num(&mut self, x: Option<f64>);
    /// A count cell (empty when absent).
    fn int(&mut self, x: Option<u64>);
}

impl Sink for Vec<Cell> {
    fn text(&mut self, t: &str) {
        self.push(Cell::Text(t.to_string()));
    }
    fn display(&mut self, v: &dyn std::fmt::Display) {
        self.push(Cell::Text(v.to_string()));
    }
    fn num(&mut self, x: Option<f64>) {
        self.push(Cell::Num(x));
    }
    fn int(&mut self, x: Option<u64>) {
        self.push(Cell::Int(x));
    }
}

/// `t` as a CSV cell safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a tab
/// or a carriage return is a formula there, so it gets a leading `'` (OWASP's rule for CSV
/// injection); any other text is unchanged.
pub fn neutralise(t: &str) -> std::borrow::Cow<'_, str> {
    match t.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{t}").into(),
        _ => t.into(),
    }
}

/// `v` formatted into `scratch` (cleared first: one buffer reused for every cell a sink formats).
pub fn format_into<'s>(scratch: &'s mut String, v: &dyn std::fmt::Display) -> &'s str {
    use std::fmt::Write as _;
    scratch.clear();
    let _ = write!(scratch, "{v}");
    scratch
}

/// Append `x` to `buf`: shortest round-trip text, scientific notation below 1e-4 so tiny p-values stay
/// readable, nothing for an absent or non-finite value (never `NaN`).
pub fn push_num(buf: &mut String, x: Option<f64>) {
    match x {
        Some(v) if !v.is_finite() => {}
        Some(v) if v != 0.0 && v.abs() < 1e-4 => super::numfmt::push_exp(buf, v),
        Some(v) => super::numfmt::push_plain(buf, v),
        None => {}
    }
}

impl Table {
    /// The table as CSV into `w` ([`super::csvbuf::CsvBuf`], as every CSV export).
    pub fn write_csv<W: std::io::Write>(&self, mut w: W) -> std::io::Result<()> {
        let mut buf = super::csvbuf::CsvBuf::with_capacity(64 * (self.rows.len() + 1));
        buf.header(&self.headers);
        for row in &self.rows {
            for c in row {
                match c {
                    Cell::Text(t) => buf.text(t),
                    Cell::Num(x) => buf.num(*x),
                    Cell::Int(x) => buf.int(*x),
                }
            }
            buf.end_record();
        }
        w.write_all(buf.out.as_bytes())?;
        w.flush()
    }

    /// JSON bytes: an array of objects keyed by header; non-finite numbers become `null`.
    pub fn to_json(&self) -> Vec<u8> {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|row| {
                let obj: serde_json::Map<String, serde_json::Value> = self
                    .headers
                    .iter()
                    .zip(row)
                    .map(|(h, c)| {
                        let v = match c {
                            Cell::Num(x) => x
                                .and_then(serde_json::Number::from_f64)
                                .map_or(serde_json::Value::Null, serde_json::Value::Number),
                            Cell::Int(x) => x.map_or(serde_json::Value::Null, |v| v.into()),
                            Cell::Text(t) => serde_json::Value::String(t.clone()),
                        };
                        (h.clone(), v)
                    })
                    .collect();
                serde_json::Value::Object(obj)
            })
            .collect();
        let mut bytes = serde_json::to_vec_pretty(&rows).expect("serializable");
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_others_kept() {
        for (cell, want) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-cmd", "'-cmd"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("trump-2020-04-02a", "trump-2020-04-02a"),
            ("Donald Trump", "Donald Trump"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), want);
        }
    }

    #[test]
    fn csv_and_json_agree() {
        let t = Table {
            headers: vec!["a".into(), "b".into(), "n".into()],
            rows: vec![
                vec![
                    Cell::Text("x,y".into()),
                    Cell::Num(Some(2.5e-7)),
                    Cell::Int(Some(3)),
                ],
                vec![Cell::Text("z".into()), Cell::Num(None), Cell::Int(None)],
            ],
        };
        let mut csv = Vec::new();
        t.write_csv(&mut csv).unwrap();
        assert_eq!(String::from_utf8(csv).unwrap(), "a,b,n\n\"x,y\",2.5e-7,3\nz,,\n");
        let v: serde_json::Value = serde_json::from_slice(&t.to_json()).unwrap();
        assert_eq!(v[0]["b"], 2.5e-7);
        assert!(v[1]["b"].is_null() && v[1]["n"].is_null());
    }
}
