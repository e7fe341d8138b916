//! GARCH(1,1) with normal innovations, fitted by (quasi-)maximum likelihood, for `--variance garch`:
//! how large was a move given the volatility of that moment?
//!
//! Model (Bollerslev 1986) of a zero-mean series `e_t` (an event's estimation residuals):
//! `e_t = σ_t·z_t`, `σ²_t = ω + α·e²_{t−1} + β·σ²_{t−1}`, `z_t ~ N(0,1)`. The likelihood is the
//! normal one, `ℓ = −½ Σ (ln 2π + ln σ²_t + e²_t/σ²_t)`; with fat-tailed `z_t` this is the quasi-ML
//! estimator, consistent for ω, α, β (Bollerslev & Wooldridge 1992). The fit follows the Python `arch`
//! package (8.0, `arch_model(e, mean="Zero", vol="GARCH", p=1, q=1, dist="normal")`), so its results
//! can be checked against it (research notes, "Inference" §4):
//! - backcast for the lags before the sample: `Σ w_i e²_i` over the first `τ = min(75, n)` values with
//!   weights `0.94^i` normalised to one; `σ²_1 = ω + (α + β)·backcast`;
//! - start: the best normal likelihood over `α ∈ {0.01, 0.05, 0.1, 0.2}` × persistence
//!   `α + β ∈ {0.5, 0.7, 0.9, 0.98}`, `ω = (1 − α − β)·v`, `v = mean(e²)`;
//! - bounds `ω ∈ [1e−8·v, 10·v]`, `α, β ∈ [0, 1]`, constraint `α + β ≤ 1`; SLSQP (the `slsqp` crate, a
//!   port of NLopt's, the algorithm family scipy gives `arch`) on `−ℓ` with central-difference gradients.
//!
//! A fit the optimizer abandons is an error: the event gets a note, not a number. NLopt's
//! "roundoff-limited" stop (no further progress possible at double precision, typically on the
//! `α + β = 1` boundary) keeps its last point, as `arch` keeps scipy's. A persistence `α + β ≥ 0.999`
//! is kept but flagged ([`Garch::integrated`]): `arch` returns such fits too (about one estimation window
//! in seven on Brent, more when the window ends in a crisis such as March 2020, where volatility grew
//! for weeks); its forecasts then grow by about ω a day instead of reverting, which over an event
//! window of a few days is what a RiskMetrics-style (integrated) model says.

use slsqp::{minimize, FailStatus, Func, StopTols};
use std::f64::consts::PI;

/// Fitted GARCH(1,1) parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Garch {
    /// ω.
    pub omega: f64,
    /// α (ARCH).
    pub alpha: f64,
    /// β (GARCH).
    pub beta: f64,
    /// Normal log-likelihood at the parameters.
    pub loglik: f64,
}

/// Why no GARCH fit.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GarchError {
    /// Too few values, or no variation.
    #[error("GARCH(1,1) needs at least {MIN_N} varying residuals")]
    TooFew,
    /// The optimizer stopped without converging.
    #[error("GARCH(1,1) fit did not converge ({0})")]
    NoConvergence(String),
}

/// Fewer residuals than this give no fit.
pub const MIN_N: usize = 30;

/// `arch`'s backcast: the 0.94-weighted mean of the first `min(75, n)` squared values.
pub fn backcast(e: &[f64]) -> f64 {
    let tau = e.len().min(75);
    let w: Vec<f64> = (0..tau).map(|i| 0.94f64.powi(i as i32)).collect();
    let total: f64 = w.iter().sum();
    w.iter().zip(e).map(|(w, x)| w / total * x * x).sum()
}

/// Conditional variances `σ²_1..σ²_n` of `e` under `(ω, α, β)`, starting from `backcast`.
pub fn variances(e: &[f64], omega: f64, alpha: f64, beta: f64, backcast: f64) -> Vec<f64> {
    let mut out = Vec::with_capacity(e.len());
    let (mut prev_e2, mut prev_s2) = (backcast, backcast);
    for x in e {
        let s2 = omega + alpha * prev_e2 + beta * prev_s2;
        out.push(s2);
        prev_e2 = x * x;
        prev_s2 = s2;
    }
    out
}

