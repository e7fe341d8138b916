//! Event-study statistics for one statement on one series.
//!
//! Formulas (MacKinlay 1997; R EventStudy `ARTTest`/`CARTTest`; eventstudy.de "AR & CAR statistics";
//! the project's methods notes), with the normal-return model of [`super::model`]:
//! - estimation window: trading days `[T0, T1]` relative to day 0 (default `[-260, -11]`), counted in the
//!   series' own trading days so it moves with day 0; optionally without the days of other statements'
//!   event windows (`--exclude-events`); at least `min_estimation` (default 30) usable returns;
//! - `AR_t = R_t − E[R_t]`; `t_AR = AR_0 / S`, two-sided p from Student's t with `M − K` df;
//! - `CAR[a,b] = Σ_{t=a..b} AR_t`, `L = b − a + 1`, `t = CAR / (S·√L)` (plain);
//! - with the estimation-error term (HKUDS/Vibe-Trading#1466; Campbell, Lo & MacKinlay 1997 ch. 4):
//!   `Var(CAR) = S²·(L + L²/M)` for `mean`, `S²·(L + L²/M + (Σ_{t∈w}(Rm_t − R̄m))² / Smm)` for `market`,
//!   `S²·L` for the parameter-free models; `t_adj = CAR / sqrt(Var)` and `SCAR = t_adj` (the
//!   standardized CAR that Patell and BMP combine across events);
//! - `--variance garch` replaces `S` by each day's GARCH(1,1) conditional standard deviation
//!   ([`super::conditional`]);
//! - bootstrap p (no normality assumed; oil returns are fat-tailed): `B` sums of `L` estimation residuals
//!   drawn with replacement; `p = (1 + #{|sum*| ≥ |CAR|}) / (B + 1)`, seeded so reruns agree.

use super::conditional::{restandardize, GarchFit, Variance};
use super::model::{fit, Fit, FitError, Model, ReturnKind};
use super::window::Window;
use statrs::distribution::{ContinuousCDF, Normal};
use statrs::function::beta::beta_reg;

/// Why a return can be undefined, for notes.
const UNDEFINED_WHY: &str = "a price <= 0, a contract roll without the new contract's price the day \
                             before, or no benchmark return";

/// Parameters of the event study.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyParams {
    /// Estimation window relative to day 0.
    pub estimation: Window,
    /// CAR windows relative to day 0 (at least one; the first is the headline window).
    pub windows: Vec<Window>,
    /// Minimum number of usable returns in the estimation window.
    pub min_estimation: usize,
    /// Normal-return model.
    pub model: Model,
    /// Log or simple returns.
    pub returns: ReturnKind,
    /// Leave other statements' event windows out of each estimation window.
    pub exclude_events: bool,
    /// Leave the roll days of continuous front-month futures out of each estimation window.
    pub exclude_rolls: bool,
    /// Bootstrap draws for the CAR p-value (0 = off).
    pub bootstrap: usize,
    /// Event-time span whose abnormal returns are kept for charts (CAAR paths).
    pub path: Window,
    /// Constant (estimation-window) or GARCH(1,1) conditional variance of abnormal returns.
    pub variance: Variance,
}

impl Default for StudyParams {
    fn default() -> Self {
        StudyParams {
            estimation: Window::new(-260, -11),
            windows: vec![Window::new(0, 1)],
            min_estimation: 30,
            model: Model::Mean,
            returns: ReturnKind::Log,
            exclude_events: false,
            exclude_rolls: false,
            bootstrap: 0,
            path: Window::new(-10, 10),
            variance: Variance::Constant,
        }
    }
}

impl StudyParams {
    /// The headline CAR window (the first).
    pub fn car(&self) -> Window {
        self.windows[0]
    }

    /// The span covering day 0 and every CAR window.
    pub fn event_span(&self) -> Window {
        let start = self.windows.iter().map(|w| w.start).min().unwrap_or(0).min(0);
        let end = self.windows.iter().map(|w| w.end).max().unwrap_or(0).max(0);
        Window::new(start, end)
    }
}

/// A statistic with its t value and two-sided p-value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tested {
    /// The abnormal return (AR_0) or cumulative abnormal return (CAR).
    pub value: f64,
    /// Its t statistic.
    pub t: f64,
    /// Two-sided p-value from Student's t with `M − K` degrees of freedom.
    pub p: f64,
}

