//! Daily bar files as licensed data comes (exchange exports, Databento, FirstRate, Barchart): a time
//! column, a close or settlement, optionally a contract and a volume, any other columns ignored.
//!
//! Columns are found by name (any case): time `ts_event`, `timestamp`, `datetime`, `date`, `time`,
//! `trade date`; close `settle`, `settlement`, `close`, `last`, `latest`; contract `contract`,
//! `symbol`; volume `volume`. `--map ROLE=COLUMN` names them when a file uses other headers. Times:
//! `YYYY-MM-DD`; RFC 3339 instants (`…Z`, `…+01:00`); Databento's integer nanoseconds (UTC); or wall
//! times `YYYY-MM-DD HH:MM[:SS]`, which need `--bars-tz` (never guessed: vendors use UTC, New York,
//! Chicago or a fixed EST). A bar is dated by its time in `--bars-tz`, or in the series' close zone.
//! Calendar spreads (`CLK0-CLM0`) are skipped; a Barchart footer line ends the file; volumes may carry
//! thousands separators. With a contract column, the series is the front month under the roll rule
//! ([`super::roll`]); without, one bar per day is the series. More than one bar per contract and day
//! (intraday bars) is refused: intraday analysis is not built yet.

use super::roll::{front, Bar, RollRule};
use super::series::{plausible, PriceSeries, SeriesId, PLAUSIBLE_PRICE};
use crate::input_error::InputError;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// How bar files are read (`--map`, `--bars-tz`, `--roll`, `--roll-days`).
#[derive(Debug, Clone, PartialEq)]
pub struct BarsFormat {
    /// `(role, column)` overrides: roles `time`, `close`, `contract`, `volume`.
    pub map: Vec<(String, String)>,
    /// Zone of wall-clock times in the file, and of the trade date of instants.
    pub tz: Option<Tz>,
    /// Which contract the series holds.
    pub roll: RollRule,
}

impl Default for BarsFormat {
    fn default() -> Self {
        BarsFormat {
            map: vec![],
            tz: None,
            roll: RollRule::Expiry { days_before: 0 },
        }
    }
}

impl std::fmt::Display for BarsFormat {
    /// The options as stored in the cache's identity (a change rereads the file).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let map: Vec<String> = self.map.iter().map(|(r, c)| format!("{r}={c}")).collect();
        let tz = self.tz.map_or("-".to_string(), |t| t.name().to_string());
        write!(f, "map={} tz={tz} roll={}", map.join(";"), self.roll)
    }
}

const ROLES: [(&str, &[&str]); 4] = [
    (
        "time",
        &["ts_event", "timestamp", "datetime", "date", "time", "trade date"],
    ),
    ("close", &["settle", "settlement", "close", "last", "latest"]),
    ("contract", &["contract", "symbol"]),
    ("volume", &["volume"]),
];

/// Column index of each role (`None` when absent) from the header, `--map` first: time, close,
/// contract, volume.
fn columns(header: &csv::StringRecord, fmt: &BarsFormat) -> [Option<usize>; 4] {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
    };
    ROLES.map(|(role, names)| match fmt.map.iter().find(|(r, _)| r == role) {
        Some((_, column)) => find(column),
        None => names.iter().find_map(|n| find(n)),
    })
}

/// True when `header` (a CSV header line) has a time and a close column under `fmt`.
pub fn looks_like_bars(header: &str, fmt: &BarsFormat) -> bool {
    let rec = csv::StringRecord::from(header.split(',').collect::<Vec<_>>());
    let [time, close, ..] = columns(&rec, fmt);
    time.is_some() && close.is_some()
}

/// One row of a bar file, its time converted.
pub(crate) struct BarRow<T> {
    /// Line in the file.
    pub line: u64,
    /// The converted time cell.
    pub at: T,
    /// Close or settlement, a plausible price.
    pub close: f64,
    /// Contract name (empty without a contract column).
    pub contract: String,
    /// Volume, when the file has it.
    pub volume: Option<f64>,
}

