//! Hand-computed checks of the cross-event tests.

use super::*;

fn ev(car: f64, scar: f64, day0: usize) -> EventObs {
    EventObs {
        car,
        scar,
        m: 12,
        positive_share: 0.5,
        day0,
    }
}

#[test]
fn separate_days_by_hand() {
    // CARs 0.01, 0.03, 0.05: mean 0.03, sd 0.02 → t = √3·0.03/0.02 = 2.598076...
    // SCARs 1, 2, 3: mean 2, sd 1 → BMP t = 2√3; Patell: Q = (12−1)/(12−1−2) = 11/9 each, Z = 6/sqrt(3·11/9).
    // Days far apart: no window shares a day, r̄ = 0 and KP = BMP.
    let e = [ev(0.01, 1.0, 0), ev(0.03, 2.0, 100), ev(0.05, 3.0, 200)];
    let c = cross_tests(&e, 1, 2, None);
    assert!((c.caar.unwrap() - 0.03).abs() < 1e-15);
    assert!((c.csect.unwrap().value - 3f64.sqrt() * 1.5).abs() < 1e-12);
    assert!((c.bmp.unwrap().value - 2.0 * 3f64.sqrt()).abs() < 1e-12);
    assert!((c.patell.unwrap().value - 6.0 / (3.0f64 * 11.0 / 9.0).sqrt()).abs() < 1e-12);
    assert_eq!(c.r_overlap, Some(0.0));
    assert_eq!(c.kp.unwrap().value, c.bmp.unwrap().value);
    // Sign: 3 of 3 positive, exact p = 2/8; generalized sign with p̂ = 0.5 the same.
    assert_eq!(c.sign.unwrap().value, 3.0);
    assert!((c.sign.unwrap().p - 0.25).abs() < 1e-12);
    assert!((c.gsign.unwrap().p - 0.25).abs() < 1e-12);
    // P(|Z| > 1.959964) = 0.05.
    assert!((normal_p(1.959_963_985) - 0.05).abs() < 1e-8);
}

#[test]
fn overlapping_windows_by_hand() {
    // Days 10 and 11 with [0,1] windows share one of two days: ρ = 1/2; day 50 shares nothing.
    // r̄ = 2·0.5/(3·2) = 1/6 → KP = BMP·sqrt((5/6)/(1 + 2/6)) = BMP·sqrt(5/8).
    // Patell: Var(Σ SCAR) = 3Q + 2·(1/2)·Q = 4Q → Z = 6/sqrt(4·11/9).
    let e = [ev(0.01, 1.0, 10), ev(0.03, 2.0, 11), ev(0.05, 3.0, 50)];
    let c = cross_tests(&e, 1, 2, None);
    assert!((c.r_overlap.unwrap() - 1.0 / 6.0).abs() < 1e-15);
    let bmp = 2.0 * 3f64.sqrt();
    assert!((c.kp.unwrap().value - bmp * (5.0f64 / 8.0).sqrt()).abs() < 1e-12);
    assert!((c.patell.unwrap().value - 6.0 / (4.0f64 * 11.0 / 9.0).sqrt()).abs() < 1e-12);
}

#[test]
fn two_days_sharing_half_their_window_get_no_cross_sectional_test() {
    // Days 5 and 6 with [0,1] windows: ρ = 1/2, r̄ = 1/2, N_eff = 2/1.5 = 1.33 < 2 (tag:price-war on
    // Brent: 6 and 9 March 2020, both windows holding the crash of the 9th).
    let c = cross_tests(&[ev(-0.37, -6.0, 5), ev(-0.25, -5.0, 6)], 1, 2, None);
    assert!((c.n_eff.unwrap() - 4.0 / 3.0).abs() < 1e-12);
    assert_eq!((c.csect, c.bmp, c.kp), (None, None, None));
    assert!(c
        .notes
        .iter()
        .any(|n| n.contains("count as 1.33 independent ones")));
    // Two days far apart: N_eff = 2, tested.
    let c = cross_tests(&[ev(-0.37, -6.0, 5), ev(-0.25, -5.0, 60)], 1, 2, None);
    assert!(c.bmp.is_some() && c.kp.is_some());
}

#[test]
fn patell_is_left_out_when_the_event_inflates_variance() {
    // SCARs ±10: sample variance ≈ 100 against Q̄ = 11/9 — Patell's assumption fails.
    let e = [
        ev(0.1, 10.0, 0),
        ev(-0.1, -10.0, 10),
        ev(0.1, 11.0, 20),
        ev(-0.1, -9.0, 30),
    ];
    let c = cross_tests(&e, 1, 2, None);
    assert_eq!(c.patell, None);
    assert!(
        c.notes.iter().any(|n| n.starts_with("no Patell Z")),
        "{:?}",
        c.notes
    );
    assert!(c.bmp.is_some());
}

#[test]
fn one_day_has_exact_sign_tests_and_no_t() {
    let c = cross_tests(&[ev(0.05, 3.0, 7)], 1, 2, Some(2.5));
    assert_eq!((c.csect, c.bmp, c.kp), (None, None, None));
    // Exact: one positive day in one has p = 1 (the normal approximation gave 0.317).
    assert_eq!(c.sign.unwrap().p, 1.0);
    // The rank statistic is not reported below MIN_RANK_DAYS.
    assert_eq!(c.rank, None);
    assert!(c.notes.iter().any(|n| n.contains("rank test needs")));
}

#[test]
fn ranks_average_ties() {
    assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
    assert_eq!(ranks(&[0.0, -0.0, 1.0, -1.0]), vec![2.5, 2.5, 4.0, 1.0]);
    assert_eq!(ranks(&[]), Vec::<f64>::new());
}

proptest::proptest! {
    /// The same ranks as statrs' average ranks (the reference), on values with many ties.
    #[test]
    fn ranks_are_statrs_average_ranks(v in proptest::collection::vec(-20i32..20, 0..300)) {
        use statrs::statistics::{Data, OrderStatistics, RankTieBreaker};
        let x: Vec<f64> = v.iter().map(|i| f64::from(*i) * 0.25).collect();
        let want = Data::new(x.clone()).ranks(RankTieBreaker::Average);
        proptest::prop_assert_eq!(ranks(&x), want);
    }
}

#[test]
fn rank_statistic_by_hand() {
    // Two events, event times −2, −1, 0; both have their largest AR on day 0.
    // Ranks within each event: 1, 2, 3 → U = K/4 − 1/2 = −0.25, 0, 0.25 for both events.
    // Ū = (−0.25, 0, 0.25); S_U = sqrt((0.0625 + 0 + 0.0625)/3); window [0,0]: Z = 0.25 / S_U.
    let e = vec![
        vec![(-2, 0.1), (-1, 0.2), (0, 0.9)],
        vec![(-2, -0.3), (-1, 0.0), (0, 0.4)],
    ];
    let z = rank_statistic(&e, 0, 0).unwrap();
    assert!((z - 0.25 / (0.125f64 / 3.0).sqrt()).abs() < 1e-12);
}
