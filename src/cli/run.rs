//! `oilcorr run`: one analysis from options to files. [`run`] runs the steps in order: `prepare`
//! (parameters, statements, prices, the study), `write_exports` (joined, events and summary files,
//! the printed table, computed concurrently), then the charts and the report ([`super::drawn`]).

use super::acquire::{obtain_all, price_span, requested_series};
use super::args::{OutputFile, RunArgs};
use super::manifest::Digests;
use super::settings::{self, close_of, exports_dir};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use oilcorr::analysis::groups::SummaryRow;
use oilcorr::analysis::stats::StudyParams;
use oilcorr::analysis::{PreparedSeries, Study};
use oilcorr::prices::cache::Cached;
use oilcorr::prices::SeriesId;
use oilcorr::statements::{self, Statement};
use std::path::PathBuf;

/// Age after which an oilcorr temporary file in an output folder is a killed run's leftover.
pub(super) const STALE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Everything a run computed, read by its outputs.
pub(super) struct Prepared {
    pub(super) args: RunArgs,
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    pub(super) cached: Vec<Cached>,
    pub(super) study: Study,
    pub(super) digests: Digests,
}

/// The cross-event results, the stance answer printed for them and the export files written.
pub(super) struct Summary {
    pub(super) rows: Vec<SummaryRow>,
    pub(super) headline: String,
    pub(super) written: Vec<PathBuf>,
}

/// What the manifest records of a run: its options, its span, parameters and prices.
pub(super) struct RunInfo<'a> {
    pub(super) args: &'a RunArgs,
    pub(super) from: NaiveDate,
    pub(super) to: NaiveDate,
    pub(super) params: &'a StudyParams,
    pub(super) cached: &'a [Cached],
    pub(super) digests: &'a Digests,
}

/// The prices a run needs: every series fetched or read from the cache, the analysed ones prepared,
/// and the benchmark of the market models.
pub(super) struct Priced {
    pub(super) cached: Vec<Cached>,
    pub(super) series: Vec<PreparedSeries>,
    pub(super) benchmark: Option<PreparedSeries>,
}

impl Prepared {
    /// What the manifest records.
    pub(super) fn info(&self) -> RunInfo<'_> {
        RunInfo {
            args: &self.args,
            from: self.from,
            to: self.to,
            params: &self.study.params,
            cached: &self.cached,
            digests: &self.digests,
        }
    }

    /// One line per series: where its prices came from and the span of the data actually held.
    pub(super) fn price_lines(&self) -> Vec<String> {
        self.cached
            .iter()
            .map(|c| {
                let d = c.prices.dates();
                let span = match (d.first(), d.last()) {
                    (Some(a), Some(b)) => format!("{a}..{b}"),
                    _ => "no prices".into(),
                };
                format!(
                    "{}: {} prices {span} from `{}`, fetched {}",
                    c.prices.id().label(),
                    d.len(),
                    c.meta.source,
                    c.meta.fetched_at.get(..10).unwrap_or("?")
                )
            })
            .collect()
    }
}

/// Run one analysis.
pub fn run(args: RunArgs) -> Result<()> {
    if super::streamed::chosen(&args)? {
        return super::streamed::run(args);
    }
    let prep = prepare(args)?;
    // Two runs into one folder would leave a mixed set of files: the second waits for the first.
    let dir = exports_dir(&prep.args);
    let _outputs = oilcorr::fsutil::lock_dir(&dir, ".oilcorr.lock", |d| {
        eprintln!("waiting for another oilcorr run writing into {}", d.display());
    })
    .with_context(|| format!("locking {}", dir.display()))?;
    let summary = write_exports(&prep)?;
    let (charts, svg_copies) = if prep.args.no_charts {
        (Vec::new(), None)
    } else {
        super::drawn::draw_charts(&prep, &summary)?
    };
    let report = if prep.args.report {
        let copies = svg_copies
            .as_ref()
            .map(|d| (prep.args.charts_dir.clone(), d.path().to_path_buf()));
        Some(super::drawn::write_report(
            &prep,
            &summary,
            charts.clone(),
            copies,
        )?)
    } else {
        None
    };
    drop(svg_copies);
    let outputs: Vec<PathBuf> = summary
        .written
        .iter()
        .chain(&charts)
        .chain(report.iter())
        .cloned()
        .collect();
    let folders = [dir.as_path(), prep.args.charts_dir.as_path()];
    let stale = super::manifest::remove_stale(&super::manifest::previous(&dir), &outputs, &folders);
    if stale > 0 {
        eprintln!(
            "removed {stale} output(s) of an earlier run into these folders that this run did not write"
        );
    }
    let manifest = super::manifest::write(&dir, &prep.info(), &outputs)?;
    eprintln!("wrote {}", manifest.display());
    if prep.args.json_result {
        let files = super::result::Files {
            exports: &summary.written,
            charts: &charts,
            report: report.as_deref(),
            manifest: &manifest,
        };
        let doc = super::result::document(&prep, &summary.rows, &files);
        super::table::print_text(&format!("{doc}\n"))?;
    }
    // Freeing a large study (hundreds of thousands of strings and rows) takes tens of milliseconds:
    // do it off the main thread, which then exits (or runs the next analysis) without waiting.
    std::thread::spawn(move || drop((prep, summary)));
    Ok(())
}

