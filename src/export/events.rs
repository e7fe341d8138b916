//! `events.csv` / `events.json`: one row per statement × series with every statistic per CAR window.
//! Columns are documented in the README ("Outputs").

use super::columns::Column;
use super::Record;
use crate::analysis::events::DayIndex;
use crate::analysis::model::ReturnKind;
use crate::analysis::stats::{StudyParams, WindowStats};
use crate::analysis::window::Window;
use crate::analysis::Study;
use crate::prices::SeriesId;

/// The column-name suffix of a window: `[-1,1]` → `m1_p1`, `[0,5]` → `0_p5`.
pub fn window_key(w: Window) -> String {
    let part = |v: i64| match v {
        0 => "0".to_string(),
        v if v < 0 => format!("m{}", -v),
        v => format!("p{v}"),
    };
    format!("{}_{}", part(w.start), part(w.end))
}

/// One series' event days: statements per day ([`DayIndex`], the events file's `day_statements`) and,
/// per day, the dates of the other event days whose spans share a trading day with its own
/// (`overlapping_days`), made once per day rather than once per row.
#[derive(Debug)]
pub struct SeriesDays {
    series: SeriesId,
    index: DayIndex,
    near: Vec<(usize, String)>,
}

/// Every series' event days, shared by the columns of one or more events files.
pub type Days = std::sync::Arc<Vec<SeriesDays>>;

/// The event days of every series of `study`.
pub fn days(study: &Study) -> Days {
    let index = study.series.iter().map(|s| (s.id(), DayIndex::new(&s.rows)));
    days_of(index, &study.params)
}

/// The event days of each series in `index`, under the event span of `p`.
pub fn days_of(index: impl IntoIterator<Item = (SeriesId, DayIndex)>, p: &StudyParams) -> Days {
    let reach = (p.event_span().end - p.event_span().start) as usize;
    let days = index
        .into_iter()
        .map(|(series, index)| SeriesDays {
            series,
            near: index.near_texts(reach),
            index,
        })
        .collect();
    std::sync::Arc::new(days)
}

/// The columns of the events file of `study`.
pub fn columns<'a>(study: &Study) -> Vec<Column<'a, Record<'a>>> {
    columns_with(&study.params, days(study))
}

/// The columns of an events file under `p`, whose statements fall on the event days `index` (all of
/// them, when the file is written a batch at a time; made by [`days_of`] under the same `p`).
pub fn columns_with<'a>(p: &StudyParams, index: Days) -> Vec<Column<'a, Record<'a>>> {
    let model = p.model.name();
    let variance = p.variance.name();
    let returns = match p.returns {
        ReturnKind::Log => "log",
        ReturnKind::Simple => "simple",
    };
    let mut cols = vec![
        Column::user("statement_id", |r: &Record| &r.statement.id),
        Column::new("statement_time", |r: &Record, out| out.display(&r.statement.time)),
        Column::user("speaker", |r: &Record| &r.statement.speaker),
        Column::text("stance", |r: &Record| {
            r.statement.stance.map_or("", |x| x.as_str())
        }),
        Column::new("tags", |r: &Record, out| {
            out.user_text(&r.statement.tags.join(";"))
        }),
        Column::text("series", |r: &Record| r.row.series.key()),
        Column::new("event_date", |r: &Record, out| match r.row.event_date {
            Some(d) => out.display(&d),
            None => out.text(""),
        }),
        Column::new("model", move |_: &Record, out| out.text(model)),
        Column::new("returns", move |_: &Record, out| out.text(returns)),
        Column::int("estimation_n", |r: &Record| {
            r.row.stats.estimation.map(|f| f.m as u64)
        }),
        Column::num("alpha", |r: &Record| r.row.stats.estimation.map(|f| f.alpha)),
        Column::num("beta", |r: &Record| r.row.stats.estimation.map(|f| f.beta)),
        Column::num("sigma", |r: &Record| r.row.stats.estimation.map(|f| f.s)),
        Column::new("variance", move |_: &Record, out| out.text(variance)),
        Column::num("garch_alpha", |r: &Record| r.row.stats.garch.map(|g| g.alpha)),
        Column::num("garch_beta", |r: &Record| r.row.stats.garch.map(|g| g.beta)),
        Column::num("garch_sigma0", |r: &Record| r.row.stats.garch.map(|g| g.sigma0)),
        Column::num("ar0", |r: &Record| r.row.stats.ar0.map(|a| a.value)),
        Column::num("ar0_t", |r: &Record| r.row.stats.ar0.map(|a| a.t)),
        Column::num("ar0_p", |r: &Record| r.row.stats.ar0.map(|a| a.p)),
    ];
    for (k, w) in p.windows.iter().enumerate() {
        cols.extend(window_columns(k, *w));
    }
    // Event days instead of per-row lists of statements: the statements sharing this row's day 0, and
    // the other event days whose event spans share a trading day with its own (confounded reactions).
    let counts = std::sync::Arc::clone(&index);
    cols.push(Column::int("day_statements", move |r: &Record| {
        let day0 = r.row.day0?;
        Some(
            counts
                .iter()
                .find(|d| d.series == r.row.series)?
                .index
                .statements(day0) as u64,
        )
    }));
    cols.push(Column::new("overlapping_days", move |r: &Record, out| {
        let text = r.row.day0.and_then(|d| {
            let days = index.iter().find(|s| s.series == r.row.series)?;
            let i = days.near.binary_search_by_key(&d, |t| t.0).ok()?;
            Some(days.near[i].1.as_str())
        });
        out.text(text.unwrap_or(""))
    }));
    cols.push(Column::new("note", |r: &Record, out| {
        match r.row.stats.notes.as_slice() {
            [] => out.text(""),
            [one] => out.text(one),
            _ => out.text(&r.row.note()),
        }
    }));
    cols
}

/// One value of a window's statistics.
type WindowValue = fn(&WindowStats) -> Option<f64>;

/// The seven columns of CAR window `k` (`w`): CAR, its plain and adjusted tests, the bootstrap p and
/// the percentile among the estimation period's moves.
fn window_columns<'a>(k: usize, w: Window) -> Vec<Column<'a, Record<'a>>> {
    let stats: [(&str, WindowValue); 7] = [
        ("car", |s| Some(s.plain.value)),
        ("car_t", |s| Some(s.plain.t)),
        ("car_p", |s| Some(s.plain.p)),
        ("car_t_adj", |s| Some(s.adjusted.t)),
        ("car_p_adj", |s| Some(s.adjusted.p)),
        ("car_p_boot", |s| s.p_boot),
        ("car_pctl", |s| s.pctl),
    ];
    let key = window_key(w);
    stats
        .into_iter()
        .map(|(name, f)| {
            Column::num(&format!("{name}_{key}"), move |r: &Record| {
                r.row.stats.windows.get(k).copied().flatten().as_ref().and_then(f)
            })
        })
        .collect()
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
