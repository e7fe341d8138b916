//! The cumulative average abnormal return (CAAR) around day 0, day by day, with its 95 % band:
//! for each event time t, `CAAR_t` is the mean over events of their ARs cumulated from day −1, where
//! every event is at 0 (as the event charts are indexed at day −1): `CAR_t = Σ_{s=0..t} AR_s` for
//! `t ≥ 0` and `−Σ_{s=t+1..−1} AR_s` before, so the day-0 move shows as a step from 0 rather than
//! sitting on ten days of drift. The band is `CAAR_t ± z·sd_t/√N_t` (z = 1.959964, [`z975`]), `sd_t`
//! the cross-sectional sample s.d. (divisor N_t − 1) of the events' `CAR_t` (MacKinlay 1997, §4.4,
//! with the cross-sectional variance estimator of Brown & Warner 1985). Walking away from day −1 in
//! either direction, an event drops out from the first day whose AR it needs is undefined.

use super::stats::{mean_sd, z975};

/// A CAAR path: `(t, CAAR, half-width of the 95 % band)`.
pub type Path95 = Vec<(i64, f64, f64)>;

/// The day before day 0: where every cumulated path is 0.
pub const ANCHOR: i64 = -1;

/// One event's ARs `(offset, AR)` cumulated from [`ANCHOR`] over `[start, end]` (index `t − start`);
/// `None` from the first missing AR outward.
pub fn anchored(ars: &[(i64, f64)], start: i64, end: i64) -> Vec<Option<f64>> {
    let ar = |t: i64| ars.iter().find(|p| p.0 == t).map(|p| p.1);
    let mut out = vec![None; (end - start + 1).max(0) as usize];
    let mut at = |t: i64, v: Option<f64>| {
        if (start..=end).contains(&t) {
            out[(t - start) as usize] = v;
        }
    };
    at(ANCHOR, Some(0.0));
    let mut v = Some(0.0);
    for t in ANCHOR + 1..=end {
        v = v.zip(ar(t)).map(|(c, a)| c + a);
        at(t, v);
    }
    let mut v = Some(0.0);
    for t in (start..ANCHOR).rev() {
        v = v.zip(ar(t + 1)).map(|(c, a)| c - a);
        at(t, v);
    }
    out
}

/// CAAR path of events, each given by its ARs `(offset, AR)`, over `[start, end]`, cumulated from
/// day −1 ([`anchored`]); days with fewer than 2 events are left out.
pub fn caar_path(events: &[&[(i64, f64)]], start: i64, end: i64) -> Path95 {
    let cums: Vec<Vec<Option<f64>>> = events.iter().map(|e| anchored(e, start, end)).collect();
    let mut out = Vec::new();
    for t in start..=end {
        let k = (t - start) as usize;
        let vals: Vec<f64> = cums.iter().filter_map(|c| c[k]).collect();
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
    fn paths_are_zero_at_day_minus_one_and_cumulate_outward() {
        // ARs 0.1 at −2, 0.2 at −1, 0.3 at 0, 0.4 at 1: from day −1, CAR is −0.2 at −2 (the day −1
        // move undone), −0.3 at −3 (the day −2 move undone too: none at −3 is needed), 0.3 at 0,
        // 0.7 at 1.
        let ars = [(-2, 0.1), (-1, 0.2), (0, 0.3), (1, 0.4)];
        let c = anchored(&ars, -3, 1);
        let want = [
            Some(-0.30000000000000004),
            Some(-0.2),
            Some(0.0),
            Some(0.3),
            Some(0.7),
        ];
        for (got, want) in c.iter().zip(want) {
            assert!((got.unwrap() - want.unwrap()).abs() < 1e-15, "{c:?}");
        }
        // No AR on day −1: nothing before it can be reached; after day 0 everything can.
        let gap = [(-2, 0.1), (0, 0.3)];
        assert_eq!(anchored(&gap, -3, 0), vec![None, None, Some(0.0), Some(0.3)]);
    }

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
