//! Dated statements (tweets, speeches, decisions) and the curated corpus compiled into the binary.
//!
//! File format: CSV with header `id,time,speaker,text` and optional `url,tags,stance` (any order).
//! `time` is RFC 3339 with `Z` or an offset, or a bare `YYYY-MM-DD` when the time of day is unknown;
//! `tags` is `;`-separated; `stance` is `up`, `down` or empty — the direction the words push prices if
//! the market believes them. See [`parse`] for the validation rules.
//!
//! Owns statements: reading and validating them ([`parse`]), sorting more of them than memory holds
//! ([`spill`]), writing them ([`write`](mod@write)) and turning real archives into them ([`import`]). Uses only [`crate::input_error`] and [`crate::fsutil`].

mod codec;
pub mod import;
pub mod parse;
pub mod spill;
pub mod write;

use chrono::{DateTime, NaiveDate, Utc};
use std::collections::HashMap;
use std::path::Path;

pub use parse::{parse_statements, StatementsError};

/// The curated corpus shipped in `data/statements/oil-politics.csv`.
pub const BUILTIN_CSV: &str = include_str!("../../data/statements/oil-politics.csv");

/// Name shown in messages for the built-in corpus.
pub const BUILTIN_NAME: &str = "built-in data/statements/oil-politics.csv";

/// When a statement was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementTime {
    /// An exact instant (from RFC 3339, normalised to UTC).
    Instant(DateTime<Utc>),
    /// A calendar date with unknown time of day.
    Date(NaiveDate),
}

impl StatementTime {
    /// Chronological sort key: the date, then the UTC time of day; a date-only statement sorts before
    /// timed statements of the same date (its time is unknown).
    pub fn sort_key(&self) -> (NaiveDate, Option<chrono::NaiveTime>) {
        match self {
            StatementTime::Instant(t) => (t.date_naive(), Some(t.time())),
            StatementTime::Date(d) => (*d, None),
        }
    }

    /// The calendar date used to select statements by `--from/--to`: the UTC date of an instant, or the date.
    pub fn date(&self) -> NaiveDate {
        match self {
            StatementTime::Instant(t) => t.date_naive(),
            StatementTime::Date(d) => *d,
        }
    }
}

impl std::fmt::Display for StatementTime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StatementTime::Instant(t) => {
                use chrono::{Datelike, Timelike};
                let n = t.naive_utc();
                // Digits laid into a fixed pattern by hand (strftime re-parses its pattern every call,
                // and padded `{:02}` formatting was 5 % of a million-statement run); leap seconds and
                // years outside 0..=9999 take chrono's own formatting.
                if (0..=9999).contains(&n.year()) && n.nanosecond() < 1_000_000_000 {
                    let mut b = *b"0000-00-00T00:00:00Z";
                    let mut put = |at: usize, width: usize, mut v: u32| {
                        for k in (at..at + width).rev() {
                            b[k] = b'0' + (v % 10) as u8;
                            v /= 10;
                        }
                    };
                    put(0, 4, n.year() as u32);
                    put(5, 2, n.month());
                    put(8, 2, n.day());
                    put(11, 2, n.hour());
                    put(14, 2, n.minute());
                    put(17, 2, n.second());
                    f.write_str(std::str::from_utf8(&b).expect("ASCII digits"))
                } else {
                    write!(f, "{}", t.format("%Y-%m-%dT%H:%M:%SZ"))
                }
            }
            StatementTime::Date(d) => write!(f, "{d}"),
        }
    }
}

/// The direction a statement pushes prices if believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stance {
    /// Pushes prices up (e.g. announces a supply cut).
    Up,
    /// Pushes prices down (e.g. demands more output).
    Down,
}

