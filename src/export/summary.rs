//! `summary.csv` / `summary.json`: one row per group × series × CAR window with the cross-event tests
//! and the stance correlation. Columns are documented in the README ("Outputs").

use super::events::window_key;
use super::table::{Cell, Table};
use crate::analysis::cross::Stat;
use crate::analysis::groups::SummaryRow;

const HEADERS: [&str; 35] = [
    "group",
    "series",
    "window",
    "n",
    "caar",
    "csect_t",
    "csect_p",
    "patell_z",
    "patell_p",
    "bmp_t",
    "bmp_p",
    "bmp_p_holm",
    "bmp_p_bh",
    "kp_t",
    "kp_p",
    "rank_z",
    "rank_p",
    "sign_z",
    "sign_p",
    "gsign_z",
    "gsign_p",
    "n_stance",
    "hits",
    "hit_rate",
    "hit_p",
    "pearson_r",
    "pearson_p",
    "pearson_lo",
    "pearson_hi",
    "spearman_rho",
    "spearman_p",
    "spearman_lo",
    "spearman_hi",
    "window_start",
    "window_end",
];

fn stat(s: Option<Stat>) -> [Cell; 2] {
    [Cell::Num(s.map(|s| s.value)), Cell::Num(s.map(|s| s.p))]
}

/// Build the summary table.
pub fn table(rows: &[SummaryRow]) -> Table {
    let rows = rows
        .iter()
        .map(|r| {
            let t = &r.tests;
            let st = &r.stance;
            let mut c = vec![
                Cell::Text(r.group.clone()),
                Cell::Text(r.series.key().to_string()),
                Cell::Text(window_key(r.window)),
                Cell::Int(Some(t.n as u64)),
                Cell::Num(t.caar),
            ];
            c.extend(stat(t.csect));
            c.extend(stat(t.patell));
            c.extend(stat(t.bmp));
            c.extend([Cell::Num(r.bmp_p_holm), Cell::Num(r.bmp_p_bh)]);
            c.extend(stat(t.kp));
            c.extend(stat(t.rank));
            c.extend(stat(t.sign));
            c.extend(stat(t.gsign));
            c.extend([
                Cell::Int(Some(st.n as u64)),
                Cell::Int(Some(st.hits as u64)),
                Cell::Num((st.n > 0).then(|| st.hits as f64 / st.n as f64)),
                Cell::Num(st.hit_p),
                Cell::Num(st.pearson.map(|i| i.r)),
                Cell::Num(st.pearson.map(|i| i.p)),
                Cell::Num(st.pearson.map(|i| i.lo)),
                Cell::Num(st.pearson.map(|i| i.hi)),
                Cell::Num(st.spearman.map(|i| i.r)),
                Cell::Num(st.spearman.map(|i| i.p)),
                Cell::Num(st.spearman.map(|i| i.lo)),
                Cell::Num(st.spearman.map(|i| i.hi)),
                Cell::Text(r.window.start.to_string()),
                Cell::Text(r.window.end.to_string()),
            ]);
            c
        })
        .collect();
    Table {
        headers: HEADERS.iter().map(|s| s.to_string()).collect(),
        rows,
    }
}
