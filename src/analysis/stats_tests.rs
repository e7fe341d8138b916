//! Known-answer tests for [`super`], computed by hand from the formulas.

use super::*;

fn params(est: (i64, i64), car: (i64, i64), min: usize) -> StudyParams {
    StudyParams {
        estimation: Window::new(est.0, est.1),
        windows: vec![Window::new(car.0, car.1)],
        min_estimation: min,
        ..Default::default()
    }
}

fn run(r: &[Option<f64>], day0: usize, p: &StudyParams) -> EventStats {
    let excluded = vec![false; r.len()];
    event_stats(
        &EventInput {
            benchmark: None,
            r,
            rm: None,
            day0,
            excluded: &excluded,
            seed: 1,
        },
        p,
    )
}

#[test]
fn p_values_of_non_finite_statistics_never_panic() {
    assert_eq!(two_sided_p(f64::INFINITY, 10.0), 0.0);
    assert_eq!(two_sided_p(f64::NEG_INFINITY, 10.0), 0.0);
    assert!(two_sided_p(f64::NAN, 10.0).is_nan());
}

#[test]
fn returns_of_ratios_that_overflow_are_undefined() {
    let r = super::super::returns::Returns::from_prices(&[1e-300, 1e300, 5e-324]);
    assert_eq!((r.log[1], r.simple[1]), (None, None), "1e600 overflows");
    assert!(r.log[2].is_none(), "the ratio underflows to 0: ln 0 = -inf");
}

#[test]
fn hand_computed_small_event() {
    // Returns on days 1..=6; day 0 = index 5 (return 0.05), estimation window [-4,-2] = indexes 1..=3.
    // Estimation returns 0.01, 0.03, 0.02: μ = 0.02, S = sqrt((1e-4 + 1e-4 + 0)/2) = 0.01, M = 3, df = 2.
    // AR_0 = 0.05 - 0.02 = 0.03, t = 3. CAR[0,1] = 0.03 + (-0.01 - 0.02) = 0.0, t = 0.
    let r = vec![
        None,
        Some(0.01),
        Some(0.03),
        Some(0.02),
        Some(0.9),
        Some(0.05),
        Some(-0.01),
    ];
    let s = run(&r, 5, &params((-4, -2), (0, 1), 2));
    let e = s.estimation.unwrap();
    assert_eq!(e.m, 3);
    assert!((e.alpha - 0.02).abs() < 1e-15 && (e.s - 0.01).abs() < 1e-15);
    let ar = s.ar0.unwrap();
    assert!((ar.value - 0.03).abs() < 1e-15 && (ar.t - 3.0).abs() < 1e-12);
    // Student t, df = 2: P(|T| > 3) = 1 - 3/sqrt(3² + 2) = 1 - 3/sqrt(11) (closed form for df = 2).
    assert!((ar.p - (1.0 - 3.0 / 11f64.sqrt())).abs() < 1e-12);
    let car = s.car().unwrap();
    assert!(car.value.abs() < 1e-15 && car.t.abs() < 1e-12 && (car.p - 1.0).abs() < 1e-12);
}

#[test]
fn car_t_plain_and_with_estimation_error() {
    // Estimation returns 0 and 0.02 (μ = 0.01, S = sqrt(2e-4), M = 2); CAR[0,1] = (0.03-0.01)+(0.05-0.01) = 0.06.
    // Plain: t = 0.06 / (S·√2). Adjusted: Var = S²·(L + L²/M) = 2e-4·(2 + 4/2) = 8e-4 → t = 0.06 / sqrt(8e-4).
    let r = vec![None, Some(0.0), Some(0.02), Some(0.03), Some(0.05)];
    let s = run(&r, 3, &params((-2, -1), (0, 1), 2));
    let w = s.windows[0].unwrap();
    assert!((w.plain.value - 0.06).abs() < 1e-15);
    assert!((w.plain.t - 0.06 / (2e-4f64.sqrt() * 2f64.sqrt())).abs() < 1e-12);
    assert!((w.adjusted.t - 0.06 / 8e-4f64.sqrt()).abs() < 1e-12);
}

