//! Intraday event windows: how far a price moved in the minutes around a statement, against the same
//! clock window on the previous trading days (intraday volatility follows the clock: the open, the
//! settlement and the close are busier than lunch).
//!
//! For a statement at instant `s` and a window `[a, b]` (`--intraday-window -30m,+120m`):
//! - **event bar**: the bar the statement falls in, i.e. the first bar ending after `s` (bars are
//!   stamped at their start);
//! - **window return** `R = ln(P(s+b) / P(s+a))`, where `P(t)` is the close of the last bar that has
//!   ended by `t`: the last trade before `t`, never a later bar. A bar older than `--max-stale` before
//!   `t` (a halt, a holiday, outside trading hours) leaves `R` undefined and says so: prices are never
//!   interpolated or carried across a gap. A window whose two bars belong to different contracts is
//!   undefined too;
//! - **baseline**: `R_d` for the same local clock times (in `--bars-tz`) on each of the previous
//!   `--baseline-days` trading days with bars; `m` and `sd` their mean and sample standard deviation;
//! - **abnormal return** `AR = R − m` (mean-adjusted, as the daily model) and the standardised
//!   `t = AR / sd` (descriptive: no p-value is read off a t distribution, intraday returns are far from
//!   normal);
//! - **placebo p**: the rank of the event among the `n + 1` windows (baseline and event) by distance
//!   from their common mean, `p = #{j : |R_j − M| ≥ |R − M|} / (n + 1)`. The `n + 1` windows are
//!   exchangeable under the null that the statement changed nothing, so the test is exact: it rejects
//!   at most 5 % of the time at 5 % (checked by simulation below), and it cannot go below `1/(n + 1)`.
//!   This is the placebo percentile of MacKinlay-style event studies with the clock held fixed.

use crate::prices::intraday::IntradayBars;
use crate::statements::{Statement, StatementTime};
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;

/// A window around a statement, in seconds relative to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockWindow {
    /// Start offset (negative: before the statement).
    pub from: i64,
    /// End offset.
    pub to: i64,
}

impl std::str::FromStr for ClockWindow {
    type Err = String;
    /// `-30m,+120m`; units `s`, `m`, `h`.
    fn from_str(s: &str) -> Result<Self, String> {
        let err = || format!("expected START,END with units s, m or h, e.g. -30m,+120m; got '{s}'");
        let (a, b) = s.split_once(',').ok_or_else(err)?;
        let secs = |t: &str| -> Option<i64> {
            let t = t.trim();
            let (num, unit) = t.split_at(t.len().checked_sub(1)?);
            let n: i64 = num.trim_start_matches('+').parse().ok()?;
            let k = match unit {
                "s" => 1,
                "m" => 60,
                "h" => 3600,
                _ => return None,
            };
            n.checked_mul(k).filter(|x| x.abs() <= 7 * 86_400)
        };
        let (from, to) = (secs(a).ok_or_else(err)?, secs(b).ok_or_else(err)?);
        if from >= to {
            return Err(format!("the window '{s}' must start before it ends"));
        }
        Ok(ClockWindow { from, to })
    }
}

impl std::fmt::Display for ClockWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let one = |x: i64| match x % 60 {
            0 => format!("{:+}m", x / 60),
            _ => format!("{x:+}s"),
        };
        write!(f, "{},{}", one(self.from), one(self.to))
    }
}

/// How intraday windows are measured.
#[derive(Debug, Clone)]
pub struct IntradayParams {
    /// The windows.
    pub windows: Vec<ClockWindow>,
    /// Previous trading days in the baseline.
    pub baseline_days: usize,
    /// Oldest a bar may be at a window's edge, in seconds.
    pub max_stale: i64,
    /// Zone of the trading day's clock.
    pub tz: Tz,
}

/// A price move over one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowMove {
    /// End of the bar giving the start price, and that price.
    pub from: (i64, f64),
    /// End of the bar giving the end price, and that price.
    pub to: (i64, f64),
    /// `ln(to / from)`.
    pub ret: f64,
}

/// The statistics of an event against its baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Versus {
    /// Baseline windows with a defined return.
    pub n: usize,
    /// Their mean.
    pub mean: f64,
    /// Their sample standard deviation.
    pub sd: f64,
    /// `R − mean`.
    pub ar: f64,
    /// `AR / sd` (`None` when sd is 0).
    pub t: Option<f64>,
    /// The exact placebo p (module notes).
    pub placebo_p: f64,
}

/// One statement × window.
#[derive(Debug, Clone)]
pub struct IntradayRow<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// The window.
    pub window: ClockWindow,
    /// Start of the bar the statement falls in (or the next bar).
    pub bar: Option<i64>,
    /// The move over the window, or why there is none.
    pub event: Result<WindowMove, String>,
    /// The baseline windows' returns, oldest first.
    pub baseline: Vec<f64>,
    /// The statistics (with at least two baseline windows).
    pub versus: Option<Versus>,
    /// What the reader should know.
    pub note: String,
}

