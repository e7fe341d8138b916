//! Intraday bar files (minute or hourly bars from a licensed export): the same columns and time
//! rules as daily bar files ([`super::bars`]), each row one bar stamped at its **start** (Databento,
//! FirstRate, Barchart and Yahoo all stamp bars so). Missing bars stay missing: a minute without
//! trades, a halt or a holiday is never filled in.

use super::bars::{instant, BarsFormat};
use super::series::SeriesId;
use crate::input_error::InputError;

/// Bars of one series in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct IntradayBars {
    /// The series.
    pub series: SeriesId,
    /// Start of each bar, seconds since the Unix epoch (UTC), strictly increasing.
    pub start: Vec<i64>,
    /// Close of each bar.
    pub close: Vec<f64>,
    /// Contract of each bar (an index into `contracts`), for files that name them.
    pub contract: Vec<u32>,
    /// Contract names.
    pub contracts: Vec<String>,
    /// Bar length in seconds: the most common gap between consecutive bars.
    pub step: i64,
}

impl IntradayBars {
    /// Index of the last bar that has ended by `t` (its start + step ≤ `t`).
    pub fn last_ended_by(&self, t: i64) -> Option<usize> {
        self.start.partition_point(|s| s + self.step <= t).checked_sub(1)
    }

    /// Index of the first bar ending after `t`: the bar a statement at `t` falls in, or the next one.
    pub fn first_ending_after(&self, t: i64) -> Option<usize> {
        let i = self.start.partition_point(|s| s + self.step <= t);
        (i < self.start.len()).then_some(i)
    }
}

/// Parse an intraday bar file for `series` (`fmt`: `--map` and `--bars-tz`).
pub fn parse(
    body: &str,
    series: SeriesId,
    origin: &str,
    fmt: &BarsFormat,
) -> Result<IntradayBars, InputError> {
    let rows = super::bars::rows(body, series, origin, fmt, |c| {
        instant(c, fmt.tz).map(|t| t.timestamp())
    })?;
    let rows = rows
        .into_iter()
        .map(|r| (r.at, r.close, r.contract, r.line))
        .collect();
    build(rows, series, origin)
}

/// Sort, check one bar per start time, intern contracts and infer the bar length.
fn build(
    mut rows: Vec<(i64, f64, String, u64)>,
    series: SeriesId,
    origin: &str,
) -> Result<IntradayBars, InputError> {
    rows.sort_by_key(|r| r.0);
    if let Some(w) = rows.windows(2).find(|w| w[0].0 == w[1].0) {
        let want = "one bar per start time (one contract, or a continuous series)";
        let got = format!(
            "a second bar at {}",
            chrono::DateTime::from_timestamp(w[1].0, 0).unwrap_or_default()
        );
        return Err(InputError::new(origin, w[1].3, "time", want, &got));
    }
    let mut contracts: Vec<String> = Vec::new();
    let mut bars = IntradayBars {
        series,
        start: Vec::with_capacity(rows.len()),
        close: Vec::with_capacity(rows.len()),
        contract: Vec::with_capacity(rows.len()),
        contracts: vec![],
        step: 60,
    };
    for (t, p, name, _) in rows {
        let id = match contracts.iter().position(|c| *c == name) {
            Some(i) => i,
            None => {
                contracts.push(name);
                contracts.len() - 1
            }
        };
        bars.start.push(t);
        bars.close.push(p);
        bars.contract.push(id as u32);
    }
    bars.contracts = contracts;
    bars.step = modal_gap(&bars.start).unwrap_or(60);
    Ok(bars)
}

/// The most common positive gap between consecutive starts (ties: the shortest).
fn modal_gap(start: &[i64]) -> Option<i64> {
    let mut counts: std::collections::BTreeMap<i64, usize> = Default::default();
    for w in start.windows(2) {
        *counts.entry(w[1] - w[0]).or_default() += 1;
    }
    let most = *counts.values().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(g, _)| g)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minute_bars_are_ordered_and_their_length_inferred() {
        let body = "timestamp,close\n2020-04-02T14:33:00Z,21.0\n2020-04-02T14:31:00Z,20.0\n\
                    2020-04-02T14:32:00Z,20.5\n2020-04-02T14:40:00Z,22.0\n";
        let b = parse(body, SeriesId::WtiFut, "m.csv", &BarsFormat::default()).unwrap();
        // 2020-04-02T14:31:00Z = 1585837860.
        assert_eq!(b.start, [1585837860, 1585837920, 1585837980, 1585838400]);
        assert_eq!(b.step, 60);
        // 14:32:30 falls in the bar starting 14:32; by then the 14:31 bar has ended.
        let t = 1585837860 + 90;
        assert_eq!((b.first_ending_after(t), b.last_ended_by(t)), (Some(1), Some(0)));
        let dup = "timestamp,close\n2020-04-02T14:31:00Z,1\n2020-04-02T14:31:00Z,2\n";
        let e = parse(dup, SeriesId::WtiFut, "m.csv", &BarsFormat::default()).unwrap_err();
        assert!(e.to_string().contains("line 3, field 'time'"), "{e}");
    }
}
