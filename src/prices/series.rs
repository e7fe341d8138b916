//! Price series: which oil prices oilcorr knows, their trading-day close times, and the validated
//! [`PriceSeries`] type every source produces.
//!
//! `brent` and `wti` are EIA *spot* prices (Europe Brent Spot Price FOB, RBRTE; Cushing OK WTI Spot
//! Price FOB, RWTC), as republished by FRED (DCOILBRENTEU, DCOILWTICO): not futures settlements.
//! `brent-fut` and `wti-fut` are front-month futures, continuous (stitched at each roll, not
//! back-adjusted): NYMEX Brent Last Day Financial (BZ) and NYMEX light sweet crude (CL) as Yahoo
//! serves them (`BZ=F`, `CL=F`), or NYMEX WTI contract 1 (RCLC1) from EIA's futures route.

pub use super::roll::Roll;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use std::fmt;
use std::str::FromStr;

/// Dated prices as parsed, before validation into a [`PriceSeries`].
pub type Observations = Vec<(NaiveDate, f64)>;

/// A price series: the two EIA spot series, their derived spread, or any other FRED series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SeriesId {
    /// Europe Brent Spot Price FOB (EIA RBRTE, FRED DCOILBRENTEU).
    Brent,
    /// Cushing, OK WTI Spot Price FOB (EIA RWTC, FRED DCOILWTICO).
    Wti,
    /// Brent minus WTI on the days both have a price (derived, never fetched).
    Spread,
    /// Brent front-month futures: NYMEX Brent Last Day Financial (BZ; Yahoo `BZ=F`), which expires
    /// with ICE Brent and settles on its index; or whatever Brent futures a local file holds.
    BrentFut,
    /// WTI front-month futures: NYMEX light sweet crude (CL; Yahoo `CL=F`, EIA RCLC1).
    WtiFut,
    /// Any other FRED series, by its id (e.g. `SP500`, `DHHNGSP`); fetched from `fred` or `fred-api`.
    Fred(&'static str),
}

impl SeriesId {
    /// The two EIA spot series.
    pub const OIL: [SeriesId; 2] = [SeriesId::Brent, SeriesId::Wti];

    /// The short name used in file names, CSV cells and flags (`brent`, `wti`, `spread`, or the FRED id).
    pub fn key(self) -> &'static str {
        match self {
            SeriesId::Brent => "brent",
            SeriesId::Wti => "wti",
            SeriesId::Spread => "spread",
            SeriesId::BrentFut => "brent-fut",
            SeriesId::WtiFut => "wti-fut",
            SeriesId::Fred(id) => id,
        }
    }

    /// True for front-month futures (not spot assessments).
    pub fn is_futures(self) -> bool {
        matches!(self, SeriesId::BrentFut | SeriesId::WtiFut)
    }

    /// True for series in US$ per barrel (spot, futures and the spot spread).
    pub fn is_oil(self) -> bool {
        !matches!(self, SeriesId::Fred(_))
    }

    /// What kind of price this is, for labels: "spot", "front-month futures", "derived" or "FRED".
    pub fn kind(self) -> &'static str {
        match self {
            SeriesId::Brent | SeriesId::Wti => "spot",
            SeriesId::BrentFut | SeriesId::WtiFut => "front-month futures",
            SeriesId::Spread => "derived from spot",
            SeriesId::Fred(_) => "FRED series",
        }
    }

    /// The human label used in charts.
    pub fn label(self) -> &'static str {
        match self {
            SeriesId::Brent => "Brent",
            SeriesId::Wti => "WTI",
            SeriesId::Spread => "Brent–WTI spread",
            SeriesId::BrentFut => "Brent futures",
            SeriesId::WtiFut => "WTI futures",
            SeriesId::Fred(id) => id,
        }
    }

    /// The FRED series id. The derived spread is never fetched; it answers with the pair of its inputs.
    pub fn fred_id(self) -> &'static str {
        match self {
            SeriesId::Brent => "DCOILBRENTEU",
            SeriesId::Wti => "DCOILWTICO",
            SeriesId::Spread => "DCOILBRENTEU-DCOILWTICO",
            // FRED has no futures; its sources refuse these series before any request.
            SeriesId::BrentFut | SeriesId::WtiFut => "",
            SeriesId::Fred(id) => id,
        }
    }

    /// The default daily close: Brent 16:30 Europe/London, WTI 14:30 America/New_York; the spread is
    /// known once both have closed (WTI's close, the later one); other FRED series 16:00 America/New_York
    /// (US market close; change it with `--close ID=HH:MM@Zone` when that is wrong for the series).
    ///
    /// Futures: NYMEX CL settles on trades 14:28–14:30 New York (CME settlement procedures), so
    /// `wti-fut` closes 14:30 America/New_York. NYMEX BZ's settlement window is not published where we
    /// could check; its trade-at-settlement stops at 14:30 New York, so `brent-fut` uses 14:30 New York
    /// too. ICE Brent (a licensed file) settles 19:28–19:30 London: pass
    /// `--close brent-fut=19:30@Europe/London` for it.
    pub fn default_close(self) -> CloseTime {
        match self {
            SeriesId::Brent => CloseTime::new(hm(16, 30), chrono_tz::Europe::London),
            SeriesId::Wti | SeriesId::Spread | SeriesId::BrentFut | SeriesId::WtiFut => {
                CloseTime::new(hm(14, 30), chrono_tz::America::New_York)
            }
            SeriesId::Fred(_) => CloseTime::new(hm(16, 0), chrono_tz::America::New_York),
        }
    }
}

