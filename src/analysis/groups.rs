//! Grouping statements (all, by speaker, tag and stance) and running the cross-event tests and the
//! stance correlation for every group × series × CAR window over its event days ([`super::events`]),
//! with Holm and Benjamini–Hochberg corrections of the headline (Kolari–Pynnönen) p-values across all
//! of them.

use super::correlation::{stance_fit, StanceFit};
use super::cross::{centred_ranks, cross_tests, CrossTests, EventObs, RankAcc};
use super::events::{event_days, DayStance, EventDay};
use super::multitest::{benjamini_hochberg, holm};
use super::placebo::PlaceboP;
use super::stats::StudyParams;
use super::window::Window;
use super::{EventRow, SeriesStudy, Study};
use crate::prices::SeriesId;
use crate::statements::{Stance, Statement};
use chrono::NaiveDate;
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
    /// Statements of the group with a CAR in this window.
    pub n_statements: usize,
    /// Cross-event tests over the event days (`tests.n` of them).
    pub tests: CrossTests,
    /// Stance against CAR, over event days with an agreed stance.
    pub stance: StanceFit,
    /// Statements behind the event days of `stance`.
    pub stance_statements: usize,
    /// Event days left out of the stance statistics: their statements push both ways.
    pub split_days: Vec<NaiveDate>,
    /// Placebo p-values, when asked for ([`super::placebo`]).
    pub placebo: PlaceboP,
    /// Holm-adjusted Kolari–Pynnönen p.
    pub p_holm: Option<f64>,
    /// Benjamini–Hochberg-adjusted Kolari–Pynnönen p.
    pub p_bh: Option<f64>,
}

impl SummaryRow {
    /// Why values are missing or what was left out, joined with `; `.
    pub fn note(&self) -> String {
        let mut notes = self.tests.notes.clone();
        if !self.split_days.is_empty() {
            let days: Vec<String> = self.split_days.iter().map(ToString::to_string).collect();
            notes.push(format!(
                "left out of the stance statistics (statements push both ways): {}",
                days.join(", ")
            ));
        }
        notes.join("; ")
    }
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

/// Summaries for every group × series × window of `study`, over event days.
///
/// Memory stays proportional to the number of rows, not rows × estimation length: Corrado's ranks are
/// computed one event day at a time and added to every group × window the day belongs to
/// ([`RankAcc`]).
pub fn summarize(study: &Study) -> Vec<SummaryRow> {
    let groups = groups(&study.statements);
    // One thread per series: each ranks its own event days.
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
            let fitted = group
                .members
                .iter()
                .map(|i| &s.rows[*i])
                .filter(|r| r.stats.estimation.is_some());
            let days = event_days(fitted);
            for (w, window) in p.windows.iter().enumerate() {
                let rank = ranks[g * p.windows.len() + w].statistic(window.start, window.end);
                let at = Cell {
                    group: &group.key,
                    series: s.id(),
                    window: *window,
                    w,
                };
                out.push(summary_row(at, &days, &study.statements, rank, p));
            }
        }
    }
    adjust(&mut out);
    out
}

/// Holm and Benjamini–Hochberg adjusted Kolari–Pynnönen p-values over every row that has one.
fn adjust(out: &mut [SummaryRow]) {
    let kp: Vec<(usize, f64)> = out
        .iter()
        .enumerate()
        .filter_map(|(i, r)| Some((i, r.tests.kp?.p)))
        .collect();
    let ps: Vec<f64> = kp.iter().map(|b| b.1).collect();
    for ((i, _), (h, b)) in kp.iter().zip(holm(&ps).into_iter().zip(benjamini_hochberg(&ps))) {
        out[*i].p_holm = Some(h);
        out[*i].p_bh = Some(b);
    }
}

/// Where a summary row sits: group, series and window (with its index in the parameters).
struct Cell<'a> {
    group: &'a GroupKey,
    series: SeriesId,
    window: Window,
    w: usize,
}

