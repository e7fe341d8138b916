//! Normal-return models fitted on the estimation window, and the return definition.
//!
//! With `R_t` the series' return and `Rm_t` the benchmark's (same trading date), over the `M` estimation
//! days where the needed returns exist (methods notes; MacKinlay 1997; eventstudy.de):
//! - `mean` (mean-adjusted, K = 1): `E[R_t] = μ = mean(R)`;
//! - `market` (market model, K = 2): `E[R_t] = α + β·Rm_t`, α and β by OLS;
//! - `market-adjusted` (K = 0): `E[R_t] = Rm_t`;
//! - `raw` (K = 0): `E[R_t] = 0`.
//!
//! Residuals `e_t = R_t − E[R_t]`; `S = sqrt(Σ e_t² / (M − K))` (for `mean` this is the sample standard
//! deviation). `R̄m` and `Smm = Σ (Rm_t − R̄m)²` are kept for the market model's forecast-error terms.

/// The normal-return model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// Mean-adjusted: expected return = estimation-window mean.
    Mean,
    /// Market model: OLS on a benchmark series (`--benchmark`).
    Market,
    /// Market-adjusted: expected return = benchmark return.
    MarketAdjusted,
    /// Raw returns: expected return = 0.
    Raw,
}

impl Model {
    /// Parameters estimated, K.
    pub fn k(self) -> usize {
        match self {
            Model::Mean => 1,
            Model::Market => 2,
            Model::MarketAdjusted | Model::Raw => 0,
        }
    }

    /// True when the model needs benchmark returns.
    pub fn needs_benchmark(self) -> bool {
        matches!(self, Model::Market | Model::MarketAdjusted)
    }

    /// Name used in output files.
    pub fn name(self) -> &'static str {
        match self {
            Model::Mean => "mean",
            Model::Market => "market",
            Model::MarketAdjusted => "market-adjusted",
            Model::Raw => "raw",
        }
    }
}

/// Which returns are studied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    /// `ln(P_t / P_{t-1})` (default).
    Log,
    /// `P_t / P_{t-1} − 1`.
    Simple,
}

/// A fitted model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fit {
    /// The model.
    pub model: Model,
    /// Estimation days used, M.
    pub m: usize,
    /// Intercept (μ for `mean`, α for `market`, 0 otherwise).
    pub alpha: f64,
    /// Slope on the benchmark (β for `market`, 1 for `market-adjusted`, 0 otherwise).
    pub beta: f64,
    /// Residual standard deviation S (divisor M − K).
    pub s: f64,
    /// Mean benchmark return over the estimation window (0 without a benchmark).
    pub mean_m: f64,
    /// Σ (Rm − R̄m)² over the estimation window (0 without a benchmark).
    pub smm: f64,
}

impl Fit {
    /// Expected return given the benchmark return `rm` (ignored by `mean` and `raw`).
    pub fn expected(&self, rm: f64) -> f64 {
        self.alpha + self.beta * rm
    }
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// Fewer observations than needed.
    TooFew(usize),
    /// Residuals have no variance (S = 0) or the benchmark does not vary.
    Degenerate,
}

/// Fit `model` on `(R, Rm)` pairs (Rm is ignored where unused); `min` is the fewest observations
/// accepted (at least K + 1 and 2, so the t statistics have degrees of freedom).
pub fn fit(model: Model, obs: &[(f64, f64)], min: usize) -> Result<Fit, FitError> {
    let m = obs.len();
    let k = model.k();
    if m < min.max(k + 1).max(2) {
        return Err(FitError::TooFew(m));
    }
    let n = m as f64;
    let mean_r = obs.iter().map(|o| o.0).sum::<f64>() / n;
    let mean_m = obs.iter().map(|o| o.1).sum::<f64>() / n;
    let smm: f64 = obs.iter().map(|o| (o.1 - mean_m).powi(2)).sum();
    let (alpha, beta) = match model {
        Model::Mean => (mean_r, 0.0),
        Model::Raw => (0.0, 0.0),
        Model::MarketAdjusted => (0.0, 1.0),
        Model::Market => {
            if smm <= 0.0 {
                return Err(FitError::Degenerate);
            }
            let sxy: f64 = obs.iter().map(|o| (o.1 - mean_m) * (o.0 - mean_r)).sum();
            let beta = sxy / smm;
            (mean_r - beta * mean_m, beta)
        }
    };
    let sse: f64 = obs.iter().map(|o| (o.0 - alpha - beta * o.1).powi(2)).sum();
    let s = (sse / (m - k) as f64).sqrt();
    if s <= 0.0 || !s.is_finite() {
        return Err(FitError::Degenerate);
    }
    let (mean_m, smm) = if model.needs_benchmark() {
        (mean_m, smm)
    } else {
        (0.0, 0.0)
    };
    Ok(Fit {
        model,
        m,
        alpha,
        beta,
        s,
        mean_m,
        smm,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn market_model_ols_by_hand() {
        // (R, Rm) = (0.02, 0), (0.02, 0.01), (0.06, 0.02), (0.06, 0.03). By hand: R̄ = 0.04, R̄m = 0.015,
        // Smm = 2·(0.015² + 0.005²) = 5e-4, Sxy = 2·(0.015·0.02 + 0.005·0.02) = 8e-4 → β = 1.6,
        // α = 0.04 − 1.6·0.015 = 0.016.
        let obs = [(0.02, 0.0), (0.02, 0.01), (0.06, 0.02), (0.06, 0.03)];
        let f = fit(Model::Market, &obs, 2).unwrap();
        assert!((f.beta - 1.6).abs() < 1e-12 && (f.alpha - 0.016).abs() < 1e-12);
        assert!((f.smm - 5e-4).abs() < 1e-15 && (f.mean_m - 0.015).abs() < 1e-15);
        // Residuals: 0.004, −0.012, 0.012, −0.004 → SSE = 2·(0.004² + 0.012²) = 3.2e-4; S = sqrt(3.2e-4 / 2).
        assert!((f.s - (3.2e-4f64 / 2.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn mean_model_s_is_the_sample_sd_and_raw_uses_zero() {
        let obs = [(0.01, 0.0), (0.03, 0.0), (0.02, 0.0)];
        let f = fit(Model::Mean, &obs, 2).unwrap();
        assert!((f.alpha - 0.02).abs() < 1e-15 && (f.s - 0.01).abs() < 1e-15);
        let r = fit(Model::Raw, &obs, 2).unwrap();
        // S = sqrt((1e-4 + 9e-4 + 4e-4) / 3).
        assert!((r.s - (14e-4f64 / 3.0).sqrt()).abs() < 1e-15);
        assert_eq!(fit(Model::Mean, &obs[..2], 3), Err(FitError::TooFew(2)));
    }
}
