//! Grouping events (all, by speaker, tag and stance) and running the cross-event tests and the
//! stance correlation for every group × series × CAR window, with Holm and Benjamini–Hochberg
//! corrections of the BMP p-values across all of them.

use super::correlation::{stance_fit, StanceFit};
use super::cross::{
    centred_ranks, cross_tests, mean_cross_correlation, sample_evenly, CrossTests, EventObs, RankAcc,
    KP_SAMPLE,
};
use super::multitest::{benjamini_hochberg, holm};
use super::stats::StudyParams;
use super::window::Window;
use super::{EventRow, SeriesStudy, Study};
use crate::prices::SeriesId;
use crate::statements::{Stance, Statement};
use std::collections::BTreeMap;
use std::fmt;

/// Which statements a group holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum GroupKey {
    /// Every statement.
    All,
    /// The statements of one speaker.
    Speaker(String),
    /// The statements with one tag.
    Tag(String),
    /// The statements with one stance (`None`: no stance).
    Stance(Option<Stance>),
}

impl fmt::Display for GroupKey {
    /// `all`, `speaker:NAME`, `tag:TAG` or `stance:up|down|none`, as in `summary.csv`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GroupKey::All => f.write_str("all"),
            GroupKey::Speaker(s) => write!(f, "speaker:{s}"),
            GroupKey::Tag(t) => write!(f, "tag:{t}"),
            GroupKey::Stance(s) => write!(f, "stance:{}", s.map_or("none", Stance::as_str)),
        }
    }
}

/// A set of statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Which statements.
    pub key: GroupKey,
    /// Statement indexes.
    pub members: Vec<usize>,
}

/// One line of the summary.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    /// The group.
    pub group: GroupKey,
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

/// The groups of `statements`: all, then each speaker, stance and tag (stance `none` included), in
/// the order of their names.
pub fn groups(statements: &[Statement]) -> Vec<Group> {
    let mut map: BTreeMap<String, (GroupKey, Vec<usize>)> = BTreeMap::new();
    let mut add = |key: GroupKey, i: usize| {
        map.entry(key.to_string())
            .or_insert_with(|| (key, Vec::new()))
            .1
            .push(i);
    };
    for (i, s) in statements.iter().enumerate() {
        add(GroupKey::Speaker(s.speaker.clone()), i);
        for t in &s.tags {
            add(GroupKey::Tag(t.clone()), i);
        }
        add(GroupKey::Stance(s.stance), i);
    }
    let mut out = vec![Group {
        key: GroupKey::All,
        members: (0..statements.len()).collect(),
    }];
    out.extend(map.into_values().map(|(key, members)| Group { key, members }));
    out
}

impl Study {
    /// The tests across statements for every group × series × window ([`summarize`]).
    pub fn summarize(&self) -> Vec<SummaryRow> {
        summarize(self)
    }
}

/// Summaries for every group × series × window of `study`.
///
/// Memory stays proportional to the number of rows, not rows × estimation length: Corrado's ranks are
/// computed one event at a time and added to every group × window the event belongs to
/// ([`RankAcc`]); Kolari–Pynnönen's residual correlation needs the residuals of at most 100 sampled
/// events per group, recomputed when needed.
pub fn summarize(study: &Study) -> Vec<SummaryRow> {
    let groups = groups(&study.statements);
    // One thread per series: each ranks its own events.
    let ranks: Vec<Vec<RankAcc>> = std::thread::scope(|scope| {
        let groups = &groups;
        let handles: Vec<_> = study
            .series
            .iter()
            .map(|s| scope.spawn(move || rank_sums(study, s, groups)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a rank thread panicked"))
            .collect()
    });
    let p = &study.params;
    let mut out = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        for (s, ranks) in study.series.iter().zip(&ranks) {
            let fitted: Vec<&EventRow> = group
                .members
                .iter()
                .map(|i| &s.rows[*i])
                .filter(|r| r.stats.estimation.is_some())
                .collect();
            let rbar = sampled_correlation(study, s, &fitted);
            for (w, window) in p.windows.iter().enumerate() {
                let rank = ranks[g * p.windows.len() + w].statistic(window.start, window.end);
                let at = Cell {
                    group: &group.key,
                    series: s.id(),
                    window: *window,
                    w,
                };
                out.push(summary_row(at, &fitted, &study.statements, rbar, rank, p));
            }
        }
    }
    adjust(&mut out);
    out
}

/// Holm and Benjamini–Hochberg adjusted BMP p-values over every row that has one.
fn adjust(out: &mut [SummaryRow]) {
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
}

/// Where a summary row sits: group, series and window (with its index in the parameters).
struct Cell<'a> {
    group: &'a GroupKey,
    series: SeriesId,
    window: Window,
    w: usize,
}

/// Corrado rank sums per group × window (index `g * windows + w`) over the events of one series that
/// have a CAR in that window, adding each event's centred ranks once, in statement order.
fn rank_sums(study: &Study, series: &SeriesStudy, groups: &[Group]) -> Vec<RankAcc> {
    let p = &study.params;
    let n_statements = study.statements.len();
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
        let r = &series.rows[i];
        if r.stats.estimation.is_none() || r.stats.windows.iter().all(Option::is_none) {
            continue;
        }
        let day0 = r.day0.expect("a fitted row has a day 0");
        if memo.as_ref().is_none_or(|(d, _)| *d != day0) {
            memo = Some((day0, event_time_ranks(r, &study.residuals(series, r))));
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
fn sampled_correlation(study: &Study, series: &SeriesStudy, fitted: &[&EventRow]) -> Option<f64> {
    let picked: Vec<Vec<(usize, f64)>> = sample_evenly(fitted, KP_SAMPLE)
        .into_iter()
        .map(|r| study.residuals(series, r))
        .collect();
    let refs: Vec<&[(usize, f64)]> = picked.iter().map(Vec::as_slice).collect();
    mean_cross_correlation(&refs)
}

fn summary_row(
    at: Cell<'_>,
    fitted: &[&EventRow],
    statements: &[Statement],
    rbar: Option<f64>,
    rank: Option<f64>,
    params: &StudyParams,
) -> SummaryRow {
    let w = at.w;
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
            let sign = statements[r.statement].stance?.sign();
            Some((sign, r.stats.windows[w]?.plain.value))
        })
        .collect();
    SummaryRow {
        group: at.group.clone(),
        series: at.series,
        window: at.window,
        tests: cross_tests(&obs, params.model.k(), rbar, rank),
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
