//! `report.html`: one self-contained file to share a run with people who will not install oilcorr.
//!
//! It holds the charts (as `data:` URLs: SVG copies when the run drew PNG, else the files), the statements, events and summary tables (sortable by a
//! small inline script), the method with its parameters, the data provenance (source, URL, fetch time
//! and range of every series, the statements files) and the oilcorr version. It makes no network
//! request: the Content-Security-Policy in [`assets`] forbids any. All user text is escaped by [`html`].
//!
//! Owns the report page; uses the tables of [`crate::export`], the parameters of [`crate::analysis`]
//! and the cache metadata of [`crate::prices`], and reads the chart files [`crate::plot`] wrote.

pub mod assets;
pub mod calibration;
pub mod html;
mod method;

use crate::analysis::stats::StudyParams;
use crate::export::table::Table;
use crate::prices::cache::CacheMeta;
use crate::prices::series::{CloseTime, SeriesId};
use crate::statements::Statement;
use chrono::NaiveDate;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Where one series' prices came from.
#[derive(Debug, Clone)]
pub struct Provenance {
    /// The series.
    pub series: SeriesId,
    /// Its cache metadata (source, URL without keys, fetch time, cached range).
    pub meta: CacheMeta,
    /// Close time used for day 0.
    pub close: Option<CloseTime>,
    /// Stretches of more than 10 days without a price in the cached series (a source's pause).
    pub gaps: Vec<(chrono::NaiveDate, chrono::NaiveDate)>,
}

/// Everything the report shows.
#[derive(Debug)]
pub struct Report<'a> {
    /// Title, e.g. the analysis name.
    pub title: String,
    /// Statements analysed, in chart numbering order.
    pub statements: &'a [Statement],
    /// First and last statement date selected.
    pub range: (NaiveDate, NaiveDate),
    /// `events` table as exported.
    pub events: &'a Table,
    /// `summary` table as exported.
    pub summary: &'a Table,
    /// The printed headline (stance hit rates and correlations).
    pub headline: String,
    /// Study parameters.
    pub params: &'a StudyParams,
    /// Price provenance per fetched series.
    pub provenance: Vec<Provenance>,
    /// Statements files, or empty for the built-in corpus.
    pub statement_files: Vec<PathBuf>,
    /// Chart files written by this run (embedded in the page, or their SVG copies: see `svg_copies`).
    pub charts: Vec<PathBuf>,
    /// Where the same charts were also drawn as SVG, to embed instead of PNG files: sharp at any
    /// zoom on a phone or a 2x screen. `(charts folder, copies folder)`: a chart at `CHARTS/REL.png`
    /// is embedded from `COPIES/REL.svg` when that exists.
    pub svg_copies: Option<(PathBuf, PathBuf)>,
    /// When the report was made (UTC, RFC 3339).
    pub generated: String,
}

