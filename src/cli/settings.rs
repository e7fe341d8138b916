//! The one conversion point from arguments to library values: study parameters, source settings,
//! HTTP limits, close times and chart output are resolved here, once, with the checks that span
//! several flags.

use super::args::{OutputFormat, PriceArgs, RunArgs};
use anyhow::Result;
use oilcorr::analysis::model::Model;
use oilcorr::analysis::stats::StudyParams;
use oilcorr::analysis::window::Window;
use oilcorr::prices::http::HttpConfig;
use oilcorr::prices::retry::RetryPolicy;
use oilcorr::prices::SourceSettings;
use oilcorr::prices::{CloseTime, SeriesId};
use std::path::PathBuf;
use std::time::Duration;

/// Where to fetch from with source `kind`: every base URL, key and file.
pub fn source_settings(prices: &PriceArgs, kind: oilcorr::prices::source::SourceKind) -> SourceSettings {
    SourceSettings {
        kind,
        fred_url: prices.fred_url.clone(),
        fred_api_url: prices.fred_api_url.clone(),
        eia_url: prices.eia_url.clone(),
        datahub_url: prices.datahub_url.clone(),
        yahoo_url: prices.yahoo_url.clone(),
        fred_api_key: prices.fred_api_key.clone(),
        eia_api_key: prices.eia_api_key.clone(),
        files: prices.prices.iter().map(|f| (f.series, f.path.clone())).collect(),
        bars: bars_format(prices),
    }
}

/// How bar files are read: `--map`, `--bars-tz`, `--roll`, `--roll-days`.
fn bars_format(prices: &PriceArgs) -> oilcorr::prices::bars::BarsFormat {
    use oilcorr::prices::roll::RollRule;
    oilcorr::prices::bars::BarsFormat {
        map: prices.map.clone(),
        tz: prices.bars_tz,
        roll: match prices.roll {
            super::args::RollChoice::Expiry => RollRule::Expiry {
                days_before: prices.roll_days,
            },
            super::args::RollChoice::Volume => RollRule::Volume,
        },
    }
}

/// Timeouts, retries and the deadline: connecting is limited to 10 s whatever `--timeout` says; the
/// body-size cap is the default.
pub fn http_config(prices: &PriceArgs) -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(prices.timeout.clamp(1, 10)),
        timeout: Duration::from_secs(prices.timeout.max(1)),
        retry: RetryPolicy {
            max_attempts: prices.retries.max(1),
            ..Default::default()
        },
        deadline: Duration::from_secs(prices.deadline.max(1)),
        ..Default::default()
    }
}

/// The study parameters of a run, checked against each other.
pub fn study_params(args: &RunArgs) -> Result<StudyParams> {
    let est = args.prices.estimation_window;
    let first = args.car_window.iter().map(|w| w.start).min().unwrap_or(0);
    if est.end >= 0 || est.end >= first {
        super::usage!("--estimation-window {est} must end before day 0 and before every CAR window starts");
    }
    let model: Model = args.model.into();
    if model.needs_benchmark() && args.benchmark.is_none() {
        super::usage!("--model {} needs --benchmark SERIES (e.g. SP500)", model.name());
    }
    if args.event_days < 1 || args.event_days > 250 {
        super::usage!("--event-days must be between 1 and 250, got {}", args.event_days);
    }
    Ok(StudyParams {
        estimation: est,
        windows: args.car_window.clone(),
        model,
        returns: args.returns.into(),
        variance: args.variance.into(),
        exclude_events: args.exclude_events,
        exclude_rolls: args.exclude_rolls,
        bootstrap: args.bootstrap,
        // The ARs kept per event for the CAAR charts and the panel: without either, none beyond day 0
        // (memory).
        path: if args.no_charts && !args.panel {
            Window::new(0, 0)
        } else {
            Window::new(-args.event_days, args.event_days)
        },
        min_estimation: args.min_estimation.max(2),
    })
}

/// The close of `id`: the last `--close` given for it, or its default.
pub fn close_of(args: &RunArgs, id: SeriesId) -> CloseTime {
    args.closes
        .iter()
        .rev()
        .find(|c| c.series == id)
        .map_or(id.default_close(), |c| c.close)
}

/// Format, size and scale of the charts.
pub fn chart_output(args: &RunArgs) -> oilcorr::plot::Output {
    oilcorr::plot::Output {
        format: args.chart_format.into(),
        size: args.size,
        scale: args.scale,
    }
}

/// The exports folder: `--exports-dir`, or `DATA_DIR/exports`.
pub fn exports_dir(args: &RunArgs) -> PathBuf {
    args.exports_dir
        .clone()
        .unwrap_or_else(|| args.prices.data_dir.join("exports"))
}

/// The formats of the export files, each once, in the order given.
pub fn formats(args: &RunArgs) -> Vec<oilcorr::export::Format> {
    use oilcorr::export::Format;
    let mut out: Vec<Format> = Vec::new();
    for f in &args.format {
        let f = match f {
            OutputFormat::Csv => Format::Csv,
            OutputFormat::Json => Format::Json,
            OutputFormat::Parquet => Format::Parquet,
            OutputFormat::Arrow => Format::Arrow,
        };
        if !out.contains(&f) {
            out.push(f);
        }
    }
    if out.is_empty() {
        out.push(Format::Csv);
    }
    out
}
