//! The cumulative average abnormal return (CAAR) around day 0, day by day, with its 95 % band:
//! for each event time t, `CAAR_t` is the mean over events of their ARs cumulated from the start of
//! the span to t, and the band is `CAAR_t ± z·sd_t/√N_t` (z = 1.959964, [`z975`]), `sd_t` the cross-sectional sample s.d.
//! (divisor N_t − 1) of those cumulated ARs (MacKinlay 1997, §4.4, with the cross-sectional variance
//! estimator of Brown & Warner 1985). An event drops out from the first day its AR is undefined.

use super::stats::{mean_sd, z975};

/// A CAAR path: `(t, CAAR, half-width of the 95 % band)`.
pub type Path95 = Vec<(i64, f64, f64)>;

/// CAAR path of events, each given by its ARs `(offset, AR)`, over `[start, end]`, cumulating from
/// `start`; days with fewer than 2 events are left out.
pub fn caar_path(events: &[&[(i64, f64)]], start: i64, end: i64) -> Path95 {
    let mut cum: Vec<Option<f64>> = vec![Some(0.0); events.len()];
    let mut out = Vec::new();
    for t in start..=end {
        for (c, e) in cum.iter_mut().zip(events) {
            *c = match (*c, e.iter().find(|p| p.0 == t)) {
                (Some(v), Some(p)) => Some(v + p.1),
                _ => None,
            };
        }
        let vals: Vec<f64> = cum.iter().flatten().copied().collect();
        if let Some((mean, sd)) = mean_sd(&vals) {
            out.push((t, mean, z975() * sd / (vals.len() as f64).sqrt()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caar_path_by_hand() {
        // Two events: cumulative ARs at t = 0 are 0.01 and 0.03 → CAAR 0.02, sd = sqrt(2e-4), band 1.96·sd/√2.
        // At t = 1 they are 0.02 and 0.02 → CAAR 0.02, band 0.
        let a = [(0, 0.01), (1, 0.01)];
        let b = [(0, 0.03), (1, -0.01)];
        let p = caar_path(&[&a, &b], 0, 1);
        assert_eq!(p.len(), 2);
        assert!(
            (p[0].1 - 0.02).abs() < 1e-15
                && (p[0].2 - 1.959_963_985 * 2e-4f64.sqrt() / 2f64.sqrt()).abs() < 1e-10
        );
        assert!((p[1].1 - 0.02).abs() < 1e-15 && p[1].2.abs() < 1e-15);
    }

    #[test]
    fn an_event_leaves_the_path_at_its_first_missing_day() {
        // The third event has no AR at t = 1: from then on only two events remain.
        let a = [(0, 0.01), (1, 0.01), (2, 0.0)];
        let b = [(0, 0.03), (1, -0.01), (2, 0.0)];
        let c = [(0, 0.5), (2, 0.5)];
        let p = caar_path(&[&a, &b, &c], 0, 2);
        assert!((p[0].1 - 0.54 / 3.0).abs() < 1e-15);
        assert!((p[1].1 - 0.02).abs() < 1e-15 && (p[2].1 - 0.02).abs() < 1e-15);
    }
}
