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

/// CSV fields written straight to the writer; the first error is kept and returned by
/// [`CsvSink::end_record`].
pub struct CsvSink<'w, W: std::io::Write> {
    w: &'w mut csv::Writer<W>,
    buf: String,
    err: Option<csv::Error>,
}

impl<'w, W: std::io::Write> CsvSink<'w, W> {
    /// Fields into `w`.
    pub fn new(w: &'w mut csv::Writer<W>) -> Self {
        CsvSink {
            w,
            buf: String::new(),
            err: None,
        }
    }

    fn field(&mut self, bytes: &[u8]) {
        if self.err.is_none() {
            self.err = self.w.write_field(bytes).err();
        }
    }

    /// End the record, reporting the first error of its fields.
    pub fn end_record(&mut self) -> std::io::Result<()> {
        if let Some(e) = self.err.take() {
            return Err(e.into());
        }
        self.w.write_record(None::<&[u8]>)?;
        Ok(())
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

impl<W: std::io::Write> Sink for CsvSink<'_, W> {
    fn user_text(&mut self, t: &str) {
        self.field(neutralise(t).as_bytes());
    }
    fn text(&mut self, t: &str) {
        self.field(t.as_bytes());
    }
    fn display(&mut self, v: &dyn std::fmt::Display) {
        use std::fmt::Write as _;
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        let _ = write!(buf, "{v}");
        self.field(buf.as_bytes());
        self.buf = buf;
    }
    fn num(&mut self, x: Option<f64>) {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        push_num(&mut buf, x);
        self.field(buf.as_bytes());
        self.buf = buf;
    }
    fn int(&mut self, x: Option<u64>) {
        match x {
            Some(v) => self.field(v.to_string().as_bytes()),
            None => self.field(b""),
        }
    }
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
    /// Stream the table as CSV into `w`, one field at a time.
    pub fn write_csv<W: std::io::Write>(&self, w: W) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(&self.headers)?;
        let mut sink = CsvSink::new(&mut w);
        for row in &self.rows {
            for c in row {
                match c {
                    Cell::Text(t) => sink.text(t),
                    Cell::Num(x) => sink.num(*x),
                    Cell::Int(x) => sink.int(*x),
                }
            }
            sink.end_record()?;
        }
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
