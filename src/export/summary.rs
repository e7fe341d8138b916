//! `summary.csv` / `summary.json`: one row per group × series × CAR window with the cross-event tests
//! and the stance correlation. Columns are documented in the README ("Outputs").

use super::columns::Column;
use super::events::window_key;
use crate::analysis::correlation::Interval;
use crate::analysis::cross::{CrossTests, Stat};
use crate::analysis::groups::SummaryRow;

type Row<'r> = &'r SummaryRow;

/// The two columns `NAME_STAT` and `NAME_p` of a test statistic.
fn stat<'a>(name: &str, stat_name: &str, f: fn(&CrossTests) -> Option<Stat>) -> [Column<'a, Row<'a>>; 2] {
    [
        Column::num(&format!("{name}_{stat_name}"), move |r: &Row| {
            f(&r.tests).map(|s| s.value)
        }),
        Column::num(&format!("{name}_p"), move |r: &Row| f(&r.tests).map(|s| s.p)),
    ]
}

/// The four columns of a correlation: estimate, p-value and the 95 % interval.
fn correlation<'a>(
    name: &str,
    estimate: &str,
    f: fn(&SummaryRow) -> Option<Interval>,
) -> [Column<'a, Row<'a>>; 4] {
    [
        Column::num(&format!("{name}_{estimate}"), move |r: &Row| f(r).map(|i| i.r)),
        Column::num(&format!("{name}_p"), move |r: &Row| f(r).map(|i| i.p)),
        Column::num(&format!("{name}_lo"), move |r: &Row| f(r).map(|i| i.lo)),
        Column::num(&format!("{name}_hi"), move |r: &Row| f(r).map(|i| i.hi)),
    ]
}

/// The columns of the summary file.
pub fn columns<'a>() -> Vec<Column<'a, Row<'a>>> {
    let mut cols = vec![
        Column::new("group", |r: &Row, out| out.display(&r.group)),
        Column::text("series", |r: &Row| r.series.key()),
        Column::new("window", |r: &Row, out| out.text(&window_key(r.window))),
        Column::int("n_statements", |r: &Row| Some(r.n_statements as u64)),
        Column::int("n_events", |r: &Row| Some(r.tests.n as u64)),
        Column::num("caar", |r: &Row| r.tests.caar),
    ];
    cols.extend(stat("csect", "t", |t| t.csect));
    cols.extend(stat("patell", "z", |t| t.patell));
    cols.extend(stat("bmp", "t", |t| t.bmp));
    cols.push(Column::num("r_overlap", |r: &Row| r.tests.r_overlap));
    cols.push(Column::num("n_eff", |r: &Row| r.tests.n_eff));
    cols.extend(stat("kp", "t", |t| t.kp));
    cols.push(Column::num("kp_p_holm", |r: &Row| r.p_holm));
    cols.push(Column::num("kp_p_bh", |r: &Row| r.p_bh));
    cols.push(Column::num("placebo_p", |r: &Row| r.placebo.caar));
    cols.extend(stat("rank", "z", |t| t.rank));
    cols.extend(stat("sign", "pos", |t| t.sign));
    cols.extend(stat("gsign", "p_hat", |t| t.gsign));
    cols.extend([
        Column::int("n_stance", |r: &Row| Some(r.stance.n as u64)),
        Column::int("n_stance_statements", |r: &Row| Some(r.stance_statements as u64)),
        Column::int("hits", |r: &Row| Some(r.stance.hits as u64)),
        Column::num("hit_rate", |r: &Row| {
            let st = &r.stance;
            (st.n > 0).then(|| st.hits as f64 / st.n as f64)
        }),
        Column::num("hit_p", |r: &Row| r.stance.hit_p),
        Column::num("placebo_hit_p", |r: &Row| r.placebo.hits),
    ]);
    cols.extend(correlation("pearson", "r", |r| r.stance.pearson));
    cols.extend(correlation("spearman", "rho", |r| r.stance.spearman));
    cols.push(Column::new("window_start", |r: &Row, out| {
        out.display(&r.window.start)
    }));
    cols.push(Column::new("window_end", |r: &Row, out| {
        out.display(&r.window.end)
    }));
    cols.push(Column::new("note", |r: &Row, out| out.text(&r.note())));
    cols
}
