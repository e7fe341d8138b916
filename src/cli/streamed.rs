//! `oilcorr run --memory bounded`: the same files as the in-memory run, in memory that grows with the
//! price history and the event days rather than with the statements. The statements are sorted on
//! disk ([`oilcorr::statements::spill`]); a first pass over them finds every day 0 (the days excluded
//! from estimation and the events file's event days depend on all of them); a second computes the
//! rows a batch at a time ([`StudyBatches`]), appends them to joined and events
//! ([`StreamedExports`]) and tallies them for the summary ([`Tally`]) and the printed table.
//! Charts, the report, `--json`, `--panel` and `--placebo` read the whole study and are not offered.

use super::args::{MemoryChoice, OutputFile, RunArgs};
use super::manifest::Digests;
use super::run::{loaded_and_priced, span, Outside, RunInfo};
use super::settings::{self, exports_dir};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use oilcorr::analysis::events::DayIndex;
use oilcorr::analysis::groups::summarize;
use oilcorr::analysis::stats::StudyParams;
use oilcorr::analysis::study::day_zeros;
use oilcorr::analysis::tally::Tally;
use oilcorr::analysis::{PreparedSeries, StudyBatches};
use oilcorr::export::events::Days;
use oilcorr::export::streamed::StreamedExports;
use oilcorr::export::Format;
use oilcorr::statements::spill::{spill, Spill, RUN};
use oilcorr::statements::Statement;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Statement files above this size run in bounded memory under `--memory auto`: ~350,000 statements
/// of the benchmark's kind (fewer with longer texts). Below it, the whole study takes less memory than
/// a bounded run's ~0.3 GB of batches in flight (measured: 298 against 327 MB at 250,000 statements,
/// 511 against 325 MB at 500,000) and is a little faster.
const AUTO_BYTES: u64 = 24 << 20;

/// Statements per batch of rows.
const BATCH: usize = 32_768;

/// Statements per sorted run and per batch: [`RUN`] and [`BATCH`], or both `OILCORR_BOUNDED_BATCH`
/// (for tests: many runs and batches from a small input).
fn sizes() -> (usize, usize) {
    std::env::var("OILCORR_BOUNDED_BATCH")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .map_or((RUN, BATCH), |n| (n, n))
}

/// What needs the whole study, as the option that asks for it (`None`: the run can be bounded).
fn needs_whole(args: &RunArgs) -> Option<&'static str> {
    let formats = settings::formats(args);
    [
        (!args.no_charts, "charts (add --no-charts)"),
        (args.report, "--report"),
        (args.json_result, "--json"),
        (args.panel, "--panel"),
        (args.placebo > 0, "--placebo"),
        (
            formats.iter().any(|f| matches!(f, Format::Json | Format::Arrow)),
            "--format json or arrow",
        ),
    ]
    .into_iter()
    .find_map(|(on, what)| on.then_some(what))
}

/// Whether this run goes bounded: asked for, or `auto` with large statement files and nothing that
/// needs the whole study. Asked for with something that needs it, a usage error naming it.
pub(super) fn chosen(args: &RunArgs) -> Result<bool> {
    match (args.memory, needs_whole(args)) {
        (MemoryChoice::Whole, _) => Ok(false),
        (MemoryChoice::Bounded, Some(what)) => {
            super::usage!("--memory bounded writes files only: {what} needs the whole study in memory")
        }
        (MemoryChoice::Bounded, None) => Ok(true),
        (MemoryChoice::Auto, Some(_)) => Ok(false),
        (MemoryChoice::Auto, None) => {
            let bytes: u64 = args
                .statements
                .iter()
                .filter_map(|p| std::fs::metadata(p).ok())
                .map(|m| m.len())
                .sum();
            Ok(bytes > AUTO_BYTES)
        }
    }
}