/// Error parsing a series name.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("unknown series '{0}': expected brent, wti, spread, brent-fut, wti-fut or a FRED series id (letters, digits, _)")]
pub struct SeriesParseError(String);

impl FromStr for SeriesId {
    type Err = SeriesParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        match t.to_ascii_lowercase().as_str() {
            "brent" | "dcoilbrenteu" => return Ok(SeriesId::Brent),
            "wti" | "dcoilwtico" => return Ok(SeriesId::Wti),
            "spread" => return Ok(SeriesId::Spread),
            "brent-fut" => return Ok(SeriesId::BrentFut),
            "wti-fut" => return Ok(SeriesId::WtiFut),
            _ => {}
        }
        let valid =
            !t.is_empty() && t.len() <= 40 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(SeriesParseError(s.to_string()));
        }
        // A handful of ids per run: leaking keeps SeriesId `Copy`.
        Ok(SeriesId::Fred(Box::leak(t.to_ascii_uppercase().into_boxed_str())))
    }
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).expect("valid constant time")
}

impl fmt::Display for SeriesId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The local wall-clock time at which a series' daily price is set, in its own time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseTime {
    /// Local time of day of the close.
    pub time: NaiveTime,
    /// IANA time zone of the market; daylight saving is applied per date.
    pub tz: Tz,
}

impl CloseTime {
    /// A close at `time` in `tz`.
    pub fn new(time: NaiveTime, tz: Tz) -> Self {
        CloseTime { time, tz }
    }

    /// The close of trading day `date` as milliseconds since the Unix epoch (UTC).
    ///
    /// A close falling in a DST gap is moved forward by the gap; an ambiguous one takes the earlier instant.
    pub fn epoch_ms(&self, date: NaiveDate) -> i64 {
        local_epoch_ms(self.tz, date, self.time)
    }
}

/// Brent minus WTI on the dates both series have a price.
pub fn spread(brent: &PriceSeries, wti: &PriceSeries) -> PriceSeries {
    let obs = brent
        .iter()
        .filter_map(|(d, b)| {
            wti.dates()
                .binary_search(&d)
                .ok()
                .map(|i| (d, b - wti.prices()[i]))
        })
        .collect();
    PriceSeries::new(SeriesId::Spread, obs).expect("dates come from a valid series")
}

/// Milliseconds since the epoch of local wall time `date time` in `tz` (earliest instant if ambiguous,
/// shifted past a DST gap if the wall time does not exist).
pub fn local_epoch_ms(tz: Tz, date: NaiveDate, time: NaiveTime) -> i64 {
    let naive = date.and_time(time);
    let mut probe = naive;
    for _ in 0..4 {
        if let Some(dt) = tz.from_local_datetime(&probe).earliest() {
            return dt.timestamp_millis();
        }
        probe += chrono::Duration::minutes(30);
    }
    // No zone has a gap longer than two hours; fall back to reading the wall time as UTC.
    naive.and_utc().timestamp_millis()
}

/// Error parsing a `SERIES=HH:MM@Zone` close override.
#[derive(Debug, thiserror::Error)]
#[error("invalid close '{0}': expected SERIES=HH:MM@Area/City, e.g. wti=14:30@America/New_York")]
pub struct CloseParseError(String);

/// A per-series close override given on the command line (`wti=14:30@America/New_York`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseOverride {
    /// The series the close applies to.
    pub series: SeriesId,
    /// Its close time.
    pub close: CloseTime,
}

impl FromStr for CloseOverride {
    type Err = CloseParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || CloseParseError(s.to_string());
        let (name, rest) = s.split_once('=').ok_or_else(err)?;
        let (time, zone) = rest.split_once('@').ok_or_else(err)?;
        let series: SeriesId = name.parse().map_err(|_| err())?;
        let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| err())?;
        let tz: Tz = zone.trim().parse().map_err(|_| err())?;
        Ok(CloseOverride {
            series,
            close: CloseTime::new(time, tz),
        })
    }
}

/// Error building a [`PriceSeries`] from observations that break its invariants.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SeriesError {
    /// Two observations share a date.
    #[error("duplicate date {0}")]
    DuplicateDate(NaiveDate),
    /// A price is NaN or infinite.
    #[error("price on {0} is not a finite number")]
    NotFinite(NaiveDate),
    /// An oil price no market has quoted: its magnitude is not between 1e-6 and 1e6 US$/bbl.
    #[error("price {1:e} on {0} is not a plausible US$/bbl price (magnitude 1e-6 to 1e6, or 0)")]
    Implausible(NaiveDate, f64),
}