/// Parameters, statements, prices (fetched or from the cache) and the study.
pub(super) fn prepare(args: RunArgs) -> Result<Prepared> {
    let params = settings::study_params(&args)?;
    let digests = Digests::start(&args.statements);
    let ((stmts, from, to), priced) = loaded_and_priced(&args, &params, || select_statements(&args))?;
    if stmts.is_empty() {
        eprintln!("warning: no statements dated {from}..{to}; charts show prices only");
    }
    let study = Study::run(stmts, priced.series, priced.benchmark, params)?;
    note_outside(&study);
    Ok(Prepared {
        args,
        from,
        to,
        cached: priced.cached,
        study,
        digests,
    })
}

/// What `load` loads (statements, and the dates analysed) and the prices of those dates. With `--from`
/// and `--to` given, the prices do not depend on the statements and are read (or fetched) while the
/// statements load; an error loading the statements is reported first either way.
pub(super) fn loaded_and_priced<S: Send>(
    args: &RunArgs,
    params: &StudyParams,
    load: impl FnOnce() -> Result<(S, NaiveDate, NaiveDate)> + Send,
) -> Result<((S, NaiveDate, NaiveDate), Priced)> {
    let given = args.from.zip(args.to).filter(|(from, to)| from <= to);
    let Some((from, to)) = given else {
        let loaded = load()?;
        let priced = prices(args, params, loaded.1, loaded.2)?;
        return Ok((loaded, priced));
    };
    std::thread::scope(|scope| {
        let priced = scope.spawn(|| prices(args, params, from, to));
        let loaded = load();
        let priced = priced.join().expect("the price reader panicked");
        Ok((loaded?, priced?))
    })
}

/// The prices of statements dated `from..=to`: their span widened by the estimation and event
/// windows, fetched or read from the cache.
pub(super) fn prices(args: &RunArgs, params: &StudyParams, from: NaiveDate, to: NaiveDate) -> Result<Priced> {
    let after = params.event_span().end.max(args.event_days);
    let (p_from, p_to) = price_span(from, to, params.estimation, after);
    let bench_ids: Vec<SeriesId> = args
        .benchmark
        .iter()
        .copied()
        .filter(|_| params.model.needs_benchmark())
        .collect();
    let cached = obtain_all(&args.prices, p_from, p_to, &bench_ids)?;
    let benchmark = bench_ids.first().and_then(|id| {
        let c = cached.iter().find(|c| c.prices.id() == *id)?;
        Some(PreparedSeries::new(c.prices.clone(), close_of(args, *id)))
    });
    let series: Vec<PreparedSeries> = requested_series(&args.prices, &cached)
        .into_iter()
        .map(|s| {
            let close = close_of(args, s.id());
            PreparedSeries::new(s, close)
        })
        .collect();
    Ok(Priced {
        cached,
        series,
        benchmark,
    })
}

/// Say how many statement × series pairs fall outside the price history.
fn note_outside(study: &Study) {
    let mut outside = Outside::default();
    outside.add(study);
    outside.note();
}

/// The statement × series pairs with no day 0 in the price history: how many, and the first's id.
#[derive(Default)]
pub(super) struct Outside {
    n: usize,
    first: Option<String>,
}

impl Outside {
    /// Count the pairs of `batch`.
    pub(super) fn add(&mut self, batch: &Study) {
        for r in batch.rows().filter(|r| r.event_date.is_none()) {
            self.n += 1;
            self.first
                .get_or_insert_with(|| batch.statements[r.statement].id.clone());
        }
    }

    /// Say so on stderr, when there are any.
    pub(super) fn note(&self) {
        if let Some(first) = &self.first {
            eprintln!(
                "note: {} statement × series pair(s) have no day 0 in the price history (before its first \
                 or after its last price; first: {first}); their rows in joined.csv are empty with a note, \
                 and a statement with no day 0 on any series gets no event chart",
                self.n
            );
        }
    }
}