/// The normal log-likelihood of `e` with variances `s2`.
pub fn loglik(e: &[f64], s2: &[f64]) -> f64 {
    e.iter()
        .zip(s2)
        .map(|(x, v)| -0.5 * ((2.0 * PI).ln() + v.ln() + x * x / v))
        .sum()
}

/// Fit GARCH(1,1) to `e` (zero mean; scale it to order one, e.g. percent returns, first).
pub fn fit(e: &[f64]) -> Result<Garch, GarchError> {
    let v = e.iter().map(|x| x * x).sum::<f64>() / e.len().max(1) as f64;
    if e.len() < MIN_N || v.is_nan() || v <= 0.0 || !v.is_finite() {
        return Err(GarchError::TooFew);
    }
    let bc = backcast(e);
    let nll = |x: &[f64]| -> f64 {
        let s2 = variances(e, x[0], x[1], x[2], bc);
        if s2.iter().any(|v| v.is_nan() || *v <= 0.0) {
            return f64::MAX;
        }
        -loglik(e, &s2)
    };
    let objective = |x: &[f64], grad: Option<&mut [f64]>, _: &mut ()| -> f64 {
        if let Some(g) = grad {
            for i in 0..3 {
                let h = 1e-6 * x[i].abs().max(1e-3);
                let (mut up, mut down) = ([x[0], x[1], x[2]], [x[0], x[1], x[2]]);
                up[i] += h;
                down[i] -= h;
                g[i] = (nll(&up) - nll(&down)) / (2.0 * h);
            }
        }
        nll(x)
    };
    let persistence = |x: &[f64], grad: Option<&mut [f64]>, _: &mut ()| -> f64 {
        if let Some(g) = grad {
            g.copy_from_slice(&[0.0, 1.0, 1.0]);
        }
        x[1] + x[2] - 1.0
    };
    let cons: [&dyn Func<()>; 1] = [&persistence];
    let bounds = [(1e-8 * v, 10.0 * v), (0.0, 1.0), (0.0, 1.0)];
    let tols = StopTols {
        ftol_rel: 1e-10,
        xtol_rel: 1e-10,
        ..StopTols::default()
    };
    let x0 = start(e, v, bc);
    let x = match minimize(objective, &x0, &bounds, &cons, (), 2000, Some(tols)) {
        Ok((_, x, _)) => x,
        Err((FailStatus::RoundoffLimited, x, _)) if nll(&x) <= nll(&x0) => x,
        Err((status, _, _)) => return Err(GarchError::NoConvergence(format!("{status:?}"))),
    };
    Ok(Garch {
        omega: x[0],
        alpha: x[1],
        beta: x[2],
        loglik: -nll(&x),
    })
}

/// `arch`'s starting values: the best normal likelihood on a small grid.
fn start(e: &[f64], v: f64, bc: f64) -> [f64; 3] {
    let mut best = ([v * 0.5, 0.01, 0.49], f64::NEG_INFINITY);
    for alpha in [0.01, 0.05, 0.1, 0.2] {
        for pers in [0.5, 0.7, 0.9, 0.98] {
            let x = [(1.0 - pers) * v, alpha, pers - alpha];
            let ll = loglik(e, &variances(e, x[0], x[1], x[2], bc));
            if ll > best.1 {
                best = (x, ll);
            }
        }
    }
    best.0
}

impl Garch {
    /// Persistence at the boundary (`α + β ≥ 0.999`): shocks do not die out.
    pub fn integrated(&self) -> bool {
        self.alpha + self.beta >= 0.999
    }

    /// The variance one step after a value `e` whose own variance was `s2`.
    pub fn next(&self, e: f64, s2: f64) -> f64 {
        self.omega + self.alpha * e * e + self.beta * s2
    }

    /// The variance one step after a day whose value is unknown (or must not be used): its
    /// expectation, `ω + (α + β)·σ²`.
    pub fn forecast(&self, s2: f64) -> f64 {
        self.omega + (self.alpha + self.beta) * s2
    }
}

#[cfg(test)]
#[path = "garch_tests.rs"]
mod tests;
