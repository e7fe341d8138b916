//! `events.csv` / `events.json`: one row per statement × series with every statistic per CAR window.
//! Columns are documented in the README ("Outputs").

use super::table::{Cell, CsvSink, Sink, Table};
use crate::analysis::stats::StudyParams;
use crate::analysis::window::Window;
use crate::analysis::EventRow;
use crate::statements::Statement;

/// The column-name suffix of a window: `[-1,1]` → `m1_p1`, `[0,5]` → `0_p5`.
pub fn window_key(w: Window) -> String {
    let part = |v: i64| match v {
        0 => "0".to_string(),
        v if v < 0 => format!("m{}", -v),
        v => format!("p{v}"),
    };
    format!("{}_{}", part(w.start), part(w.end))
}

/// Build the events table (in memory: for JSON and the report; CSV is streamed by [`write_csv`]).
pub fn table(statements: &[Statement], rows: &[EventRow], p: &StudyParams) -> Table {
    let rows = rows.iter().map(|r| row(statements, r, p)).collect();
    Table {
        headers: headers(p),
        rows,
    }
}

/// Stream the events table as CSV into `w`, one row at a time (60,000 statements would otherwise hold
/// millions of cells in memory).
pub fn write_csv<W: std::io::Write>(
    w: W,
    statements: &[Statement],
    rows: &[EventRow],
    p: &StudyParams,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(headers(p))?;
    let mut scratch = String::new();
    let mut sink = CsvSink::new(&mut w);
    for r in rows {
        emit(&mut sink, statements, r, p, &mut scratch);
        sink.end_record()?;
    }
    w.flush()
}

/// The column names.
fn headers(p: &StudyParams) -> Vec<String> {
    let mut headers: Vec<String> = [
        "statement_id",
        "statement_time",
        "speaker",
        "stance",
        "tags",
        "series",
        "event_date",
        "model",
        "returns",
        "estimation_n",
        "alpha",
        "beta",
        "sigma",
        "ar0",
        "ar0_t",
        "ar0_p",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for w in &p.windows {
        let k = window_key(*w);
        for c in ["car", "car_t", "car_p", "car_t_adj", "car_p_adj", "car_p_boot"] {
            headers.push(format!("{c}_{k}"));
        }
    }
    headers.extend(["overlaps".to_string(), "note".to_string()]);
    headers
}

fn row(statements: &[Statement], r: &EventRow, p: &StudyParams) -> Vec<Cell> {
    let mut cells = Vec::new();
    emit(&mut cells, statements, r, p, &mut String::new());
    cells
}

/// The cells of one row, in [`headers`] order; `scratch` is reused for joined and formatted text.
fn emit(out: &mut dyn Sink, statements: &[Statement], r: &EventRow, p: &StudyParams, scratch: &mut String) {
    use std::fmt::Write as _;
    let s = &statements[r.statement];
    let f = r.stats.estimation;
    let ar = r.stats.ar0;
    out.text(&s.id);
    scratch.clear();
    let _ = write!(scratch, "{}", s.time);
    out.text(scratch);
    out.text(&s.speaker);
    out.text(s.stance.map_or("", |x| x.as_str()));
    out.text(&s.tags.join(";"));
    out.text(r.series.key());
    scratch.clear();
    if let Some(d) = r.event_date {
        let _ = write!(scratch, "{d}");
    }
    out.text(scratch);
    out.text(p.model.name());
    out.text(match p.returns {
        crate::analysis::model::ReturnKind::Log => "log",
        crate::analysis::model::ReturnKind::Simple => "simple",
    });
    out.int(f.map(|f| f.m as u64));
    for x in [f.map(|f| f.alpha), f.map(|f| f.beta), f.map(|f| f.s)] {
        out.num(x);
    }
    for x in [ar.map(|a| a.value), ar.map(|a| a.t), ar.map(|a| a.p)] {
        out.num(x);
    }
    for w in &r.stats.windows {
        out.num(w.map(|w| w.plain.value));
        out.num(w.map(|w| w.plain.t));
        out.num(w.map(|w| w.plain.p));
        out.num(w.map(|w| w.adjusted.t));
        out.num(w.map(|w| w.adjusted.p));
        out.num(w.and_then(|w| w.p_boot));
    }
    scratch.clear();
    for (k, i) in r.overlaps.iter().enumerate() {
        if k > 0 {
            scratch.push(';');
        }
        scratch.push_str(&statements[*i].id);
    }
    out.text(scratch);
    out.text(&r.note());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_keys() {
        assert_eq!(window_key(Window::new(-1, 1)), "m1_p1");
        assert_eq!(window_key(Window::new(0, 5)), "0_p5");
        assert_eq!(window_key(Window::new(-10, -2)), "m10_m2");
    }
}
