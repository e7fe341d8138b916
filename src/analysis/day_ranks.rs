//! Each event day's centred Corrado ranks for the rank test ([`super::cross`]): the day's estimation
//! residuals and one CAR window's ARs ranked together (ties averaged), `U = K/(T+1) − 1/2`, read
//! one series at a time with its event days in ascending order.
//!
//! Sorting ~250 residuals per event day and window was a quarter of a 60,000-statement run's CPU,
//! although neighbouring event days rank almost the same returns (their estimation windows overlap
//! in all but a few days). Under a model whose expected return is one number per event day (`mean`,
//! `raw`, or any fit with β = 0), every residual and AR of a day is `fl(R_t − c)`: rounding is
//! monotone, so the order of the returns themselves orders them. A [`DayRanker`] keeps the returns
//! over the span one day needs (estimation window and event span) sorted and moves that span from
//! one event day to the next by dropping the days that left it and inserting those that came in; a
//! window's ranks are then one pass over it instead of a sort (issue 18: the rank test reuses sorted
//! estimation residuals across event days where windows overlap).
//!
//! The pass does not trust that argument: it checks that the values it meets never decrease, which
//! makes its order a sorted order of the values (the same ranks, ties grouped the same way, as
//! [`centred_ranks`] gives). Where a value would decrease, or a day's model has a slope, the day is
//! ranked by sorting as before. Either way the ranks are the same numbers in the same order.

use super::cross::{centre, centred_ranks, each_rank};
use super::row::EventRow;
use super::stats::StudyParams;
use std::cmp::Ordering;

/// Per CAR window, an event day's centred ranks `(event time, U)` (empty without a CAR there).
pub type WindowRanks = Vec<Vec<(i64, f64)>>;

/// No entry of the day at this offset.
const NONE: u32 = u32::MAX;

/// The sorted returns of one series over the span of the current event day, moved from day to day.
pub struct DayRanker<'a> {
    /// The series' returns by trading day.
    r: &'a [Option<f64>],
    /// Offsets of the span from day 0: the estimation window and the event span together.
    lo: i64,
    hi: i64,
    /// `(R_i, i)` for every defined return with `i` in `held`, ascending by `R_i`.
    sorted: Vec<(f64, usize)>,
    /// The trading-day indexes `sorted` holds (inclusive), if any.
    held: Option<(usize, usize)>,
    /// Per offset from the span's first index, the positions of the day's entries there (an
    /// estimation residual and an AR can share a day when a window reaches into the estimation one).
    slots: Vec<[u32; 2]>,
    /// The entries in the order of the pass: `(value, position)`.
    pass: Vec<(f64, usize)>,
}

impl<'a> DayRanker<'a> {
    /// A ranker over the returns `r` for event days ranked with the windows of `p`.
    pub fn new(r: &'a [Option<f64>], p: &StudyParams) -> Self {
        let span = p.event_span();
        DayRanker {
            r,
            lo: p.estimation.start.min(span.start),
            hi: p.estimation.end.max(span.end),
            sorted: Vec::new(),
            held: None,
            slots: Vec::new(),
            pass: Vec::new(),
        }
    }

    /// Per CAR window of `p`, the centred ranks of the event day of `row` (its estimation
    /// `residuals`, `(day index, e_t)`, and the window's ARs); days must come in ascending order.
    pub fn window_ranks(
        &mut self,
        row: &EventRow,
        residuals: &[(usize, f64)],
        p: &StudyParams,
    ) -> WindowRanks {
        let Some(d0) = row.day0 else {
            return vec![Vec::new(); p.windows.len()];
        };
        let flat = row.stats.estimation.is_some_and(|f| f.beta == 0.0);
        if flat {
            self.slide_to(d0);
        }
        p.windows
            .iter()
            .zip(&row.stats.windows)
            .map(|(w, stats)| {
                if stats.is_none() {
                    return Vec::new();
                }
                let est = residuals.iter().map(|(i, e)| (*i as i64 - d0 as i64, *e));
                let ars = row.stats.event_ar.iter().copied();
                let all: Vec<(i64, f64)> = est
                    .chain(ars.filter(|(t, _)| *t >= w.start && *t <= w.end))
                    .collect();
                let read = if flat { self.read_off(d0, &all) } else { None };
                read.unwrap_or_else(|| centred_ranks(&all))
            })
            .collect()
    }

    /// The span of trading-day indexes the event day at `d0` needs.
    fn span_of(&self, d0: usize) -> Option<(usize, usize)> {
        let a = (d0 as i64 + self.lo).max(0) as usize;
        let b = (d0 as i64 + self.hi).min(self.r.len() as i64 - 1);
        (b >= a as i64).then_some((a, b as usize))
    }

    /// Hold the sorted returns of the span of `d0`: drop the days before it and insert the days after
    /// the span held, or sort afresh when many days came in (the spans far apart, or days going
    /// backwards).
    fn slide_to(&mut self, d0: usize) {
        let Some((a, b)) = self.span_of(d0) else {
            self.sorted.clear();
            self.held = None;
            return;
        };
        match self.held {
            // Few days came in: insert them (each a binary search and a short move).
            Some((pa, pb)) if a >= pa && b >= pb && a <= pb && (b - pb) * 8 <= b - a + 1 => {
                self.sorted.retain(|&(_, i)| i >= a);
                for i in pb + 1..=b {
                    if let Some(v) = self.r[i] {
                        let at = self
                            .sorted
                            .partition_point(|x| x.0.total_cmp(&v) != Ordering::Greater);
                        self.sorted.insert(at, (v, i));
                    }
                }
            }
            _ => {
                self.sorted.clear();
                self.sorted.extend((a..=b).filter_map(|i| Some((self.r[i]?, i))));
                self.sorted.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
            }
        }
        self.held = Some((a, b));
    }

    /// The centred ranks of `all` (`(event time, value)` of the day at `d0`, in the caller's order)
    /// read off the sorted returns, or `None` when that order does not sort the values or an entry
    /// has no return in the span held.
    fn read_off(&mut self, d0: usize, all: &[(i64, f64)]) -> Option<Vec<(i64, f64)>> {
        let (a, b) = self.held?;
        self.slots.clear();
        self.slots.resize(b - a + 1, [NONE; 2]);
        for (pos, (t, _)) in all.iter().enumerate() {
            let off = usize::try_from(d0 as i64 + t - a as i64).ok()?;
            let slot = self.slots.get_mut(off)?;
            let free = slot.iter_mut().find(|s| **s == NONE)?;
            *free = pos as u32;
        }
        self.pass.clear();
        let mut last = f64::NEG_INFINITY;
        for &(_, i) in &self.sorted {
            for &pos in &self.slots[i - a] {
                if pos == NONE {
                    continue;
                }
                let v = all[pos as usize].1;
                if v.is_nan() || v < last {
                    return None; // out of order, or not a number: sort instead
                }
                last = v;
                self.pass.push((v, pos as usize));
            }
        }
        if self.pass.len() != all.len() {
            return None;
        }
        let mut out = all.to_vec();
        each_rank(&self.pass, |at, k| out[at].1 = centre(k, all.len()));
        Some(out)
    }
}

#[cfg(test)]
#[path = "day_ranks_tests.rs"]
mod tests;
