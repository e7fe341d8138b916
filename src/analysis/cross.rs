//! Tests across N events of one group, one series and one CAR window.
//!
//! Per event i: `CAR_i`, `SCAR_i` (CAR over its estimation-error-adjusted standard deviation, see
//! [`super::stats`]), `M_i`, K, and `p̂_i`, the share of positive estimation residuals. Formulas from the
//! methods notes (R EventStudy, estudy2, eventstudy.de), for CARs:
//! - CAAR = mean CAR; cross-sectional `t = √N·mean(CAR)/sd(CAR)`, Student t with N−1 df;
//! - Patell (1976): `Z = Σ SCAR_i / sqrt(Σ Q_i)`, `Q_i = (M_i−K)/(M_i−K−2)`, standard normal;
//! - BMP (Boehmer, Musumeci & Poulsen 1991): `t = √N·mean(SCAR)/sd(SCAR)`, Student t with N−1 df;
//! - Kolari–Pynnönen (2010): `t_BMP·sqrt((1−r̄)/(1+(N−1)r̄))`, r̄ the mean pairwise correlation of the
//!   events' estimation residuals. All events here are on one series, so two events share residuals only
//!   on the trading days their estimation windows have in common; a pair's correlation is taken over the
//!   union of their days with zero outside each window, `r_ij = Σ_common e_i·e_j / sqrt(Σ e_i² · Σ e_j²)`
//!   (residuals have mean ≈ 0), so events a year apart count as uncorrelated and overlapping ones as
//!   correlated in proportion to the overlap (computed on at most 100 events, evenly spaced);
//! - sign: `Z = (N⁺ − N/2)/(√N/2)`; generalized sign (Cowan 1992): `Z = (N⁺ − N·p̂)/sqrt(N·p̂(1−p̂))`,
//!   p̂ the mean of `p̂_i`; both standard normal;
//! - rank (Corrado 1989, multi-day form of Campbell & Wasley 1993): each event's ARs over estimation and
//!   event windows are ranked (ties averaged) and centred as `U = K/(T_i+1) − 1/2`; with `Ū_t` the mean
//!   over events at event time t and `S_U = sqrt(mean_t Ū_t²)` over all event times,
//!   `Z = Σ_{t∈window} Ū_t / (√L·S_U)`, standard normal.

use super::stats::mean_sd;
use super::stats::two_sided_p;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::statistics::{Data, OrderStatistics, RankTieBreaker};

/// One event's inputs.
#[derive(Debug, Clone, PartialEq)]
pub struct EventObs {
    /// Cumulative abnormal return over the window.
    pub car: f64,
    /// Standardized CAR (estimation-error-adjusted t of the CAR).
    pub scar: f64,
    /// Estimation days, M.
    pub m: usize,
    /// Share of positive estimation residuals.
    pub positive_share: f64,
}

/// A statistic with its p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stat {
    /// The statistic.
    pub value: f64,
    /// Two-sided p-value.
    pub p: f64,
}

/// The cross-event tests of one group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrossTests {
    /// Events, N.
    pub n: usize,
    /// Mean CAR.
    pub caar: Option<f64>,
    /// Cross-sectional t.
    pub csect: Option<Stat>,
    /// Patell Z.
    pub patell: Option<Stat>,
    /// BMP t.
    pub bmp: Option<Stat>,
    /// Kolari–Pynnönen-adjusted BMP t.
    pub kp: Option<Stat>,
    /// Sign test Z.
    pub sign: Option<Stat>,
    /// Generalized sign Z.
    pub gsign: Option<Stat>,
    /// Rank test Z.
    pub rank: Option<Stat>,
}

/// Two-sided p of a standard normal statistic.
pub fn normal_p(z: f64) -> f64 {
    let n = Normal::new(0.0, 1.0).expect("standard normal");
    (2.0 * n.sf(z.abs())).min(1.0)
}

fn t_stat(x: &[f64]) -> Option<Stat> {
    let (m, sd) = mean_sd(x)?;
    (sd > 0.0).then(|| {
        let t = (x.len() as f64).sqrt() * m / sd;
        Stat {
            value: t,
            p: two_sided_p(t, (x.len() - 1) as f64),
        }
    })
}

