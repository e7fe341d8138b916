//! Event-study statistics for one statement on one series: the mean-adjusted model.
//!
//! Formulas (MacKinlay 1997; as implemented by R EventStudy `ARTTest`/`CARTTest` and documented at
//! eventstudy.de "AR & CAR statistics"; collected in the project's methods notes):
//! - estimation window: the trading days `[T0, T1]` relative to day 0 (default `[-260, -11]`), using the
//!   `M` log returns defined there; at least `min_estimation` (default 30) are required;
//! - normal return `μ = (1/M) Σ R_t`; `S = sqrt( Σ (R_t - μ)² / (M - 1) )` (sample s.d., K = 1);
//! - abnormal return `AR_t = R_t - μ`; `t_AR = AR_0 / S`, two-sided p from Student's t with `M - 1` df;
//! - `CAR[a,b] = Σ_{t=a..b} AR_t`, `L = b - a + 1`, `t_CAR = CAR / (S·√L)`, same distribution.
//!
//! The estimation window moves with day 0 (it is indexed in the series' own trading days), so a statement
//! shifted over a weekend or holiday shifts its baseline too (EventStudyTools api-wrapper.r#29).

use super::window::Window;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// Parameters of the mean-adjusted event study.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StudyParams {
    /// Estimation window relative to day 0.
    pub estimation: Window,
    /// CAR window relative to day 0.
    pub car: Window,
    /// Minimum number of defined returns in the estimation window.
    pub min_estimation: usize,
}

impl Default for StudyParams {
    fn default() -> Self {
        StudyParams {
            estimation: Window::new(-260, -11),
            car: Window::new(0, 1),
            min_estimation: 30,
        }
    }
}

/// Mean and standard deviation of the estimation-window returns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimation {
    /// Number of returns used, `M`.
    pub m: usize,
    /// Mean return `μ`.
    pub mean: f64,
    /// Sample standard deviation `S` (divisor `M - 1`).
    pub sd: f64,
}

/// A statistic with its t value and two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tested {
    /// The abnormal return (AR_0) or cumulative abnormal return (CAR).
    pub value: f64,
    /// Its t statistic.
    pub t: f64,
    /// Two-sided p-value from Student's t with `M - 1` degrees of freedom.
    pub p: f64,
}

/// The statistics of one event; absent values come with a note saying why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventStats {
    /// The estimation-window fit, if enough returns exist.
    pub estimation: Option<Estimation>,
    /// AR on day 0 and its test.
    pub ar0: Option<Tested>,
    /// CAR over the CAR window and its test.
    pub car: Option<Tested>,
    /// Reasons for missing values, in order.
    pub notes: Vec<String>,
}

/// Compute the mean-adjusted statistics for the event whose day 0 is trading day `day0` of `log_returns`.
pub fn mean_adjusted(log_returns: &[Option<f64>], day0: usize, p: &StudyParams) -> EventStats {
    let mut out = EventStats::default();
    let est = match estimate(log_returns, day0, p, &mut out.notes) {
        Some(e) => e,
        None => return out,
    };
    out.estimation = Some(est);
    let df = (est.m - 1) as f64;
    match log_returns[day0] {
        Some(r0) => out.ar0 = Some(tested(r0 - est.mean, est.sd, df)),
        None => out.notes.push("day-0 log return undefined (a price <= 0)".into()),
    }
    out.car = car(log_returns, day0, p.car, &est, &mut out.notes);
    out
}

/// Fit μ and S on the estimation window; pushes a note and returns `None` when it cannot.
fn estimate(r: &[Option<f64>], day0: usize, p: &StudyParams, notes: &mut Vec<String>) -> Option<Estimation> {
    let lo = day0 as i64 + p.estimation.start;
    let hi = day0 as i64 + p.estimation.end;
    if lo < 1 {
        notes.push(format!(
            "estimation window {} starts {} trading days before the first price",
            p.estimation,
            1 - lo
        ));
    }
    let (lo, hi) = (lo.max(1), hi.min(r.len() as i64 - 1));
    let sample: Vec<f64> = if lo <= hi {
        r[lo as usize..=hi as usize].iter().flatten().copied().collect()
    } else {
        vec![]
    };
    let m = sample.len();
    if m < p.min_estimation.max(2) {
        notes.push(format!(
            "only {m} returns in estimation window (need {})",
            p.min_estimation.max(2)
        ));
        return None;
    }
    let mean = sample.iter().sum::<f64>() / m as f64;
    let sd = (sample.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1) as f64).sqrt();
    if sd <= 0.0 || !sd.is_finite() {
        notes.push("estimation-window returns are constant (S = 0)".into());
        return None;
    }
    Some(Estimation { m, mean, sd })
}

