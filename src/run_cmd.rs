//! `oilcorr run`: one analysis from options to files. [`run`] runs the steps in order: `prepare`
//! (parameters, statements, prices, the study), `write_exports` (joined, events and summary files,
//! the printed table, computed concurrently), `draw_charts` and `write_report`.

use crate::analysis::{self, stats::StudyParams, window::Window, EventRow, PreparedSeries};
use crate::app::{obtain_all, price_span, requested_series};
use crate::cache::Cached;
use crate::cli::RunArgs;
use crate::export::table::Table;
use crate::series::{CloseTime, SeriesId};
use crate::statements::{self, Statement};
use anyhow::{bail, Context, Result};
use chrono::{NaiveDate, Utc};
use std::path::PathBuf;

/// Everything a run computed, read by its outputs.
struct Prepared {
    a: RunArgs,
    params: StudyParams,
    stmts: Vec<Statement>,
    from: NaiveDate,
    to: NaiveDate,
    cached: Vec<Cached>,
    series: Vec<PreparedSeries>,
    benchmark: Option<PreparedSeries>,
    rows: Vec<EventRow>,
}

/// The cross-event results, as computed and as the summary table.
struct Summary {
    rows: Vec<analysis::groups::SummaryRow>,
    table: Table,
    headline: String,
}

/// Run one analysis.
pub fn run(a: RunArgs) -> Result<()> {
    let p = prepare(a)?;
    let summary = write_exports(&p)?;
    let charts = if p.a.no_charts {
        Vec::new()
    } else {
        draw_charts(&p, &summary)?
    };
    if p.a.report {
        write_report(&p, &summary, charts)?;
    }
    Ok(())
}

/// Parameters, statements, prices (fetched or from the cache) and the study rows.
fn prepare(a: RunArgs) -> Result<Prepared> {
    let params = study_params(&a)?;
    let (stmts, from, to) = select_statements(&a)?;
    if stmts.is_empty() {
        eprintln!("warning: no statements dated {from}..{to}; charts show prices only");
    }
    let after = params.event_span().end.max(a.event_days);
    let (p_from, p_to) = price_span(from, to, params.estimation, after);
    let bench_ids: Vec<SeriesId> = a
        .benchmark
        .iter()
        .copied()
        .filter(|_| params.model.needs_benchmark())
        .collect();
    let cached = obtain_all(&a.prices, p_from, p_to, &bench_ids)?;
    let benchmark = bench_ids.first().and_then(|id| {
        let c = cached.iter().find(|c| c.prices.id() == *id)?;
        Some(PreparedSeries::new(c.prices.clone(), close_of(&a, *id)))
    });
    let series: Vec<PreparedSeries> = requested_series(&a.prices, &cached)
        .into_iter()
        .map(|s| {
            let close = close_of(&a, s.id());
            PreparedSeries::new(s, close)
        })
        .collect();
    let rows = analysis::study(&stmts, &series, benchmark.as_ref(), &params)?;
    note_outside(&stmts, &rows);
    Ok(Prepared {
        a,
        params,
        stmts,
        from,
        to,
        cached,
        series,
        benchmark,
        rows,
    })
}

/// Say how many statement × series pairs fall after the last price.
fn note_outside(stmts: &[Statement], rows: &[EventRow]) {
    let outside: Vec<&str> = rows
        .iter()
        .filter(|r| r.event_date.is_none())
        .map(|r| stmts[r.statement].id.as_str())
        .collect();
    if let Some(first) = outside.first() {
        eprintln!(
            "note: {} statement × series pair(s) have no trading day after the statement in the price history \
             (first: {first}); their rows in joined.csv are empty with a note",
            outside.len()
        );
    }
}

fn exports_dir(a: &RunArgs) -> PathBuf {
    a.exports_dir
        .clone()
        .unwrap_or_else(|| a.prices.data_dir.join("exports"))
}

/// Write joined, events and summary, print the table and the stance answer. The cross-event summary
/// is computed while joined and events are written and the table printed: all only read the rows.
fn write_exports(p: &Prepared) -> Result<Summary> {
    let exports = exports_dir(&p.a);
    let residuals = analysis::ResidualSource::new(&p.series, p.benchmark.as_ref(), &p.rows, &p.params);
    let files = crate::export::Files {
        dir: &exports,
        statements: &p.stmts,
        rows: &p.rows,
        params: &p.params,
        json: p.a.format == crate::cli::OutputFormat::Json,
    };
    let (joined, events, rows) = std::thread::scope(|scope| {
        let joined = scope.spawn(|| files.joined());
        let events = scope.spawn(|| files.events());
        let table = scope.spawn(|| crate::summary::print(&p.stmts, &p.rows, &p.params));
        let summary = analysis::groups::summarize(&p.stmts, &p.rows, p.series.len(), &p.params, &residuals);
        table.join().expect("the table printer panicked");
        let joined = joined.join().expect("the joined.csv writer panicked");
        let events = events.join().expect("the events writer panicked");
        (joined, events, summary)
    });
    let joined = joined.with_context(|| format!("writing {}", exports.join("joined.csv").display()))?;
    eprintln!("wrote {} ({} rows)", joined.display(), p.rows.len());
    let events = events.with_context(|| format!("writing events into {}", exports.display()))?;
    let table = crate::export::summary::table(&rows);
    let summary_file = files
        .summary(&table)
        .with_context(|| format!("writing summary into {}", exports.display()))?;
    eprintln!("wrote {} and {}", events.display(), summary_file.display());
    let headline = crate::summary::stance_lines(&rows, p.params.car());
    print!("{headline}");
    Ok(Summary {
        rows,
        table,
        headline,
    })
}

