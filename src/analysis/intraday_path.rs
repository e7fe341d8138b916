//! The price path around a statement at bar resolution, and the band of a normal move at that time of
//! day, for the intraday chart.
//!
//! Path: at each offset `o = k·step` in the span, `ln(P(s + o) / P(s))` with `P(t)` the close of the
//! last bar ended by `t` (as for windows: the last trade, no interpolation; a stale edge leaves a gap).
//! Band: the same quantity on each baseline day at the same local clock time; at each offset, mean ±
//! 1.96 sample standard deviations across the days that have it (at least 5), drawn as
//! `100·exp(·)` around the statement's price.

use super::intraday::IntradayParams;
use crate::prices::intraday::IntradayBars;
use chrono::{NaiveDate, TimeZone};

/// `(offset in seconds, ln(P(anchor + offset) / P(anchor)))` at every bar step of `[from, to]`.
pub fn path(
    b: &IntradayBars,
    anchor: i64,
    (from, to): (i64, i64),
    max_stale: i64,
) -> Vec<(i64, Option<f64>)> {
    let price = |t: i64| {
        b.last_ended_by(t)
            .filter(|&i| b.start[i] + b.step >= t - max_stale)
            .map(|i| (b.close[i], b.contract[i]))
    };
    let base = price(anchor).filter(|(p, _)| *p > 0.0);
    let first = from.div_euclid(b.step);
    let last = to.div_euclid(b.step);
    (first..=last)
        .map(|k| {
            let o = k * b.step;
            let v = match (base, price(anchor + o)) {
                (Some((p0, c0)), Some((p, c))) if p > 0.0 && c == c0 => Some((p / p0).ln()),
                _ => None,
            };
            (o, v)
        })
        .collect()
}

/// The band `(offset, lower, upper)` in log points from the previous `p.baseline_days` trading days
/// at the statement's local clock time.
pub fn band(b: &IntradayBars, anchor: i64, span: (i64, i64), p: &IntradayParams) -> Vec<(i64, f64, f64)> {
    let when = p.tz.timestamp_opt(anchor, 0).single();
    let Some(when) = when else { return vec![] };
    let mut days: Vec<NaiveDate> = b
        .start
        .iter()
        .filter_map(|&s| p.tz.timestamp_opt(s, 0).single().map(|t| t.date_naive()))
        .filter(|d| *d < when.date_naive())
        .collect();
    days.dedup();
    let days = &days[days.len().saturating_sub(p.baseline_days)..];
    let paths: Vec<Vec<(i64, Option<f64>)>> = days
        .iter()
        .filter_map(|d| p.tz.from_local_datetime(&d.and_time(when.time())).earliest())
        .map(|t| path(b, t.timestamp(), span, p.max_stale))
        .collect();
    let Some(first) = paths.first() else { return vec![] };
    let z = super::stats::z975();
    (0..first.len())
        .filter_map(|k| {
            let xs: Vec<f64> = paths.iter().filter_map(|q| q.get(k).and_then(|x| x.1)).collect();
            if xs.len() < 5 {
                return None;
            }
            let n = xs.len() as f64;
            let mean = xs.iter().sum::<f64>() / n;
            let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
            Some((first[k].0, mean - z * sd, mean + z * sd))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prices::SeriesId;

    #[test]
    fn the_path_is_relative_to_the_last_trade_before_the_statement() {
        let b = IntradayBars {
            series: SeriesId::WtiFut,
            start: vec![0, 60, 120, 180],
            close: vec![10.0, 11.0, 12.0, 13.0],
            contract: vec![0; 4],
            contracts: vec![String::new()],
            step: 60,
        };
        // A statement at 90 s: the last bar ended by then closed at 10 (bar 0–60).
        let p = path(&b, 90, (-60, 120), 900);
        let want = [
            (-60, None),
            (0, Some(0.0)),
            (60, Some(1.1_f64.ln())),
            (120, Some(1.2_f64.ln())),
        ];
        assert_eq!(p.len(), want.len());
        for ((o, v), (wo, wv)) in p.iter().zip(want) {
            assert_eq!(*o, wo);
            match (v, wv) {
                (Some(a), Some(b)) => assert!((a - b).abs() < 1e-15),
                (a, b) => assert_eq!(*a, b),
            }
        }
    }
}
