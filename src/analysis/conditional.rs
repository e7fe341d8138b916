//! `--variance garch`: each event's abnormal returns measured against the volatility of its moment.
//!
//! Two-stage GARCH event study (research notes, "Inference" §4; cf. Bremer & Zhang 2007): a GARCH(1,1)
//! ([`super::garch`]) is fitted to the event's estimation residuals (in percent, as `arch` recommends),
//! then run forward with the same parameters over the days between the estimation window and the event:
//! - each day before the event span (`t < min(window starts, 0)`) updates the variance with its own
//!   abnormal return, `σ²_{t+1} = ω + α·AR²_t + β·σ²_t` (a day with no return uses its expectation,
//!   `ω + (α + β)·σ²_t`);
//! - from the first event day on, no event-window return is fed back: `σ²_{t+1} = ω + (α + β)·σ²_t`,
//!   so σ²_0 is the one-step-ahead forecast from day −1 and later days are forecasts.
//!
//! Then `t_AR = AR_0 / σ_0` and, per window, `SCAR = CAR / sqrt(Σ_{t∈window} σ²_t)`, both compared with
//! the standard normal; these replace the constant-variance values (the CARs themselves do not change)
//! and enter the tests across events. A fit that fails leaves the event without statistics, with a note.

use super::cross::normal_p;
use super::garch::{fit, variances, Garch, GarchError};
use super::stats::{EventInput, EventStats, StudyParams, Tested};
use std::collections::BTreeMap;

/// Returns are scaled by this before fitting (percent), variances divided by its square after.
const SCALE: f64 = 100.0;

/// How the variance of abnormal returns is modelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variance {
    /// One variance per event: the estimation window's (the textbook event study).
    #[default]
    Constant,
    /// GARCH(1,1) conditional variance, forecast through the event window.
    Garch,
}

impl Variance {
    /// Name used in output files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Variance::Constant => "constant",
            Variance::Garch => "garch",
        }
    }
}

/// An event's GARCH fit, in return units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GarchFit {
    /// ω (return units squared).
    pub omega: f64,
    /// α.
    pub alpha: f64,
    /// β.
    pub beta: f64,
    /// Conditional standard deviation of day 0's return.
    pub sigma0: f64,
}

/// Replace the constant-variance statistics of `out` by GARCH-standardised ones, or clear them with
/// a note when the fit fails. `ar` gives the abnormal return of a day index, `residuals` the
/// estimation residuals `(day index, e)` in order.
pub fn restandardize(
    out: &mut EventStats,
    inp: &EventInput<'_>,
    p: &StudyParams,
    residuals: &[(usize, f64)],
    ar: impl Fn(usize) -> Option<f64>,
) {
    let e: Vec<f64> = residuals.iter().map(|r| r.1 * SCALE).collect();
    let (g, var) = match fit(&e).map(|g| (g, path(&g, inp, p, residuals, &e, &ar))) {
        Ok(done) => done,
        Err(err) => return clear(out, &err),
    };
    let sd = |t: i64| var.get(&t).map(|v| v.sqrt());
    if g.integrated() {
        out.notes.push(format!(
            "GARCH(1,1) persistence α + β = {:.4} (integrated: forecasts do not revert)",
            g.alpha + g.beta
        ));
    }
    out.garch = sd(0).map(|sigma0| GarchFit {
        omega: g.omega / (SCALE * SCALE),
        alpha: g.alpha,
        beta: g.beta,
        sigma0,
    });
    if let (Some(a), Some(s)) = (out.ar0.as_mut(), sd(0)) {
        *a = normal_test(a.value, s);
    }
    let mut missing = Vec::new();
    for slot in out.windows.iter_mut() {
        let Some(w) = slot.as_mut() else { continue };
        let v: Option<f64> = (w.window.start..=w.window.end).map(|t| var.get(&t)).sum();
        match v {
            Some(v) => {
                w.plain = normal_test(w.plain.value, v.sqrt());
                w.adjusted = w.plain;
            }
            None => {
                missing.push(w.window);
                *slot = None;
            }
        }
    }
    for w in missing {
        out.notes.push(format!(
            "CAR window {w} overlaps the estimation window: no GARCH forecast for it"
        ));
    }
}

fn normal_test(value: f64, sd: f64) -> Tested {
    let t = value / sd;
    Tested {
        value,
        t,
        p: normal_p(t),
    }
}

fn clear(out: &mut EventStats, err: &GarchError) {
    out.ar0 = None;
    out.windows.iter_mut().for_each(|w| *w = None);
    out.notes.push(format!("{err}: no GARCH-standardised statistics"));
}