/// Run one analysis in bounded memory.
pub(super) fn run(args: RunArgs) -> Result<()> {
    let params = settings::study_params(&args)?;
    let digests = Digests::start(&args.statements);
    let ((sorted, from, to), priced) = loaded_and_priced(&args, &params, || load(&args))?;
    let (seen, index) = event_days(&sorted, &priced.series)?;
    let ids: Vec<_> = priced.series.iter().map(|s| s.prices.id()).collect();
    let mut study = StudyBatches::new(priced.series, priced.benchmark, params.clone(), &seen);

    let dir = exports_dir(&args);
    let _outputs = oilcorr::fsutil::lock_dir(&dir, ".oilcorr.lock", |d| {
        eprintln!("waiting for another oilcorr run writing into {}", d.display());
    })
    .with_context(|| format!("locking {}", dir.display()))?;
    oilcorr::fsutil::remove_stale_temps(&dir, std::time::Duration::from_secs(3600));
    let days = oilcorr::export::events::days_of(ids.into_iter().zip(index), &params);
    let mut files = open(&args, &dir, &params, days)?;
    let needs_summary = args.outputs.contains(&OutputFile::Summary);
    let gathered = write_batches(&sorted, &mut study, &mut files, needs_summary)
        .with_context(|| format!("writing into {}", dir.display()))?;
    drop(sorted);
    // The summary is computed while the files are synced (the disk's time, not the processor's).
    let (written, summary) = std::thread::scope(|scope| {
        let finishing = scope.spawn(move || files.finish());
        let summary = match needs_summary {
            true => summarize(&gathered.tally, study.series(), study.params()),
            false => Vec::new(),
        };
        (finishing.join().expect("the export writer panicked"), summary)
    });
    let mut written = written.with_context(|| format!("writing into {}", dir.display()))?;
    gathered.outside.note();
    if needs_summary {
        let files = oilcorr::export::write_summary(&dir, &summary, &settings::formats(&args))
            .with_context(|| format!("writing summary into {}", dir.display()))?;
        written.extend(files);
    }
    super::table::print_text(&gathered.table.text())?;
    super::run::report_written(&written, &dir, gathered.rows);
    if needs_summary {
        super::table::print_text(&super::table::stance_lines(&summary, params.car()))?;
    }
    let info = RunInfo {
        args: &args,
        from,
        to,
        params: &params,
        cached: &priced.cached,
        digests: &digests,
    };
    finish(&args, &dir, &written, info)
}

/// The statements of `--statements` within `--from`/`--to`, sorted on disk, and the dates analysed.
fn load(args: &RunArgs) -> Result<(Spill, NaiveDate, NaiveDate)> {
    let (lo, hi) = (args.from, args.to);
    let within =
        |s: &Statement| lo.is_none_or(|f| s.time.date() >= f) && hi.is_none_or(|t| s.time.date() <= t);
    let sorted = spill(&args.statements, args.dedupe, within, sizes().0).context("loading statements")?;
    if let Some((id, file)) = sorted.dropped.first() {
        eprintln!(
            "--dedupe: dropped {} repeated statement id(s), first '{id}' in {file}",
            sorted.dropped.len()
        );
    }
    let (from, to) = span(args, sorted.span)?;
    if sorted.len == 0 {
        eprintln!("warning: no statements dated {from}..{to}; charts show prices only");
    }
    Ok((sorted, from, to))
}

/// Open joined and events in each format asked for in `dir`, as `--outputs` asks.
fn open(args: &RunArgs, dir: &std::path::Path, params: &StudyParams, days: Days) -> Result<StreamedExports> {
    let formats = settings::formats(args);
    let wanted = |f: OutputFile, formats: Vec<Format>| match args.outputs.contains(&f) {
        true => formats,
        false => Vec::new(),
    };
    let (joined, events) = (
        wanted(OutputFile::Joined, formats.clone()),
        wanted(OutputFile::Events, formats),
    );
    StreamedExports::create(dir, &joined, &events, params, days)
        .with_context(|| format!("writing into {}", dir.display()))
}

