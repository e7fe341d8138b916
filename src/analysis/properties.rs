//! Property tests of the event statistics (proptest): identities that must hold for any prices.

use super::returns::Returns;
use super::stats::{event_stats, EventInput, StudyParams};
use super::window::Window;
use proptest::prelude::*;

fn params() -> StudyParams {
    StudyParams {
        estimation: Window::new(-40, -6),
        windows: vec![Window::new(0, 2), Window::new(-2, 1)],
        min_estimation: 20,
        ..Default::default()
    }
}

/// Positive prices from a start and daily log changes.
fn prices(start: f64, steps: &[f64]) -> Vec<f64> {
    let mut p = vec![start];
    for s in steps {
        let last = *p.last().expect("non-empty");
        p.push(last * s.exp());
    }
    p
}

fn stats_of(prices: &[f64], day0: usize) -> super::stats::EventStats {
    let r = Returns::from_prices(prices);
    let excluded = vec![false; prices.len()];
    event_stats(
        &EventInput {
            benchmark: None,
            r: &r.log,
            rm: None,
            day0,
            excluded: &excluded,
            seed: 3,
        },
        &params(),
    )
}

proptest! {
    #[test]
    fn car_is_the_sum_of_the_window_ars(steps in prop::collection::vec(-0.2f64..0.2, 60..80), start in 1.0f64..200.0) {
        let p = prices(start, &steps);
        let s = stats_of(&p, 50);
        for (k, w) in params().windows.iter().enumerate() {
            let sum: f64 = s.event_ar.iter().filter(|(o, _)| *o >= w.start && *o <= w.end).map(|a| a.1).sum();
            prop_assert!((s.windows[k].unwrap().plain.value - sum).abs() < 1e-12);
        }
    }

    #[test]
    fn negating_returns_negates_t(steps in prop::collection::vec(-0.2f64..0.2, 60..80)) {
        let up = stats_of(&prices(50.0, &steps), 50);
        let neg: Vec<f64> = steps.iter().map(|s| -s).collect();
        let down = stats_of(&prices(50.0, &neg), 50);
        prop_assert!((up.ar0.unwrap().t + down.ar0.unwrap().t).abs() < 1e-9);
        for k in 0..2 {
            let (a, b) = (up.windows[k].unwrap(), down.windows[k].unwrap());
            prop_assert!((a.plain.t + b.plain.t).abs() < 1e-9 && (a.adjusted.t + b.adjusted.t).abs() < 1e-9);
        }
    }

    #[test]
    fn scaling_prices_changes_no_log_return_statistic(steps in prop::collection::vec(-0.2f64..0.2, 60..80), c in 0.01f64..100.0) {
        let p = prices(30.0, &steps);
        let scaled: Vec<f64> = p.iter().map(|x| x * c).collect();
        let (a, b) = (stats_of(&p, 50), stats_of(&scaled, 50));
        prop_assert!((a.ar0.unwrap().value - b.ar0.unwrap().value).abs() < 1e-12);
        prop_assert!((a.windows[0].unwrap().plain.t - b.windows[0].unwrap().plain.t).abs() < 1e-8);
    }

    #[test]
    fn a_constant_series_has_zero_returns_and_no_statistic(level in 0.5f64..500.0) {
        let p = vec![level; 70];
        let r = Returns::from_prices(&p);
        prop_assert!(r.log.iter().flatten().all(|x| *x == 0.0));
        let s = stats_of(&p, 50);
        prop_assert!(s.ar0.is_none() && s.windows.iter().all(Option::is_none));
        prop_assert!(s.notes.iter().any(|n| n.contains("do not vary")));
    }
}
