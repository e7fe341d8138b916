//! Grouping events (all, by speaker, tag and stance) and running the cross-event tests and the
//! stance correlation for every group × series × CAR window, with Holm and Benjamini–Hochberg
//! corrections of the BMP p-values across all of them.

use super::correlation::{stance_fit, StanceFit};
use super::cross::{
    centred_ranks, cross_tests, mean_cross_correlation, rank_from_centred, CrossTests, EventObs,
};
use super::multitest::{benjamini_hochberg, holm};
use super::stats::StudyParams;
use super::window::Window;
use super::EventRow;
use crate::series::SeriesId;
use crate::statements::{Stance, Statement};
use std::collections::BTreeMap;

/// A named set of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// `all`, `speaker:NAME`, `tag:TAG` or `stance:up|down|none`.
    pub name: String,
    /// Statement indexes.
    pub members: Vec<usize>,
}

/// One line of the summary.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// Group name.
    pub group: String,
    /// Series.
    pub series: SeriesId,
    /// CAR window.
    pub window: Window,
    /// Cross-event tests.
    pub tests: CrossTests,
    /// Stance against CAR.
    pub stance: StanceFit,
    /// Holm-adjusted BMP p.
    pub bmp_p_holm: Option<f64>,
    /// Benjamini–Hochberg-adjusted BMP p.
    pub bmp_p_bh: Option<f64>,
}

/// The groups of `statements`: all, each speaker, each tag, each stance (none included).
pub fn groups(statements: &[Statement]) -> Vec<Group> {
    let mut map: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, s) in statements.iter().enumerate() {
        map.entry(format!("speaker:{}", s.speaker)).or_default().push(i);
        for t in &s.tags {
            map.entry(format!("tag:{t}")).or_default().push(i);
        }
        let stance = s.stance.map_or("none", Stance::as_str);
        map.entry(format!("stance:{stance}")).or_default().push(i);
    }
    let mut out = vec![Group {
        name: "all".into(),
        members: (0..statements.len()).collect(),
    }];
    out.extend(map.into_iter().map(|(name, members)| Group { name, members }));
    out
}

/// Summaries for every group × series × window; `rows` are statement-major with `n_series` per statement.
pub fn summarize(
    statements: &[Statement],
    rows: &[EventRow],
    n_series: usize,
    p: &StudyParams,
) -> Vec<SummaryRow> {
    let mut out = Vec::new();
    // Centred ranks depend on the event only: computed once per row, shared by every group and window.
    let ranked: Vec<Vec<(i64, f64)>> = rows.iter().map(event_time_ranks).collect();
    for g in groups(statements) {
        for k in 0..n_series {
            let members: Vec<&EventRow> = g.members.iter().map(|i| &rows[i * n_series + k]).collect();
            let Some(series) = members.first().map(|r| r.series) else {
                continue;
            };
            let fitted: Vec<&EventRow> = members
                .iter()
                .copied()
                .filter(|r| r.stats.estimation.is_some())
                .collect();
            let residuals: Vec<&[(usize, f64)]> =
                fitted.iter().map(|r| r.stats.residuals.as_slice()).collect();
            let rbar = mean_cross_correlation(&residuals);
            for (w, window) in p.windows.iter().enumerate() {
                out.push(summary_row(
                    &g.name,
                    series,
                    *window,
                    w,
                    &fitted,
                    statements,
                    rbar,
                    p,
                    &ranked[k..],
                    n_series,
                ));
            }
        }
    }
    let bmp: Vec<(usize, f64)> = out
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, r.tests.bmp?.p)))
        .collect();
    let ps: Vec<f64> = bmp.iter().map(|b| b.1).collect();
    for ((i, _), (h, b)) in bmp.iter().zip(holm(&ps).into_iter().zip(benjamini_hochberg(&ps))) {
        out[*i].bmp_p_holm = Some(h);
        out[*i].bmp_p_bh = Some(b);
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn summary_row(
    group: &str,
    series: SeriesId,
    window: Window,
    w: usize,
    fitted: &[&EventRow],
    statements: &[Statement],
    rbar: Option<f64>,
    p: &StudyParams,
    ranked: &[Vec<(i64, f64)>],
    n_series: usize,
) -> SummaryRow {
    let with_car: Vec<&EventRow> = fitted
        .iter()
        .copied()
        .filter(|r| r.stats.windows[w].is_some())
        .collect();
    let obs: Vec<EventObs> = with_car
        .iter()
        .map(|r| {
            let ws = r.stats.windows[w].expect("filtered");
            let res = &r.stats.residuals;
            let positive = res.iter().filter(|e| e.1 > 0.0).count() as f64 / res.len().max(1) as f64;
            EventObs {
                car: ws.plain.value,
                scar: ws.adjusted.t,
                m: r.stats.estimation.expect("fitted").m,
                positive_share: positive,
            }
        })
        .collect();
    // `ranked` starts at this series' first row, so statement i's row is at i * n_series.
    let by_time: Vec<&[(i64, f64)]> = with_car
        .iter()
        .map(|r| ranked[r.statement * n_series].as_slice())
        .collect();
    let rank = rank_from_centred(&by_time, window.start, window.end);
    let pairs: Vec<(f64, f64)> = with_car
        .iter()
        .filter_map(|r| {
            let sign = match statements[r.statement].stance? {
                Stance::Up => 1.0,
                Stance::Down => -1.0,
            };
            Some((sign, r.stats.windows[w]?.plain.value))
        })
        .collect();
    SummaryRow {
        group: group.to_string(),
        series,
        window,
        tests: cross_tests(&obs, p.model.k(), rbar, rank),
        stance: stance_fit(&pairs),
        bmp_p_holm: None,
        bmp_p_bh: None,
    }
}

/// Estimation residuals and event-span ARs of a row in event time, as centred ranks.
fn event_time_ranks(r: &EventRow) -> Vec<(i64, f64)> {
    let Some(d0) = r.day0 else { return vec![] };
    let est = r.stats.residuals.iter().map(|(i, e)| (*i as i64 - d0 as i64, *e));
    let all: Vec<(i64, f64)> = est.chain(r.stats.event_ar.iter().copied()).collect();
    centred_ranks(&all)
}
