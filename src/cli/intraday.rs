//! `oilcorr intraday`: how far prices moved in the minutes around each timed statement, from
//! intraday bar files, against the same clock window on the previous trading days; writes
//! `intraday.csv` and prints a table.

use super::args::{parse_date, parse_role, PriceFile};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use oilcorr::analysis::intraday::{study, ClockWindow, IntradayParams, IntradayRow};
use std::fmt::Write as _;
use std::path::PathBuf;

/// `oilcorr intraday`.
#[derive(Debug, Args)]
pub struct IntradayArgs {
    /// Intraday bar file per series, SERIES=PATH (e.g. wti-fut=cl-1m.csv); repeatable. Columns as for
    /// daily bar files (time, close, optional contract); one bar per start time.
    #[arg(long = "bars", value_name = "SERIES=PATH", required_unless_present = "yahoo")]
    pub bars: Vec<PriceFile>,
    /// Fetch bars of these series (brent-fut, wti-fut) from Yahoo's chart endpoint instead: unofficial,
    /// and only recent (1-minute bars for about the last 30 days, hourly for two years).
    #[arg(long, value_delimiter = ',', value_name = "SERIES")]
    pub yahoo: Vec<oilcorr::prices::SeriesId>,
    /// Bar interval fetched from Yahoo: 1m, 2m, 5m, 15m or 60m.
    #[arg(long, default_value = "1m", value_parser = ["1m", "2m", "5m", "15m", "60m"])]
    pub interval: String,
    /// Base URL of Yahoo's chart endpoint.
    #[arg(long, env = "OILCORR_YAHOO_URL", default_value = oilcorr::prices::YAHOO_DEFAULT_URL, value_name = "URL")]
    pub yahoo_url: String,
    /// Column names, ROLE=COLUMN (roles: time, close, contract, volume).
    #[arg(long, value_delimiter = ',', value_name = "ROLE=COLUMN", value_parser = parse_role)]
    pub map: Vec<(String, String)>,
    /// Zone of wall-clock times in the files and of the baseline's clock (default: the series' close
    /// zone, America/New_York for the futures).
    #[arg(long, value_name = "ZONE")]
    pub bars_tz: Option<chrono_tz::Tz>,
    /// Window around each statement, START,END in s, m or h; repeatable.
    #[arg(
        long = "window",
        value_name = "START,END",
        default_value = "-30m,+120m",
        allow_hyphen_values = true
    )]
    pub windows: Vec<ClockWindow>,
    /// Previous trading days whose same clock window is the baseline.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub baseline_days: usize,
    /// Oldest a bar may be at a window's edge, in minutes (a halt or a closed market beyond it).
    #[arg(long, default_value_t = 15, value_name = "MIN")]
    pub max_stale: i64,
    /// Statements CSV (default: the curated corpus); repeatable.
    #[arg(long = "statements", value_name = "FILE")]
    pub statements: Vec<PathBuf>,
    /// First statement date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last statement date (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Folder for intraday.csv.
    #[arg(long, default_value = "data/exports", value_name = "DIR")]
    pub exports_dir: PathBuf,
    /// Folder for the charts (written into DIR/intraday/).
    #[arg(long, default_value = "charts", value_name = "DIR")]
    pub charts_dir: PathBuf,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// A font file for characters the embedded DejaVu Sans lacks (as `oilcorr run --font`); repeatable.
    #[arg(long = "font", value_name = "FILE")]
    pub fonts: Vec<PathBuf>,
    /// Chart size in pixels, WIDTHxHEIGHT (default 1200x700).
    #[arg(long, value_name = "WxH", value_parser = super::args::parse_size)]
    pub size: Option<(u32, u32)>,
}

