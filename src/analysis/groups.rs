//! The groups of statements (all, by speaker, tag and stance) and the cross-event tests and stance
//! correlation for every group × series × CAR window over its event days ([`super::events`]), with
//! Holm and Benjamini–Hochberg corrections of the headline (Kolari–Pynnönen) p-values across all of
//! them. What the tests need of the statements — per event day, its statistics and each group's
//! statements and stances — comes from a [`Tally`], gathered from a whole study or batch by batch.

use super::correlation::{stance_fit, StanceFit};
use super::cross::{cross_tests, CrossTests, EventObs, RankAcc};
use super::day_ranks::DayRanker;
use super::events::DayStance;
use super::multitest::{benjamini_hochberg, holm};
use super::placebo::PlaceboP;
use super::stats::StudyParams;
use super::tally::{Tally, Votes};
use super::window::Window;
use super::{EventRow, SeriesStudy, Study};
use crate::prices::SeriesId;
use crate::statements::Stance;
use chrono::NaiveDate;
use std::collections::HashMap;
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

impl Study {
    /// The tests across statements for every group × series × window ([`summarize`]).
    pub fn summarize(&self) -> Vec<SummaryRow> {
        summarize(&Tally::of(self), &self.series, &self.params)
    }
}

/// Summaries for every group × series × window of the statements tallied in `tally` on `series` (the
/// study's series: their prices and contexts; their rows are not read), over event days.
///
/// Memory stays proportional to the event days, not to the statements or to days × estimation
/// length: Corrado's ranks are computed one event day at a time and added to every group × window the
/// day belongs to ([`RankAcc`]).
pub fn summarize(tally: &Tally, series: &[SeriesStudy], p: &StudyParams) -> Vec<SummaryRow> {
    // One thread per series: each ranks its own event days.
    let ranks: Vec<Vec<RankAcc>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..series.len())
            .map(|k| scope.spawn(move || rank_sums(tally, k, &series[k], p)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a rank thread panicked"))
            .collect()
    });
    let mut out = Vec::new();
    let groups = tally.groups();
    for (k, (s, ranks)) in series.iter().zip(&ranks).enumerate() {
        // Per group, its fitted event days on this series, ascending.
        let mut days: Vec<Vec<(&EventRow, Votes)>> = vec![Vec::new(); tally.n_groups()];
        for (_, day) in tally.days(k).filter(|(_, d)| d.row.stats.estimation.is_some()) {
            for (g, v) in &day.votes {
                days[*g].push((&day.row, *v));
            }
        }
        for (g, key) in &groups {
            for (w, window) in p.windows.iter().enumerate() {
                let rank = ranks[g * p.windows.len() + w].statistic(window.start, window.end);
                let at = Cell {
                    group: key,
                    series: s.id(),
                    window: *window,
                    w,
                };
                out.push(((*g, k, w), summary_row(at, &days[*g], rank, p)));
            }
        }
    }
    // Group-major, as the groups are listed; then series, then window.
    let order: HashMap<usize, usize> = groups.iter().enumerate().map(|(i, (g, _))| (*g, i)).collect();
    out.sort_by_key(|((g, k, w), _)| (order[g], *k, *w));
    let mut out: Vec<SummaryRow> = out.into_iter().map(|(_, r)| r).collect();
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

/// Corrado rank sums per group × window (index `g * windows + w`, groups by tally index) over the
/// fitted event days of series `k`. Each day's ranks are computed once per window (its estimation
/// residuals and that window's ARs, so a window's statistic does not depend on which other windows
/// were requested) and added to every group holding one of its statements, days in ascending order;
/// a [`DayRanker`] reads them off the series' returns, kept sorted from one event day to the next.
fn rank_sums(tally: &Tally, k: usize, series: &SeriesStudy, p: &StudyParams) -> Vec<RankAcc> {
    let (lo, hi) = (
        p.estimation.start.min(p.event_span().start),
        p.estimation.end.max(p.event_span().end),
    );
    let nw = p.windows.len();
    let mut acc = vec![RankAcc::new(lo, hi); tally.n_groups() * nw];
    let mut ranker = DayRanker::new(series.prepared.returns.of(p.returns), p);
    for (_, day) in tally.days(k).filter(|(_, d)| d.row.stats.estimation.is_some()) {
        let ranked = ranker.window_ranks(&day.row, &series.residuals(&day.row, p), p);
        for (g, _) in &day.votes {
            for (w, ranks) in ranked.iter().enumerate() {
                acc[g * nw + w].add(ranks);
            }
        }
    }
    acc
}

fn summary_row(
    at: Cell<'_>,
    days: &[(&EventRow, Votes)],
    rank: Option<f64>,
    params: &StudyParams,
) -> SummaryRow {
    let w = at.w;
    let with_car: Vec<&(&EventRow, Votes)> = days
        .iter()
        .filter(|(r, _)| r.stats.windows[w].is_some())
        .collect();
    let obs: Vec<EventObs> = with_car
        .iter()
        .map(|(r, _)| {
            let ws = r.stats.windows[w].expect("filtered");
            EventObs {
                car: ws.plain.value,
                scar: ws.adjusted.t,
                m: r.stats.estimation.expect("fitted").m,
                positive_share: r.stats.positive_share.unwrap_or(0.0),
                day0: r.day0.expect("an event day"),
            }
        })
        .collect();
    let mut pairs = Vec::new();
    let mut stance_statements = 0;
    let mut split_days = Vec::new();
    for ((r, v), o) in with_car.iter().zip(&obs) {
        match v.stance() {
            DayStance::Agreed(s) => {
                pairs.push((s.sign(), o.car));
                stance_statements += v.up + v.down;
            }
            DayStance::Split => split_days.extend(r.event_date),
            DayStance::Unlabelled => {}
        }
    }
    SummaryRow {
        group: at.group.clone(),
        series: at.series,
        window: at.window,
        n_statements: with_car.iter().map(|(_, v)| v.n).sum(),
        tests: cross_tests(&obs, params.model.k(), at.window.len(), rank),
        stance: stance_fit(&pairs),
        stance_statements,
        split_days,
        placebo: PlaceboP::default(),
        p_holm: None,
        p_bh: None,
    }
}
