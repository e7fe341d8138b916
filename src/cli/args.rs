//! Command-line arguments (clap derive), as typed; `settings.rs` turns them into the library's values
//! once, with the checks that span several flags.

use super::choices::{
    ChartFormatChoice, ImportFormatChoice, ModelChoice, ReturnsChoice, SourceChoice, VarianceChoice,
};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use oilcorr::analysis::window::Window;
use oilcorr::prices::series::{CloseOverride, SeriesId};
use std::path::PathBuf;

/// Measure how crude-oil spot prices (EIA Brent and WTI, via FRED) reacted to dated statements.
#[derive(Debug, Parser)]
#[command(name = "oilcorr", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fill the price cache for a date range (plus the estimation look-back), fetching only what is missing.
    Fetch(FetchArgs),
    /// Fetch what the cache lacks, align statements to trading days, compute returns and event
    /// statistics, write joined.csv and the charts.
    Run(Box<RunArgs>),
    /// Work with statements files.
    #[command(subcommand)]
    Statements(StatementsCommand),
    /// Measure moves in the minutes around timed statements from intraday bar files, against the same
    /// clock window on the previous trading days; write intraday.csv.
    Intraday(Box<super::intraday::IntradayArgs>),
    /// Measure every printed test's rejection rate at 5 % under simulated nulls and placebo event days
    /// on the real prices, at this run's own event positions, and write the calibration report.
    Calibrate(Box<CalibrateArgs>),
    /// Print a shell completion script (e.g. `oilcorr completions bash > ~/.local/share/bash-completion/completions/oilcorr`).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff; e.g. `oilcorr man > oilcorr.1 && man ./oilcorr.1`).
    Man,
}

/// `oilcorr calibrate`: the options of `run` (statements, range, series, model, windows, `--seed`)
/// plus the number of replicates and the report file.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// The analysis to calibrate.
    #[command(flatten)]
    pub run: RunArgs,
    /// Replicates per null (the Monte Carlo error of a 5 % rate is ±1.4 points at 1,000).
    #[arg(long, default_value_t = 1000, value_name = "R")]
    pub reps: usize,
    /// Markdown report to write (atomically; `-` for stdout).
    #[arg(short, long, value_name = "REPORT.md", default_value = "docs/calibration.md")]
    pub output: PathBuf,
}

/// `oilcorr statements ...`.
#[derive(Debug, Subcommand)]
pub enum StatementsCommand {
    /// Turn an archive (Trump Twitter Archive, X archive tweets.js, CSV, JSON Lines) into a statements CSV.
    Import(ImportArgs),
}

/// `oilcorr statements import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Input format.
    #[arg(long, value_enum)]
    pub format: ImportFormatChoice,
    /// The archive or file to import.
    pub input: PathBuf,
    /// Statements CSV to write (atomically; `-` for stdout).
    #[arg(short, long, value_name = "OUT.csv")]
    pub output: PathBuf,
    /// Keep retweets (skipped by default).
    #[arg(long)]
    pub retweets: bool,
    /// Keep deleted tweets (skipped by default).
    #[arg(long)]
    pub deleted: bool,
    /// Speaker for rows without one (default: "Donald Trump" for trump-archive, "archive owner" for x-archive).
    #[arg(long, value_name = "NAME")]
    pub speaker_name: Option<String>,
    /// Column mapping for csv/jsonl, FIELD=COLUMN pairs (fields: id,time,speaker,text,url,tags,stance).
    #[arg(long, value_delimiter = ',', value_name = "FIELD=COLUMN")]
    pub map: Vec<String>,
    /// Time zone of timestamps without an offset (csv/jsonl), e.g. America/New_York.
    #[arg(long, value_name = "ZONE")]
    pub tz: Option<chrono_tz::Tz>,
    /// Keep only texts matching this regular expression (case-insensitive).
    #[arg(long = "match", value_name = "REGEX")]
    pub matches: Option<String>,
    /// Keep only texts with an oil term: the built-in list (oil, OPEC, barrels, crude, Saudi, Iran,
    /// Hormuz, tankers, sanctions, refineries, pipelines, OPEC members, ...; see the README).
    #[arg(long)]
    pub oil: bool,
    /// Replace the built-in --oil list with the terms of FILE (one per line, `#` comments); implies --oil.
    #[arg(long, value_name = "FILE")]
    pub oil_terms: Option<PathBuf>,
    /// Keep statements dated on or after this date (UTC date).
    #[arg(long, value_parser = parse_date)]
    pub since: Option<NaiveDate>,
    /// Keep statements dated on or before this date (UTC date).
    #[arg(long, value_parser = parse_date)]
    pub until: Option<NaiveDate>,
    /// Keep only this speaker (case-insensitive).
    #[arg(long, value_name = "NAME")]
    pub speaker: Option<String>,
    /// Fail on the first row a statements file could not hold (empty text, repeated id, ...) instead of
    /// leaving it out and counting it.
    #[arg(long)]
    pub strict: bool,
    /// Pre-label stance with a CSV of rules 'pattern,stance' (first match wins; review the labels!).
    #[arg(long, value_name = "FILE")]
    pub stance_rules: Option<PathBuf>,
}