/// Statistics of one CAR window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowStats {
    /// The window.
    pub window: Window,
    /// CAR with the plain t test.
    pub plain: Tested,
    /// CAR with the estimation-error-adjusted t test.
    pub adjusted: Tested,
    /// Bootstrap p-value, if requested.
    pub p_boot: Option<f64>,
    /// Percentile of |CAR| among the estimation period's moves of the same length ([`percentile`]).
    pub pctl: Option<f64>,
}

/// Inputs for one event.
#[derive(Debug, Clone, Copy)]
pub struct EventInput<'a> {
    /// Returns of the series by trading day (index 0 has none).
    pub r: &'a [Option<f64>],
    /// Benchmark returns on the same trading days, when the model uses one.
    pub rm: Option<&'a [Option<f64>]>,
    /// The benchmark's name, for notes.
    pub benchmark: Option<&'a str>,
    /// Day 0's index.
    pub day0: usize,
    /// Days excluded from estimation (other statements' event windows), by index.
    pub excluded: &'a [bool],
    /// Seed for the bootstrap.
    pub seed: u64,
}

/// The statistics of one event; absent values come with a note saying why.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EventStats {
    /// The fitted normal-return model.
    pub estimation: Option<Fit>,
    /// AR on day 0 and its test.
    pub ar0: Option<Tested>,
    /// Per CAR window (parallel to `StudyParams::windows`).
    pub windows: Vec<Option<WindowStats>>,
    /// Share of positive estimation residuals (the generalized sign test's `p̂_i`). The residuals
    /// themselves are not kept (~250 per event): [`residuals`] recomputes them when a test needs them.
    pub positive_share: Option<f64>,
    /// Abnormal returns over the event span `(offset, AR)`, where defined.
    pub event_ar: Vec<(i64, f64)>,
    /// Abnormal returns over the chart span `StudyParams::path`, where defined.
    pub path_ar: Vec<(i64, f64)>,
    /// The GARCH fit, under `--variance garch`.
    pub garch: Option<GarchFit>,
    /// Reasons for missing values, in order.
    pub notes: Vec<String>,
}

impl EventStats {
    /// The headline CAR (first window) with its plain t test.
    pub fn car(&self) -> Option<Tested> {
        self.windows.first().copied().flatten().map(|w| w.plain)
    }
}

/// Compute the statistics of the event at `inp.day0`.
pub fn event_stats(inp: &EventInput<'_>, p: &StudyParams) -> EventStats {
    let mut out = EventStats {
        windows: vec![None; p.windows.len()],
        ..Default::default()
    };
    let (obs, idx) = estimation_sample(inp, p, &mut out.notes);
    let f = match fit(p.model, &obs, p.min_estimation) {
        Ok(f) => f,
        Err(FitError::TooFew(m)) => {
            out.notes.push(format!(
                "only {m} usable returns in estimation window (need {})",
                p.min_estimation.max(p.model.k() + 1).max(2)
            ));
            return out;
        }
        Err(FitError::Degenerate) => {
            out.notes
                .push("estimation-window returns do not vary (S = 0 or constant benchmark)".into());
            return out;
        }
    };
    let residuals: Vec<(usize, f64)> = idx
        .iter()
        .zip(&obs)
        .map(|(i, (r, m))| (*i, r - f.expected(*m)))
        .collect();
    let positive = residuals.iter().filter(|e| e.1 > 0.0).count();
    out.positive_share = Some(positive as f64 / residuals.len().max(1) as f64);
    out.estimation = Some(f);
    let df = (f.m - p.model.k()) as f64;
    match ar_at(inp, &f, inp.day0) {
        Some(ar) => out.ar0 = Some(tested(ar, f.s, df)),
        None => out
            .notes
            .push(format!("day-0 return undefined ({UNDEFINED_WHY} that day)")),
    }
    let span = p.event_span();
    out.path_ar = (p.path.start..=p.path.end)
        .filter_map(|o| Some((o, ar_at(inp, &f, offset(inp.day0, o, inp.r.len())?)?)))
        .collect();
    out.event_ar = (span.start..=span.end)
        .filter_map(|o| Some((o, ar_at(inp, &f, offset(inp.day0, o, inp.r.len())?)?)))
        .collect();
    for (k, w) in p.windows.iter().enumerate() {
        out.windows[k] = window_stats(inp, &f, *w, &residuals, p.bootstrap, &mut out.notes);
    }
    if p.variance == Variance::Garch {
        restandardize(&mut out, inp, p, &residuals, |i| ar_at(inp, &f, i));
    }
    out
}

