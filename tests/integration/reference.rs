//! An independent reference for the mean-adjusted event study, written from the formulas (not from
//! oilcorr's code): trading days = days with a price; R_t = ln(P_t/P_{t-1}); estimation window
//! [-260,-11]; μ = mean; S = sample s.d. (M-1); AR_0 = R_0 - μ; t = AR_0/S; CAR[0,1] = AR_0 + AR_1;
//! t_CAR = CAR/(S·√2).

use chrono::NaiveDate;

pub struct Expected {
    pub close_before: f64,
    pub close_event: f64,
    pub ar: f64,
    pub t: f64,
    pub car: f64,
    pub car_t: f64,
    pub m: usize,
}

pub fn mean_adjusted(days: &[(NaiveDate, f64)], day0: NaiveDate) -> Expected {
    let i0 = days
        .iter()
        .position(|(d, _)| *d == day0)
        .expect("day 0 is a trading day");
    let ret = |i: usize| (days[i].1 / days[i - 1].1).ln();
    let est: Vec<f64> = (i0 - 260..=i0 - 11).map(ret).collect();
    let m = est.len();
    let mu = est.iter().sum::<f64>() / m as f64;
    let var = est.iter().map(|r| (r - mu) * (r - mu)).sum::<f64>() / (m as f64 - 1.0);
    let s = var.sqrt();
    let ar = ret(i0) - mu;
    let car = ar + ret(i0 + 1) - mu;
    Expected {
        close_before: days[i0 - 1].1,
        close_event: days[i0].1,
        ar,
        t: ar / s,
        car,
        car_t: car / (s * 2f64.sqrt()),
        m,
    }
}

/// Log returns of `days` keyed by date (the first day has none).
pub fn log_returns(days: &[(NaiveDate, f64)]) -> Vec<(NaiveDate, f64)> {
    days.windows(2)
        .map(|w| (w[1].0, (w[1].1 / w[0].1).ln()))
        .collect()
}

/// Mean-adjusted CAR over `[a, b]` and its estimation-error-adjusted t (Var = S²(L + L²/M)).
pub fn mean_adjusted_car(days: &[(NaiveDate, f64)], day0: NaiveDate, a: i64, b: i64) -> (f64, f64) {
    let i0 = days.iter().position(|(d, _)| *d == day0).unwrap() as i64;
    let ret = |i: i64| (days[i as usize].1 / days[i as usize - 1].1).ln();
    let est: Vec<f64> = (i0 - 260..=i0 - 11).map(ret).collect();
    let m = est.len() as f64;
    let mu = est.iter().sum::<f64>() / m;
    let s2 = est.iter().map(|r| (r - mu).powi(2)).sum::<f64>() / (m - 1.0);
    let car: f64 = (i0 + a..=i0 + b).map(|i| ret(i) - mu).sum();
    let l = (b - a + 1) as f64;
    (car, car / (s2 * (l + l * l / m)).sqrt())
}

/// OLS of `y` on `x`: (alpha, beta).
pub fn ols(pairs: &[(f64, f64)]) -> (f64, f64) {
    let n = pairs.len() as f64;
    let mx = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let my = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let sxy: f64 = pairs.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pairs.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let beta = sxy / sxx;
    (my - beta * mx, beta)
}
