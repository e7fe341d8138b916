//! Generic CSV and JSON Lines statements with a column mapping (`--map time=published_at,text=body`).
//!
//! Fields: `id` (default: `row-N`), `time` (required), `speaker` (or `--speaker-name`), `text`
//! (required), `url`, `tags` (`;`-separated), `stance`. A time is RFC 3339 with an offset, a bare date,
//! or a naive `YYYY-MM-DD HH:MM[:SS]` (also with `T`) read in `--tz`; a naive time without `--tz` is an
//! error, since guessing the zone would shift day 0.

use super::{ImportError, ImportOptions};
use crate::input_error::InputError;
use crate::statements::{parse::parse_time, Stance, Statement, StatementTime};
use chrono::{NaiveDateTime, TimeZone, Utc};
use std::io::BufRead;

const FIELDS: [&str; 7] = ["id", "time", "speaker", "text", "url", "tags", "stance"];

/// The column holding `field` under the mapping (the field's own name by default).
fn column<'a>(opts: &'a ImportOptions, field: &'a str) -> &'a str {
    opts.map.get(field).map_or(field, String::as_str)
}

/// Build a statement from a row; `get(column)` returns the cell text.
fn build(
    get: &dyn Fn(&str) -> Option<String>,
    origin: &str,
    line: u64,
    opts: &ImportOptions,
) -> Result<Statement, InputError> {
    let field = |f: &str| {
        get(column(opts, f))
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let err = |f: &str, want: &str, found: &str| InputError::new(origin, line, column(opts, f), want, found);
    let time_txt = field("time").ok_or_else(|| err("time", "a time", ""))?;
    let time = parse_any_time(&time_txt, opts).ok_or_else(|| {
        let want = if opts.tz.is_none() {
            "RFC 3339 with offset, YYYY-MM-DD, or a local time with --tz"
        } else {
            "a time"
        };
        err("time", want, &time_txt)
    })?;
    let text = field("text").ok_or_else(|| err("text", "a non-empty text", ""))?;
    let speaker = field("speaker")
        .or_else(|| opts.speaker.clone())
        .ok_or_else(|| err("speaker", "a speaker (or --speaker-name)", ""))?;
    let stance = match field("stance") {
        None => None,
        Some(s) => match Stance::parse(&s) {
            Some(st) => Some(st),
            None => return Err(err("stance", "up, down or empty", &s.to_ascii_lowercase())),
        },
    };
    let url = field("url");
    if let Some(u) = url.as_deref().filter(|u| !crate::statements::is_web_url(u)) {
        return Err(err("url", "empty or an http(s):// address", u));
    }
    let tags = field("tags").map_or(vec![], |t| crate::statements::split_tags(&t));
    Ok(Statement {
        id: field("id").unwrap_or_else(|| format!("row-{line}")),
        time,
        speaker,
        text,
        url,
        tags,
        stance,
    })
}

/// RFC 3339 / bare date, else a naive local time in `--tz`.
fn parse_any_time(s: &str, opts: &ImportOptions) -> Option<StatementTime> {
    if let Some(t) = parse_time(s) {
        return Some(t);
    }
    let tz = opts.tz?;
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())?;
    let local = tz.from_local_datetime(&naive).earliest()?;
    Some(StatementTime::Instant(local.with_timezone(&Utc)))
}

/// Read a CSV with a header row.
pub fn read_csv<R: BufRead>(
    reader: R,
    origin: &str,
    opts: &ImportOptions,
    emit: &mut dyn FnMut(Statement),
) -> Result<(), ImportError> {
    check_map(opts, origin)?;
    let mut rdr = csv::Reader::from_reader(reader);
    let header = rdr.headers().map_err(|e| row_err(origin, &e))?.clone();
    for f in ["time", "text"] {
        if !header.iter().any(|h| h.trim() == column(opts, f)) {
            let found: Vec<&str> = header.iter().collect();
            let want = format!("a column '{}' (map one with --map {f}=COLUMN)", column(opts, f));
            return Err(InputError::new(origin, 1, "header", want, &found.join(",")).into());
        }
    }
    for rec in rdr.records() {
        let rec = rec.map_err(|e| row_err(origin, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |c: &str| {
            header
                .iter()
                .position(|h| h.trim() == c)
                .and_then(|i| rec.get(i))
                .map(String::from)
        };
        emit(build(&get, origin, line, opts)?);
    }
    Ok(())
}

/// Read JSON Lines: one object per line; blank lines are skipped.
pub fn read_jsonl<R: BufRead>(
    reader: R,
    origin: &str,
    opts: &ImportOptions,
    emit: &mut dyn FnMut(Statement),
) -> Result<(), ImportError> {
    check_map(opts, origin)?;
    for (i, line) in reader.lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|source| ImportError::Io {
            path: origin.to_string(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let obj: serde_json::Value = serde_json::from_str(&line)
            .map_err(|e| InputError::new(origin, n, "line", "one JSON object", &e.to_string()))?;
        let get = |c: &str| match obj.get(c)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Null => None,
            serde_json::Value::Array(a) => Some(
                a.iter()
                    .map(|v| v.as_str().map_or(v.to_string(), String::from))
                    .collect::<Vec<_>>()
                    .join(";"),
            ),
            other => Some(other.to_string()),
        };
        emit(build(&get, origin, n, opts)?);
    }
    Ok(())
}

fn check_map(opts: &ImportOptions, origin: &str) -> Result<(), InputError> {
    match opts.map.keys().find(|k| !FIELDS.contains(&k.as_str())) {
        Some(k) => Err(InputError::new(
            origin,
            0,
            "--map",
            "fields id,time,speaker,text,url,tags,stance",
            k,
        )),
        None => Ok(()),
    }
}

fn row_err(origin: &str, e: &csv::Error) -> ImportError {
    InputError::from_csv(origin, e).into()
}
