//! The charts and the report of `oilcorr run`: the timeline, event and across-event charts of the
//! US$/bbl series (the fonts chosen for the statements' scripts), and report.html with the tables,
//! provenance and charts of the run.

use super::args::RunArgs;
use super::run::{Prepared, Summary, STALE};
use super::settings::{self, close_of, exports_dir};
use anyhow::{Context, Result};
use chrono::{NaiveDate, Utc};
use oilcorr::analysis::groups::SummaryRow;
use oilcorr::prices::cache::Cached;
use oilcorr::prices::SeriesId;
use oilcorr::statements::Statement;
use std::path::PathBuf;

/// Draw the timeline, event and across-event charts of the US$/bbl series; returns the files and,
/// for `--report` with PNG charts, a temporary folder with the same charts as SVG.
pub(super) fn draw_charts(
    prep: &Prepared,
    summary: &Summary,
) -> Result<(Vec<PathBuf>, Option<tempfile::TempDir>)> {
    for dir in [
        prep.args.charts_dir.clone(),
        prep.args.charts_dir.join("events"),
        prep.args.charts_dir.join("summary"),
    ] {
        oilcorr::fsutil::remove_stale_temps(&dir, STALE);
    }
    // Other FRED series (an equity index, gas) are analysed in joined.csv but not drawn on oil axes.
    let oil = |id: SeriesId| !matches!(id, SeriesId::Fred(_));
    let skipped: Vec<&str> = prep
        .study
        .select(|id| !oil(id))
        .iter()
        .map(|s| s.id().key())
        .collect();
    if !skipped.is_empty() {
        eprintln!(
            "note: {} not drawn (charts show US$/bbl series only); see joined.csv",
            skipped.join(", ")
        );
    }
    let charted_summary: Vec<SummaryRow> = summary.rows.iter().filter(|r| oil(r.series)).cloned().collect();
    let span = timeline_span(prep.from, prep.to);
    let kinds = oilcorr::prices::attribution::kinds(&used(&prep.cached));
    let ctx = oilcorr::plot::draw::ChartContext {
        study: &prep.study,
        series: prep.study.select(oil),
        from: span.0,
        to: span.1,
        event_days: prep.args.event_days,
        source: source_line(&prep.cached),
        prices_label: kinds.0.into(),
        axis_label: kinds.1.into(),
        summary: &charted_summary,
        shade_windows: prep.args.shade_windows,
        output: settings::chart_output(&prep.args),
    };
    choose_fonts(&prep.args.fonts, &prep.study.statements)?;
    let written = oilcorr::plot::draw::draw_all(&ctx, &prep.args.charts_dir)?;
    eprintln!(
        "wrote {} charts in {}",
        written.len(),
        prep.args.charts_dir.display()
    );
    // The report embeds SVG (sharp when zoomed on a phone or shown on a 2x screen): PNG charts are
    // drawn again as SVG into a temporary folder for it.
    let copies = if prep.args.report && ctx.output.format == oilcorr::plot::ChartFormat::Png {
        let dir = tempfile::tempdir().context("creating a temporary folder for the report's charts")?;
        let svg = oilcorr::plot::draw::ChartContext {
            output: oilcorr::plot::Output {
                format: oilcorr::plot::ChartFormat::Svg,
                ..ctx.output
            },
            ..ctx
        };
        oilcorr::plot::draw::draw_all(&svg, dir.path())?;
        Some(dir)
    } else {
        None
    };
    Ok((written, copies))
}

/// Choose the charts' fonts for `statements` (`--font`, `OILCORR_FONTS`, the machine's fonts for
/// characters DejaVu Sans lacks), say which fallbacks were taken, and name each statement with
/// characters no font covers (drawn as U+FFFD there; joined.csv and the report carry the text).
pub(super) fn choose_fonts(files: &[PathBuf], statements: &[Statement]) -> Result<()> {
    let texts = statements
        .iter()
        .flat_map(|s| [s.speaker.as_str(), s.text.as_str()]);
    let stack = oilcorr::plot::fonts::configure(files, texts).context("loading --font")?;
    for origin in stack.fallbacks() {
        eprintln!("charts: characters DejaVu Sans lacks drawn with {origin}");
    }
    for s in statements {
        let missing = stack.uncovered(&format!("{} {}", s.speaker, s.text));
        if !missing.is_empty() {
            let chars: String = missing.iter().take(8).collect();
            eprintln!(
                "warning: charts: no font has a glyph for '{chars}' in statement {}; drawn as U+FFFD \
                 there, correct in joined.csv and the report (add a font with --font FILE, e.g. Noto Sans CJK)",
                s.id
            );
        }
    }
    Ok(())
}

/// The timeline's dates: the statements' range, widened to four weeks around it when shorter (one
/// statement would otherwise give a one-day chart with no price line). The prices fetched reach about
/// two weeks past the last statement (the event window and the event charts' days).
fn timeline_span(from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
    const MIN_DAYS: i64 = 28;
    let short = MIN_DAYS - (to - from).num_days();
    if short <= 0 {
        return (from, to);
    }
    let half = chrono::Duration::days(short / 2 + 1);
    (from - half, to + half)
}

/// Write report.html into the exports folder.
pub(super) fn write_report(
    prep: &Prepared,
    summary: &Summary,
    charts: Vec<PathBuf>,
    svg_copies: Option<(PathBuf, PathBuf)>,
) -> Result<PathBuf> {
    let report = oilcorr::report::Report {
        title: report_title(&prep.args, prep.from, prep.to),
        statements: &prep.study.statements,
        range: (prep.from, prep.to),
        events: &oilcorr::export::events_table(&prep.study),
        summary: &oilcorr::export::summary_table(&summary.rows),
        headline: summary.headline.clone(),
        params: &prep.study.params,
        provenance: prep
            .cached
            .iter()
            .map(|c| oilcorr::report::Provenance {
                series: c.prices.id(),
                meta: c.meta.clone(),
                close: Some(close_of(&prep.args, c.prices.id())),
                gaps: oilcorr::prices::plan::gaps(c.prices.dates()),
            })
            .collect(),
        statement_files: prep.args.statements.clone(),
        charts,
        svg_copies,
        generated: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let path = exports_dir(&prep.args).join("report.html");
    oilcorr::report::write(&report, &path).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("wrote {}", path.display());
    Ok(path)
}

fn report_title(args: &RunArgs, from: NaiveDate, to: NaiveDate) -> String {
    match &args.analysis {
        Some(name) => format!("oilcorr: {name} ({from} to {to})"),
        None => format!("oilcorr: statements {from} to {to}"),
    }
}

fn source_line(cached: &[Cached]) -> String {
    oilcorr::prices::attribution::source_line(&used(cached))
}

/// Each cached series with its metadata, as the attribution functions take them.
fn used(cached: &[Cached]) -> Vec<(SeriesId, &oilcorr::prices::cache::CacheMeta)> {
    cached.iter().map(|c| (c.prices.id(), &c.meta)).collect()
}

#[cfg(test)]
mod tests {
    use super::timeline_span;
    use chrono::NaiveDate;

    #[test]
    fn a_short_range_is_widened_to_four_weeks() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        // One day: 28 short → 15 days either side.
        assert_eq!(
            timeline_span(d("2020-04-02"), d("2020-04-02")),
            (d("2020-03-18"), d("2020-04-17"))
        );
        let long = (d("2020-03-01"), d("2020-05-31"));
        assert_eq!(timeline_span(long.0, long.1), long);
    }
}