/// Run the tests; `k` is the model's parameter count, `rbar` the mean residual cross-correlation and
/// `rank` the rank statistic, both computed by the caller when available.
pub fn cross_tests(ev: &[EventObs], k: usize, rbar: Option<f64>, rank: Option<f64>) -> CrossTests {
    let n = ev.len();
    let cars: Vec<f64> = ev.iter().map(|e| e.car).collect();
    let scars: Vec<f64> = ev.iter().map(|e| e.scar).collect();
    let bmp = t_stat(&scars);
    let nf = n as f64;
    let pos = cars.iter().filter(|c| **c > 0.0).count() as f64;
    let q: Option<f64> = ev
        .iter()
        .map(|e| (e.m > k + 2).then(|| (e.m - k) as f64 / (e.m - k - 2) as f64))
        .sum();
    let p_hat = ev.iter().map(|e| e.positive_share).sum::<f64>() / nf;
    let z = |v: f64| Stat {
        value: v,
        p: normal_p(v),
    };
    CrossTests {
        n,
        caar: (n > 0).then(|| cars.iter().sum::<f64>() / nf),
        csect: t_stat(&cars),
        patell: q
            .filter(|q| *q > 0.0 && n > 0)
            .map(|q| z(scars.iter().sum::<f64>() / q.sqrt())),
        kp: bmp.zip(rbar).and_then(|(b, r)| {
            let f = (1.0 - r) / (1.0 + (nf - 1.0) * r);
            (f > 0.0).then(|| {
                let t = b.value * f.sqrt();
                Stat {
                    value: t,
                    p: two_sided_p(t, nf - 1.0),
                }
            })
        }),
        bmp,
        sign: (n > 0).then(|| z((pos - 0.5 * nf) / (0.5 * nf.sqrt()))),
        gsign: (n > 0 && p_hat > 0.0 && p_hat < 1.0)
            .then(|| z((pos - nf * p_hat) / (nf * p_hat * (1.0 - p_hat)).sqrt())),
        rank: rank.filter(|r| r.is_finite()).map(z),
    }
}

/// Events whose residuals enter Kolari–Pynnönen's mean correlation, at most: the pairwise sum is
/// quadratic, and 100 events (4,950 pairs) estimate a mean correlation well.
pub const KP_SAMPLE: usize = 100;

/// At most `max` of `items`, taken evenly (every `ceil(len/max)`-th, from the first).
pub fn sample_evenly<T: Copy>(items: &[T], max: usize) -> Vec<T> {
    let step = items.len().div_ceil(max.max(1)).max(1);
    items.iter().step_by(step).copied().collect()
}

/// Mean pairwise correlation of residual series keyed by day index, each sorted by day (zero outside
/// each series), over every pair: callers sample large groups first ([`sample_evenly`], [`KP_SAMPLE`]).
pub fn mean_cross_correlation(picked: &[&[(usize, f64)]]) -> Option<f64> {
    // Each series' sum of squares once, not once per pair.
    let norms: Vec<f64> = picked.iter().map(|a| a.iter().map(|p| p.1 * p.1).sum()).collect();
    let mut sum = 0.0;
    let mut count = 0usize;
    for i in 0..picked.len() {
        for j in i + 1..picked.len() {
            if norms[i] > 0.0 && norms[j] > 0.0 {
                sum += shared_product(picked[i], picked[j]) / (norms[i] * norms[j]).sqrt();
                count += 1;
            }
        }
    }
    (count > 0).then(|| sum / count as f64)
}

/// `Σ a_t·b_t` over the days both series have, by a merge; series whose day ranges do not meet (most
/// pairs of events years apart) share nothing and are skipped at once.
fn shared_product(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let (Some(af), Some(al), Some(bf), Some(bl)) = (a.first(), a.last(), b.first(), b.last()) else {
        return 0.0;
    };
    if al.0 < bf.0 || bl.0 < af.0 {
        return 0.0;
    }
    let (mut i, mut j, mut cross) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                cross += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    cross
}

