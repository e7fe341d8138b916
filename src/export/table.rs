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
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&self.headers).expect("in-memory write");
        for row in &self.rows {
            let cells: Vec<String> = row
                .iter()
                .map(|c| match c {
                    Cell::Num(x) => num_text(*x),
                    Cell::Int(x) => x.map_or(String::new(), |v| v.to_string()),
                    Cell::Text(t) => t.clone(),
                })
                .collect();
            w.write_record(&cells).expect("in-memory write");
        }
        w.into_inner().expect("in-memory flush")
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