#[test]
fn market_model_adjusted_variance_by_hand() {
    // Estimation (R, Rm) as in the model test: α = 0.016, β = 1.6, S² = 1.6e-4, M = 4, R̄m = 0.015, Smm = 5e-4.
    // Event day 0 at index 5 with (R, Rm) = (0.05, 0.02): AR = 0.05 − 0.016 − 0.032 = 0.002.
    // Window [0,0]: Var = S²·(1 + 1/4 + (0.02 − 0.015)²/5e-4) = 1.6e-4·(1.25 + 0.05) = 2.08e-4.
    let r = vec![None, Some(0.02), Some(0.02), Some(0.06), Some(0.06), Some(0.05)];
    let rm = vec![None, Some(0.0), Some(0.01), Some(0.02), Some(0.03), Some(0.02)];
    let p = StudyParams {
        model: Model::Market,
        ..params((-4, -1), (0, 0), 2)
    };
    let excluded = vec![false; r.len()];
    let s = event_stats(
        &EventInput {
            benchmark: None,
            r: &r,
            rm: Some(&rm),
            day0: 5,
            excluded: &excluded,
            seed: 1,
        },
        &p,
    );
    let w = s.windows[0].unwrap();
    assert!((w.plain.value - 0.002).abs() < 1e-12);
    assert!((w.adjusted.t - 0.002 / 2.08e-4f64.sqrt()).abs() < 1e-9);
    assert!((s.ar0.unwrap().t - 0.002 / 1.6e-4f64.sqrt()).abs() < 1e-9);
}

#[test]
fn excluded_days_leave_the_estimation_sample() {
    let r = vec![None, Some(0.01), Some(0.5), Some(0.03), Some(0.02), Some(0.05)];
    let mut excluded = vec![false; r.len()];
    excluded[2] = true;
    let p = params((-4, -1), (0, 0), 2);
    let s = event_stats(
        &EventInput {
            benchmark: None,
            r: &r,
            rm: None,
            day0: 5,
            excluded: &excluded,
            seed: 1,
        },
        &p,
    );
    let e = s.estimation.unwrap();
    assert_eq!(e.m, 3);
    assert!((e.alpha - 0.02).abs() < 1e-15);
}

#[test]
fn too_few_returns_and_window_past_data_are_noted() {
    let r = vec![None, Some(0.01), Some(0.02)];
    let s = run(&r, 2, &params((-260, -11), (0, 1), 30));
    assert!(s.estimation.is_none() && s.ar0.is_none());
    assert_eq!(s.notes.len(), 2, "{:?}", s.notes);
    let r = vec![None, Some(0.01), Some(0.03), Some(0.02)];
    let s = run(&r, 3, &params((-2, -1), (0, 1), 2));
    assert!(s.ar0.is_some() && s.car().is_none());
    assert!(s.notes[0].contains("runs past"), "{:?}", s.notes);
}

#[test]
fn bootstrap_p_is_a_proportion_and_reproducible() {
    let res: Vec<(usize, f64)> = (0..100)
        .map(|i| (i, ((i * 37 % 100) as f64 - 49.5) / 1000.0))
        .collect();
    let far = bootstrap_p(1.0, &res, 2, 999, 7);
    assert!(
        (far - 1.0 / 1000.0).abs() < 1e-12,
        "nothing reaches 1.0: p = 1/(B+1)"
    );
    assert_eq!(bootstrap_p(0.0, &res, 2, 999, 7), 1.0);
    let mid = bootstrap_p(0.03, &res, 2, 999, 7);
    assert!(mid > 0.1 && mid < 0.9 && mid == bootstrap_p(0.03, &res, 2, 999, 7));
}

#[test]
fn p_value_matches_normal_limit() {
    // With very many df Student's t is the normal: P(|Z| > 1.959963985) = 0.05.
    assert!((two_sided_p(1.959_963_985, 1e9) - 0.05).abs() < 1e-6);
}