/// Average ranks (1-based, ties averaged) of `x`, by statrs. Every value oilcorr ranks is finite
/// (returns of positive prices, residuals and CARs built from them).
pub fn ranks(x: &[f64]) -> Vec<f64> {
    Data::new(x.to_vec()).ranks(RankTieBreaker::Average)
}

/// One event's ARs by event time, replaced by their centred ranks `U = K/(T+1) − 1/2` (ties averaged).
pub fn centred_ranks(ev: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let vals: Vec<f64> = ev.iter().map(|p| p.1).collect();
    let t = vals.len() as f64;
    ev.iter()
        .zip(ranks(&vals))
        .map(|((o, _), k)| (*o, k / (t + 1.0) - 0.5))
        .collect()
}

/// Running sums of centred ranks by event time over a fixed span, so events can be added one at a time
/// and dropped (no per-event ranks kept); [`RankAcc::statistic`] is Corrado's multi-day statistic.
#[derive(Debug, Clone)]
pub struct RankAcc {
    lo: i64,
    sum: Vec<f64>,
    count: Vec<usize>,
}

impl RankAcc {
    /// An empty accumulator for event times `lo..=hi`.
    pub fn new(lo: i64, hi: i64) -> Self {
        let n = (hi - lo + 1).max(0) as usize;
        RankAcc {
            lo,
            sum: vec![0.0; n],
            count: vec![0; n],
        }
    }

    /// Add one event's centred ranks `(event time, U)`; times outside the span are ignored.
    pub fn add(&mut self, ranks: &[(i64, f64)]) {
        for (t, u) in ranks {
            // A time before `lo` wraps to a huge index and is skipped like one after `hi`.
            let k = t.wrapping_sub(self.lo) as usize;
            if let (Some(s), Some(c)) = (self.sum.get_mut(k), self.count.get_mut(k)) {
                *s += u;
                *c += 1;
            }
        }
    }

    /// The multi-day rank statistic for the window `[a, b]`: the window's mean centred ranks summed,
    /// over `√L · S_U`, with `S_U` from the mean ranks of every event time with an observation
    /// (Corrado 1989; Campbell and Wasley 1993 for the multi-day form).
    pub fn statistic(&self, a: i64, b: i64) -> Option<f64> {
        let means: Vec<(i64, f64)> = (0..self.sum.len())
            .filter(|k| self.count[*k] > 0)
            .map(|k| (self.lo + k as i64, self.sum[k] / self.count[k] as f64))
            .collect();
        let s_u = (means.iter().map(|m| m.1 * m.1).sum::<f64>() / means.len().max(1) as f64).sqrt();
        let window: Vec<f64> = means
            .iter()
            .filter(|m| m.0 >= a && m.0 <= b)
            .map(|m| m.1)
            .collect();
        (s_u > 0.0 && window.len() as i64 == b - a + 1)
            .then(|| window.iter().sum::<f64>() / ((window.len() as f64).sqrt() * s_u))
    }
}

/// The multi-day rank statistic for the window `[a, b]` from events' centred ranks ([`centred_ranks`]).
pub fn rank_from_centred(events: &[&[(i64, f64)]], a: i64, b: i64) -> Option<f64> {
    let lo = events.iter().flat_map(|e| e.first().map(|p| p.0)).min()?;
    let hi = events.iter().flat_map(|e| e.last().map(|p| p.0)).max()?;
    let mut acc = RankAcc::new(lo, hi);
    for ev in events {
        acc.add(ev);
    }
    acc.statistic(a, b)
}

/// The multi-day rank statistic for the window `[a, b]`; each event gives its ARs by event time
/// (estimation residuals and event-window ARs together, ascending in time).
pub fn rank_statistic(events: &[Vec<(i64, f64)>], a: i64, b: i64) -> Option<f64> {
    let centred: Vec<Vec<(i64, f64)>> = events.iter().map(|e| centred_ranks(e)).collect();
    let refs: Vec<&[(i64, f64)]> = centred.iter().map(Vec::as_slice).collect();
    rank_from_centred(&refs, a, b)
}

#[cfg(test)]
#[path = "cross_tests.rs"]
mod tests;