/// Write joined, events and summary, print the table and the stance answer. The cross-event summary
/// is computed while joined and events are written and the table printed: all only read the study.
fn write_exports(prep: &Prepared) -> Result<Summary> {
    let dir = exports_dir(&prep.args);
    oilcorr::fsutil::remove_stale_temps(&dir, STALE);
    let formats = settings::formats(&prep.args);
    let files = oilcorr::export::Exports {
        dir: &dir,
        study: &prep.study,
        formats: &formats,
    };
    let wants = |f: OutputFile| prep.args.outputs.contains(&f);
    // The summary feeds the summary file, the charts' captions, the report and --json.
    let needs_summary =
        wants(OutputFile::Summary) || !prep.args.no_charts || prep.args.report || prep.args.json_result;
    let none = || Ok(Vec::new());
    let (joined, events, rows) = std::thread::scope(|scope| {
        let joined = scope.spawn(|| {
            if wants(OutputFile::Joined) {
                files.joined()
            } else {
                none()
            }
        });
        let events = scope.spawn(|| {
            if wants(OutputFile::Events) {
                files.events()
            } else {
                none()
            }
        });
        let table = scope.spawn(|| super::table::print(&prep.study, prep.args.json_result));
        let summary = match needs_summary {
            true => with_placebo(prep, prep.study.summarize()),
            false => Vec::new(),
        };
        let printed = table.join().expect("the table printer panicked");
        let joined = joined.join().expect("the joined writer panicked");
        let events = events.join().expect("the events writer panicked");
        (printed.and(joined), events, summary)
    });
    let joined = joined.with_context(|| format!("writing joined into {}", dir.display()))?;
    let events = events.with_context(|| format!("writing events into {}", dir.display()))?;
    let summary_files = match wants(OutputFile::Summary) {
        true => files.summary(&rows),
        false => Ok(Vec::new()),
    }
    .with_context(|| format!("writing summary into {}", dir.display()))?;
    let mut written: Vec<PathBuf> = joined.into_iter().chain(events).chain(summary_files).collect();
    if prep.args.panel {
        let panel = files
            .panel()
            .with_context(|| format!("writing the panel into {}", dir.display()))?;
        written.extend(panel);
    }
    report_written(&written, &dir, prep.study.n_rows());
    let headline = match needs_summary {
        true => super::table::stance_lines(&rows, prep.study.params.car()),
        false => String::new(),
    };
    if prep.args.json_result {
        eprint!("{headline}");
    } else {
        super::table::print_text(&headline)?;
    }
    Ok(Summary {
        rows,
        headline,
        written,
    })
}

/// Say which export files were written into `dir`, for how many statement × series rows.
pub(super) fn report_written(written: &[PathBuf], dir: &std::path::Path, rows: usize) {
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    eprintln!(
        "wrote {} into {} ({rows} statement × series rows)",
        names.join(", "),
        dir.display(),
    );
}

/// `rows` with placebo p-values when `--placebo N` asks for them.
fn with_placebo(prep: &Prepared, mut rows: Vec<SummaryRow>) -> Vec<SummaryRow> {
    let draws = prep.args.placebo;
    if draws > 0 {
        let started = std::time::Instant::now();
        let p = oilcorr::analysis::placebo::placebo_p(&prep.study, &rows, draws, prep.args.seed);
        for (r, p) in rows.iter_mut().zip(p) {
            r.placebo = p;
        }
        eprintln!(
            "placebo: {draws} draws of event days (seed {}) in {:.1} s",
            prep.args.seed,
            started.elapsed().as_secs_f64()
        );
    }
    rows
}

/// Statements selected for the run, and the date range they span.
fn select_statements(args: &RunArgs) -> Result<(Vec<Statement>, NaiveDate, NaiveDate)> {
    let (all, dropped) =
        statements::load_with(&args.statements, args.dedupe).context("loading statements")?;
    if let Some((id, file)) = dropped.first() {
        eprintln!(
            "--dedupe: dropped {} repeated statement id(s), first '{id}' in {file}",
            dropped.len()
        );
    }
    let (from, to) = span(
        args,
        all.first()
            .zip(all.last())
            .map(|(a, b)| (a.time.date(), b.time.date())),
    )?;
    let selected: Vec<Statement> = all
        .into_iter()
        .filter(|s| (from..=to).contains(&s.time.date()))
        .collect();
    Ok((selected, from, to))
}

/// The dates analysed: `--from`/`--to`, or else the first and last statement's date (`dates`).
pub(super) fn span(args: &RunArgs, dates: Option<(NaiveDate, NaiveDate)>) -> Result<(NaiveDate, NaiveDate)> {
    let from = args
        .from
        .or(dates.map(|d| d.0))
        .context("no statements to analyse")?;
    let to = args
        .to
        .or(dates.map(|d| d.1))
        .context("no statements to analyse")?;
    if from > to {
        super::usage!("--from {from} is after --to {to}");
    }
    Ok((from, to))
}
