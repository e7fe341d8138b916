//! Tests across the N event days of one group, one series and one CAR window ([`super::events`]:
//! statements sharing a day 0 are one event day).
//!
//! Per event day i: `CAR_i`, `SCAR_i` (CAR over its estimation-error-adjusted standard deviation, see
//! [`super::stats`]), `M_i`, K, `p̂_i` (the share of positive estimation residuals) and day 0. Formulas
//! from the methods and inference notes (R EventStudy, estudy2, eventstudy.de), for CARs:
//! - CAAR = mean CAR; cross-sectional `t = √N·mean(CAR)/sd(CAR)`, Student t with N−1 df;
//! - Patell (1976): `Z = Σ SCAR_i / sqrt(Σ Q_i + Σ_{i≠j} ρ_ij·sqrt(Q_i·Q_j))`, `Q_i = (M_i−K)/(M_i−K−2)`,
//!   standard normal, `ρ_ij` the overlap correlation of two event days' windows (zero unless they
//!   share trading days; [`super::events::overlap_pairs`]). Patell assumes the event does not change
//!   the variance: when the SCARs' sample variance is significantly above `Q̄`
//!   (`(N−1)·s²/Q̄` beyond the 95 % point of χ²(N−1)) the cell is left empty with a note;
//! - BMP (Boehmer, Musumeci & Poulsen 1991): `t = √N·mean(SCAR)/sd(SCAR)`, Student t with N−1 df,
//!   treating event days as independent;
//! - csect, BMP and KP need at least two *independent* event days: `N_eff = N / (1 + (N−1)·r̄) ≥ 2`
//!   (the variance of a mean of N SCARs with mean correlation r̄ is that of N_eff independent ones);
//! - Kolari–Pynnönen (2010) for this design: `t_BMP·sqrt((1−r̄)/(1+(N−1)r̄))` with `r̄ = Σ_{i≠j} ρ_ij /
//!   (N(N−1))`, the mean correlation of the event days' SCARs implied by their windows' overlap under
//!   the null (all events are on one series, so their ARs are correlated only through shared days;
//!   correlations of estimation windows, which KP use for firms sharing one calendar date, say nothing
//!   here). It equals BMP when no windows overlap; this is the headline test, Student t with N−1 df;
//! - sign: exact two-sided binomial test of `N⁺` (positive CARs) among the event days with a non-zero
//!   CAR, success probability 1/2; generalized sign (Cowan 1992): the same with `p̂ = mean p̂_i`
//!   ([`super::exact`]); exact at every N;
//! - rank (Corrado 1989, multi-day form of Campbell & Wasley 1993): each event day's estimation
//!   residuals and the window's ARs are ranked together (ties averaged) and centred as
//!   `U = K/(T_i+1) − 1/2`; with `Ū_t` the mean over event days at event time t and `S_U = sqrt(mean_t
//!   Ū_t²)` over the estimation days and the window, `Z = Σ_{t∈window} Ū_t / (√L·S_U)`, standard normal,
//!   reported from [`MIN_RANK_DAYS`] event days (a mean of fewer uniform ranks is far from normal).

use super::events::{mean_overlap, overlap_pairs};
use super::exact::binomial_two_sided;
use super::stats::mean_sd;
use super::stats::two_sided_p;
use statrs::distribution::{ChiSquared, ContinuousCDF, Normal};

/// Event days the rank test needs before its normal approximation is used.
pub const MIN_RANK_DAYS: usize = 10;