/// Run `oilcorr intraday`.
pub fn run(args: IntradayArgs) -> Result<()> {
    let (all, _) = oilcorr::statements::load_with(&args.statements, false).context("loading statements")?;
    let inside = |d: NaiveDate| args.from.is_none_or(|f| d >= f) && args.to.is_none_or(|t| d <= t);
    let statements: Vec<_> = all.into_iter().filter(|s| inside(s.time.date())).collect();
    if !args.no_charts {
        super::drawn::choose_fonts(&args.fonts, &statements)?;
    }
    let loaded = super::intraday_load::load(&args, &statements)?;
    let mut rows: Vec<(oilcorr::prices::SeriesId, IntradayRow<'_>)> = Vec::new();
    let mut charts = 0;
    for (bars, source) in &loaded {
        let params = IntradayParams {
            windows: args.windows.clone(),
            baseline_days: args.baseline_days,
            max_stale: args.max_stale.max(1) * 60,
            tz: args.bars_tz.unwrap_or(bars.series.default_close().tz),
        };
        rows.extend(
            study(bars, &statements, &params)
                .into_iter()
                .map(|r| (bars.series, r)),
        );
        if !args.no_charts {
            charts += draw(&args, bars, &statements, &params, source)?;
        }
    }
    if charts > 0 {
        eprintln!(
            "wrote {charts} charts in {}",
            args.charts_dir.join("intraday").display()
        );
    }
    let records: Vec<_> = rows.iter().map(|(s, r)| (*s, r)).collect();
    let path = args.exports_dir.join("intraday.csv");
    oilcorr::export::intraday::write(&path, &records)
        .with_context(|| format!("writing {}", path.display()))?;
    let series: Vec<_> = loaded.iter().map(|(b, _)| b.series).collect();
    let groups = groups(&args, &series, &records);
    let summary: Vec<_> = groups.iter().map(|(s, w, g)| (*s, *w, g)).collect();
    let spath = args.exports_dir.join("intraday_summary.csv");
    oilcorr::export::intraday::write_summary(&spath, &summary)
        .with_context(|| format!("writing {}", spath.display()))?;
    eprintln!(
        "wrote {} ({} statement × series × window rows) and {}",
        path.display(),
        records.len(),
        spath.display()
    );
    super::table::print_text(&(table(&records) + &group_lines(&summary))).context("writing to stdout")
}

type Group = (
    oilcorr::prices::SeriesId,
    ClockWindow,
    oilcorr::analysis::intraday_cross::IntradayGroup,
);

/// Per series × window, the statistics across statements (seeded: a rerun prints the same p).
fn groups(
    args: &IntradayArgs,
    series: &[oilcorr::prices::SeriesId],
    records: &[oilcorr::export::intraday::Record<'_>],
) -> Vec<Group> {
    let mut out = Vec::new();
    for &s in series {
        for (k, w) in args.windows.iter().enumerate() {
            let rows: Vec<&IntradayRow<'_>> = records
                .iter()
                .filter(|(x, r)| *x == s && r.window == *w)
                .map(|(_, r)| *r)
                .collect();
            let seed = 0x1d_a7 ^ ((k as u64) << 8);
            if let Some(g) = oilcorr::analysis::intraday_cross::group(&rows, seed) {
                out.push((s, *w, g));
            }
        }
    }
    out
}

/// One printed line per series × window across statements.
fn group_lines(summary: &[oilcorr::export::intraday::GroupRecord<'_>]) -> String {
    let mut out = String::new();
    for (s, w, g) in summary {
        let bmp = g
            .bmp
            .map_or("n/a".into(), |(z, p)| format!("z = {z:.2}, p = {p:.3}"));
        let _ = writeln!(
            out,
            "{} {w}: {} statement(s), mean AR {:+.2}%, {} positive; BMP {bmp}; randomization p = {:.3}",
            s.label(),
            g.n,
            g.mean_ar.exp_m1() * 100.0,
            g.n_pos,
            g.randomization_p
        );
    }
    out
}

/// One chart per timed statement with bars around it; returns how many were written.
fn draw(
    args: &IntradayArgs,
    bars: &oilcorr::prices::intraday::IntradayBars,
    statements: &[oilcorr::statements::Statement],
    p: &IntradayParams,
    from: &str,
) -> Result<usize> {
    use oilcorr::analysis::intraday_path::{band, path};
    use oilcorr::statements::StatementTime;
    let span = (
        p.windows.iter().map(|w| w.from).min().unwrap_or(-1800).min(-1800),
        p.windows.iter().map(|w| w.to).max().unwrap_or(7200).max(3600),
    );
    let source = format!(
        "Source: {} bars {from} (bar starts; times UTC). Chart: oilcorr {}.",
        bars.series.label(),
        env!("CARGO_PKG_VERSION")
    );
    let minutes = |s: i64| s as f64 / 60.0;
    let mut written = 0;
    for st in statements {
        let StatementTime::Instant(at) = st.time else {
            continue;
        };
        let anchor = at.timestamp();
        let trace = path(bars, anchor, span, p.max_stale);
        if trace.iter().all(|x| x.1.is_none()) {
            continue; // no bars around this statement
        }
        let others = statements
            .iter()
            .filter(|o| o.id != st.id)
            .filter_map(|o| match o.time {
                StatementTime::Instant(t) => Some((t.timestamp() - anchor, o.id.clone())),
                StatementTime::Date(_) => None,
            })
            .filter(|(d, _)| (span.0..=span.1).contains(d))
            .map(|(d, id)| (minutes(d), id))
            .collect();
        let chart = oilcorr::plot::intraday::IntradayChart {
            statement: st,
            label: bars.series.label().to_string(),
            path: trace.iter().map(|(o, v)| (minutes(*o), *v)).collect(),
            band: band(bars, anchor, span, p)
                .iter()
                .map(|(o, l, h)| (minutes(*o), *l, *h))
                .collect(),
            baseline_days: p.baseline_days,
            others,
            source: source.clone(),
        };
        let stem = format!(
            "{}-{}",
            oilcorr::fsutil::safe_file_stem(&st.id),
            bars.series.key()
        );
        let file = args.charts_dir.join("intraday").join(format!("{stem}.png"));
        let out = oilcorr::plot::Output {
            size: args.size,
            ..oilcorr::plot::Output::default()
        };
        oilcorr::plot::intraday::render(&file, &chart, &out)?;
        written += 1;
    }
    Ok(written)
}

/// The printed table: one line per row with a move.
fn table(records: &[oilcorr::export::intraday::Record<'_>]) -> String {
    let mut out = format!(
        "{:<22} {:<10} {:<12} {:>9} {:>9} {:>7} {:>9}\n",
        "statement", "series", "window", "move", "AR", "t", "placebo p"
    );
    for (series, r) in records {
        let pct = |x: f64| format!("{:+.2}%", x.exp_m1() * 100.0);
        let (mv, ar, t, p) = match (&r.event, &r.versus) {
            (Ok(m), Some(v)) => (
                pct(m.ret),
                pct(v.ar),
                v.t.map_or("-".into(), |t| format!("{t:.2}")),
                format!("{:.3}", v.placebo_p),
            ),
            (Ok(m), None) => (pct(m.ret), "-".into(), "-".into(), "-".into()),
            _ => continue,
        };
        let _ = writeln!(
            out,
            "{:<22} {:<10} {:<12} {mv:>9} {ar:>9} {t:>7} {p:>9}",
            r.statement.id,
            series.key(),
            r.window.to_string()
        );
    }
    out
}