/// Corrado rank sums per group × window (index `g * windows + w`) over the event days of one series
/// that have a CAR in that window. Each day's ranks are computed once per window (its estimation
/// residuals and that window's ARs, so a window's statistic does not depend on which other windows
/// were requested) and added once to every group holding one of its statements.
fn rank_sums(study: &Study, series: &SeriesStudy, groups: &[Group]) -> Vec<RankAcc> {
    let p = &study.params;
    let (lo, hi) = (
        p.estimation.start.min(p.event_span().start),
        p.estimation.end.max(p.event_span().end),
    );
    let nw = p.windows.len();
    let mut acc = vec![RankAcc::new(lo, hi); groups.len() * nw];
    let mut member_of: Vec<Vec<usize>> = vec![Vec::new(); study.statements.len()];
    for (g, group) in groups.iter().enumerate() {
        for i in &group.members {
            member_of[*i].push(g);
        }
    }
    // Statements are in time order, so those sharing a day 0 are adjacent: the day's ranks are kept
    // while its statements pass, and each group takes the day once.
    let mut last_day: Vec<Option<usize>> = vec![None; groups.len()];
    let mut memo: Option<(usize, WindowRanks)> = None;
    for (i, gs) in member_of.iter().enumerate() {
        let r = &series.rows[i];
        let Some(day0) = r.day0.filter(|_| r.stats.estimation.is_some()) else {
            continue;
        };
        let fresh: Vec<usize> = gs
            .iter()
            .copied()
            .filter(|g| last_day[*g] != Some(day0))
            .collect();
        if fresh.is_empty() {
            continue;
        }
        if memo.as_ref().is_none_or(|(d, _)| *d != day0) {
            memo = Some((day0, window_ranks(r, &study.residuals(series, r), p)));
        }
        let ranked = &memo.as_ref().expect("just set").1;
        for g in fresh {
            last_day[g] = Some(day0);
            for (w, ranks) in ranked.iter().enumerate() {
                acc[g * nw + w].add(ranks);
            }
        }
    }
    acc
}

fn summary_row(
    at: Cell<'_>,
    days: &[EventDay<'_>],
    statements: &[Statement],
    rank: Option<f64>,
    params: &StudyParams,
) -> SummaryRow {
    let w = at.w;
    let with_car: Vec<&EventDay> = days
        .iter()
        .filter(|d| d.row().stats.windows[w].is_some())
        .collect();
    let obs: Vec<EventObs> = with_car
        .iter()
        .map(|d| {
            let r = d.row();
            let ws = r.stats.windows[w].expect("filtered");
            EventObs {
                car: ws.plain.value,
                scar: ws.adjusted.t,
                m: r.stats.estimation.expect("fitted").m,
                positive_share: r.stats.positive_share.unwrap_or(0.0),
                day0: d.day0,
            }
        })
        .collect();
    let mut pairs = Vec::new();
    let mut stance_statements = 0;
    let mut split_days = Vec::new();
    for (d, o) in with_car.iter().zip(&obs) {
        match d.stance(statements) {
            DayStance::Agreed(s) => {
                pairs.push((s.sign(), o.car));
                stance_statements += d
                    .rows
                    .iter()
                    .filter(|r| statements[r.statement].stance.is_some())
                    .count();
            }
            DayStance::Split => split_days.extend(d.date()),
            DayStance::Unlabelled => {}
        }
    }
    SummaryRow {
        group: at.group.clone(),
        series: at.series,
        window: at.window,
        n_statements: with_car.iter().map(|d| d.rows.len()).sum(),
        tests: cross_tests(&obs, params.model.k(), at.window.len(), rank),
        stance: stance_fit(&pairs),
        stance_statements,
        split_days,
        placebo: PlaceboP::default(),
        p_holm: None,
        p_bh: None,
    }
}

/// Per CAR window, an event day's centred ranks `(event time, U)`.
type WindowRanks = Vec<Vec<(i64, f64)>>;

/// Per CAR window, an event day's estimation residuals and that window's ARs in event time, as
/// centred ranks (empty when the day has no CAR in the window).
fn window_ranks(r: &EventRow, residuals: &[(usize, f64)], p: &StudyParams) -> WindowRanks {
    let Some(d0) = r.day0 else {
        return vec![Vec::new(); p.windows.len()];
    };
    p.windows
        .iter()
        .zip(&r.stats.windows)
        .map(|(w, stats)| {
            if stats.is_none() {
                return Vec::new();
            }
            let est = residuals.iter().map(|(i, e)| (*i as i64 - d0 as i64, *e));
            let ars = r.stats.event_ar.iter().copied();
            let all: Vec<(i64, f64)> = est
                .chain(ars.filter(|(t, _)| *t >= w.start && *t <= w.end))
                .collect();
            centred_ranks(&all)
        })
        .collect()
}