/// One event day's inputs.
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
    /// Day 0's index in the series.
    pub day0: usize,
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
    /// Event days, N.
    pub n: usize,
    /// Mean CAR.
    pub caar: Option<f64>,
    /// Cross-sectional t.
    pub csect: Option<Stat>,
    /// Patell Z (with the overlap covariance).
    pub patell: Option<Stat>,
    /// BMP t (event days as independent).
    pub bmp: Option<Stat>,
    /// Mean correlation of the event days' SCARs from window overlap, r̄.
    pub r_overlap: Option<f64>,
    /// Effective number of independent event days, `N / (1 + (N − 1)·r̄)`.
    pub n_eff: Option<f64>,
    /// Kolari–Pynnönen-adjusted BMP t (the headline test).
    pub kp: Option<Stat>,
    /// Sign test: the number of positive CARs and its exact p.
    pub sign: Option<Stat>,
    /// Generalized sign test: p̂ and the exact p of the number of positive CARs.
    pub gsign: Option<Stat>,
    /// Rank test Z.
    pub rank: Option<Stat>,
    /// Why tests are missing.
    pub notes: Vec<String>,
}

/// Two-sided p of a standard normal statistic.
pub fn normal_p(z: f64) -> f64 {
    let n = Normal::new(0.0, 1.0).expect("standard normal");
    super::stats::tidy_p((2.0 * n.sf(z.abs())).min(1.0))
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

/// Run the tests on event days `ev` (distinct day 0s, ascending) for a window of `len` days; `k` is
/// the model's parameter count and `rank` the rank statistic, computed by the caller.
pub fn cross_tests(ev: &[EventObs], k: usize, len: usize, rank: Option<f64>) -> CrossTests {
    let n = ev.len();
    let nf = n as f64;
    let cars: Vec<f64> = ev.iter().map(|e| e.car).collect();
    let scars: Vec<f64> = ev.iter().map(|e| e.scar).collect();
    let day0s: Vec<usize> = ev.iter().map(|e| e.day0).collect();
    let pairs = overlap_pairs(&day0s, len);
    let r_overlap = mean_overlap(n, &pairs);
    let n_eff = r_overlap.map(|r| nf / (1.0 + (nf - 1.0) * r));
    let mut notes = Vec::new();
    // Cross-sectional tests need two independent event days: N = 2 days one trading day apart with
    // [0,1] windows share half their move and count as 1.33.
    let cross_ok = n_eff.is_some_and(|e| e >= 2.0 - 1e-9);
    if n < 2 {
        notes.push(format!(
            "{n} event day: no cross-sectional test (CAAR t, BMP, KP) below 2"
        ));
    } else if !cross_ok {
        notes.push(format!(
            "{n} event days whose windows overlap count as {:.2} independent ones: no cross-sectional \
             test (CAAR t, BMP, KP) below 2",
            n_eff.unwrap_or(0.0)
        ));
    }
    let bmp = t_stat(&scars).filter(|_| cross_ok);
    let rank = match rank.filter(|r| r.is_finite()) {
        Some(z) if n >= MIN_RANK_DAYS => Some(Stat {
            value: z,
            p: normal_p(z),
        }),
        Some(_) => {
            notes.push(format!("rank test needs {MIN_RANK_DAYS} event days"));
            None
        }
        None => None,
    };
    CrossTests {
        n,
        caar: (n > 0).then(|| cars.iter().sum::<f64>() / nf),
        csect: t_stat(&cars).filter(|_| cross_ok),
        patell: patell(ev, k, &pairs, &mut notes),
        kp: bmp.zip(r_overlap).and_then(|(b, r)| {
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
        r_overlap,
        n_eff,
        sign: sign_tests(&cars, 0.5).map(|(pos, p)| Stat { value: pos, p }),
        gsign: generalized_sign(ev, &cars),
        rank,
        notes,
    }
}

/// Patell's Z with the overlap covariance, or `None` (with a note) when the SCARs vary more than the
/// test assumes.
fn patell(ev: &[EventObs], k: usize, pairs: &[(usize, usize, f64)], notes: &mut Vec<String>) -> Option<Stat> {
    let q: Vec<f64> = ev
        .iter()
        .map(|e| (e.m > k + 2).then(|| (e.m - k) as f64 / (e.m - k - 2) as f64))
        .collect::<Option<_>>()?;
    if q.is_empty() {
        return None;
    }
    let scars: Vec<f64> = ev.iter().map(|e| e.scar).collect();
    if let Some((_, sd)) = mean_sd(&scars) {
        let q_bar = q.iter().sum::<f64>() / q.len() as f64;
        let df = (scars.len() - 1) as f64;
        let chi = df * sd * sd / q_bar;
        let p = ChiSquared::new(df).map_or(1.0, |c| c.sf(chi));
        if p < 0.05 {
            notes.push(format!(
                "no Patell Z: SCAR variance {:.2} vs {:.2} expected without an event effect on \
                 variance (χ² p = {p:.2e})",
                sd * sd,
                q_bar
            ));
            return None;
        }
    }
    let var = q.iter().sum::<f64>()
        + 2.0
            * pairs
                .iter()
                .map(|(i, j, rho)| rho * (q[*i] * q[*j]).sqrt())
                .sum::<f64>();
    let z = scars.iter().sum::<f64>() / var.sqrt();
    Some(Stat {
        value: z,
        p: normal_p(z),
    })
}

/// `(N⁺, exact p)` of the CARs' signs against success probability `p`; zero CARs are dropped.
fn sign_tests(cars: &[f64], p: f64) -> Option<(f64, f64)> {
    let pos = cars.iter().filter(|c| **c > 0.0).count() as u64;
    let n = cars.iter().filter(|c| **c != 0.0).count() as u64;
    (n > 0).then(|| (pos as f64, binomial_two_sided(pos, n, p)))
}

/// Cowan's generalized sign test, exact: `(p̂, p)`.
fn generalized_sign(ev: &[EventObs], cars: &[f64]) -> Option<Stat> {
    let p_hat = ev.iter().map(|e| e.positive_share).sum::<f64>() / ev.len().max(1) as f64;
    if !(p_hat > 0.0 && p_hat < 1.0) {
        return None;
    }
    sign_tests(cars, p_hat).map(|(_, p)| Stat { value: p_hat, p })
}

/// Average ranks (1-based, ties averaged) of `x`: statrs' `Data::ranks(RankTieBreaker::Average)`
/// (the test's reference), here with an unstable sort of (value, position) pairs, which the rank
/// test's per-event ranking spent most of its time in; a tie's average does not depend on the order
/// within it. Every value oilcorr ranks is finite (returns of positive prices, residuals and CARs
/// built from them); values compare as `partial_cmp` does (`-0.0` ties `0.0`, as in statrs).
pub fn ranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<(f64, usize)> = x.iter().copied().zip(0..).collect();
    order.sort_unstable_by(|a, b| a.0.partial_cmp(&b.0).expect("finite values are ranked"));
    let mut out = vec![0.0; x.len()];
    each_rank(&order, |at, k| out[at] = k);
    out
}

/// `put(position, K)` with the average rank K (1-based, ties averaged) of every `(value, position)`
/// pair of `sorted`, in ascending order of value: a tie holds the ranks below+1 ..= below+len and
/// gets their average.
pub(crate) fn each_rank(sorted: &[(f64, usize)], mut put: impl FnMut(usize, f64)) {
    let mut below = 0;
    for tie in sorted.chunk_by(|a, b| a.0 == b.0) {
        let average = below as f64 + (tie.len() as f64 + 1.0) / 2.0;
        for (_, at) in tie {
            put(*at, average);
        }
        below += tie.len();
    }
}

/// Rank `k` of `t` values centred: `U = K/(T+1) − 1/2`.
#[inline]
pub(crate) fn centre(k: f64, t: usize) -> f64 {
    k / (t as f64 + 1.0) - 0.5
}

/// One event's ARs by event time, replaced by their centred ranks `U = K/(T+1) − 1/2` (ties averaged).
pub fn centred_ranks(ev: &[(i64, f64)]) -> Vec<(i64, f64)> {
    let vals: Vec<f64> = ev.iter().map(|p| p.1).collect();
    ev.iter()
        .zip(ranks(&vals))
        .map(|((o, _), k)| (*o, centre(k, ev.len())))
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
