//! Yahoo's intraday bars (unofficial): `interval` 1m, 2m, 5m, 15m or 60m from the chart endpoint,
//! within Yahoo's limits (research notes, futures-intraday §2.5): 1-minute bars for about the last 30
//! days and at most 7 days per request (so longer spans are asked for in 7-day pieces), 2–15-minute bars
//! within the last 60 days, hourly within 730 days; anything older is refused by Yahoo with a message
//! that is shown as is. 30-minute bars are not offered (Yahoo returns hourly ones). Bars are stamped at
//! their start; null bars are dropped; a bar starting inside the previous one (a live, partial bar) replaces
//! it; bars outside the request are dropped. Nothing is cached: intraday history is short-lived there.

use super::http::{redact, FetchError, Http};
use super::intraday::IntradayBars;
use super::series::SeriesId;
use super::yahoo::{parse_raw, Yahoo};

/// `(interval, bar seconds, longest span of one request in seconds)`.
pub const INTERVALS: [(&str, i64, i64); 5] = [
    ("1m", 60, 7 * 86_400),
    ("2m", 120, 60 * 86_400),
    ("5m", 300, 60 * 86_400),
    ("15m", 900, 60 * 86_400),
    ("60m", 3_600, 730 * 86_400),
];

/// Bars of `series` at `interval` covering `[from, to)` (epoch seconds).
pub fn fetch(
    yahoo: &Yahoo,
    http: &Http,
    series: SeriesId,
    interval: &str,
    (from, to): (i64, i64),
) -> Result<IntradayBars, FetchError> {
    let &(_, step, piece) = INTERVALS
        .iter()
        .find(|i| i.0 == interval)
        .ok_or_else(|| FetchError::BadUrl {
            url: interval.to_string(),
            reason: "interval must be 1m, 2m, 5m, 15m or 60m".into(),
        })?;
    let mut raw: Vec<(i64, f64)> = Vec::new();
    let mut p1 = from;
    while p1 < to {
        let p2 = (p1 + piece).min(to);
        let url = yahoo.bars_url(series, interval, (p1, p2))?;
        let answer = http.get_json(&url)?;
        let (_, bars) = parse_raw(&answer.body, answer.status, &redact(&url), interval)?;
        raw.extend(bars.into_iter().filter(|(t, _)| (p1..p2).contains(t)));
        p1 = p2;
    }
    Ok(assemble(series, raw, step))
}

/// Sorted bars with live partial bars folded into the bar they fall in.
fn assemble(series: SeriesId, mut raw: Vec<(i64, f64)>, step: i64) -> IntradayBars {
    raw.sort_by_key(|b| b.0);
    let mut start: Vec<i64> = Vec::with_capacity(raw.len());
    let mut close: Vec<f64> = Vec::with_capacity(raw.len());
    for (t, p) in raw {
        match start.last() {
            Some(&last) if t < last + step => {
                if let Some(c) = close.last_mut() {
                    *c = p; // a later print of the same bar
                }
            }
            _ => {
                start.push(t);
                close.push(p);
            }
        }
    }
    let n = start.len();
    IntradayBars {
        series,
        start,
        close,
        contract: vec![0; n],
        contracts: vec![String::new()],
        step,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_live_bar_inside_the_last_one_replaces_its_close() {
        let b = assemble(
            SeriesId::WtiFut,
            vec![(120, 3.0), (0, 1.0), (60, 2.0), (150, 4.0)],
            60,
        );
        assert_eq!(b.start, [0, 60, 120]);
        assert_eq!(b.close, [1.0, 2.0, 4.0]);
    }
}
