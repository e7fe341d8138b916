//! Exact binomial tests, for the sign tests across event days and the stance hit rate.
//!
//! Two-sided p-value of `k` successes in `n` trials with success probability `p`: the probability of
//! every outcome as likely as or less likely than `k`, `Σ_{j: P(j) ≤ P(k)(1 + 1e-7)} P(j)` (the rule of
//! R's `binom.test` and scipy's `binomtest`; the relative tolerance keeps outcomes of equal probability
//! from being split by rounding). For `p = 1/2` this is `min(1, 2·min(P(X ≤ k), P(X ≥ k)))`.
//! Exact tails need no minimum sample: with 5 or fewer event days no two-sided p below 0.0625 exists,
//! and the test says so by never rejecting, where a normal approximation would.

use statrs::distribution::{Binomial, Discrete};

/// Exact two-sided binomial p-value of `k` successes in `n` trials with success probability `p`
/// (`p` in (0, 1)); 1 when `n = 0`.
pub fn binomial_two_sided(k: u64, n: u64, p: f64) -> f64 {
    if n == 0 || !(p > 0.0 && p < 1.0) {
        return 1.0;
    }
    let x = Binomial::new(p, n).expect("0 < p < 1");
    let limit = x.pmf(k.min(n)) * (1.0 + 1e-7);
    let total: f64 = (0..=n).map(|j| x.pmf(j)).filter(|q| *q <= limit).sum();
    super::stats::tidy_p(total.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fair_coin_by_hand() {
        // n = 10, k = 8: P(X ≥ 8) = (45 + 10 + 1)/1024 → p = 112/1024.
        assert!((binomial_two_sided(8, 10, 0.5) - 112.0 / 1024.0).abs() < 1e-12);
        assert!((binomial_two_sided(5, 10, 0.5) - 1.0).abs() < 1e-12);
        // One event day: whatever its sign, p = 1 (a normal approximation gives 0.317).
        assert_eq!(binomial_two_sided(1, 1, 0.5), 1.0);
        // Five days all positive: 2/32, the smallest p five days can give.
        assert!((binomial_two_sided(5, 5, 0.5) - 0.0625).abs() < 1e-15);
    }

    #[test]
    fn no_float_noise() {
        // n = 5, k = 4: (5 + 1) · 2 / 32 = 0.375 exactly, and n = 6, k = 5: 14/64 = 0.21875.
        assert_eq!(binomial_two_sided(4, 5, 0.5), 0.375);
        assert_eq!(binomial_two_sided(5, 6, 0.5), 0.21875);
        // 11/16, which the plain sum gave as 0.6875000000000001.
        assert_eq!(binomial_two_sided(3, 6, 0.5), 1.0);
        assert_eq!(binomial_two_sided(2, 6, 0.5), 0.6875);
    }

    #[test]
    fn unequal_probability_by_hand() {
        // n = 3, p = 0.2: P = 0.512, 0.384, 0.096, 0.008. k = 2: P(2) = 0.096 → 0.096 + 0.008.
        assert!((binomial_two_sided(2, 3, 0.2) - 0.104).abs() < 1e-12);
        // k = 0 is the likeliest outcome: every outcome is as or less likely → 1.
        assert!((binomial_two_sided(0, 3, 0.2) - 1.0).abs() < 1e-12);
        // k = 1: P(1) = 0.384 → 0.384 + 0.096 + 0.008 = 0.488.
        assert!((binomial_two_sided(1, 3, 0.2) - 0.488).abs() < 1e-12);
    }

    #[test]
    fn matches_the_research_notes() {
        // Computed with scipy.stats.binomtest (inference notes §2): N = 12, N⁺ = 10, p = 1/2: 0.0386;
        // p̂ = 0.52: 0.0404.
        assert!((binomial_two_sided(10, 12, 0.5) - 0.0386).abs() < 5e-5);
        assert!((binomial_two_sided(10, 12, 0.52) - 0.0404).abs() < 5e-5);
    }
}
