//! Multiple-testing corrections for many groups × windows tested at once.
//!
//! - Holm (1979) step-down: sort p ascending; `p_(i)·(m − i + 1)` made monotone non-decreasing, capped at 1.
//! - Benjamini–Hochberg (1995) step-up: sort p ascending; `p_(i)·m/i` made monotone non-increasing from
//!   the largest, capped at 1. Controls the false discovery rate.

/// Holm-adjusted p-values, in the input order.
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut idx: Vec<usize> = (0..m).collect();
    idx.sort_by(|a, b| p[*a].total_cmp(&p[*b]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 0.0;
    for (rank, &i) in idx.iter().enumerate() {
        running = running.max(p[i] * (m - rank) as f64).min(1.0);
        out[i] = running;
    }
    out
}

/// Benjamini–Hochberg-adjusted p-values, in the input order.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut idx: Vec<usize> = (0..m).collect();
    idx.sort_by(|a, b| p[*a].total_cmp(&p[*b]));
    let mut out = vec![0.0; m];
    let mut running: f64 = 1.0;
    for (rank, &i) in idx.iter().enumerate().rev() {
        running = running.min(p[i] * m as f64 / (rank + 1) as f64).min(1.0);
        out[i] = running;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holm_and_bh_by_hand() {
        // p = 0.01, 0.04, 0.03, 0.005 (m = 4). Sorted: 0.005, 0.01, 0.03, 0.04.
        // Holm: 0.02, 0.03, max(0.03, 0.06) = 0.06, max(0.06, 0.04) = 0.06.
        // BH: 0.04·4/4 = 0.04; 0.03·4/3 = 0.04; 0.01·4/2 = 0.02; 0.005·4/1 = 0.02.
        let p = [0.01, 0.04, 0.03, 0.005];
        let h = holm(&p);
        let want_h = [0.03, 0.06, 0.06, 0.02];
        let b = benjamini_hochberg(&p);
        let want_b = [0.02, 0.04, 0.04, 0.02];
        for i in 0..4 {
            assert!((h[i] - want_h[i]).abs() < 1e-15, "holm {h:?}");
            assert!((b[i] - want_b[i]).abs() < 1e-15, "bh {b:?}");
        }
    }
}