/// Draw the timeline, event and across-event charts of the US$/bbl series; returns the files.
fn draw_charts(p: &Prepared, summary: &Summary) -> Result<Vec<PathBuf>> {
    // Other FRED series (an equity index, gas) are analysed in joined.csv but not drawn on oil axes.
    let oil = |id: SeriesId| !matches!(id, SeriesId::Fred(_));
    let skipped: Vec<&str> = p
        .series
        .iter()
        .map(|s| s.prices.id())
        .filter(|id| !oil(*id))
        .map(|id| id.key())
        .collect();
    if !skipped.is_empty() {
        eprintln!(
            "note: {} not drawn (charts show US$/bbl series only); see joined.csv",
            skipped.join(", ")
        );
    }
    let charted: Vec<PreparedSeries> = p.series.iter().filter(|s| oil(s.prices.id())).cloned().collect();
    let charted_rows: Vec<_> = p.rows.iter().filter(|r| oil(r.series)).cloned().collect();
    let charted_summary: Vec<_> = summary.rows.iter().filter(|r| oil(r.series)).cloned().collect();
    let ctx = crate::charts::ChartContext {
        statements: &p.stmts,
        series: &charted,
        rows: &charted_rows,
        params: &p.params,
        from: p.from,
        to: p.to,
        event_days: p.a.event_days,
        source: source_line(&p.cached),
        summary: &charted_summary,
        shade_windows: p.a.shade_windows,
        output: crate::plot::Output {
            format: p.a.chart_format,
            size: p.a.size,
            scale: p.a.scale,
        },
    };
    let written = crate::charts::draw_all(&ctx, &p.a.charts_dir)?;
    eprintln!("wrote {} charts in {}", written.len(), p.a.charts_dir.display());
    Ok(written)
}

/// Write report.html into the exports folder.
fn write_report(p: &Prepared, summary: &Summary, charts: Vec<PathBuf>) -> Result<()> {
    let report = crate::report::Report {
        title: report_title(&p.a, p.from, p.to),
        statements: &p.stmts,
        range: (p.from, p.to),
        events: &crate::export::events::table(&p.stmts, &p.rows, &p.params),
        summary: &summary.table,
        headline: summary.headline.clone(),
        params: &p.params,
        provenance: p
            .cached
            .iter()
            .map(|c| crate::report::Provenance {
                series: c.prices.id(),
                meta: c.meta.clone(),
                close: Some(close_of(&p.a, c.prices.id())),
            })
            .collect(),
        statement_files: p.a.statements.clone(),
        charts,
        generated: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let path = exports_dir(&p.a).join("report.html");
    crate::report::write(&report, &path).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

fn study_params(a: &RunArgs) -> Result<StudyParams> {
    let est = a.prices.estimation_window;
    let first = a.car_window.iter().map(|w| w.start).min().unwrap_or(0);
    if est.end >= 0 || est.end >= first {
        bail!("--estimation-window {est} must end before day 0 and before every CAR window starts");
    }
    if a.model.needs_benchmark() && a.benchmark.is_none() {
        bail!("--model {} needs --benchmark SERIES (e.g. SP500)", a.model.name());
    }
    if a.event_days < 1 || a.event_days > 250 {
        bail!("--event-days must be between 1 and 250, got {}", a.event_days);
    }
    Ok(StudyParams {
        estimation: est,
        windows: a.car_window.clone(),
        model: a.model,
        returns: a.returns,
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

fn close_of(a: &RunArgs, id: SeriesId) -> CloseTime {
    a.closes
        .iter()
        .rev()
        .find(|c| c.series == id)
        .map_or(id.default_close(), |c| c.close)
}

/// Statements selected for the run, and the date range they span.
fn select_statements(a: &RunArgs) -> Result<(Vec<Statement>, NaiveDate, NaiveDate)> {
    let (all, dropped) = statements::load_with(&a.statements, a.dedupe).context("loading statements")?;
    if let Some((id, file)) = dropped.first() {
        eprintln!(
            "--dedupe: dropped {} repeated statement id(s), first '{id}' in {file}",
            dropped.len()
        );
    }
    let first = all.first().map(|s| s.time.date());
    let last = all.last().map(|s| s.time.date());
    let from = a.from.or(first).context("no statements to analyse")?;
    let to = a.to.or(last).context("no statements to analyse")?;
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let selected: Vec<Statement> = all
        .into_iter()
        .filter(|s| (from..=to).contains(&s.time.date()))
        .collect();
    Ok((selected, from, to))
}

fn report_title(a: &RunArgs, from: NaiveDate, to: NaiveDate) -> String {
    match &a.analysis {
        Some(name) => format!("oilcorr: {name} ({from} to {to})"),
        None => format!("oilcorr: statements {from} to {to}"),
    }
}

fn source_line(cached: &[Cached]) -> String {
    let fetched = cached
        .iter()
        .map(|c| c.meta.fetched_at.get(..10).unwrap_or("?"))
        .max()
        .unwrap_or("?");
    format!(
        "Source: U.S. EIA daily spot prices (Brent RBRTE, WTI RWTC; not futures) via FRED, fetched {fetched}. \
         Chart: oilcorr {}.",
        env!("CARGO_PKG_VERSION")
    )
}