/// Error writing the report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A chart could not be read back for embedding.
    #[error("reading chart {path}")]
    Chart {
        /// The chart.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The report could not be written.
    #[error("writing {path}")]
    Write {
        /// The report.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Render the page and write it atomically to `path`.
pub fn write(report: &Report<'_>, path: &Path) -> Result<(), ReportError> {
    let page = render(report)?;
    crate::fsutil::write_atomic(path, page.as_bytes()).map_err(|source| ReportError::Write {
        path: path.display().to_string(),
        source,
    })
}

/// The whole page as HTML text.
pub fn render(r: &Report<'_>) -> Result<String, ReportError> {
    let mut page = String::with_capacity(1 << 20);
    head(&mut page, r);
    // Reading order: the timeline and its statements first, then the statistics.
    page.push_str("<h2 id=\"charts\">Timeline</h2>\n");
    let timeline = |p: &std::path::Path| matches!(chart_name(p).as_ref(), "timeline" | "timeline-key");
    let copy = |p: &Path| svg_copy(r, p);
    charts(&mut page, (&r.charts, &copy), timeline, "")?;
    page.push_str("<h2 id=\"statements\">Statements</h2>\n");
    page.push_str(&statements_table(r.statements, &r.charts));
    page.push_str("<h2 id=\"across-charts\">Across statements, charted</h2>\n");
    let none = "No chart across statements: they need at least two event days with a day-0 return on \
                a series, and this run has fewer.";
    charts(
        &mut page,
        (&r.charts, &copy),
        |p| !timeline(p) && !is_event_chart(p),
        none,
    )?;
    page.push_str(
        "<h2 id=\"events\">Event statistics</h2>\n<p>One row per statement and series; click a \
         column header to sort. Columns are those of <code>events.csv</code> (see the README).</p>\n",
    );
    page.push_str(&html::table("events-table", r.events));
    page.push_str(
        "<h2 id=\"summary\">Across statements, tested</h2>\n<p>Per group (all, speaker, tag, stance), series \
         and CAR window; the columns of <code>summary.csv</code>.</p>\n",
    );
    page.push_str(&html::table("summary-table", r.summary));
    event_charts(&mut page, (&r.charts, &copy), EMBED_BUDGET)?;
    page.push_str(&method::section(r.params, &r.provenance));
    page.push_str(&provenance(r));
    let _ = write!(
        page,
        "<footer>oilcorr {} · {}</footer>\n<script>{}</script>\n</body></html>\n",
        env!("CARGO_PKG_VERSION"),
        caveat(&r.provenance),
        assets::JS
    );
    Ok(page)
}

/// The footer's note on what the prices are: spot assessments are not futures; futures series are
/// stitched at rolls.
fn caveat(provenance: &[Provenance]) -> &'static str {
    let futures = provenance.iter().any(|p| p.series.is_futures());
    let spot = provenance
        .iter()
        .any(|p| matches!(p.series, SeriesId::Brent | SeriesId::Wti));
    match (spot, futures) {
        (true, true) => {
            "EIA spot prices are assessments of physical cargoes, not futures settlements; the futures \
             series are front-month contracts stitched at each roll (not back-adjusted)."
        }
        (false, true) => {
            "The futures series are front-month contracts stitched at each roll (not back-adjusted): \
             a roll day's change mixes two contracts."
        }
        _ => "EIA spot prices are assessments of physical cargoes, not futures settlements.",
    }
}

/// The document head (with its Content-Security-Policy), the title, the lede, the contents line and
/// the headline answer.
fn head(page: &mut String, r: &Report<'_>) {
    let title = html::text(&r.title);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{}</style></head>\n<body>\n<h1>{title}</h1>\n",
        assets::csp(),
        assets::CSS
    );
    let used: Vec<_> = r.provenance.iter().map(|p| (p.series, &p.meta)).collect();
    let _ = write!(
        page,
        "<p class=\"lede\">How {} moved around {} statement(s) \
         dated {} to {}. Generated by oilcorr {} on {}.</p>\n\
         <p><a href=\"#charts\">Timeline</a> · <a href=\"#statements\">Statements</a> · \
         <a href=\"#across-charts\">Charts</a> · <a href=\"#events\">Event statistics</a> · \
         <a href=\"#summary\">Across statements</a> · \
         <a href=\"#method\">Method</a> · <a href=\"#provenance\">Data provenance</a></p>\n",
        html::text(&crate::prices::attribution::sources(&used)),
        r.statements.len(),
        r.range.0,
        r.range.1,
        env!("CARGO_PKG_VERSION"),
        html::text(&stamp(&r.generated))
    );
    if !r.headline.trim().is_empty() {
        let _ = writeln!(
            page,
            "<pre class=\"headline\">{}</pre>",
            html::text(r.headline.trim_end())
        );
    }
}

fn is_event_chart(p: &Path) -> bool {
    p.parent()
        .and_then(Path::file_name)
        .is_some_and(|d| d == "events")
}

/// The file to embed for chart `p`: its SVG copy when there is one, else `p`.
fn svg_copy(r: &Report<'_>, p: &Path) -> PathBuf {
    r.svg_copies
        .as_ref()
        .and_then(|(charts, copies)| {
            let copy = copies.join(p.strip_prefix(charts).ok()?).with_extension("svg");
            copy.is_file().then_some(copy)
        })
        .unwrap_or_else(|| p.to_path_buf())
}

/// The file to embed for a chart (the chart itself or a sharper copy).
type Embed<'f> = &'f dyn Fn(&Path) -> PathBuf;

