//! The commands: validated options in, files out. Errors get context here (anyhow) and are printed
//! on one line by `main`.

use crate::analysis::{self, stats::StudyParams, window::Window, PreparedSeries};
use crate::cache::{Cache, Cached};
use crate::cli::{Cli, Command, FetchArgs, PriceArgs, RunArgs, StatementsCommand};
use crate::fetch::source::SourceConfig;
use crate::prices::{self, Obtained, SourceOpts};
use crate::series::{CloseTime, PriceSeries, SeriesId};
use crate::statements::{self, Statement};
use anyhow::{bail, Context, Result};

mod progress {
    //! A spinner on stderr while fetching, only when stderr is a terminal (never in logs or pipes).
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;

    /// A running spinner with `msg`, or a hidden one when stderr is not a terminal.
    pub fn spinner(msg: &str) -> ProgressBar {
        if !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            pb.set_style(style);
        }
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    }
}
use chrono::{Duration, NaiveDate, Utc};

/// Run the command line: `cli` parsed from `matches`, which came from `argv` (program name first).
/// `oilcorr run` may stand for several runs once the config file is applied (see [`crate::named`]).
pub fn run(cli: Cli, matches: &clap::ArgMatches, argv: &[std::ffi::OsString]) -> Result<()> {
    match cli.command {
        Command::Fetch(a) => fetch(a),
        Command::Run(a) => {
            let m = matches.subcommand_matches("run").context("run matches")?;
            for job in crate::named::resolve(*a, m, argv)? {
                match &job.name {
                    Some(name) => {
                        eprintln!("== analysis {name}");
                        run_study(job.args).with_context(|| format!("analysis {name}"))?;
                    }
                    None => run_study(job.args)?,
                }
            }
            Ok(())
        }
        Command::Statements(StatementsCommand::Import(a)) => crate::import_cmd::run(a),
    }
}

/// Calendar span of prices needed so statements dated `[from, to]` have a full estimation window
/// before and `after` trading days after: trading days are converted with 7/5 plus a margin for holidays.
pub fn price_span(from: NaiveDate, to: NaiveDate, est: Window, after: i64) -> (NaiveDate, NaiveDate) {
    let back = (-est.start).max(0) * 7 / 5 + 30;
    let ahead = after.max(0) * 7 / 5 + 10;
    (from - Duration::days(back), to + Duration::days(ahead))
}

fn source_opts(p: &PriceArgs) -> SourceOpts {
    let source = SourceConfig {
        kind: p.source,
        fred_url: p.fred_url.clone(),
        fred_api_url: p.fred_api_url.clone(),
        eia_url: p.eia_url.clone(),
        datahub_url: p.datahub_url.clone(),
        fred_api_key: p.fred_api_key.clone().filter(|k| !k.trim().is_empty()),
        eia_api_key: p.eia_api_key.clone().filter(|k| !k.trim().is_empty()),
        files: p.prices.iter().map(|f| (f.series, f.path.clone())).collect(),
        http: crate::fetch::HttpConfig {
            connect_timeout: std::time::Duration::from_secs(p.timeout.clamp(1, 10)),
            timeout: std::time::Duration::from_secs(p.timeout.max(1)),
            retry: crate::fetch::retry::RetryPolicy {
                max_attempts: p.retries.max(1),
                ..Default::default()
            },
        },
    };
    SourceOpts {
        source,
        offline: p.offline,
        refresh: p.refresh,
    }
}