/// The rows of a bar file for `series`: columns found by name (`--map` first), calendar spreads and
/// Barchart's footer skipped, closes checked as plausible prices; `time` converts a time cell or says
/// what was expected. Shared by daily ([`parse`]) and intraday ([`super::intraday::parse`]) files.
pub(crate) fn rows<T>(
    body: &str,
    series: SeriesId,
    origin: &str,
    fmt: &BarsFormat,
    time: impl Fn(&str) -> Result<T, String>,
) -> Result<Vec<BarRow<T>>, InputError> {
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| InputError::from_csv(origin, &e))?
        .clone();
    let [t_col, close, contract, volume] = columns(&header, fmt);
    let missing = |role: &str| {
        let want = format!("a {role} column (or --map {role}=COLUMN)");
        let found = header.iter().collect::<Vec<_>>().join(",");
        InputError::new(origin, 1, "header", want, &found)
    };
    let (t_col, close) = (
        t_col.ok_or_else(|| missing("time"))?,
        close.ok_or_else(|| missing("close"))?,
    );
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| InputError::from_csv(origin, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let cell = |i: usize| rec.get(i).unwrap_or("").trim();
        if rec.len() == 1 && cell(0).starts_with("Downloaded from") {
            break; // Barchart's provenance footer
        }
        let name = contract.map_or(String::new(), |c| cell(c).to_string());
        if name.contains('-') {
            continue; // a calendar spread, not a contract
        }
        let at = |what: &str, want: &str, found: &str| InputError::new(origin, line, what, want, found);
        let when = time(cell(t_col)).map_err(|want| at(&header[t_col], &want, cell(t_col)))?;
        let price: f64 = cell(close)
            .parse()
            .ok()
            .filter(|p: &f64| p.is_finite() && plausible(series, *p))
            .ok_or_else(|| at(&header[close], PLAUSIBLE_PRICE, cell(close)))?;
        out.push(BarRow {
            line,
            at: when,
            close: price,
            contract: name,
            volume: volume.and_then(|v| cell(v).replace(',', "").parse().ok()),
        });
    }
    Ok(out)
}

/// Parse a bar file for `series`; `zone` dates instants when `--bars-tz` is not given.
pub fn parse(
    body: &str,
    series: SeriesId,
    origin: &str,
    fmt: &BarsFormat,
    zone: Tz,
) -> Result<PriceSeries, InputError> {
    let rows = rows(body, series, origin, fmt, |c| trade_date(c, fmt.tz, zone))?;
    let bars = rows
        .into_iter()
        .map(|r| Bar {
            date: r.at,
            contract: r.contract,
            close: r.close,
            volume: r.volume,
        })
        .collect();
    series_of(bars, series, origin, fmt.roll)
}

/// The series of `bars`: the front month when they name contracts, else one bar per day.
fn series_of(
    mut bars: Vec<Bar>,
    series: SeriesId,
    origin: &str,
    rule: RollRule,
) -> Result<PriceSeries, InputError> {
    bars.sort_by(|a, b| (a.date, &a.contract).cmp(&(b.date, &b.contract)));
    if let Some(w) = bars
        .windows(2)
        .find(|w| w[0].date == w[1].date && w[0].contract == w[1].contract)
    {
        let found = format!("two bars of '{}' on {}", w[0].contract, w[0].date);
        let want = "one daily bar per contract and day (intraday bars are not analysed yet)";
        return Err(InputError::new(origin, 0, "time", want, &found));
    }
    let (obs, rolls) = front(&bars, rule);
    let built = PriceSeries::new(series, obs)
        .map_err(|e| InputError::new(origin, 0, "time", "one price per date", &e.to_string()))?;
    Ok(built.with_rolls(rolls))
}

/// The trade date of a time cell, or what was expected.
fn trade_date(txt: &str, tz: Option<Tz>, zone: Tz) -> Result<NaiveDate, String> {
    if let Ok(d) = NaiveDate::parse_from_str(txt, "%Y-%m-%d") {
        return Ok(d);
    }
    let utc = instant(txt, tz).map_err(|e| format!("a date or {e}"))?;
    Ok(utc.with_timezone(&tz.unwrap_or(zone)).date_naive())
}

/// The instant of a time cell: RFC 3339, integer nanoseconds (UTC), or a wall-clock time in `tz`;
/// otherwise what was expected.
pub(crate) fn instant(txt: &str, tz: Option<Tz>) -> Result<DateTime<chrono::Utc>, String> {
    if let Ok(t) = DateTime::parse_from_rfc3339(txt) {
        return Ok(t.with_timezone(&chrono::Utc));
    }
    if let Ok(ns) = txt.parse::<i64>() {
        return Ok(DateTime::from_timestamp_nanos(ns));
    }
    let formats = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    let wall = formats
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(txt, f).ok());
    match (wall, tz) {
        (Some(w), Some(tz)) => tz
            .from_local_datetime(&w)
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
            .ok_or_else(|| format!("a time that exists in {}", tz.name())),
        (Some(_), None) => Err("a zone for wall-clock times: pass --bars-tz (e.g. America/Chicago)".into()),
        (None, _) => Err("an RFC 3339 time, nanoseconds or 'YYYY-MM-DD HH:MM' with --bars-tz".into()),
    }
}

#[cfg(test)]
#[path = "bars_tests.rs"]
mod tests;
