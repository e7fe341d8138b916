//! Event days: the unit of inference across statements.
//!
//! Statements of one series whose day 0 is the same trading day have the same abnormal-return path, so
//! counting them as separate events multiplies one price move (a sum of m identical SCARs grows like m
//! while its assumed standard error grows like √m; a sign test counts one sign m times). Every test
//! across statements therefore counts **event days**: per series, the statements sharing a day 0
//! (collapsed per series, since Brent and WTI can give one statement different day 0s).
//!
//! Event days whose windows share trading days without sharing day 0 are correlated: under the null
//! of i.i.d. abnormal returns, the CARs of two `L`-day windows whose day 0s are `d` trading days apart
//! share `k = max(0, L − d)` days, so their standardized CARs correlate by `ρ = k/L`
//! (research notes, "Inference", §1). [`overlap_pairs`] lists those pairs; the cross-event tests use
//! them (`Var(Σ SCAR) = n + Σ_{i≠j} ρ_ij`; Kolari & Pynnönen's factor with `r̄` = mean off-diagonal ρ).
//!
//! The stance of an event day is the common stance of its statements; a day whose statements push both
//! ways (the Kremlin's denial and Trump's tweets on 2 April 2020) has no stance and is left out of the
//! stance statistics, with a note.

use super::row::EventRow;
use crate::statements::{Stance, Statement};
use chrono::NaiveDate;

/// The statements of one group on one series that share a day 0.
#[derive(Debug, Clone)]
pub struct EventDay<'a> {
    /// Day 0's index in the series.
    pub day0: usize,
    /// The rows (one per statement), in statement order; all have identical statistics.
    pub rows: Vec<&'a EventRow>,
}

/// The stance of an event day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayStance {
    /// No statement of the day has a stance.
    Unlabelled,
    /// Every statement with a stance pushes this way.
    Agreed(Stance),
    /// Statements of the day push both ways.
    Split,
}

impl<'a> EventDay<'a> {
    /// The day's representative row (the first statement's).
    pub fn row(&self) -> &'a EventRow {
        self.rows[0]
    }

    /// Day 0's date.
    pub fn date(&self) -> Option<NaiveDate> {
        self.row().event_date
    }

    /// The common stance of the day's statements (statements without a stance do not vote).
    pub fn stance(&self, statements: &[Statement]) -> DayStance {
        let mut seen: Option<Stance> = None;
        for r in &self.rows {
            match (seen, statements[r.statement].stance) {
                (_, None) => {}
                (None, Some(s)) => seen = Some(s),
                (Some(a), Some(b)) if a != b => return DayStance::Split,
                _ => {}
            }
        }
        seen.map_or(DayStance::Unlabelled, DayStance::Agreed)
    }
}

/// Group `rows` (of one series) by day 0, in ascending day-0 order; rows without a day 0 are left out.
pub fn event_days<'a>(rows: impl IntoIterator<Item = &'a EventRow>) -> Vec<EventDay<'a>> {
    let mut with_day: Vec<(usize, &EventRow)> = rows.into_iter().filter_map(|r| Some((r.day0?, r))).collect();
    // Stable: statements of one day keep their order.
    with_day.sort_by_key(|(d, _)| *d);
    let mut out: Vec<EventDay<'a>> = Vec::new();
    for (d, r) in with_day {
        match out.last_mut() {
            Some(last) if last.day0 == d => last.rows.push(r),
            _ => out.push(EventDay {
                day0: d,
                rows: vec![r],
            }),
        }
    }
    out
}

/// The event days of one series by day-0 index: how many statements each holds and which other days
/// are near it. Built once per series for the exports, so a row's neighbours cost O(span), never a
/// scan of every statement (the per-row list of overlapping statements grew with the square of the
/// statements per day).
#[derive(Debug, Clone, Default)]
pub struct DayIndex {
    /// `(day-0 index, date, statements)`, ascending.
    days: Vec<(usize, NaiveDate, usize)>,
}

impl DayIndex {
    /// The index of `rows` (one series).
    pub fn new<'a>(rows: impl IntoIterator<Item = &'a EventRow>) -> Self {
        let days = event_days(rows)
            .into_iter()
            .filter_map(|d| Some((d.day0, d.date()?, d.rows.len())))
            .collect();
        DayIndex { days }
    }

    /// The index of event days given as `(day-0 index, date, statements)`, ascending by index.
    pub fn from_days(days: Vec<(usize, NaiveDate, usize)>) -> Self {
        DayIndex { days }
    }

    /// Statements whose day 0 is `day0`.
    pub fn statements(&self, day0: usize) -> usize {
        self.days
            .binary_search_by_key(&day0, |d| d.0)
            .map_or(0, |i| self.days[i].2)
    }

    /// Dates of the other event days within `reach` trading days of `day0` (their event spans share a
    /// trading day with its own when `reach` is the span's length minus one).
    pub fn near(&self, day0: usize, reach: usize) -> Vec<NaiveDate> {
        self.near_indexes(day0, reach).map(|i| self.days[i].1).collect()
    }

    /// For every event day, `(day-0 index, the dates of [`DayIndex::near`] joined with `;`)`.
    pub fn near_texts(&self, reach: usize) -> Vec<(usize, String)> {
        self.days
            .iter()
            .map(|d| {
                let dates: Vec<String> = self.near(d.0, reach).iter().map(ToString::to_string).collect();
                (d.0, dates.join(";"))
            })
            .collect()
    }

    /// Positions in `days` of the other event days within `reach` of `day0`.
    fn near_indexes(&self, day0: usize, reach: usize) -> impl Iterator<Item = usize> + '_ {
        let lo = self.days.partition_point(|d| d.0 + reach < day0);
        (lo..self.days.len())
            .take_while(move |&i| self.days[i].0 <= day0 + reach)
            .filter(move |&i| self.days[i].0 != day0)
    }
}