/// The estimation residuals `(day index, e_t)` of the event at `inp.day0` under the fitted model `f`:
/// the same sample as [`event_stats`] used, recomputed (cheap) instead of stored.
pub fn residuals(inp: &EventInput<'_>, params: &StudyParams, f: &Fit) -> Vec<(usize, f64)> {
    let (obs, idx) = estimation_sample(inp, params, &mut Vec::new());
    idx.into_iter()
        .zip(obs)
        .map(|(i, (r, m))| (i, r - f.expected(m)))
        .collect()
}

fn offset(day0: usize, o: i64, len: usize) -> Option<usize> {
    let i = day0 as i64 + o;
    (i >= 1 && i < len as i64).then_some(i as usize)
}

/// `(R, Rm)` pairs of the estimation window and their day indexes.
fn estimation_sample(
    inp: &EventInput<'_>,
    params: &StudyParams,
    notes: &mut Vec<String>,
) -> (Vec<(f64, f64)>, Vec<usize>) {
    let lo = inp.day0 as i64 + params.estimation.start;
    let hi = (inp.day0 as i64 + params.estimation.end).min(inp.r.len() as i64 - 1);
    if lo < 1 {
        notes.push(format!(
            "estimation window {} starts {} trading days before the first price",
            params.estimation,
            1 - lo
        ));
    }
    let mut obs = Vec::new();
    let mut idx = Vec::new();
    let mut no_benchmark = 0;
    for i in lo.max(1)..=hi {
        let i = i as usize;
        if inp.excluded.get(i).copied().unwrap_or(false) {
            continue;
        }
        let Some(r) = inp.r[i] else { continue };
        let rm = match (params.model.needs_benchmark(), inp.rm) {
            (true, Some(rm)) => match rm[i] {
                Some(v) => v,
                None => {
                    no_benchmark += 1;
                    continue;
                }
            },
            _ => 0.0,
        };
        obs.push((r, rm));
        idx.push(i);
    }
    // A few holidays differ between any two markets; a tenth of the window is a different sample.
    if no_benchmark * 10 > obs.len() + no_benchmark {
        notes.push(format!(
            "benchmark {} has no return on {no_benchmark} of the estimation window's days: estimated on {}",
            inp.benchmark.unwrap_or("series"),
            obs.len()
        ));
    }
    (obs, idx)
}

fn ar_at(inp: &EventInput<'_>, f: &Fit, i: usize) -> Option<f64> {
    let r = inp.r.get(i).copied().flatten()?;
    let rm = if f.model.needs_benchmark() {
        inp.rm?.get(i).copied().flatten()?
    } else {
        0.0
    };
    Some(r - f.expected(rm))
}

fn window_stats(
    inp: &EventInput<'_>,
    f: &Fit,
    w: Window,
    residuals: &[(usize, f64)],
    draws: usize,
    notes: &mut Vec<String>,
) -> Option<WindowStats> {
    let (lo, hi) = (inp.day0 as i64 + w.start, inp.day0 as i64 + w.end);
    if lo < 1 || hi >= inp.r.len() as i64 {
        notes.push(format!("CAR window {w} runs past the price history"));
        return None;
    }
    let mut car = 0.0;
    let mut dev_m = 0.0;
    for i in lo as usize..=hi as usize {
        match ar_at(inp, f, i) {
            Some(ar) => car += ar,
            None => {
                notes.push(format!(
                    "CAR window {w} holds an undefined return ({UNDEFINED_WHY})"
                ));
                return None;
            }
        }
        if f.model == Model::Market {
            dev_m += inp.rm.and_then(|rm| rm[i]).unwrap_or(f.mean_m) - f.mean_m;
        }
    }
    let l = w.len() as f64;
    let m = f.m as f64;
    let df = (f.m - f.model.k()) as f64;
    let var_adj = f.s.powi(2)
        * match f.model {
            Model::Mean => l + l * l / m,
            Model::Market => l + l * l / m + dev_m * dev_m / f.smm,
            Model::MarketAdjusted | Model::Raw => l,
        };
    let p_boot = (draws > 0).then(|| bootstrap_p(car, residuals, w.len(), draws, inp.seed));
    Some(WindowStats {
        window: w,
        plain: tested(car, f.s * l.sqrt(), df),
        adjusted: tested(car, var_adj.sqrt(), df),
        p_boot,
        pctl: percentile(car, residuals, w.len()),
    })
}