/// Conditional variances (return units) by event time over the event span.
fn path(
    g: &Garch,
    inp: &EventInput<'_>,
    p: &StudyParams,
    residuals: &[(usize, f64)],
    scaled: &[f64],
    ar: &impl Fn(usize) -> Option<f64>,
) -> BTreeMap<i64, f64> {
    let span = p.event_span();
    let s2 = variances(scaled, g.omega, g.alpha, g.beta, super::garch::backcast(scaled));
    let (Some(last), Some(&s2_last), Some(&e_last)) = (residuals.last(), s2.last(), scaled.last()) else {
        return BTreeMap::new();
    };
    let day0 = inp.day0 as i64;
    let end = (day0 + span.end).min(inp.r.len() as i64 - 1);
    let mut out = BTreeMap::new();
    let (mut prev_s2, mut prev_e) = (s2_last, Some(e_last));
    for i in last.0 as i64 + 1..=end {
        let s2_i = match prev_e {
            Some(e) => g.next(e, prev_s2),
            None => g.forecast(prev_s2),
        };
        let t = i - day0;
        if t >= span.start {
            out.insert(t, s2_i / (SCALE * SCALE));
        }
        prev_e = (t < span.start)
            .then(|| ar(i as usize).map(|a| a * SCALE))
            .flatten();
        prev_s2 = s2_i;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::garch;
    use crate::analysis::stats::event_stats;
    use crate::analysis::window::Window;

    /// 400 returns with volatility clustering (a seeded GARCH path), a jump on day 0 (index 380).
    fn returns() -> Vec<Option<f64>> {
        let mut rng = fastrand::Rng::with_seed(42);
        let (mut h, mut out) = (1e-4f64, vec![None]);
        for i in 1..400 {
            let z = (rng.f64() - 0.5) * 12f64.sqrt(); // uniform, unit variance
            let r = h.sqrt() * z + if i == 380 { 0.08 } else { 0.0 };
            h = 2e-6 + 0.1 * r * r + 0.88 * h;
            out.push(Some(r));
        }
        out
    }

    #[test]
    fn day_zero_and_car_are_measured_against_the_forecast_variance() {
        let r = returns();
        let p = StudyParams {
            windows: vec![Window::new(0, 1)],
            variance: Variance::Garch,
            ..Default::default()
        };
        let excluded = vec![false; r.len()];
        let inp = EventInput {
            benchmark: None,
            r: &r,
            rm: None,
            day0: 380,
            excluded: &excluded,
            seed: 1,
        };
        let s = event_stats(&inp, &p);
        // Reference, step by step: mean-adjusted residuals over [-260, -11] (indexes 120..=369), in percent.
        let est: Vec<f64> = (120..=369).map(|i| r[i].unwrap()).collect();
        let mu = est.iter().sum::<f64>() / est.len() as f64;
        let e: Vec<f64> = est.iter().map(|x| 100.0 * (x - mu)).collect();
        let g = garch::fit(&e).unwrap();
        let mut s2 = *garch::variances(&e, g.omega, g.alpha, g.beta, garch::backcast(&e))
            .last()
            .unwrap();
        let mut last = *e.last().unwrap();
        // Days 370..=379 (t = −10..−1) update with their own residuals; day 0's variance is the next
        // step; day 1's is a forecast that does not use day 0's return.
        for ri in &r[370..=379] {
            s2 = g.omega + g.alpha * last * last + g.beta * s2;
            last = 100.0 * (ri.unwrap() - mu);
        }
        let v0 = (g.omega + g.alpha * last * last + g.beta * s2) / 1e4;
        let v1 = (g.omega + (g.alpha + g.beta) * v0 * 1e4) / 1e4;
        let ar0 = r[380].unwrap() - mu;
        let car = ar0 + r[381].unwrap() - mu;
        let a = s.ar0.unwrap();
        assert!(
            (a.t - ar0 / v0.sqrt()).abs() < 1e-9,
            "{} vs {}",
            a.t,
            ar0 / v0.sqrt()
        );
        let w = s.windows[0].unwrap();
        assert!((w.adjusted.t - car / (v0 + v1).sqrt()).abs() < 1e-9);
        assert!((w.plain.value - car).abs() < 1e-15, "the CAR itself is unchanged");
        assert!((s.garch.unwrap().sigma0 - v0.sqrt()).abs() < 1e-15);
        // The normal p of t.
        assert!((a.p - normal_p(a.t)).abs() < 1e-15);
    }
}