/// What the batches leave besides the files: the summary's tally, the printed table, the pairs
/// without a day 0 and the number of rows.
struct Gathered {
    tally: Tally,
    table: super::table::TableAcc,
    outside: Outside,
    rows: usize,
}

/// Compute and write every batch, three stages at once: the sorted runs merged into the next batch,
/// its rows computed, the previous batch's rows written (one file per thread) and tallied.
fn write_batches(
    sorted: &Spill,
    study: &mut StudyBatches,
    files: &mut StreamedExports,
    needs_summary: bool,
) -> Result<Gathered> {
    let mut gathered = Gathered {
        tally: Tally::new(study.series().len()),
        table: super::table::TableAcc::new(study.params().car()),
        outside: Outside::default(),
        rows: 0,
    };
    let merged = batches(sorted)?;
    std::thread::scope(|scope| -> Result<()> {
        let (to_rows, statements) = std::sync::mpsc::sync_channel::<Result<Vec<Statement>>>(1);
        let (to_files, done) = std::sync::mpsc::sync_channel::<oilcorr::analysis::Study>(1);
        scope.spawn(move || {
            for b in merged {
                if to_rows.send(b).is_err() {
                    return;
                }
            }
        });
        let g = &mut gathered;
        let writer = scope.spawn(move || -> std::io::Result<()> {
            for batch in done {
                std::thread::scope(|inner| {
                    let writing = inner.spawn(|| files.push(&batch));
                    if needs_summary {
                        g.tally.add(&batch);
                    }
                    g.table.add(&batch);
                    g.outside.add(&batch);
                    g.rows += batch.n_rows();
                    writing.join().expect("the export writer panicked")
                })?;
            }
            Ok(())
        });
        for batch in statements {
            let batch = study.next(batch?)?;
            if to_files.send(batch).is_err() {
                break;
            }
        }
        drop(to_files);
        writer.join().expect("the export writer panicked")?;
        Ok(())
    })?;
    Ok(gathered)
}

/// Remove an earlier run's outputs this run did not write and write the manifest.
fn finish(args: &RunArgs, dir: &std::path::Path, written: &[PathBuf], info: RunInfo) -> Result<()> {
    let folders = [dir, args.charts_dir.as_path()];
    let stale = super::manifest::remove_stale(&super::manifest::previous(dir), written, &folders);
    if stale > 0 {
        eprintln!(
            "removed {stale} output(s) of an earlier run into these folders that this run did not write"
        );
    }
    let manifest = super::manifest::write(dir, &info, written)?;
    eprintln!("wrote {}", manifest.display());
    Ok(())
}

/// The sorted statements in batches of [`BATCH`].
fn batches(sorted: &Spill) -> Result<impl Iterator<Item = Result<Vec<Statement>>> + '_> {
    let mut merged = sorted.merged().context("reading the statements' sorted runs")?;
    Ok(std::iter::from_fn(move || {
        let size = sizes().1;
        let mut batch = Vec::with_capacity(size);
        for s in merged.by_ref().take(size) {
            match s {
                Ok(s) => batch.push(s),
                Err(e) => {
                    return Some(Err(
                        anyhow::Error::new(e).context("reading the statements' sorted runs")
                    ))
                }
            }
        }
        (!batch.is_empty()).then_some(Ok(batch))
    }))
}

/// Per series, day-0 indexes (`None`: no trading day after the statement).
type DayZeros = Vec<Vec<Option<usize>>>;

