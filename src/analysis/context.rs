//! The per-series context of the event statistics: the benchmark's returns on the series' trading
//! days and the days excluded from estimation, shared by every event of the series.

use super::stats::{EventInput, StudyParams};
use super::PreparedSeries;
use chrono::NaiveDate;

/// What the statistics of one series need besides day 0: the benchmark's returns on the series'
/// trading days (for the market models) and the days excluded from estimation.
#[derive(Debug, Clone)]
pub struct SeriesContext {
    rm: Option<Vec<Option<f64>>>,
    benchmark: Option<&'static str>,
    excluded: Vec<bool>,
    rolls: Vec<usize>,
}

impl SeriesContext {
    pub(crate) fn new(
        s: &PreparedSeries,
        bench: Option<&PreparedSeries>,
        days: &[Option<usize>],
        p: &StudyParams,
    ) -> Self {
        let rm = bench.filter(|_| p.model.needs_benchmark()).map(|b| {
            let by_date: std::collections::HashMap<NaiveDate, Option<f64>> = b
                .prices
                .dates()
                .iter()
                .copied()
                .zip(b.returns.of(p.returns).iter().copied())
                .collect();
            s.prices
                .dates()
                .iter()
                .map(|d| by_date.get(d).copied().flatten())
                .collect()
        });
        let mut excluded = vec![false; s.prices.len()];
        if p.exclude_events {
            let span = p.event_span();
            for d in days.iter().flatten() {
                let lo = (*d as i64 + span.start).max(0) as usize;
                let hi = ((*d as i64 + span.end).max(0) as usize).min(excluded.len().saturating_sub(1));
                excluded[lo..=hi].iter_mut().for_each(|x| *x = true);
            }
        }
        // A continuous front-month series (no contracts in the data) switches contract on its roll
        // days: their returns mix two contracts.
        let rolls = match s.prices.rolls().is_empty() {
            true => crate::prices::expiry::roll_days(s.prices.id(), s.prices.dates()),
            false => vec![],
        };
        if p.exclude_rolls {
            rolls.iter().for_each(|&i| excluded[i] = true);
        }
        let benchmark = bench.map(|b| b.prices.id().label());
        SeriesContext {
            rm,
            benchmark,
            excluded,
            rolls,
        }
    }

    /// Roll days (indices) within `[lo, hi]`: days whose return mixes two contracts.
    pub(crate) fn rolls_within(&self, lo: i64, hi: i64) -> impl Iterator<Item = usize> + '_ {
        self.rolls
            .iter()
            .copied()
            .filter(move |&i| (lo..=hi).contains(&(i as i64)))
    }

    /// The inputs of the event at `day0` on `s`.
    pub(crate) fn input<'a>(
        &'a self,
        s: &'a PreparedSeries,
        params: &StudyParams,
        day0: usize,
        seed: u64,
    ) -> EventInput<'a> {
        EventInput {
            r: s.returns.of(params.returns),
            rm: self.rm.as_deref(),
            benchmark: self.benchmark,
            day0,
            excluded: &self.excluded,
            seed,
        }
    }
}