impl Stance {
    /// `up` or `down`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Up => "up",
            Stance::Down => "down",
        }
    }

    /// `up` or `down`, in any case and with surrounding space; `None` for anything else.
    pub fn parse(s: &str) -> Option<Stance> {
        match s.trim().to_ascii_lowercase().as_str() {
            "up" => Some(Stance::Up),
            "down" => Some(Stance::Down),
            _ => None,
        }
    }

    /// +1 for up, −1 for down: the sign a price move must have to go the way the statement pushed.
    pub fn sign(self) -> f64 {
        match self {
            Stance::Up => 1.0,
            Stance::Down => -1.0,
        }
    }
}

/// Tags from their `;`-separated text: trimmed, empty ones dropped.
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(';')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .collect()
}

/// True for an absolute http(s) address without spaces or control characters: the only links
/// statements may carry, and the only ones the report makes clickable.
pub fn is_web_url(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| !r.is_empty()) && !url.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// One dated statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Unique id (unique across every file of one analysis).
    pub id: String,
    /// When it was made.
    pub time: StatementTime,
    /// Who said it.
    pub speaker: String,
    /// What was said, or a summary.
    pub text: String,
    /// Source address (http or https), if given.
    pub url: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// Direction the statement pushes prices, if labelled.
    pub stance: Option<Stance>,
}

impl Statement {
    /// A statement with no source, tags or stance (set them on the result).
    pub fn new(
        id: impl Into<String>,
        time: StatementTime,
        speaker: impl Into<String>,
        text: impl Into<String>,
    ) -> Self {
        Statement {
            id: id.into(),
            time,
            speaker: speaker.into(),
            text: text.into(),
            url: None,
            tags: vec![],
            stance: None,
        }
    }
}

impl Statement {
    /// Why a statements file could not hold this statement (the loader's rules: id, speaker and text
    /// non-empty, a link only to an http(s) address), or `None` when it can.
    pub fn problem(&self) -> Option<&'static str> {
        if self.id.trim().is_empty() {
            Some("an empty id")
        } else if self.speaker.trim().is_empty() {
            Some("an empty speaker")
        } else if self.text.trim().is_empty() {
            Some("an empty text")
        } else if self.url.as_deref().is_some_and(|u| !is_web_url(u)) {
            Some("a link that is not an http(s) address")
        } else {
            None
        }
    }
}

/// Load statements from `paths`, or the built-in corpus when `paths` is empty. Ids must be unique across
/// all files; the result is sorted by time (then id) so numbering in charts follows chronology.
pub fn load(paths: &[impl AsRef<Path>]) -> Result<Vec<Statement>, StatementsError> {
    load_with(paths, false).map(|(s, _)| s)
}

/// Statements dropped by `--dedupe`: `(id, file)`.
pub type Dropped = Vec<(String, String)>;

/// Like [`load`]; with `dedupe`, a repeated id keeps its first occurrence and the dropped ones are
/// returned as `(id, file)` instead of being an error.
pub fn load_with(
    paths: &[impl AsRef<Path>],
    dedupe: bool,
) -> Result<(Vec<Statement>, Dropped), StatementsError> {
    let mut dropped = Vec::new();
    let mut all = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    if paths.is_empty() {
        all = parse_statements(BUILTIN_CSV.as_bytes(), BUILTIN_NAME)?;
    }
    for path in paths {
        let path = path.as_ref();
        let origin = path.display().to_string();
        let file = std::fs::File::open(path).map_err(|source| StatementsError::Io {
            path: origin.clone(),
            source,
        })?;
        let parsed = parse_statements(std::io::BufReader::new(file), &origin)?;
        if paths.len() == 1 {
            // One file: its ids were checked unique while parsing.
            all = parsed;
            break;
        }
        for s in parsed {
            if let Some(first) = seen.get(&s.id) {
                if !dedupe {
                    let (id, first) = (s.id.clone(), first.clone());
                    return Err(StatementsError::DuplicateAcrossFiles {
                        id,
                        first,
                        second: origin,
                    });
                }
                dropped.push((s.id, origin.clone()));
                continue;
            }
            seen.insert(s.id.clone(), origin.clone());
            all.push(s);
        }
    }
    Ok((chronological(all), dropped))
}