/// Per series, every day 0 the statements fall on (as [`day_zeros`] gives them: the days excluded from
/// estimation) and the event days with their statement counts (the events file's `day_statements`
/// and `overlapping_days`).
fn event_days(sorted: &Spill, series: &[PreparedSeries]) -> Result<(DayZeros, Vec<DayIndex>)> {
    let mut counts: Vec<BTreeMap<usize, usize>> = vec![BTreeMap::new(); series.len()];
    let mut seen: Vec<BTreeSet<Option<usize>>> = vec![BTreeSet::new(); series.len()];
    let mut times = sorted.times().context("reading the statements' sorted runs")?;
    loop {
        let chunk = times
            .by_ref()
            .take(BATCH)
            .collect::<std::io::Result<Vec<_>>>()
            .context("reading the statements' sorted runs")?;
        if chunk.is_empty() {
            break;
        }
        let days = day_zeros(&chunk, series)?;
        for ((d, c), s) in days.iter().zip(&mut counts).zip(&mut seen) {
            for day in d {
                s.insert(*day);
                // Day 0 at index 0 means the statement precedes the data: no event day (as in its row).
                if let Some(k) = day.filter(|k| *k > 0) {
                    *c.entry(k).or_default() += 1;
                }
            }
        }
    }
    let index = counts
        .into_iter()
        .zip(series)
        .map(|(c, s)| {
            let dates = s.prices.dates();
            let days: Vec<(usize, NaiveDate, usize)> = c.into_iter().map(|(k, n)| (k, dates[k], n)).collect();
            DayIndex::from_days(days)
        })
        .collect();
    let seen = seen.into_iter().map(|s| s.into_iter().collect()).collect();
    Ok((seen, index))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn args(extra: &[&str]) -> RunArgs {
        let argv = ["oilcorr", "run"].iter().chain(extra);
        let super::super::args::Command::Run(r) =
            super::super::args::Cli::try_parse_from(argv).unwrap().command
        else {
            unreachable!("a run")
        };
        *r
    }

    #[test]
    fn auto_goes_bounded_only_past_the_size_and_when_nothing_needs_the_whole_study() {
        let dir = tempfile::tempdir().unwrap();
        let (small, big) = (dir.path().join("small.csv"), dir.path().join("big.csv"));
        // Sizes only: `chosen` reads the files' lengths, never their contents (sparse files).
        std::fs::File::create(&small)
            .unwrap()
            .set_len(AUTO_BYTES)
            .unwrap();
        std::fs::File::create(&big)
            .unwrap()
            .set_len(AUTO_BYTES + 1)
            .unwrap();
        let (small, big) = (small.to_str().unwrap(), big.to_str().unwrap());
        let chosen_for = |extra: &[&str]| chosen(&args(extra)).unwrap();
        assert!(!chosen_for(&["--statements", small, "--no-charts"]));
        assert!(chosen_for(&["--statements", big, "--no-charts"]));
        // Two files count together.
        assert!(chosen_for(&[
            "--statements",
            small,
            "--statements",
            small,
            "--no-charts"
        ]));
        for needs in [
            vec![],
            vec!["--no-charts", "--report"],
            vec!["--no-charts", "--json"],
            vec!["--no-charts", "--panel"],
            vec!["--no-charts", "--placebo", "9"],
            vec!["--no-charts", "--format", "csv,json"],
            vec!["--no-charts", "--format", "arrow"],
        ] {
            let mut a = vec!["--statements", big];
            a.extend(&needs);
            assert!(!chosen_for(&a), "{needs:?}");
        }
        assert!(chosen_for(&[
            "--statements",
            big,
            "--no-charts",
            "--format",
            "parquet"
        ]));
        assert!(!chosen_for(&[
            "--statements",
            big,
            "--no-charts",
            "--memory",
            "whole"
        ]));
        assert!(chosen_for(&[
            "--statements",
            small,
            "--no-charts",
            "--memory",
            "bounded"
        ]));
        let refused = chosen(&args(&[
            "--statements",
            small,
            "--memory",
            "bounded",
            "--report",
            "--no-charts",
        ]));
        assert!(refused
            .unwrap_err()
            .to_string()
            .contains("--report needs the whole study"));
    }
}