/// The series to fetch: the requested ones, with `spread` replaced by its inputs.
fn fetch_list(p: &PriceArgs, extra: &[SeriesId]) -> Vec<SeriesId> {
    let mut v: Vec<SeriesId> = p
        .series
        .iter()
        .chain(extra)
        .flat_map(|s| {
            if *s == SeriesId::Spread {
                SeriesId::OIL.to_vec()
            } else {
                vec![*s]
            }
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The requested series in order, without repeats, each built from the fetched ones.
fn requested_series(p: &PriceArgs, fetched: &[Cached]) -> Vec<PriceSeries> {
    let find = |id: SeriesId| fetched.iter().find(|c| c.prices.id() == id).map(|c| &c.prices);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for id in &p.series {
        if seen.contains(id) {
            continue;
        }
        seen.push(*id);
        let series = match id {
            SeriesId::Spread => match (find(SeriesId::Brent), find(SeriesId::Wti)) {
                (Some(b), Some(w)) => Some(crate::series::spread(b, w)),
                _ => None,
            },
            other => find(*other).cloned(),
        };
        out.extend(series);
    }
    out
}

fn obtain_all(p: &PriceArgs, from: NaiveDate, to: NaiveDate, extra: &[SeriesId]) -> Result<Vec<Cached>> {
    let cache = Cache::new(&p.data_dir);
    let opts = source_opts(p);
    let ids = fetch_list(p, extra);
    if !opts.offline {
        opts.source.check(&ids)?;
    }
    let _lock = cache.lock()?;
    let client = crate::fetch::client(&opts.source.http);
    let mut out = Vec::new();
    for id in ids {
        let spinner = progress::spinner(&format!("fetching {id} from {}", opts.source.kind.name()));
        let got = prices::obtain(&cache, &client, id, from, to, &opts);
        spinner.finish_and_clear();
        let got = got?;
        report(&cache, id, &got);
        out.push(got.cached);
    }
    Ok(out)
}

/// One line per series on stderr: what was fetched or reused, and any upstream revisions.
fn report(cache: &Cache, id: SeriesId, got: &Obtained) {
    let c = &got.cached;
    let how = if got.fetched.is_empty() {
        "from the cache".to_string()
    } else {
        let spans: Vec<String> = got.fetched.iter().map(|(a, b)| format!("{a}..{b}")).collect();
        format!("fetched {} from {}", spans.join(" and "), c.meta.source)
    };
    eprintln!(
        "{id}: {} trading days ({}..{}), {how}; cache {}",
        c.prices.len(),
        c.meta.from,
        c.meta.to,
        cache.price_path(id).display()
    );
    if let Some((d, old, new)) = got.changed.first() {
        eprintln!(
            "{id}: {} cached price(s) changed upstream and were replaced (first: {d} {old} -> {new})",
            got.changed.len()
        );
    }
}

fn fetch(a: FetchArgs) -> Result<()> {
    let to = a.to.unwrap_or_else(|| Utc::now().date_naive());
    if a.from > to {
        bail!("--from {} is after --to {to}", a.from);
    }
    let (from, to) = price_span(a.from, to, a.prices.estimation_window, 20);
    obtain_all(&a.prices, from, to, &[])?;
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

fn run_study(a: RunArgs) -> Result<()> {
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
    let prepared: Vec<PreparedSeries> = requested_series(&a.prices, &cached)
        .into_iter()
        .map(|s| {
            let close = close_of(&a, s.id());
            PreparedSeries::new(s, close)
        })
        .collect();
    let rows = analysis::study(&stmts, &prepared, benchmark.as_ref(), &params)?;
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
    let exports = a
        .exports_dir
        .clone()
        .unwrap_or_else(|| a.prices.data_dir.join("exports"));
    // joined.csv is written while the cross-event summary is computed (both only read the rows).
    let residuals = analysis::ResidualSource::new(&prepared, benchmark.as_ref(), &rows, &params);
    let json = a.format == crate::cli::OutputFormat::Json;
    let files = crate::export::Files {
        dir: &exports,
        statements: &stmts,
        rows: &rows,
        params: &params,
        json,
    };
    // The cross-event summary is computed while joined.csv and events are written and the table is
    // printed: all of them only read the rows.
    let (joined, events, summary) = std::thread::scope(|scope| {
        let joined = scope.spawn(|| files.joined());
        let events = scope.spawn(|| files.events());
        let table = scope.spawn(|| crate::summary::print(&stmts, &rows, &params));
        let summary = analysis::groups::summarize(&stmts, &rows, prepared.len(), &params, &residuals);
        table.join().expect("the table printer panicked");
        let joined = joined.join().expect("the joined.csv writer panicked");
        (
            joined,
            events.join().expect("the events writer panicked"),
            summary,
        )
    });
    let joined = joined.with_context(|| format!("writing {}", exports.join("joined.csv").display()))?;
    eprintln!("wrote {} ({} rows)", joined.display(), rows.len());
    let events = events.with_context(|| format!("writing events into {}", exports.display()))?;
    let summary_table = crate::export::summary::table(&summary);
    let summary_file = files
        .summary(&summary_table)
        .with_context(|| format!("writing summary into {}", exports.display()))?;
    eprintln!("wrote {} and {}", events.display(), summary_file.display());
    let headline = crate::summary::stance_lines(&summary, params.car());
    print!("{headline}");
    let mut charts_written = Vec::new();
    if !a.no_charts {
        // Charts are in US$ per barrel: other FRED series (an equity index, gas) are analysed in
        // joined.csv but not drawn on the oil axes.
        let oil = |id: SeriesId| !matches!(id, SeriesId::Fred(_));
        let skipped: Vec<&str> = prepared
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
        let charted: Vec<PreparedSeries> = prepared.iter().filter(|s| oil(s.prices.id())).cloned().collect();
        let charted_rows: Vec<_> = rows.iter().filter(|r| oil(r.series)).cloned().collect();
        let charted_summary: Vec<_> = summary.iter().filter(|r| oil(r.series)).cloned().collect();
        let ctx = crate::charts::ChartContext {
            statements: &stmts,
            series: &charted,
            rows: &charted_rows,
            params: &params,
            from,
            to,
            event_days: a.event_days,
            source: source_line(&cached),
            summary: &charted_summary,
            shade_windows: a.shade_windows,
            output: crate::plot::Output {
                format: a.chart_format,
                size: a.size,
                scale: a.scale,
            },
        };
        charts_written = crate::charts::draw_all(&ctx, &a.charts_dir)?;
        eprintln!(
            "wrote {} charts in {}",
            charts_written.len(),
            a.charts_dir.display()
        );
    }
    if a.report {
        let report = crate::report::Report {
            title: report_title(&a, from, to),
            statements: &stmts,
            range: (from, to),
            events: &crate::export::events::table(&stmts, &rows, &params),
            summary: &summary_table,
            headline,
            params: &params,
            provenance: cached
                .iter()
                .map(|c| crate::report::Provenance {
                    series: c.prices.id(),
                    meta: c.meta.clone(),
                    close: Some(close_of(&a, c.prices.id())),
                })
                .collect(),
            statement_files: a.statements.clone(),
            charts: charts_written,
            generated: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        let path = exports.join("report.html");
        crate::report::write(&report, &path).with_context(|| format!("writing {}", path.display()))?;
        eprintln!("wrote {}", path.display());
    }
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_span_reaches_back_a_year_and_a_bit() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (f, t) = price_span(d("2020-03-01"), d("2020-05-31"), Window::new(-260, -11), 10);
        assert_eq!(f, d("2020-03-01") - Duration::days(364 + 30));
        assert_eq!(t, d("2020-05-31") + Duration::days(24));
    }
}