/// Every pair `(i, j, ρ_ij)`, `i < j`, of event days (distinct day-0 indexes, ascending) whose
/// `len`-day windows share trading days: `ρ = (len − (d_j − d_i)) / len`. Each day meets at most
/// `len − 1` later ones, so the list grows linearly with the number of event days.
pub fn overlap_pairs(day0s: &[usize], len: usize) -> Vec<(usize, usize, f64)> {
    let mut out = Vec::new();
    for (i, &di) in day0s.iter().enumerate() {
        for (j, &dj) in day0s.iter().enumerate().skip(i + 1) {
            let gap = dj.saturating_sub(di);
            if gap >= len {
                break;
            }
            out.push((i, j, (len - gap) as f64 / len as f64));
        }
    }
    out
}

/// Kolari & Pynnönen's mean off-diagonal correlation `r̄ = Σ_{i≠j} ρ_ij / (n(n−1))` of `n` event days
/// with overlap pairs `pairs` (each pair counted twice); `None` below two days.
pub fn mean_overlap(n: usize, pairs: &[(usize, usize, f64)]) -> Option<f64> {
    (n >= 2).then(|| 2.0 * pairs.iter().map(|p| p.2).sum::<f64>() / (n * (n - 1)) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::SeriesId;

    fn row(statement: usize, day0: Option<usize>) -> EventRow {
        let mut r = EventRow::empty(statement, SeriesId::Brent, 1);
        r.day0 = day0;
        r
    }

    #[test]
    fn rows_sharing_day_zero_form_one_day() {
        let rows = [row(0, Some(5)), row(1, Some(5)), row(2, None), row(3, Some(9))];
        let days = event_days(&rows);
        let shape: Vec<(usize, Vec<usize>)> = days
            .iter()
            .map(|d| (d.day0, d.rows.iter().map(|r| r.statement).collect()))
            .collect();
        assert_eq!(shape, vec![(5, vec![0, 1]), (9, vec![3])]);
    }

    #[test]
    fn the_day_index_counts_statements_and_finds_neighbours() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2020, 4, n).unwrap();
        let mut rows = vec![row(0, Some(5)), row(1, Some(5)), row(2, Some(6)), row(3, Some(9))];
        for (r, day) in rows.iter_mut().zip([1, 1, 2, 7]) {
            r.event_date = Some(d(day));
        }
        let idx = DayIndex::new(&rows);
        assert_eq!(
            (idx.statements(5), idx.statements(6), idx.statements(7)),
            (2, 1, 0)
        );
        // Reach 1 (a two-day span): day 5 has day 6 next to it; day 9 is alone.
        assert_eq!(idx.near(5, 1), vec![d(2)]);
        assert!(idx.near(9, 1).is_empty());
        assert_eq!(idx.near(6, 3), vec![d(1), d(7)]);
    }

    #[test]
    fn overlap_of_two_day_windows() {
        // [0,1] windows: consecutive days share one of two days (ρ = 1/2); two apart share none.
        let pairs = overlap_pairs(&[10, 11, 13, 20], 2);
        assert_eq!(pairs, vec![(0, 1, 0.5)]);
        // Three-day windows on days 0, 1, 2: ρ = 2/3, 1/3, 2/3; r̄ = 2·(5/3)/(3·2) = 5/9.
        let pairs = overlap_pairs(&[0, 1, 2], 3);
        assert_eq!(pairs.len(), 3);
        assert!((mean_overlap(3, &pairs).unwrap() - 5.0 / 9.0).abs() < 1e-15);
        assert_eq!(mean_overlap(1, &[]), None);
    }

    #[test]
    fn a_day_pushing_both_ways_has_no_stance() {
        let mk = |stance: Option<Stance>| {
            let date = NaiveDate::from_ymd_opt(2020, 4, 2).unwrap();
            let time = crate::statements::StatementTime::Date(date);
            let mut s = Statement::new("x", time, "A", "t");
            s.stance = stance;
            s
        };
        let st = [mk(Some(Stance::Up)), mk(None), mk(Some(Stance::Down))];
        let rows = [row(0, Some(1)), row(1, Some(1)), row(2, Some(1))];
        let days = event_days(&rows[..2]);
        assert_eq!(days[0].stance(&st), DayStance::Agreed(Stance::Up));
        let days = event_days(&rows);
        assert_eq!(days[0].stance(&st), DayStance::Split);
        assert_eq!(event_days(&rows[1..2])[0].stance(&st), DayStance::Unlabelled);
    }
}