/// CAR over `w` with `t = CAR / (S·√L)`; `None` with a note when the window leaves the data or holds an
/// undefined return.
fn car(
    r: &[Option<f64>],
    day0: usize,
    w: Window,
    est: &Estimation,
    notes: &mut Vec<String>,
) -> Option<Tested> {
    let lo = day0 as i64 + w.start;
    let hi = day0 as i64 + w.end;
    if lo < 1 || hi >= r.len() as i64 {
        notes.push(format!("CAR window {w} runs past the price history"));
        return None;
    }
    let mut sum = 0.0;
    for x in &r[lo as usize..=hi as usize] {
        match x {
            Some(x) => sum += x - est.mean,
            None => {
                notes.push(format!(
                    "CAR window {w} holds an undefined log return (a price <= 0)"
                ));
                return None;
            }
        }
    }
    Some(tested(sum, est.sd * (w.len() as f64).sqrt(), (est.m - 1) as f64))
}

fn tested(value: f64, se: f64, df: f64) -> Tested {
    let t = value / se;
    Tested {
        value,
        t,
        p: two_sided_p(t, df),
    }
}

/// Two-sided p-value of `t` under Student's t with `df` degrees of freedom.
pub fn two_sided_p(t: f64, df: f64) -> f64 {
    let dist = StudentsT::new(0.0, 1.0, df).expect("df > 0 is checked by the caller");
    (2.0 * dist.sf(t.abs())).min(1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(est: (i64, i64), car: (i64, i64), min: usize) -> StudyParams {
        StudyParams {
            estimation: Window::new(est.0, est.1),
            car: Window::new(car.0, car.1),
            min_estimation: min,
        }
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
        let s = mean_adjusted(&r, 5, &params((-4, -2), (0, 1), 2));
        let e = s.estimation.unwrap();
        assert_eq!(e.m, 3);
        assert!((e.mean - 0.02).abs() < 1e-15 && (e.sd - 0.01).abs() < 1e-15);
        let ar = s.ar0.unwrap();
        assert!((ar.value - 0.03).abs() < 1e-15 && (ar.t - 3.0).abs() < 1e-12);
        // Student t, df = 2: P(|T| > 3) = 1 - 3/sqrt(3² + 2) = 1 - 3/sqrt(11) (closed form for df = 2).
        assert!((ar.p - (1.0 - 3.0 / 11f64.sqrt())).abs() < 1e-12);
        let car = s.car.unwrap();
        assert!(car.value.abs() < 1e-15 && car.t.abs() < 1e-12 && (car.p - 1.0).abs() < 1e-12);
    }

    #[test]
    fn car_t_uses_sqrt_l() {
        // Estimation returns 0 and 0.02 (μ = 0.01, S = sqrt(2e-4)); CAR[0,1] = (0.03-0.01)+(0.05-0.01) = 0.06.
        let r = vec![None, Some(0.0), Some(0.02), Some(0.03), Some(0.05)];
        let s = mean_adjusted(&r, 3, &params((-2, -1), (0, 1), 2));
        let car = s.car.unwrap();
        assert!((car.value - 0.06).abs() < 1e-15);
        assert!((car.t - 0.06 / (2e-4f64.sqrt() * 2f64.sqrt())).abs() < 1e-12);
    }

    #[test]
    fn too_few_returns_and_window_past_data_are_noted() {
        let r = vec![None, Some(0.01), Some(0.02)];
        let s = mean_adjusted(&r, 2, &params((-260, -11), (0, 1), 30));
        assert!(s.estimation.is_none() && s.ar0.is_none());
        assert_eq!(s.notes.len(), 2, "{:?}", s.notes);
        let s = mean_adjusted(&r, 2, &params((-1, -1), (0, 1), 1));
        assert!(
            s.notes.iter().any(|n| n.contains("only 1 returns")),
            "{:?}",
            s.notes
        );
        let r = vec![None, Some(0.01), Some(0.03), Some(0.02)];
        let s = mean_adjusted(&r, 3, &params((-2, -1), (0, 1), 2));
        assert!(s.ar0.is_some() && s.car.is_none());
        assert!(s.notes[0].contains("runs past"), "{:?}", s.notes);
    }

    #[test]
    fn p_value_matches_normal_limit() {
        // With very many df Student's t is the normal: P(|Z| > 1.959963985) = 0.05.
        assert!((two_sided_p(1.959_963_985, 1e9) - 0.05).abs() < 1e-6);
    }
}
