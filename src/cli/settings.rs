//! The one conversion point from arguments to library values: study parameters, source settings,
//! HTTP limits, close times and chart output are resolved here, once, with the checks that span
//! several flags.

use super::args::{OutputFormat, PriceArgs, RunArgs};
use anyhow::{bail, Result};
use oilcorr::analysis::model::Model;
use oilcorr::analysis::stats::StudyParams;
use oilcorr::analysis::window::Window;
use oilcorr::prices::http::HttpConfig;
use oilcorr::prices::retry::RetryPolicy;
use oilcorr::prices::source::SourceSettings;
use oilcorr::prices::{CloseTime, SeriesId};
use std::path::PathBuf;
use std::time::Duration;

/// Where to fetch from: the source and every base URL, key and file.
pub fn source_settings(p: &PriceArgs) -> SourceSettings {
    SourceSettings {
        kind: p.source.into(),
        fred_url: p.fred_url.clone(),
        fred_api_url: p.fred_api_url.clone(),
        eia_url: p.eia_url.clone(),
        datahub_url: p.datahub_url.clone(),
        fred_api_key: p.fred_api_key.clone(),
        eia_api_key: p.eia_api_key.clone(),
        files: p.prices.iter().map(|f| (f.series, f.path.clone())).collect(),
    }
}

/// Timeouts and retries: connecting is limited to 10 s whatever `--timeout` says.
pub fn http_config(p: &PriceArgs) -> HttpConfig {
    HttpConfig {
        connect_timeout: Duration::from_secs(p.timeout.clamp(1, 10)),
        timeout: Duration::from_secs(p.timeout.max(1)),
        retry: RetryPolicy {
            max_attempts: p.retries.max(1),
            ..Default::default()
        },
    }
}

/// The study parameters of a run, checked against each other.
pub fn study_params(a: &RunArgs) -> Result<StudyParams> {
    let est = a.prices.estimation_window;
    let first = a.car_window.iter().map(|w| w.start).min().unwrap_or(0);
    if est.end >= 0 || est.end >= first {
        bail!("--estimation-window {est} must end before day 0 and before every CAR window starts");
    }
    let model: Model = a.model.into();
    if model.needs_benchmark() && a.benchmark.is_none() {
        bail!("--model {} needs --benchmark SERIES (e.g. SP500)", model.name());
    }
    if a.event_days < 1 || a.event_days > 250 {
        bail!("--event-days must be between 1 and 250, got {}", a.event_days);
    }
    Ok(StudyParams {
        estimation: est,
        windows: a.car_window.clone(),
        model,
        returns: a.returns.into(),
        exclude_events: a.exclude_events,
        bootstrap: a.bootstrap,
        // The ARs kept per event for the CAAR charts: without charts, none beyond day 0 (memory).
        path: if a.no_charts {
            Window::new(0, 0)
        } else {
            Window::new(-a.event_days, a.event_days)
        },
        min_estimation: a.min_estimation.max(2),
    })
}

/// The close of `id`: the last `--close` given for it, or its default.
pub fn close_of(a: &RunArgs, id: SeriesId) -> CloseTime {
    a.closes
        .iter()
        .rev()
        .find(|c| c.series == id)
        .map_or(id.default_close(), |c| c.close)
}

/// Format, size and scale of the charts.
pub fn chart_output(a: &RunArgs) -> oilcorr::plot::Output {
    oilcorr::plot::Output {
        format: a.chart_format.into(),
        size: a.size,
        scale: a.scale,
    }
}

/// The exports folder: `--exports-dir`, or `DATA_DIR/exports`.
pub fn exports_dir(a: &RunArgs) -> PathBuf {
    a.exports_dir
        .clone()
        .unwrap_or_else(|| a.prices.data_dir.join("exports"))
}

/// True when events and summary are written as JSON.
pub fn json(a: &RunArgs) -> bool {
    a.format == OutputFormat::Json
}