/// Options shared by every command that needs prices.
#[derive(Debug, Args)]
pub struct PriceArgs {
    /// Series, comma-separated: brent, wti (EIA spot), spread (Brent minus WTI spot), brent-fut,
    /// wti-fut (front-month futures: --source yahoo, or eia for wti-fut) or a FRED series id (SP500).
    #[arg(long, value_delimiter = ',', default_value = "brent,wti")]
    pub series: Vec<SeriesId>,
    /// Data directory; prices are cached in DIR/prices/.
    #[arg(long, default_value = "data", value_name = "DIR")]
    pub data_dir: PathBuf,
    /// Where prices come from; several, comma-separated, to mix (e.g. fred,yahoo for spot and
    /// futures side by side): each series comes from the first listed source that publishes it.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "fred")]
    pub source: Vec<SourceChoice>,
    /// Local price file for --source file, SERIES=PATH (FRED, datahub or cache CSV, or daily bars
    /// with time and close/settle columns, optionally per contract); repeatable.
    #[arg(long = "prices", value_name = "SERIES=PATH")]
    pub prices: Vec<PriceFile>,
    /// Column names of bar files, ROLE=COLUMN (roles: time, close, contract, volume).
    #[arg(long, value_delimiter = ',', value_name = "ROLE=COLUMN", value_parser = parse_role)]
    pub map: Vec<(String, String)>,
    /// Time zone of wall-clock times in bar files (never guessed), and of the trade date of
    /// instants (default: the series' close zone), e.g. America/Chicago.
    #[arg(long, value_name = "ZONE")]
    pub bars_tz: Option<chrono_tz::Tz>,
    /// Which contract a futures series built from per-contract bars holds.
    #[arg(long, value_enum, default_value = "expiry")]
    pub roll: RollChoice,
    /// With --roll expiry: trading days between the last day a contract is held and its last bar.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub roll_days: usize,
    /// Base URL of FRED's keyless CSV service.
    #[arg(long, env = "OILCORR_FRED_URL", default_value = oilcorr::prices::FRED_DEFAULT_URL, value_name = "URL")]
    pub fred_url: String,
    /// Base URL of the FRED API (--source fred-api).
    #[arg(long, env = "OILCORR_FRED_API_URL", default_value = oilcorr::prices::FRED_API_DEFAULT_URL, value_name = "URL")]
    pub fred_api_url: String,
    /// Base URL of EIA's API v2 (--source eia).
    #[arg(long, env = "OILCORR_EIA_URL", default_value = oilcorr::prices::EIA_DEFAULT_URL, value_name = "URL")]
    pub eia_url: String,
    /// Base URL of the datahub mirror (--source datahub).
    #[arg(long, env = "OILCORR_DATAHUB_URL", default_value = oilcorr::prices::DATAHUB_DEFAULT_URL, value_name = "URL")]
    pub datahub_url: String,
    /// Base URL of Yahoo's chart endpoint (--source yahoo).
    #[arg(long, env = "OILCORR_YAHOO_URL", default_value = oilcorr::prices::YAHOO_DEFAULT_URL, value_name = "URL")]
    pub yahoo_url: String,
    /// FRED API key (prefer the environment variable: flags show in process lists).
    #[arg(long, env = "FRED_API_KEY", hide_env_values = true, value_name = "KEY")]
    pub fred_api_key: Option<String>,
    /// EIA API key (prefer the environment variable).
    #[arg(long, env = "EIA_API_KEY", hide_env_values = true, value_name = "KEY")]
    pub eia_api_key: Option<String>,
    /// Use only the cache; fail, naming what is missing, if it does not cover the request.
    #[arg(long, conflicts_with = "refresh")]
    pub offline: bool,
    /// Refetch even if the cache covers the request (the cached range is kept and updated).
    #[arg(long)]
    pub refresh: bool,
    /// HTTP timeout for each request, in seconds (connecting is limited to 10 s).
    #[arg(long, default_value_t = 60, value_name = "SECS")]
    pub timeout: u64,
    /// Time allowed for fetching one series, every page and retry included, in seconds.
    #[arg(long, default_value_t = 90, value_name = "SECS")]
    pub deadline: u64,
    /// Attempts per request (connection failures, 429 and 5xx are retried with backoff).
    #[arg(long, default_value_t = 4, value_name = "N")]
    pub retries: u32,
    /// Estimation window in trading days relative to day 0 (START,END); it sets how far back prices are needed.
    #[arg(
        long,
        default_value = "-260,-11",
        value_name = "START,END",
        allow_hyphen_values = true
    )]
    pub estimation_window: Window,
}