fn img(path: &Path, alt: &str) -> Result<String, ReportError> {
    let bytes = std::fs::read(path).map_err(|source| ReportError::Chart {
        path: path.display().to_string(),
        source,
    })?;
    let svg = path.extension().is_some_and(|e| e == "svg");
    let mime = if svg { "image/svg+xml" } else { "image/png" };
    Ok(format!(
        "<img src=\"{}\" alt=\"{}\">\n",
        assets::data_url(mime, &bytes),
        html::attr(alt)
    ))
}

fn chart_name(p: &Path) -> String {
    p.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// The timeline and across-statement charts.
/// The charts `pick` selects, or a line saying none were drawn.
/// The charts `pick` selects, each with a description for its alt text; `none` says why there are
/// none when the run drew other charts (when it drew none, `--no-charts` is why).
fn charts(
    page: &mut String,
    (charts, embed): (&[PathBuf], Embed<'_>),
    pick: impl Fn(&Path) -> bool,
    none: &str,
) -> Result<(), ReportError> {
    let picked: Vec<&PathBuf> = charts.iter().filter(|p| pick(p)).collect();
    if charts.is_empty() {
        page.push_str("<p>No charts were drawn in this run (<code>--no-charts</code>).</p>\n");
    } else if picked.is_empty() && !none.is_empty() {
        let _ = writeln!(page, "<p>{}</p>", html::text(none));
    }
    for p in picked {
        page.push_str(&img(&embed(p), &describe(&chart_name(p)))?);
    }
    Ok(())
}

/// What a chart file shows, for its alt text (`caar-brent` → "Cumulative average abnormal return…").
fn describe(name: &str) -> String {
    let (kind, series) = name.split_once('-').unwrap_or((name, ""));
    match (kind, series) {
        ("timeline", "key") => "Key to the timeline: each numbered flag's date, speaker and words".into(),
        ("timeline", _) => {
            "Timeline: daily prices with a numbered flag at each statement, coloured by stance".into()
        }
        ("caar", s) => format!(
            "Cumulative average abnormal return around the statements' event days, {s}, with its 95% band"
        ),
        ("cars", s) => format!("Each event day's cumulative abnormal return, sorted, {s}"),
        ("stance", s) => format!("Cumulative abnormal return by the stance of the statements, {s}"),
        _ => format!("Chart {name}"),
    }
}

/// Bytes of event-chart files embedded at most: beyond, a report of thousands of statements would
/// take gigabytes to build and no browser would open it, so the remaining charts are linked.
const EMBED_BUDGET: u64 = 16 << 20;

/// One collapsible entry per statement's event chart, embedded while the files fit in `budget`
/// bytes; the rest as links to their files.
fn event_charts(
    page: &mut String,
    (charts, embed): (&[PathBuf], Embed<'_>),
    budget: u64,
) -> Result<(), ReportError> {
    let events: Vec<&PathBuf> = charts.iter().filter(|p| is_event_chart(p)).collect();
    if events.is_empty() {
        return Ok(());
    }
    page.push_str("<h2 id=\"event-charts\">Event charts</h2>\n");
    let mut used = 0u64;
    let mut linked = Vec::new();
    for p in events {
        let file = embed(p);
        used += std::fs::metadata(&file).map_or(0, |m| m.len());
        if used > budget {
            linked.push(p);
            continue;
        }
        let name = chart_name(p);
        let _ = writeln!(
            page,
            "<details id=\"event-{}\"><summary>{}</summary>",
            html::text(&name),
            html::text(&name)
        );
        page.push_str(&img(
            &file,
            &format!("Event chart of statement {name}: prices around its day 0"),
        )?);
        page.push_str("</details>\n");
    }
    if !linked.is_empty() {
        let _ = writeln!(
            page,
            "<p>{} more event charts are not embedded (the page would be too large to open); \
             they are files beside the others:</p>\n<ul class=\"files\">",
            linked.len()
        );
        for p in linked {
            let name = chart_name(p);
            let link = html::file_link(p, &name);
            let _ = writeln!(page, "<li id=\"event-{}\">{link}</li>", html::text(&name));
        }
        page.push_str("</ul>\n");
    }
    Ok(())
}

/// The statements, numbered as the timeline's flags; a number links to the statement's event chart
/// (`#event-STEM`) when one was drawn.
fn statements_table(statements: &[Statement], charts: &[PathBuf]) -> String {
    let drawn: std::collections::HashSet<String> = charts
        .iter()
        .filter(|p| is_event_chart(p))
        .map(|p| chart_name(p))
        .collect();
    let mut out = String::from(
        "<div class=\"scroll\"><table class=\"sortable\" id=\"statements-table\"><thead><tr><th>#</th>\
         <th>id</th><th>time</th><th>speaker</th><th>stance</th><th>tags</th><th>text</th><th>source</th>\
         </tr></thead><tbody>\n",
    );
    for (i, s) in statements.iter().enumerate() {
        let source = s.url.as_deref().map_or_else(String::new, |u| html::link(u, u));
        let n = i + 1;
        let stem = crate::fsutil::safe_file_stem(&s.id);
        let number = match drawn.contains(&stem) {
            true => format!("<a href=\"#event-{stem}\" title=\"event chart\">{n}</a>"),
            false => n.to_string(),
        };
        let _ = writeln!(
            out,
            "<tr id=\"statement-{n}\"><td class=\"n\" data-v=\"{n}\">{number}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{source}</td></tr>",
            html::text(&s.id),
            html::text(&when(&s.time)),
            html::text(&s.speaker),
            s.stance.map_or("", |x| x.as_str()),
            html::text(&s.tags.join(", ")),
            html::text(&s.text),
        );
    }
    out.push_str("</tbody></table></div>\n");
    out
}

/// A statement's time as the charts write it: `2020-04-02 14:32:08 UTC`, or the bare date.
fn when(t: &crate::statements::StatementTime) -> String {
    match t {
        crate::statements::StatementTime::Instant(i) => i.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        crate::statements::StatementTime::Date(d) => d.to_string(),
    }
}

/// An RFC 3339 instant in the same form as [`when`] (unchanged if it does not parse).
fn stamp(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339).map_or(rfc3339.to_string(), |t| {
        t.with_timezone(&chrono::Utc)
            .format("%Y-%m-%d %H:%M:%S UTC")
            .to_string()
    })
}

/// "none", or how many gaps and the first.
fn gaps_text(gaps: &[(chrono::NaiveDate, chrono::NaiveDate)]) -> String {
    match gaps.first() {
        None => "none".to_string(),
        Some((a, b)) => format!("{} (first: no price from {a} to {b})", gaps.len()),
    }
}

fn provenance(r: &Report<'_>) -> String {
    let mut out = String::from("<h2 id=\"provenance\">Data provenance</h2>\n");
    for p in &r.provenance {
        let m = &p.meta;
        let rows = [
            ("series", html::text(p.series.label())),
            ("source", html::text(&m.source)),
            ("address (keys removed)", html::link(&m.url, &m.url)),
            ("fetched at", html::text(&stamp(&m.fetched_at))),
            ("cached range", format!("{} to {}", m.from, m.to)),
            ("gaps over 10 days", gaps_text(&p.gaps)),
        ];
        let _ = writeln!(out, "<h3>{}</h3>", html::text(p.series.key()));
        out.push_str(&html::pairs(&rows));
    }
    let files = if r.statement_files.is_empty() {
        "the curated corpus built into oilcorr (data/statements/oil-politics.csv)".to_string()
    } else {
        let names: Vec<String> = r
            .statement_files
            .iter()
            .map(|f| f.display().to_string())
            .collect();
        names.join(", ")
    };
    out.push_str(&html::pairs(&[
        ("statements", html::text(&files)),
        ("oilcorr version", env!("CARGO_PKG_VERSION").to_string()),
        ("generated", html::text(&r.generated)),
    ]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_charts_beyond_the_budget_are_linked_not_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let events = dir.path().join("events");
        std::fs::create_dir_all(&events).unwrap();
        let charts: Vec<PathBuf> = (0..3)
            .map(|i| {
                let p = events.join(format!("s {i}.png"));
                std::fs::write(&p, vec![0u8; 1000]).unwrap();
                p
            })
            .collect();
        let mut page = String::new();
        event_charts(&mut page, (&charts, &|p: &Path| p.to_path_buf()), 2500).unwrap();
        assert_eq!(page.matches("<img ").count(), 2, "{page}");
        assert!(page.contains("1 more event charts are not embedded"), "{page}");
        assert!(page.contains("/events/s%202.png\">s 2</a>"), "{page}");
    }
}
