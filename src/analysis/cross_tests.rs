//! Hand-computed checks of the cross-event tests.

use super::*;

fn ev(car: f64, scar: f64) -> EventObs {
    EventObs {
        car,
        scar,
        m: 12,
        positive_share: 0.5,
    }
}

#[test]
fn csect_patell_bmp_sign_by_hand() {
    // CARs 0.01, 0.03, 0.05: mean 0.03, sd 0.02 → t = √3·0.03/0.02 = 2.598076...
    // SCARs 1, 2, 3: mean 2, sd 1 → BMP t = 2√3; Patell: Q = (12−1)/(12−1−2) = 11/9 each, Z = 6/sqrt(3·11/9).
    let e = [ev(0.01, 1.0), ev(0.03, 2.0), ev(0.05, 3.0)];
    let c = cross_tests(&e, 1, Some(0.1), None);
    assert!((c.caar.unwrap() - 0.03).abs() < 1e-15);
    assert!((c.csect.unwrap().value - 3f64.sqrt() * 1.5).abs() < 1e-12);
    assert!((c.bmp.unwrap().value - 2.0 * 3f64.sqrt()).abs() < 1e-12);
    assert!((c.patell.unwrap().value - 6.0 / (3.0f64 * 11.0 / 9.0).sqrt()).abs() < 1e-12);
    // KP: 2√3 · sqrt(0.9 / 1.2).
    assert!((c.kp.unwrap().value - 2.0 * 3f64.sqrt() * (0.9f64 / 1.2).sqrt()).abs() < 1e-12);
    // Sign: N⁺ = 3, Z = (3 − 1.5)/(0.5√3) = √3; generalized sign with p̂ = 0.5 is the same.
    assert!((c.sign.unwrap().value - 3f64.sqrt()).abs() < 1e-12);
    assert!((c.gsign.unwrap().value - 3f64.sqrt()).abs() < 1e-12);
    // P(|Z| > 1.959964) = 0.05.
    assert!((normal_p(1.959_963_985) - 0.05).abs() < 1e-8);
}

#[test]
fn ranks_average_ties() {
    assert_eq!(ranks(&[3.0, 1.0, 3.0, 2.0]), vec![3.5, 1.0, 3.5, 2.0]);
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

#[test]
fn cross_correlation_counts_overlap_only() {
    // Same residuals on the same days: 1. Half the days shared (equal magnitudes): 1/2. Disjoint: 0.
    let a: Vec<(usize, f64)> = (0..20)
        .map(|i| (i, if i % 2 == 0 { 1.0 } else { -1.0 }))
        .collect();
    let b: Vec<(usize, f64)> = (10..30)
        .map(|i| (i, if i % 2 == 0 { 1.0 } else { -1.0 }))
        .collect();
    let c: Vec<(usize, f64)> = (40..60).map(|i| (i, 1.0)).collect();
    assert!((mean_cross_correlation(&[&a, &a]).unwrap() - 1.0).abs() < 1e-12);
    assert!((mean_cross_correlation(&[&a, &b]).unwrap() - 0.5).abs() < 1e-12);
    assert!(mean_cross_correlation(&[&a, &c]).unwrap().abs() < 1e-12);
}
