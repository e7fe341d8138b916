//! The ranks read off the moving sorted returns against the sorting path ([`centred_ranks`], itself
//! held to statrs' average ranks), and one day by hand.

use super::*;
use crate::analysis::window::Window;
use proptest::prelude::*;

fn params(estimation: Window, window: Window) -> StudyParams {
    StudyParams {
        estimation,
        windows: vec![window],
        ..StudyParams::default()
    }
}

/// The day at `d0`: its estimation entries (offsets of `est` with a return, not `excluded`) and its
/// window's ARs, each value given by `value(offset, return)`, in the order the study lists them.
fn day(
    r: &[Option<f64>],
    d0: usize,
    p: &StudyParams,
    excluded: &[bool],
    value: impl Fn(i64, f64) -> f64,
) -> Vec<(i64, f64)> {
    let at = |t: i64| {
        let i = d0 as i64 + t;
        (i >= 1 && i < r.len() as i64).then_some(i as usize)
    };
    let est = (p.estimation.start..=p.estimation.end).filter_map(|t| {
        at(t)
            .filter(|i| !excluded[*i])
            .and_then(|i| Some((t, value(t, r[i]?))))
    });
    let w = p.windows[0];
    let ars = (w.start..=w.end).filter_map(|t| at(t).and_then(|i| Some((t, value(t, r[i]?)))));
    est.chain(ars).collect()
}

#[test]
fn one_day_by_hand() {
    // Estimation days −2, −1 and the window [0, 1] of day 3: returns 0.01, 0.03 | 0.02, 0.03 less
    // c = 0.01 are 0, 0.02 | 0.01, 0.02: ranks 1, 3.5 | 2, 3.5 of T = 4, U = K/5 − 1/2.
    let r = [None, Some(0.01), Some(0.03), Some(0.02), Some(0.03)];
    let p = params(Window::new(-2, -1), Window::new(0, 1));
    let mut ranker = DayRanker::new(&r, &p);
    ranker.slide_to(3);
    let all = day(&r, 3, &p, &[false; 5], |_, x| x - 0.01);
    let got = ranker
        .read_off(3, &all)
        .expect("a flat day is read off the sorted returns");
    let want = [(-2, -0.3), (-1, 0.2), (0, -0.1), (1, 0.2)];
    for ((t, u), (wt, wu)) in got.iter().zip(want) {
        assert_eq!(*t, wt);
        assert!((u - wu).abs() < 1e-15, "{got:?}");
    }
}

#[test]
fn a_value_out_of_the_returns_order_is_left_to_sorting() {
    let r = [None, Some(0.01), Some(0.03), Some(0.02)];
    let p = params(Window::new(-2, -1), Window::new(0, 0));
    let mut ranker = DayRanker::new(&r, &p);
    ranker.slide_to(3);
    // Returns 0.01, 0.03 | 0.02 less 0.01: in the returns' order.
    let all = vec![(-2, 0.0), (-1, 0.02), (0, 0.01)];
    assert_eq!(ranker.read_off(3, &all), Some(centred_ranks(&all)));
    // A slope on the benchmark reverses the order of days −1 and 0.
    let all = vec![(-2, 0.0), (-1, 0.01), (0, 0.02)];
    assert_eq!(ranker.read_off(3, &all), None);
}

/// Returns with many ties (a few price steps) and some days without one.
fn returns() -> impl Strategy<Value = Vec<Option<f64>>> {
    prop::collection::vec(
        prop::option::weighted(0.9, (-6i32..6).prop_map(|k| f64::from(k) * 0.0037)),
        30..400,
    )
}

/// Ascending event days, some close together (spans moved), some far apart (spans sorted afresh).
fn event_days() -> impl Strategy<Value = Vec<usize>> {
    prop::collection::vec(prop_oneof![3 => 0usize..3, 1 => 0usize..200], 1..40).prop_map(|steps| {
        steps
            .iter()
            .scan(0, |d, s| {
                *d += s;
                Some(*d)
            })
            .collect()
    })
}

proptest! {
    /// Under a constant expected return (`R − c`, any c), every day is read off the sorted returns,
    /// with exactly the ranks sorting gives; windows may reach into the estimation window.
    #[test]
    fn flat_days_match_sorting(
        r in returns(),
        days in event_days(),
        c in -0.01f64..0.01,
        est_start in -80i64..-10,
        est_len in 2i64..60,
        w0 in -15i64..3,
        w_len in 0i64..6,
        excluded_seed in any::<u64>(),
    ) {
        let p = params(Window::new(est_start, est_start + est_len), Window::new(w0, w0 + w_len));
        let excluded: Vec<bool> = (0..r.len()).map(|i| (excluded_seed >> (i % 64)) & 1 == 1 && i % 3 == 0).collect();
        let mut ranker = DayRanker::new(&r, &p);
        for d0 in days.into_iter().filter(|d| *d < r.len()) {
            ranker.slide_to(d0);
            let all = day(&r, d0, &p, &excluded, |_, x| x - c);
            prop_assert_eq!(ranker.read_off(d0, &all), Some(centred_ranks(&all)));
        }
    }

    /// With a slope the returns' order is not the values' order: a day is read off the sorted returns
    /// only when the pass finds its values in order, and then with the ranks sorting gives.
    #[test]
    fn sloped_days_are_read_only_when_in_order(
        r in returns(),
        days in event_days(),
        beta in -2.0f64..2.0,
    ) {
        let p = params(Window::new(-30, -3), Window::new(0, 2));
        let excluded = vec![false; r.len()];
        let mut ranker = DayRanker::new(&r, &p);
        for d0 in days.into_iter().filter(|d| *d < r.len()) {
            ranker.slide_to(d0);
            let all = day(&r, d0, &p, &excluded, |t, x| x - beta * 0.001 * ((t * 7919) % 13) as f64);
            if let Some(got) = ranker.read_off(d0, &all) {
                prop_assert_eq!(got, centred_ranks(&all));
            }
        }
    }
}
