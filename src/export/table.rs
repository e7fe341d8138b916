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

/// Write one record of `cells` (`buf` is scratch space for numbers).
pub fn write_cells<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    cells: &[Cell],
    buf: &mut String,
) -> std::io::Result<()> {
    for c in cells {
        match c {
            Cell::Text(t) => w.write_field(t)?,
            Cell::Num(x) => {
                buf.clear();
                push_num(buf, *x);
                w.write_field(&*buf)?;
            }
            Cell::Int(x) => w.write_field(x.map_or(String::new(), |v| v.to_string()))?,
        }
    }
    w.write_record(None::<&[u8]>)?;
    Ok(())
}

/// Append [`num_text`] of `x` to `buf` without allocating.
pub fn push_num(buf: &mut String, x: Option<f64>) {
    match x {
        Some(v) if !v.is_finite() => {}
        Some(v) if v != 0.0 && v.abs() < 1e-4 => super::numfmt::push_exp(buf, v),
        Some(v) => super::numfmt::push_plain(buf, v),
        None => {}
    }
}

/// Shortest round-trip text of `x`; scientific notation below 1e-4 so tiny p-values stay readable;
/// a non-finite value (never expected) is an empty cell rather than `NaN`.
pub fn num_text(x: Option<f64>) -> String {
    match x {
        None => String::new(),
        Some(v) if !v.is_finite() => String::new(),
        Some(v) if v != 0.0 && v.abs() < 1e-4 => format!("{v:e}"),
        Some(v) => v.to_string(),
    }
}

impl Table {
    /// CSV bytes.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_csv(&mut out).expect("in-memory write");
        out
    }

    /// Stream the table as CSV into `w`, one field at a time.
    pub fn write_csv<W: std::io::Write>(&self, w: W) -> std::io::Result<()> {
        let mut w = csv::Writer::from_writer(w);
        w.write_record(&self.headers)?;
        let mut buf = String::new();
        for row in &self.rows {
            write_cells(&mut w, row, &mut buf)?;
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
        assert_eq!(
            String::from_utf8(t.to_csv()).unwrap(),
            "a,b,n\n\"x,y\",2.5e-7,3\nz,,\n"
        );
        let v: serde_json::Value = serde_json::from_slice(&t.to_json()).unwrap();
        assert_eq!(v[0]["b"], 2.5e-7);
        assert!(v[1]["b"].is_null() && v[1]["n"].is_null());
    }
}