#[test]
fn market_adjusted_ar_is_return_minus_benchmark() {
    // K = 0: S² = Σ (R − Rm)² / M over indexes 1..=3: residuals 0.01, −0.01, 0.02 → S² = 6e-4/3.
    // Day 0 (index 4): AR = 0.05 − 0.01 = 0.04, t = 0.04 / S with M − 0 = 3 df.
    let r = vec![None, Some(0.02), Some(0.0), Some(0.03), Some(0.05)];
    let rm = vec![None, Some(0.01), Some(0.01), Some(0.01), Some(0.01)];
    let p = StudyParams {
        model: Model::MarketAdjusted,
        ..params((-3, -1), (0, 0), 2)
    };
    let excluded = vec![false; r.len()];
    let s = event_stats(
        &EventInput {
            benchmark: None,
            r: &r,
            rm: Some(&rm),
            day0: 4,
            excluded: &excluded,
            seed: 1,
        },
        &p,
    );
    let ar = s.ar0.unwrap();
    assert!((ar.value - 0.04).abs() < 1e-15);
    assert!((ar.t - 0.04 / (6e-4f64 / 3.0).sqrt()).abs() < 1e-9);
    assert_eq!(s.estimation.unwrap().beta, 1.0);
}

#[test]
fn percentile_counts_smaller_moves_of_the_estimation_period() {
    // Residuals 0.01, −0.02, 0.03, 0.00, −0.01; two-day sums: −0.01, 0.01, 0.03, −0.01.
    // |CAR| = 0.02: smaller are |−0.01|, |0.01|, |−0.01| → 3 of 4 = 75 %.
    let e: Vec<(usize, f64)> = [0.01, -0.02, 0.03, 0.0, -0.01].into_iter().enumerate().collect();
    assert_eq!(percentile(0.02, &e, 2), Some(75.0));
    assert_eq!(percentile(-0.5, &e, 2), Some(100.0));
    // Ties are not "smaller": |CAR| = 0.03 beats 3 of the 4 sums (0.03 itself ties).
    assert_eq!(percentile(0.03, &e, 2), Some(75.0));
    assert_eq!(percentile(0.01, &e, 6), None);
}

#[test]
fn a_benchmark_missing_on_many_days_is_named_in_the_note() {
    // Estimation window [-20, -1] before day 0 = index 21: 20 days, the benchmark has returns on 12.
    let r: Vec<Option<f64>> = (0..23)
        .map(|i| (i > 0).then(|| 0.01 * ((i * 7 % 5) as f64 - 2.0)))
        .collect();
    let rm: Vec<Option<f64>> = (0..23)
        .map(|i| (i > 0 && (i % 5 < 3)).then(|| 0.005 * ((i * 3 % 4) as f64 - 1.5)))
        .collect();
    let with_rm = rm[1..=20].iter().filter(|x| x.is_some()).count();
    let p = StudyParams {
        model: Model::Market,
        ..params((-20, -1), (0, 0), 5)
    };
    let excluded = vec![false; r.len()];
    let s = event_stats(
        &EventInput {
            r: &r,
            rm: Some(&rm),
            benchmark: Some("SP500"),
            day0: 21,
            excluded: &excluded,
            seed: 1,
        },
        &p,
    );
    let want = format!(
        "benchmark SP500 has no return on {} of the estimation window's days: estimated on {with_rm}",
        20 - with_rm
    );
    assert!(s.notes.contains(&want), "{:?}", s.notes);
    assert_eq!(s.estimation.unwrap().m, with_rm);
}

#[test]
fn two_sided_t_p_values_agree_with_scipy_even_near_t_zero() {
    // scipy 1.14.1: 2 * stats.t.sf(abs(t), df).
    for (t, df, want) in [
        (7.05e-6, 249.0, 0.9999943805586738),
        (1e-3, 249.0, 0.9992029162573246),
        (0.5, 30.0, 0.6207230048851273),
        (2.0, 249.0, 0.04658645812290818),
        (5.0, 10.0, 0.0005373336027564525),
    ] {
        let got = two_sided_p(t, df);
        assert!(
            ((got - want) / want).abs() < 2e-13,
            "t={t} df={df}: {got} vs {want}"
        );
        assert_eq!(two_sided_p(-t, df), got);
    }
}
