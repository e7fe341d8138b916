//! `oilcorr run --json`: the run's result as one JSON document on stdout (files written, counts, the
//! stance answer), for scripts and notebooks; everything human goes to stderr.

use super::run::Prepared;
use oilcorr::analysis::events::event_days;
use oilcorr::analysis::groups::{GroupKey, SummaryRow};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// The files a run wrote.
#[derive(Debug)]
pub struct Files<'a> {
    /// Export files (joined, events, summary, panel).
    pub exports: &'a [PathBuf],
    /// Charts.
    pub charts: &'a [PathBuf],
    /// The report, if written.
    pub report: Option<&'a Path>,
    /// The manifest.
    pub manifest: &'a Path,
}

/// The result document of a run.
pub(super) fn document(prep: &Prepared, summary: &[SummaryRow], files: &Files<'_>) -> Value {
    let study = &prep.study;
    let paths = |v: &[PathBuf]| -> Vec<String> { v.iter().map(|p| p.display().to_string()).collect() };
    let series: Vec<Value> = study
        .series
        .iter()
        .map(|s| {
            let dates = s.prepared.prices.dates();
            let source = prep
                .cached
                .iter()
                .find(|c| c.prices.id() == s.id())
                .map(|c| c.meta.source.clone());
            json!({
                "series": s.id().key(),
                "source": source,
                "first_price": dates.first().map(ToString::to_string),
                "last_price": dates.last().map(ToString::to_string),
                "rows_with_day0": s.rows.iter().filter(|r| r.day0.is_some()).count(),
                "event_days": event_days(s.rows.iter()).len(),
            })
        })
        .collect();
    json!({
        "oilcorr": env!("CARGO_PKG_VERSION"),
        "analysis": prep.args.analysis,
        "from": prep.from.to_string(),
        "to": prep.to.to_string(),
        "statements": study.statements.len(),
        "series": series,
        "model": study.params.model.name(),
        "variance": study.params.variance.name(),
        "car_window": study.params.car().to_string(),
        "answer": answer(summary, study.params.car()),
        "files": {
            "exports": paths(files.exports),
            "charts": files.charts.len(),
            "charts_dir": prep.args.charts_dir.display().to_string(),
            "report": files.report.map(|p| p.display().to_string()),
            "manifest": files.manifest.display().to_string(),
        },
    })
}

/// The `all` group's stance answer per series for the headline window, as printed on the terminal.
fn answer(summary: &[SummaryRow], window: oilcorr::analysis::window::Window) -> Vec<Value> {
    summary
        .iter()
        .filter(|r| r.group == GroupKey::All && r.window == window)
        .map(|r| {
            let st = &r.stance;
            json!({
                "series": r.series.key(),
                "statements": r.n_statements,
                "event_days": r.tests.n,
                "caar": r.tests.caar,
                "kp_p": r.tests.kp.map(|s| s.p),
                "placebo_p": r.placebo.caar,
                "event_days_with_stance": st.n,
                "stance_statements": r.stance_statements,
                "hits": st.hits,
                "hit_p": st.hit_p,
                "placebo_hit_p": r.placebo.hits,
                "pearson_r": st.pearson.map(|c| c.r),
                "pearson_p": st.pearson.map(|c| c.p),
                "spearman_rho": st.spearman.map(|c| c.r),
                "spearman_p": st.spearman.map(|c| c.p),
                "split_days": r.split_days.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        })
        .collect()
}
