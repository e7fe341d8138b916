//! Intraday windows: parsing, the move over a window by hand, the statistics by hand, and the size of
//! the placebo test by seeded simulation.

use super::*;
use crate::prices::SeriesId;

fn bars(start: &[i64], close: &[f64]) -> IntradayBars {
    IntradayBars {
        series: SeriesId::WtiFut,
        start: start.to_vec(),
        close: close.to_vec(),
        contract: vec![0; start.len()],
        contracts: vec![String::new()],
        step: 60,
    }
}

#[test]
fn windows_parse_and_print_in_minutes() {
    let w: ClockWindow = "-30m,+120m".parse().unwrap();
    assert_eq!((w.from, w.to), (-1800, 7200));
    assert_eq!(w.to_string(), "-30m,+120m");
    assert_eq!(
        "-90s,+1h".parse::<ClockWindow>().unwrap().to_string(),
        "-90s,+60m"
    );
    assert!("+5m,-5m".parse::<ClockWindow>().is_err());
    assert!("-5,5".parse::<ClockWindow>().is_err());
}

#[test]
fn a_move_runs_from_the_last_trade_before_each_edge() {
    // Bars start at 0, 60, 120, 180, 600 s; a statement at 130 s; window -1m,+2m: edges 70 s and
    // 250 s. By 70 s the bar 0–60 has ended (close 10); by 250 s the bar 180–240 (close 12).
    let b = bars(&[0, 60, 120, 180, 600], &[10.0, 10.5, 11.0, 12.0, 13.0]);
    let w: ClockWindow = "-1m,+2m".parse().unwrap();
    let m = window_move(&b, 130, w, 900).unwrap();
    assert_eq!((m.from, m.to), ((60, 10.0), (240, 12.0)));
    assert!((m.ret - (12.0_f64 / 10.0).ln()).abs() < 1e-15);
    // With bars at most 2 minutes old allowed, 540 s has no fresh bar (the last ended at 240 s).
    let late = window_move(&b, 420, w, 120).unwrap_err();
    assert!(late.contains("before the window's end"), "{late}");
}

#[test]
fn statistics_by_hand() {
    let v = versus(0.05, &[0.01, -0.01, 0.02, 0.0]).unwrap();
    assert_eq!(v.n, 4);
    assert!((v.mean - 0.005).abs() < 1e-15);
    // Deviations ±0.005, ±0.015: sd = sqrt(0.0005 / 3).
    assert!((v.sd - (0.0005_f64 / 3.0).sqrt()).abs() < 1e-15);
    assert!((v.ar - 0.045).abs() < 1e-15);
    assert!((v.t.unwrap() - 0.045 / (0.0005_f64 / 3.0).sqrt()).abs() < 1e-12);
    // Common mean 0.014: the event is 0.036 away, no baseline window as far: p = 1/5.
    assert_eq!(v.placebo_p, 0.2);
    // A baseline window farther out than the event counts: 0.1 is 0.07 from the common mean 0.03.
    assert_eq!(versus(0.0, &[0.1, 0.0, 0.02]).unwrap().placebo_p, 0.75);
    assert!(versus(0.05, &[0.01]).is_none());
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut fastrand::Rng) -> f64 {
    let u = 1.0 - rng.f64();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * rng.f64()).cos()
}

#[test]
fn the_placebo_test_holds_its_size_under_normal_and_heavy_tailed_returns() {
    // 39 baseline days: p takes the values k/40, so P(p <= 0.05) = 2/40 = 5 % exactly under the null.
    let mut rng = fastrand::Rng::with_seed(20261202);
    let reps = 4000;
    for heavy in [false, true] {
        let draw = |rng: &mut fastrand::Rng| {
            let z = normal(rng);
            if heavy {
                // Student-t with 3 degrees of freedom: z / sqrt(chi2_3 / 3).
                let chi2: f64 = (0..3).map(|_| normal(rng).powi(2)).sum();
                z / (chi2 / 3.0).sqrt()
            } else {
                z
            }
        };
        let mut rejected = 0;
        for _ in 0..reps {
            let baseline: Vec<f64> = (0..39).map(|_| 0.001 * draw(&mut rng)).collect();
            let event = 0.001 * draw(&mut rng);
            if versus(event, &baseline).unwrap().placebo_p <= 0.05 {
                rejected += 1;
            }
        }
        let rate = rejected as f64 / reps as f64;
        // 4000 draws: the binomial sd at 5 % is 0.34 %; allow three.
        assert!((0.04..=0.06).contains(&rate), "heavy={heavy}: rejected {rate}");
    }
}