/// `statements` sorted by time, then id: the order of every analysis and of every file oilcorr
/// writes. In place: the time keys are computed once and the statements permuted where they are
/// (building a sorted copy held a million statements twice), then runs of one time ordered by id.
pub fn chronological(mut statements: Vec<Statement>) -> Vec<Statement> {
    statements.sort_by_cached_key(|s| s.time.sort_key());
    for run in statements.chunk_by_mut(|a, b| a.time.sort_key() == b.time.sort_key()) {
        if run.len() > 1 {
            run.sort_by(|a, b| a.id.cmp(&b.id));
        }
    }
    statements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_print_as_chrono_formats_them() {
        for text in [
            "2020-04-02T14:32:08Z",
            "0005-01-09T00:00:00Z",
            "9999-12-31T23:59:59Z",
            "2024-02-29T09:05:01Z",
            "1987-05-20T10:00:00Z",
        ] {
            let t: DateTime<Utc> = text.parse().unwrap();
            let shown = StatementTime::Instant(t).to_string();
            assert_eq!(shown, t.format("%Y-%m-%dT%H:%M:%SZ").to_string());
            assert_eq!(shown, text);
        }
        let d = NaiveDate::from_ymd_opt(2020, 4, 12).unwrap();
        assert_eq!(StatementTime::Date(d).to_string(), "2020-04-12");
    }

    #[test]
    fn chronological_order_is_time_then_id_whatever_the_input_order() {
        // A fixed shuffle of 500 statements on 7 dates, some timed, many sharing a time.
        let day = |i: u64| NaiveDate::from_ymd_opt(2020, 4, 1 + (i % 7) as u32).unwrap();
        let input: Vec<Statement> = (0..500u64)
            .map(|i| {
                let k = i.wrapping_mul(2_654_435_761) % 997;
                let time = match k % 3 {
                    0 => StatementTime::Date(day(k)),
                    _ => StatementTime::Instant(day(k).and_hms_opt((k % 4) as u32, 0, 0).unwrap().and_utc()),
                };
                Statement::new(format!("id{k:04}-{i}"), time, "s", "t")
            })
            .collect();
        let mut want = input.clone();
        want.sort_by(|a, b| (a.time.sort_key(), &a.id).cmp(&(b.time.sort_key(), &b.id)));
        let ids = |v: &[Statement]| v.iter().map(|s| s.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&chronological(input)), ids(&want));
    }

    #[test]
    fn builtin_corpus_is_valid_and_sorted() {
        let none: [&str; 0] = [];
        let all = load(&none).unwrap();
        assert!(all.len() >= 40, "the curated corpus has at least 40 rows");
        assert!(all
            .iter()
            .all(|s| (2016..=2025).contains(&chrono::Datelike::year(&s.time.date()))));
        assert!(all
            .windows(2)
            .all(|w| w[0].time.sort_key() <= w[1].time.sort_key()));
        let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
        let pos = |id: &str| ids.iter().position(|x| *x == id).unwrap();
        // Date-only events interleave with timed tweets by date.
        assert!(pos("novak-2020-03-06") < pos("trump-2020-03-09"));
        assert!(pos("kremlin-2020-04-02") < pos("trump-2020-04-02a"));
        assert!(pos("trump-2020-04-02b") < pos("putin-2020-04-03"));
        assert!(
            all.iter().all(|s| s.url.is_some()),
            "every curated row has a source"
        );
    }

    #[test]
    fn duplicate_ids_across_files_are_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.csv");
        let b = dir.path().join("b.csv");
        std::fs::write(&a, "id,time,speaker,text\nx,2020-01-02,A,t\n").unwrap();
        std::fs::write(&b, "id,time,speaker,text\nx,2020-01-03,B,u\n").unwrap();
        let err = load(&[a, b]).unwrap_err().to_string();
        assert!(
            err.contains("'x'") && err.contains("a.csv") && err.contains("b.csv"),
            "{err}"
        );
    }
}