/// Magnitudes of US$/bbl prices oilcorr accepts: beyond them (1e308, 5e-324) a price is a data
/// error, and ratios of such prices overflow or underflow.
const PLAUSIBLE: std::ops::RangeInclusive<f64> = 1e-6..=1e6;

/// What a parser expects of a price of an oil series (for its located error).
pub const PLAUSIBLE_PRICE: &str = "a plausible US$/bbl price (magnitude 1e-6 to 1e6, or 0)";

/// False for a Brent, WTI (spot or futures) or spread price no market has quoted (magnitude outside
/// 1e-6..1e6); other series take any finite value.
pub fn plausible(id: SeriesId, price: f64) -> bool {
    !id.is_oil() || price == 0.0 || PLAUSIBLE.contains(&price.abs())
}

/// Daily prices of one series on its trading days: dates strictly ascending, prices finite
/// (negative and zero prices are kept: WTI spot was -36.98 on 2020-04-20).
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSeries {
    id: SeriesId,
    dates: Vec<NaiveDate>,
    prices: Vec<f64>,
    rolls: Vec<Roll>,
}

impl PriceSeries {
    /// Build a series from observations in any order; rejects duplicate dates and non-finite prices.
    pub fn new(id: SeriesId, mut obs: Vec<(NaiveDate, f64)>) -> Result<Self, SeriesError> {
        obs.sort_by_key(|(d, _)| *d);
        for w in obs.windows(2) {
            if w[0].0 == w[1].0 {
                return Err(SeriesError::DuplicateDate(w[0].0));
            }
        }
        if let Some((d, _)) = obs.iter().find(|(_, p)| !p.is_finite()) {
            return Err(SeriesError::NotFinite(*d));
        }
        if let Some((d, p)) = obs.iter().find(|(_, p)| !plausible(id, *p)) {
            return Err(SeriesError::Implausible(*d, *p));
        }
        let (dates, prices) = obs.into_iter().unzip();
        Ok(PriceSeries {
            id,
            dates,
            prices,
            rolls: vec![],
        })
    }

    /// This series with the contract `rolls` of a futures series built from per-contract bars
    /// ([`super::roll`]): the return of a roll day is measured within the new contract, or undefined.
    pub fn with_rolls(mut self, mut rolls: Vec<Roll>) -> Self {
        rolls.sort_by_key(|r| r.date);
        self.rolls = rolls;
        self
    }

    /// The contract rolls (empty for spot series and for futures without contract information).
    pub fn rolls(&self) -> &[Roll] {
        &self.rolls
    }

    /// Which series this is.
    pub fn id(&self) -> SeriesId {
        self.id
    }

    /// Trading days, ascending.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// Prices in $/bbl, parallel to [`PriceSeries::dates`].
    pub fn prices(&self) -> &[f64] {
        &self.prices
    }

    /// Number of trading days.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// True when the series has no observation.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Observations as `(date, price)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, f64)> + '_ {
        self.dates.iter().copied().zip(self.prices.iter().copied())
    }

    /// The observations dated within `[from, to]`.
    pub fn slice(&self, from: NaiveDate, to: NaiveDate) -> PriceSeries {
        let lo = self.dates.partition_point(|d| *d < from);
        // A reversed range (`from` after `to`) is empty, never a panic.
        let hi = self.dates.partition_point(|d| *d <= to).max(lo);
        PriceSeries {
            id: self.id,
            dates: self.dates[lo..hi].to_vec(),
            prices: self.prices[lo..hi].to_vec(),
            rolls: self
                .rolls
                .iter()
                .filter(|r| r.date >= from && r.date <= to)
                .cloned()
                .collect(),
        }
    }

    /// This series with `newer`'s observations merged in; on a shared date `newer` wins.
    pub fn merged_with(&self, newer: &PriceSeries) -> PriceSeries {
        let mut map: std::collections::BTreeMap<NaiveDate, f64> = self.iter().collect();
        map.extend(newer.iter());
        let (dates, prices) = map.into_iter().unzip();
        // The newer part's rolls replace the older ones within its dates.
        let span = (newer.dates.first(), newer.dates.last());
        let inside = |d: &NaiveDate| span.0.is_some_and(|a| d >= a) && span.1.is_some_and(|b| d <= b);
        let mut rolls: Vec<Roll> = self.rolls.iter().filter(|r| !inside(&r.date)).cloned().collect();
        rolls.extend(newer.rolls.iter().cloned());
        rolls.sort_by_key(|r| r.date);
        PriceSeries {
            id: self.id,
            dates,
            prices,
            rolls,
        }
    }
}

#[cfg(test)]
#[path = "series_tests.rs"]
mod tests;