/// A statistics file of `run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFile {
    /// joined.csv: one row per statement × series.
    Joined,
    /// events.csv (or --format): the event rows with every test.
    Events,
    /// summary.csv (or --format): the tests across statements per group.
    Summary,
}

/// How much of a run is held in memory (`--memory`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MemoryChoice {
    /// Bounded for large statement files when the run allows it.
    Auto,
    /// Statements sorted on disk, files written a batch at a time.
    Bounded,
    /// Every statement and row in memory.
    Whole,
}

/// Format of the statistics files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// events.csv, summary.csv (and panel.csv).
    Csv,
    /// events.json, summary.json (and panel.json, joined.json).
    Json,
    /// Parquet with column statistics, typed (dates, nullable numbers), for polars and pandas.
    Parquet,
    /// Arrow IPC files, typed like Parquet.
    Arrow,
}

/// The roll rule of `--roll`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RollChoice {
    /// Hold the first-expiring contract (to its last bar, or --roll-days before).
    Expiry,
    /// Hold the contract with the largest volume that day (never rolling back).
    Volume,
}

/// A `ROLE=COLUMN` pair for `--map`.
pub(crate) fn parse_role(s: &str) -> Result<(String, String), String> {
    let (role, column) = s.split_once('=').unwrap_or((s, ""));
    let role = role.trim().to_ascii_lowercase();
    if !["time", "close", "contract", "volume"].contains(&role.as_str()) || column.trim().is_empty() {
        return Err(format!(
            "invalid '{s}': expected ROLE=COLUMN with ROLE time, close, contract or volume"
        ));
    }
    Ok((role, column.trim().to_string()))
}

/// A `SERIES=PATH` pair for `--prices`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceFile {
    /// The series.
    pub series: SeriesId,
    /// The file.
    pub path: PathBuf,
}

impl std::str::FromStr for PriceFile {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || format!("invalid '{s}': expected SERIES=PATH, e.g. brent=prices/brent.csv");
        let (name, path) = s.split_once('=').ok_or_else(err)?;
        let series: SeriesId = name.parse().map_err(|_| err())?;
        if path.trim().is_empty() {
            return Err(err());
        }
        Ok(PriceFile {
            series,
            path: PathBuf::from(path),
        })
    }
}

/// A `YYYY-MM-DD` date from 1800 to 2200: oil prices and statements live there, and dates near
/// chrono's limits would overflow the look-back arithmetic.
pub(crate) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    let err = || format!("expected a date YYYY-MM-DD from 1800 to 2200, got '{s}'");
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| err())?;
    (1800..=2200)
        .contains(&chrono::Datelike::year(&d))
        .then_some(d)
        .ok_or_else(err)
}

/// `WxH` for `--size`, each side within what a chart can be laid out in.
pub(crate) fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let err = || {
        format!("expected WIDTHxHEIGHT with width 960..=8000 and height 540..=8000, e.g. 1600x900; got '{s}'")
    };
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(err)?;
    let w: u32 = w.trim().parse().map_err(|_| err())?;
    let h: u32 = h.trim().parse().map_err(|_| err())?;
    if !(960..=8000).contains(&w) || !(540..=8000).contains(&h) {
        return Err(err());
    }
    Ok((w, h))
}

