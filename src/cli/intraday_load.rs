//! The bars of `oilcorr intraday`: read from files, or fetched from Yahoo over the span the
//! statements' windows and baselines need.

use super::intraday::IntradayArgs;
use anyhow::{Context, Result};
use oilcorr::prices::bars::BarsFormat;
use oilcorr::prices::intraday::IntradayBars;
use oilcorr::statements::{Statement, StatementTime};

/// Each series' bars with where they came from, for the charts' source line.
pub fn load(args: &IntradayArgs, statements: &[Statement]) -> Result<Vec<(IntradayBars, String)>> {
    let fmt = BarsFormat {
        map: args.map.clone(),
        tz: args.bars_tz,
        ..BarsFormat::default()
    };
    let mut loaded = Vec::new();
    for f in &args.bars {
        let origin = f.path.display().to_string();
        let body = std::fs::read_to_string(&f.path).with_context(|| format!("reading {origin}"))?;
        let bars = oilcorr::prices::intraday::parse(&body, f.series, &origin, &fmt)?;
        let name = f
            .path
            .file_name()
            .map_or(origin.clone(), |n| n.to_string_lossy().into_owned());
        loaded.push((bars, format!("from the file {name}")));
    }
    if !args.yahoo.is_empty() {
        let span = span(args, statements).context("--yahoo: no timed statement to fetch bars around")?;
        let yahoo = oilcorr::prices::yahoo::Yahoo::new(&args.yahoo_url)?;
        let http = oilcorr::prices::http::Http::new(Default::default());
        for &s in &args.yahoo {
            let Some(symbol) = oilcorr::prices::yahoo::symbol(s) else {
                super::usage!("--yahoo has futures only (brent-fut, wti-fut), not {s}");
            };
            let bars =
                oilcorr::prices::yahoo_intraday::fetch(&yahoo, &http.for_series(), s, &args.interval, span)
                    .with_context(|| format!("fetching {s} {} bars from Yahoo", args.interval))?;
            let from = format!("({symbol}, {}) via Yahoo Finance (unofficial)", args.interval);
            loaded.push((bars, from));
        }
    }
    Ok(loaded)
}

/// Epoch seconds from the earliest window start less the baseline's days (trading days × 7/5, plus
/// four for holidays) to the latest window end.
fn span(args: &IntradayArgs, statements: &[Statement]) -> Option<(i64, i64)> {
    let times: Vec<i64> = statements
        .iter()
        .filter_map(|s| match s.time {
            StatementTime::Instant(t) => Some(t.timestamp()),
            StatementTime::Date(_) => None,
        })
        .collect();
    let before = args.windows.iter().map(|w| w.from).min().unwrap_or(0).min(0);
    let after = args.windows.iter().map(|w| w.to).max().unwrap_or(0).max(0);
    let days = (args.baseline_days as i64 * 7 + 4) / 5 + 4;
    Some((
        times.iter().min()? + before - days * 86_400,
        times.iter().max()? + after + 60,
    ))
}
