//! Grouping events (all, by speaker, tag and stance) and running the cross-event tests and the
//! stance correlation for every group × series × CAR window, with Holm and Benjamini–Hochberg
//! corrections of the BMP p-values across all of them.

use super::correlation::{stance_fit, StanceFit};
use super::cross::{centred_ranks, cross_tests, mean_cross_correlation, CrossTests, EventObs, RankAcc};
use super::multitest::{benjamini_hochberg, holm};
use super::stats::StudyParams;
use super::window::Window;
use super::{EventRow, ResidualSource};
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

/// Summaries for every group × series × window; `rows` are statement-major with `n_series` per statement,
/// `residuals` recomputes a row's estimation residuals (they are not stored).
///
/// Memory stays proportional to the number of rows, not rows × estimation length: Corrado's ranks are
/// computed one event at a time and added to every group × window the event belongs to
/// ([`RankAcc`]); Kolari–Pynnönen's residual correlation needs the residuals of at most 100 sampled
/// events per group, recomputed when needed.
pub fn summarize(
    statements: &[Statement],
    rows: &[EventRow],
    n_series: usize,
    p: &StudyParams,
    residuals: &ResidualSource<'_>,
) -> Vec<SummaryRow> {
    let groups = groups(statements);
    // One thread per series: each ranks its own events.
    let ranks: Vec<Vec<RankAcc>> = std::thread::scope(|scope| {
        let groups = &groups;
        let handles: Vec<_> = (0..n_series)
            .map(|k| {
                scope.spawn(move || {
                    rank_sums(
                        statements.len(),
                        groups,
                        &|i| &rows[i * n_series + k],
                        p,
                        residuals,
                    )
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a rank thread panicked"))
            .collect()
    });
    let mut out = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for (k, ranks) in ranks.iter().enumerate() {
            let members: Vec<&EventRow> = group.members.iter().map(|i| &rows[i * n_series + k]).collect();
            let Some(series) = members.first().map(|r| r.series) else {
                continue;
            };
            let fitted: Vec<&EventRow> = members
                .iter()
                .copied()
                .filter(|r| r.stats.estimation.is_some())
                .collect();
            let rbar = sampled_correlation(&fitted, residuals);
            for (w, window) in p.windows.iter().enumerate() {
                let rank = ranks[g * p.windows.len() + w].statistic(window.start, window.end);
                out.push(summary_row(
                    &group.name,
                    series,
                    *window,
                    w,
                    &fitted,
                    statements,
                    rbar,
                    rank,
                    p,
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

/// Corrado rank sums per group × window (index `g * windows + w`) over the events of one series that
/// have a CAR in that window, adding each event's centred ranks once, in statement order.
fn rank_sums<'r>(
    n_statements: usize,
    groups: &[Group],
    of: &dyn Fn(usize) -> &'r EventRow,
    p: &StudyParams,
    residuals: &ResidualSource<'_>,
) -> Vec<RankAcc> {
    let span = p.event_span();
    let (lo, hi) = (p.estimation.start.min(span.start), p.estimation.end.max(span.end));
    let nw = p.windows.len();
    let mut acc = vec![RankAcc::new(lo, hi); groups.len() * nw];
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); n_statements];
    for (g, group) in groups.iter().enumerate() {
        for i in &group.members {
            member_of[*i].push(g);
        }
    }
    // Statements sharing a day 0 (adjacent, in time order) have the same residuals and ARs, so the
    // same ranks: computed once per day 0.
    let mut memo: Option<(usize, Vec<(i64, f64)>)> = None;
    for (i, gs) in member_of.iter().enumerate() {
        let r = of(i);
        if r.stats.estimation.is_none() || r.stats.windows.iter().all(Option::is_none) {
            continue;
        }
        let day0 = r.day0.expect("a fitted row has a day 0");
        if memo.as_ref().is_none_or(|(d, _)| *d != day0) {
            memo = Some((day0, event_time_ranks(r, &residuals.of(r))));
        }
        let ranked = &memo.as_ref().expect("just set").1;
        for w in (0..nw).filter(|w| r.stats.windows[*w].is_some()) {
            for g in gs {
                acc[g * nw + w].add(ranked);
            }
        }
    }
    acc
}

/// Kolari–Pynnönen's mean residual correlation from at most 100 events sampled evenly from `fitted`
/// (the same sample [`mean_cross_correlation`] takes), recomputing only their residuals.
fn sampled_correlation(fitted: &[&EventRow], residuals: &ResidualSource<'_>) -> Option<f64> {
    let step = fitted.len().div_ceil(100).max(1);
    let picked: Vec<Vec<(usize, f64)>> = fitted.iter().step_by(step).map(|r| residuals.of(r)).collect();
    let refs: Vec<&[(usize, f64)]> = picked.iter().map(Vec::as_slice).collect();
    mean_cross_correlation(&refs)
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
    rank: Option<f64>,
    p: &StudyParams,
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
            EventObs {
                car: ws.plain.value,
                scar: ws.adjusted.t,
                m: r.stats.estimation.expect("fitted").m,
                positive_share: r.stats.positive_share.unwrap_or(0.0),
            }
        })
        .collect();
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
fn event_time_ranks(r: &EventRow, residuals: &[(usize, f64)]) -> Vec<(i64, f64)> {
    let Some(d0) = r.day0 else { return vec![] };
    let est = residuals.iter().map(|(i, e)| (*i as i64 - d0 as i64, *e));
    let all: Vec<(i64, f64)> = est.chain(r.stats.event_ar.iter().copied()).collect();
    centred_ranks(&all)
}