/// How unusual a CAR is against the moves of its own estimation period, without any distribution
/// assumed: the percentage of the sums of `l` consecutive estimation residuals (every start, in the
/// estimation sample's order) whose absolute value is below `|car|`. 99 reads "larger than 99 % of the
/// `l`-day moves of the year before". `None` when the sample has fewer than `l` residuals.
pub fn percentile(car: f64, residuals: &[(usize, f64)], l: usize) -> Option<f64> {
    if l == 0 || residuals.len() < l {
        return None;
    }
    let mut sum: f64 = residuals[..l].iter().map(|e| e.1).sum();
    let mut below = usize::from(sum.abs() < car.abs());
    for k in l..residuals.len() {
        sum += residuals[k].1 - residuals[k - l].1;
        below += usize::from(sum.abs() < car.abs());
    }
    Some(100.0 * below as f64 / (residuals.len() - l + 1) as f64)
}

/// Two-sided bootstrap p-value of `car` against sums of `l` residuals drawn with replacement.
pub fn bootstrap_p(car: f64, residuals: &[(usize, f64)], l: usize, draws: usize, seed: u64) -> f64 {
    let mut rng = fastrand::Rng::with_seed(seed);
    let n = residuals.len();
    let extreme = (0..draws)
        .filter(|_| {
            let s: f64 = (0..l).map(|_| residuals[rng.usize(..n)].1).sum();
            s.abs() >= car.abs()
        })
        .count();
    (1 + extreme) as f64 / (draws + 1) as f64
}

fn tested(value: f64, se: f64, df: f64) -> Tested {
    let t = value / se;
    Tested {
        value,
        t,
        p: two_sided_p(t, df),
    }
}

/// The 97.5 % quantile of the standard normal (≈ 1.959964): the half-width, in standard errors, of
/// every 95 % interval and band oilcorr computes or draws.
pub fn z975() -> f64 {
    Normal::standard().inverse_cdf(0.975)
}

/// Sample mean and standard deviation (divisor n − 1) of `x`; `None` below two values.
pub fn mean_sd(x: &[f64]) -> Option<(f64, f64)> {
    let n = x.len();
    if n < 2 {
        return None;
    }
    let m = x.iter().sum::<f64>() / n as f64;
    let sd = (x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    Some((m, sd))
}

/// A p-value rounded to 14 significant digits: sums of many probabilities (exact binomial tails) and
/// special functions leave noise in the last bits (0.6875000000000001 for 11/16); no p-value oilcorr
/// computes is meaningful beyond 14 digits.
pub fn tidy_p(p: f64) -> f64 {
    if !p.is_finite() || p == 0.0 {
        return p;
    }
    format!("{p:.13e}").parse().unwrap_or(p)
}

/// Two-sided p-value of `t` under Student's t with `df` degrees of freedom.
///
/// An infinite `t` has p = 0; a NaN `t` has no p-value (NaN, written as an empty cell).
pub fn two_sided_p(t: f64, df: f64) -> f64 {
    if !t.is_finite() {
        return if t.is_nan() { f64::NAN } else { 0.0 };
    }
    // p = I_x(df/2, 1/2) with x = df/(df+t²) (the regularized incomplete beta function). Near t = 0,
    // x is close to 1 and that form loses ~1e-10 to cancellation, so there the complement
    // 1 − I_y(1/2, df/2), y = t²/(df+t²), is used: small and accurate (checked against scipy).
    let (df, t2) = (df.max(1.0), t * t);
    let p = if t2 < df {
        1.0 - beta_reg(0.5, df / 2.0, t2 / (df + t2))
    } else {
        beta_reg(df / 2.0, 0.5, df / (df + t2))
    };
    tidy_p(p.clamp(0.0, 1.0))
}

#[cfg(test)]
#[path = "stats_tests.rs"]
mod tests;