/// The move over `[anchor + w.from, anchor + w.to]`, or why it is undefined.
pub fn window_move(
    b: &IntradayBars,
    anchor: i64,
    w: ClockWindow,
    max_stale: i64,
) -> Result<WindowMove, String> {
    let edge = |t: i64, which: &str| -> Result<usize, String> {
        let i = b
            .last_ended_by(t)
            .filter(|&i| b.start[i] + b.step >= t - max_stale);
        i.ok_or_else(|| {
            format!(
                "no bar ended within {} min before the window's {which}",
                max_stale / 60
            )
        })
    };
    let (i0, i1) = (edge(anchor + w.from, "start")?, edge(anchor + w.to, "end")?);
    if b.contract[i0] != b.contract[i1] {
        return Err("the window crosses a contract change".into());
    }
    let (p0, p1) = (b.close[i0], b.close[i1]);
    if p0 <= 0.0 || p1 <= 0.0 {
        return Err("a price <= 0 at the window's edge".into());
    }
    Ok(WindowMove {
        from: (b.start[i0] + b.step, p0),
        to: (b.start[i1] + b.step, p1),
        ret: (p1 / p0).ln(),
    })
}

/// Every timed statement × window, with its baseline and statistics.
pub fn study<'a>(b: &IntradayBars, statements: &'a [Statement], p: &IntradayParams) -> Vec<IntradayRow<'a>> {
    let days = trading_days(b, p.tz);
    let mut rows = Vec::new();
    for st in statements {
        for &w in &p.windows {
            rows.push(row(b, st, w, &days, p));
        }
    }
    rows
}

/// The local dates that have bars, ascending.
fn trading_days(b: &IntradayBars, tz: Tz) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = b.start.iter().map(|&s| local(tz, s).date_naive()).collect();
    days.dedup();
    days
}

fn local(tz: Tz, secs: i64) -> chrono::DateTime<Tz> {
    tz.timestamp_opt(secs, 0)
        .single()
        .unwrap_or_else(|| tz.timestamp_opt(0, 0).unwrap())
}

fn row<'a>(
    b: &IntradayBars,
    st: &'a Statement,
    w: ClockWindow,
    days: &[NaiveDate],
    p: &IntradayParams,
) -> IntradayRow<'a> {
    let StatementTime::Instant(at) = st.time else {
        let why = "time of day unknown: no intraday window".to_string();
        return IntradayRow {
            statement: st,
            window: w,
            bar: None,
            event: Err(why.clone()),
            baseline: vec![],
            versus: None,
            note: why,
        };
    };
    let anchor = at.timestamp();
    let event = window_move(b, anchor, w, p.max_stale);
    let when = local(p.tz, anchor);
    let before = days.partition_point(|d| *d < when.date_naive());
    let mut baseline = Vec::new();
    let mut skipped = 0;
    for d in &days[before.saturating_sub(p.baseline_days)..before] {
        let same_clock = p.tz.from_local_datetime(&d.and_time(when.time())).earliest();
        match same_clock.map(|t| window_move(b, t.timestamp(), w, p.max_stale)) {
            Some(Ok(m)) => baseline.push(m.ret),
            _ => skipped += 1,
        }
    }
    let versus = event.as_ref().ok().and_then(|e| versus(e.ret, &baseline));
    let note = note(&event, baseline.len(), skipped);
    IntradayRow {
        statement: st,
        window: w,
        bar: b.first_ending_after(anchor).map(|i| b.start[i]),
        event,
        baseline,
        versus,
        note,
    }
}

/// The event's return `r` against `baseline` (module notes), with at least two baseline windows.
pub fn versus(r: f64, baseline: &[f64]) -> Option<Versus> {
    let n = baseline.len();
    if n < 2 {
        return None;
    }
    let mean = baseline.iter().sum::<f64>() / n as f64;
    let sd = (baseline.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
    let all_mean = (baseline.iter().sum::<f64>() + r) / (n + 1) as f64;
    let dev = (r - all_mean).abs();
    let as_far = 1 + baseline.iter().filter(|x| (*x - all_mean).abs() >= dev).count();
    Some(Versus {
        n,
        mean,
        sd,
        ar: r - mean,
        t: (sd > 0.0).then(|| (r - mean) / sd),
        placebo_p: as_far as f64 / (n + 1) as f64,
    })
}

fn note(event: &Result<WindowMove, String>, n: usize, skipped: usize) -> String {
    let mut parts = Vec::new();
    if let Err(why) = event {
        parts.push(why.clone());
    }
    if skipped > 0 {
        parts.push(format!("{skipped} baseline day(s) without bars at that time"));
    }
    if n + 1 < 20 {
        parts.push(format!(
            "placebo_p cannot go below 1/{} with {n} baseline days",
            n + 1
        ));
    }
    parts.join("; ")
}

#[cfg(test)]
#[path = "intraday_tests.rs"]
mod tests;