/// `--scale`: a finite factor from 1 to 4.
fn parse_scale(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(k) if (1.0..=4.0).contains(&k) => Ok(k),
        _ => Err(format!("expected a number from 1 to 4, got '{s}'")),
    }
}

/// `oilcorr fetch`.
#[derive(Debug, Args)]
pub struct FetchArgs {
    /// First date of interest (YYYY-MM-DD); prices are fetched from earlier to fill the estimation window.
    #[arg(long, value_parser = parse_date)]
    pub from: NaiveDate,
    /// Last date of interest (YYYY-MM-DD); default today.
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Price options.
    #[command(flatten)]
    pub prices: PriceArgs,
}

/// `oilcorr run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Run the analysis NAME defined in the config file (flags given here override it).
    #[arg(long, value_name = "NAME")]
    pub analysis: Option<String>,
    /// Run every analysis defined in the config file, one after the other, reusing the price cache.
    #[arg(long, conflicts_with = "analysis")]
    pub all: bool,
    /// Config file with `[defaults]` and `[analysis.NAME]` tables; default ./oilcorr.toml when it exists.
    #[arg(long, env = "OILCORR_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also write report.html (charts, tables, method and provenance in one self-contained file) into
    /// the exports folder.
    #[arg(long)]
    pub report: bool,
    /// First statement date to analyse (YYYY-MM-DD); default: the earliest statement.
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// Last statement date to analyse (YYYY-MM-DD); default: the latest statement.
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Statements CSV (columns id,time,speaker,text; optional url,tags,stance); repeat to merge files.
    /// Default: the curated corpus built into oilcorr.
    #[arg(long = "statements", value_name = "FILE")]
    pub statements: Vec<PathBuf>,
    /// Keep the first of statements sharing an id across files instead of failing.
    #[arg(long)]
    pub dedupe: bool,
    /// CAR window in trading days relative to day 0 (START,END); repeat for several windows. The first
    /// is the headline window of joined.csv and the charts.
    #[arg(
        long,
        default_value = "0,1",
        value_name = "START,END",
        allow_hyphen_values = true
    )]
    pub car_window: Vec<Window>,
    /// Normal-return model.
    #[arg(long, value_enum, default_value = "mean")]
    pub model: ModelChoice,
    /// Returns studied.
    #[arg(long, value_enum, default_value = "log")]
    pub returns: ReturnsChoice,
    /// Variance of abnormal returns: the estimation window's, or GARCH(1,1) conditional.
    #[arg(long, value_enum, default_value = "constant")]
    pub variance: VarianceChoice,
    /// Benchmark series for --model market / market-adjusted (e.g. SP500, any FRED id).
    #[arg(long, value_name = "SERIES")]
    pub benchmark: Option<SeriesId>,
    /// Leave other statements' event windows out of each estimation window.
    #[arg(long)]
    pub exclude_events: bool,
    /// Leave the roll days of continuous front-month futures (brent-fut, wti-fut from yahoo or eia,
    /// computed from the exchanges' expiry rules) out of each estimation window.
    #[arg(long)]
    pub exclude_rolls: bool,
    /// Bootstrap draws for a distribution-free CAR p-value (0 = off; e.g. 1999).
    #[arg(long, default_value_t = 0, value_name = "B")]
    pub bootstrap: usize,
    /// Placebo draws for distribution-free p-values of every CAAR and hit rate in summary.csv: each
    /// draw moves the event days to random trading days of the same years, away from every statement
    /// (0 = off; e.g. 999).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub placebo: usize,
    /// Seed of the placebo draws (reruns with the same seed agree).
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Format of the joined, events, summary and panel files (repeatable or comma-separated, e.g.
    /// `--format csv,parquet`): only the formats asked for are written.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "csv")]
    pub format: Vec<OutputFormat>,
    /// Minimum number of returns in the estimation window.
    #[arg(long, default_value_t = 30, value_name = "N")]
    pub min_estimation: usize,
    /// Daily close of a series, SERIES=HH:MM@Area/City (default brent=16:30@Europe/London,
    /// wti=14:30@America/New_York); repeatable.
    #[arg(long = "close", value_name = "SERIES=HH:MM@ZONE")]
    pub closes: Vec<CloseOverride>,
    /// Trading days shown on each side of day 0 in event charts.
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub event_days: i64,
    /// Folder for joined.csv; default DATA_DIR/exports.
    #[arg(long, value_name = "DIR")]
    pub exports_dir: Option<PathBuf>,
    /// Folder for charts (timeline.png and events/ID.png).
    #[arg(long, default_value = "charts", value_name = "DIR")]
    pub charts_dir: PathBuf,
    /// Shade each statement's headline CAR window on the timeline.
    #[arg(long)]
    pub shade_windows: bool,
    /// Chart file format: png, or svg (text drawn as glyph outlines: identical on any machine).
    #[arg(long, value_enum, default_value = "png")]
    pub chart_format: ChartFormatChoice,
    /// A font file (TTF, OTF or TTC) for characters the embedded DejaVu Sans lacks (Chinese, Japanese,
    /// Korean…), tried before the machine's own fonts; repeatable. Also OILCORR_FONTS (paths joined by
    /// ':'); OILCORR_NO_SYSTEM_FONTS=1 keeps the machine's fonts out.
    #[arg(long = "font", value_name = "FILE")]
    pub fonts: Vec<PathBuf>,
    /// Size of every chart in logical pixels, WIDTHxHEIGHT (e.g. 1600x900; at least 960x540); the
    /// timeline grows taller if its key needs it. Default: timeline 1600 wide (height from the key),
    /// event charts 1200x760, summary charts 1200x700.
    #[arg(long, value_name = "WxH", value_parser = parse_size)]
    pub size: Option<(u32, u32)>,
    /// Scale factor for high-DPI output (1 to 4; 2 = twice the pixels in each direction, same layout).
    #[arg(long, default_value_t = 1.0, value_name = "K", value_parser = parse_scale)]
    pub scale: f64,
    /// Skip drawing charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Print the run's result (files written, counts, the stance answer) as one JSON document on
    /// stdout; the table and every message go to stderr. With --all, one document per line.
    #[arg(long = "json")]
    pub json_result: bool,
    /// Which statistics files to write: joined, events, summary (comma-separated; default all). The
    /// cross-event summary is not computed when neither it nor charts, a report or --json need it.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "joined,events,summary"
    )]
    pub outputs: Vec<OutputFile>,
    /// Also write the event-time panel (panel.csv or panel.json): every statement × series × trading
    /// day within ±--event-days of day 0, with price, return, AR, cumulative AR and the 95 % band.
    #[arg(long)]
    pub panel: bool,
    /// Hold every statement in memory (whole), or sort them on disk and write joined and events a batch
    /// at a time (bounded: memory grows with the event days, not the statements; same files). auto:
    /// bounded for statement files over 24 MB when nothing needs the whole study (charts, --report,
    /// --json, --panel, --placebo, JSON or Arrow files).
    #[arg(long, value_enum, default_value = "auto")]
    pub memory: MemoryChoice,
    /// Price options.
    #[command(flatten)]
    pub prices: PriceArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn negative_windows_parse() {
        let cli = Cli::try_parse_from([
            "oilcorr",
            "run",
            "--estimation-window",
            "-120,-11",
            "--car-window",
            "-1,1",
        ])
        .unwrap();
        let Command::Run(r) = cli.command else {
            panic!("not run")
        };
        assert_eq!(r.prices.estimation_window, Window::new(-120, -11));
        assert_eq!(r.car_window, vec![Window::new(-1, 1)]);
    }

    #[test]
    fn dates_are_plain_and_within_two_centuries_of_the_data() {
        assert_eq!(
            parse_date("2020-04-02"),
            Ok(NaiveDate::from_ymd_opt(2020, 4, 2).unwrap())
        );
        for bad in [
            "+262143-12-31",
            "-0001-01-01",
            "0001-01-01",
            "2020-02-30",
            "20200402",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_and_scales_parse_within_bounds() {
        assert_eq!(parse_size("1600x900"), Ok((1600, 900)));
        assert_eq!(parse_size("1000X600"), Ok((1000, 600)));
        for bad in ["1600", "800x600", "1600x500", "axb", "1600x9000", "-1x600"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_scale("2"), Ok(2.0));
        for bad in ["0.5", "5", "NaN", "inf", "x"] {
            assert!(parse_scale(bad).is_err(), "{bad}");
        }
    }
}
