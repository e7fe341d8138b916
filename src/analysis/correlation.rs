//! Do statements move prices the way they push them? Stance (+1 up, −1 down) against CAR.
//!
//! Counted over event days ([`super::events`]): a day whose statements push both ways is left out.
//! - Hit rate: share of stance-labelled event days whose CAR has the stance's sign (a CAR of exactly 0 is a
//!   miss), with an exact two-sided binomial p-value under H0: hit probability 1/2,
//!   `p = min(1, 2·min(P(X ≤ h), P(X ≥ h)))`, X ~ Binomial(n, 1/2).
//! - Pearson (point-biserial, as stance is binary) and Spearman correlation of stance with CAR, each with a
//!   95 % interval from Fisher's z: `z = atanh(r) ± 1.96·se`, `se = 1/sqrt(n−3)` for Pearson and
//!   `sqrt(1.06/(n−3))` for Spearman (Fieller, Hartley & Pearson 1957); needs n ≥ 4. Pearson's p-value is
//!   a studentized permutation p for groups with fewer than 30 event days on either side, and Welch's t
//!   test for larger ones ([`super::permutation::stance_p`]): the pooled t approximation over-rejected on
//!   small groups of fat-tailed CARs. Spearman's tests ρ = 0 with `t = r·sqrt((n−2)/(1−r²))`, Student t with n−2 df
//!   (the usual approximation; ranks have no tails).

use super::cross::ranks;
use super::permutation::stance_p;

/// Pearson correlation of `(x, y)` pairs; `None` if either side is constant or n < 3.
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let n = pairs.len() as f64;
    if pairs.len() < 3 {
        return None;
    }
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let syy: f64 = pairs.iter().map(|p| (p.1 - my).powi(2)).sum();
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// Spearman's rho: Pearson on average ranks.
pub fn spearman(pairs: &[(f64, f64)]) -> Option<f64> {
    let rx = ranks(&pairs.iter().map(|p| p.0).collect::<Vec<_>>());
    let ry = ranks(&pairs.iter().map(|p| p.1).collect::<Vec<_>>());
    pearson(&rx.into_iter().zip(ry).collect::<Vec<_>>())
}

/// A correlation with its 95 % Fisher-z interval and p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// The estimate.
    pub r: f64,
    /// Two-sided p-value of ρ = 0.
    pub p: f64,
    /// Lower bound.
    pub lo: f64,
    /// Upper bound.
    pub hi: f64,
}

/// The 95 % interval of `r` from `n` pairs with Fisher-z standard error `sqrt(c/(n−3))`.
pub fn fisher_interval(r: f64, n: usize, c: f64) -> Option<Interval> {
    if n < 4 {
        return None;
    }
    if r.abs() >= 1.0 {
        return Some(Interval {
            r,
            p: 0.0,
            lo: r,
            hi: r,
        });
    }
    let t = r * ((n - 2) as f64 / (1.0 - r * r)).sqrt();
    let p = super::stats::two_sided_p(t, (n - 2) as f64);
    let z = r.atanh();
    let se = (c / (n - 3) as f64).sqrt();
    Some(Interval {
        r,
        p,
        lo: (z - super::stats::z975() * se).tanh(),
        hi: (z + super::stats::z975() * se).tanh(),
    })
}

/// Exact two-sided binomial p-value of `h` successes in `n` trials with probability 1/2
/// ([`super::exact::binomial_two_sided`]).
pub fn binomial_p(h: usize, n: usize) -> f64 {
    super::exact::binomial_two_sided(h as u64, n as u64, 0.5)
}

/// The stance-versus-CAR answer for one group.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StanceFit {
    /// Events with a stance and a CAR.
    pub n: usize,
    /// Events whose CAR has the stance's sign.
    pub hits: usize,
    /// Exact binomial p of the hits.
    pub hit_p: Option<f64>,
    /// Pearson (point-biserial) with interval.
    pub pearson: Option<Interval>,
    /// Spearman with interval.
    pub spearman: Option<Interval>,
}

/// Evaluate `(stance, car)` pairs, stance being +1 or −1.
pub fn stance_fit(pairs: &[(f64, f64)]) -> StanceFit {
    let n = pairs.len();
    let hits = pairs.iter().filter(|(s, c)| s * c > 0.0).count();
    let up: Vec<bool> = pairs.iter().map(|p| p.0 > 0.0).collect();
    let cars: Vec<f64> = pairs.iter().map(|p| p.1).collect();
    StanceFit {
        n,
        hits,
        hit_p: (n > 0).then(|| binomial_p(hits, n)),
        pearson: pearson(pairs)
            .and_then(|r| fisher_interval(r, n, 1.0))
            .map(|i| Interval {
                p: stance_p(&up, &cars).unwrap_or(i.p),
                ..i
            }),
        spearman: spearman(pairs).and_then(|r| fisher_interval(r, n, 1.06)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binomial_by_hand() {
        // n = 10, h = 8: P(X ≥ 8) = (45 + 10 + 1)/1024 = 56/1024 → p = 112/1024.
        assert!((binomial_p(8, 10) - 112.0 / 1024.0).abs() < 1e-12);
        assert!((binomial_p(5, 10) - 1.0).abs() < 1e-12);
        // n = 3, h = 0: P(X ≤ 0) = 1/8 → p = 1/4.
        assert!((binomial_p(0, 3) - 0.25).abs() < 1e-12);
    }

    #[test]
    fn point_biserial_and_spearman_by_hand() {
        // Stance +1, +1, −1, −1 with CAR 0.03, 0.01, −0.02, 0.00:
        // mean stance 0, mean CAR 0.005; Sxy = 0.025 + 0.005 + 0.025 + 0.005 = 0.06; Sxx = 4;
        // Syy = 0.000625 + 0.000025 + 0.000625 + 0.000025 = 0.0013 → r = 0.06/sqrt(0.0052).
        let pairs = [(1.0, 0.03), (1.0, 0.01), (-1.0, -0.02), (-1.0, 0.0)];
        let f = stance_fit(&pairs);
        assert_eq!(
            (f.n, f.hits),
            (4, 3),
            "two ups rose, one down fell, one down was flat"
        );
        let want = 0.06 / 0.0052f64.sqrt();
        let p = f.pearson.unwrap();
        assert!((p.r - want).abs() < 1e-12);
        let z = want.atanh();
        assert!((p.lo - (z - 1.959_963_985).tanh()).abs() < 1e-9, "se = 1/sqrt(1)");
        // Permutation p: of the 6 ways to label two of the four CARs "up", |Σ_up − 2·0.005| is 0.03 for
        // {0.03, 0.01} (observed) and {−0.02, 0.00}, less for the other four → p = 2/6.
        assert!((p.p - 2.0 / 6.0).abs() < 1e-12);
        // Ranks: stance (3.5, 3.5, 1.5, 1.5), CAR (4, 3, 1, 2) → Pearson on ranks = 4/sqrt(4·5) = 0.894427...
        assert!((f.spearman.unwrap().r - 4.0 / 20f64.sqrt()).abs() < 1e-12);
    }
}
