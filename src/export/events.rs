//! `events.csv` / `events.json`: one row per statement × series with every statistic per CAR window.
//! Columns are documented in the README ("Outputs").

use super::table::{Cell, Table};
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
    let mut buf = String::new();
    for r in rows {
        super::table::write_cells(&mut w, &row(statements, r, p), &mut buf)?;
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
    let s = &statements[r.statement];
    let f = r.stats.estimation;
    let ar = r.stats.ar0;
    let text = |t: &str| Cell::Text(t.to_string());
    let mut cells = vec![
        text(&s.id),
        Cell::Text(s.time.to_string()),
        text(&s.speaker),
        text(s.stance.map_or("", |x| x.as_str())),
        Cell::Text(s.tags.join(";")),
        text(r.series.key()),
        Cell::Text(r.event_date.map_or(String::new(), |d| d.to_string())),
        text(p.model.name()),
        text(match p.returns {
            crate::analysis::model::ReturnKind::Log => "log",
            crate::analysis::model::ReturnKind::Simple => "simple",
        }),
        Cell::Int(f.map(|f| f.m as u64)),
        Cell::Num(f.map(|f| f.alpha)),
        Cell::Num(f.map(|f| f.beta)),
        Cell::Num(f.map(|f| f.s)),
        Cell::Num(ar.map(|a| a.value)),
        Cell::Num(ar.map(|a| a.t)),
        Cell::Num(ar.map(|a| a.p)),
    ];
    for w in &r.stats.windows {
        cells.extend([
            Cell::Num(w.map(|w| w.plain.value)),
            Cell::Num(w.map(|w| w.plain.t)),
            Cell::Num(w.map(|w| w.plain.p)),
            Cell::Num(w.map(|w| w.adjusted.t)),
            Cell::Num(w.map(|w| w.adjusted.p)),
            Cell::Num(w.and_then(|w| w.p_boot)),
        ]);
    }
    let overlaps: Vec<&str> = r.overlaps.iter().map(|i| statements[*i].id.as_str()).collect();
    cells.push(Cell::Text(overlaps.join(";")));
    cells.push(Cell::Text(r.note()));
    cells
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
