//! Intraday moves across statements: per series and window, did the statements' windows move more
//! than the same clock windows of their previous days?
//!
//! For statement `i` with event return `R_i` and baseline returns `R_i1..R_in`:
//! - `AR_i = R_i − mean_i` and `t_i = AR_i / sd_i` (from [`super::intraday::versus`]);
//! - **mean AR** over the `N` statements, and `N⁺`, how many ARs are positive;
//! - **standardised cross-section** (Boehmer, Musumeci & Poulsen 1991, as for daily windows):
//!   `z = mean(t_i) / (sd(t_i) / √N)`, p from Student's t with `N − 1` degrees of freedom; needs
//!   `N ≥ 2`;
//! - **randomization p** (exact, distribution-free): `S = Σ_i (R_i − M_i) / D_i` with `M_i`, `D_i` the
//!   mean and standard deviation of statement `i`'s `n_i + 1` windows (event and baseline, a symmetric
//!   function of them). Under no effect each statement's event window is exchangeable with its baseline
//!   windows, so drawing for every statement one of its windows at random gives `S`'s null
//!   distribution: `p = (1 + #{|S*| ≥ |S|}) / (B + 1)` over `B` seeded draws. This is the placebo
//!   idea of the single-statement p carried across statements; it holds its size whatever the
//!   distribution of intraday returns (checked by simulation in the tests). Statements within one
//!   window of each other share their move: read the windows before reading the p.

use super::intraday::IntradayRow;
use super::stats::two_sided_p;

/// One series × window across statements.
#[derive(Debug, Clone, PartialEq)]
pub struct IntradayGroup {
    /// Statements with an event return and at least two baseline windows.
    pub n: usize,
    /// Mean abnormal return.
    pub mean_ar: f64,
    /// Statements with a positive abnormal return.
    pub n_pos: usize,
    /// Standardised cross-sectional statistic and its p (`N ≥ 2`).
    pub bmp: Option<(f64, f64)>,
    /// Randomization p.
    pub randomization_p: f64,
}

/// Randomization draws.
pub const DRAWS: usize = 9_999;

/// The group statistics of `rows` (one series, one window); `None` without a usable statement.
pub fn group(rows: &[&IntradayRow<'_>], seed: u64) -> Option<IntradayGroup> {
    let used: Vec<(&IntradayRow<'_>, f64)> = rows
        .iter()
        .filter_map(|r| Some((*r, r.event.as_ref().ok()?.ret)))
        .filter(|(r, _)| r.versus.is_some())
        .collect();
    if used.is_empty() {
        return None;
    }
    let ars: Vec<f64> = used.iter().filter_map(|(r, _)| Some(r.versus?.ar)).collect();
    let ts: Vec<f64> = used.iter().filter_map(|(r, _)| r.versus?.t).collect();
    let n = ars.len();
    let windows: Vec<Vec<f64>> = used
        .iter()
        .map(|(r, e)| std::iter::once(*e).chain(r.baseline.iter().copied()).collect())
        .collect();
    Some(IntradayGroup {
        n,
        mean_ar: ars.iter().sum::<f64>() / n as f64,
        n_pos: ars.iter().filter(|a| **a > 0.0).count(),
        bmp: bmp(&ts),
        randomization_p: randomization_p(&windows, DRAWS, seed),
    })
}

/// BMP's `z` and its p from the standardised ARs `ts`.
pub fn bmp(ts: &[f64]) -> Option<(f64, f64)> {
    let (mean, sd) = super::stats::mean_sd(ts)?;
    let n = ts.len() as f64;
    (ts.len() >= 2 && sd > 0.0).then(|| {
        let z = mean / (sd / n.sqrt());
        (z, two_sided_p(z, n - 1.0))
    })
}

/// The randomization p of the event windows, each statement's windows given event first.
pub fn randomization_p(windows: &[Vec<f64>], draws: usize, seed: u64) -> f64 {
    let scaled: Vec<Vec<f64>> = windows.iter().map(|w| standardised(w)).collect();
    let observed: f64 = scaled.iter().map(|w| w[0]).sum::<f64>().abs();
    let mut rng = fastrand::Rng::with_seed(seed);
    let as_far = (0..draws)
        .filter(|_| {
            let s: f64 = scaled.iter().map(|w| w[rng.usize(..w.len())]).sum();
            s.abs() >= observed - 1e-12 * observed.max(1.0)
        })
        .count();
    (1 + as_far) as f64 / (draws + 1) as f64
}

/// `w` centred on its mean and divided by its standard deviation (all zeros when it has none).
fn standardised(w: &[f64]) -> Vec<f64> {
    match super::stats::mean_sd(w) {
        Some((m, sd)) if sd > 0.0 => w.iter().map(|x| (x - m) / sd).collect(),
        _ => vec![0.0; w.len()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // t = 1, 2, 3: mean 2, sd 1, z = 2·√3.
        let (z, p) = bmp(&[1.0, 2.0, 3.0]).unwrap();
        assert!((z - 2.0 * 3f64.sqrt()).abs() < 1e-12);
        assert!((p - two_sided_p(z, 2.0)).abs() < 1e-15);
        assert!(bmp(&[1.0]).is_none());
        // One statement, windows [3, 0, 0, 0]: only the event window reaches |S| = max, so
        // p ≈ 1/4 (drawing the event window) with 9,999 draws.
        let p = randomization_p(&[vec![3.0, 0.0, 0.0, 0.0]], 9_999, 7);
        assert!((p - 0.25).abs() < 0.02, "{p}");
    }

    fn normal(rng: &mut fastrand::Rng) -> f64 {
        let u = 1.0 - rng.f64();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * rng.f64()).cos()
    }

    #[test]
    fn both_tests_hold_their_size_with_heavy_tailed_returns() {
        // 12 statements, 20 baseline days each, Student-t(3) returns, no effect: 1,000 replicates.
        let mut rng = fastrand::Rng::with_seed(2026);
        let t3 = |rng: &mut fastrand::Rng| {
            let chi2: f64 = (0..3).map(|_| normal(rng).powi(2)).sum();
            normal(rng) / (chi2 / 3.0).sqrt()
        };
        let (reps, mut bmp_rej, mut rand_rej) = (1_000, 0, 0);
        for rep in 0..reps {
            let windows: Vec<Vec<f64>> = (0..12)
                .map(|_| (0..21).map(|_| 0.001 * t3(&mut rng)).collect())
                .collect();
            let ts: Vec<f64> = windows
                .iter()
                .map(|w| super::super::intraday::versus(w[0], &w[1..]).unwrap().t.unwrap())
                .collect();
            bmp_rej += usize::from(bmp(&ts).unwrap().1 <= 0.05);
            rand_rej += usize::from(randomization_p(&windows, 199, rep) <= 0.05);
        }
        let (b, r) = (bmp_rej as f64 / reps as f64, rand_rej as f64 / reps as f64);
        // Binomial sd at 5 % over 1,000: 0.7 %; allow three, and a little for BMP's t approximation.
        assert!((0.025..=0.075).contains(&b), "BMP rejected {b}");
        assert!((0.029..=0.071).contains(&r), "randomization rejected {r}");
    }
}
