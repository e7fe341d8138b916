//! The Trump Twitter Archive export (thetrumparchive.com).
//!
//! CSV header `id,text,isRetweet,isDeleted,device,favorites,retweets,date,isFlagged`; `date` is UTC
//! `YYYY-MM-DD HH:MM:SS` (it equals the time in the tweet id's snowflake bits); flags are `t`/`f`; text is
//! HTML-escaped and may hold newlines inside quoted fields. The JSON export holds the same fields in an
//! array; there `date` may be a string or epoch milliseconds, flags booleans or `t`/`f`, ids numbers or
//! strings. Ids exceed 2^53 and are kept as integers (u64), never floats.

use super::{unescape, ImportError, ImportOptions};
use crate::input_error::InputError;
use crate::statements::{Statement, StatementTime};
use chrono::{DateTime, NaiveDateTime, Utc};
use std::io::{BufRead, Read};

/// Default speaker of this archive.
pub const SPEAKER: &str = "Donald Trump";

/// One raw record, before filtering.
struct Tweet {
    id: u64,
    text: String,
    retweet: bool,
    deleted: bool,
    time: DateTime<Utc>,
}

/// Read the archive (CSV, or JSON if it starts with `[`) and pass each kept tweet to `emit`.
pub fn read<R: BufRead>(
    mut reader: R,
    origin: &str,
    opts: &ImportOptions,
    emit: &mut dyn FnMut(Statement),
) -> Result<(), ImportError> {
    let io = |source| ImportError::Io {
        path: origin.to_string(),
        source,
    };
    let json = reader
        .fill_buf()
        .map_err(io)?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        == Some(&b'[');
    let mut push = |t: Tweet| {
        if (opts.retweets || !t.retweet) && (opts.deleted || !t.deleted) {
            emit(statement(t, opts));
        }
    };
    if json {
        let mut body = String::new();
        reader.read_to_string(&mut body).map_err(io)?;
        read_json(&body, origin, &mut push)
    } else {
        read_csv(reader, origin, &mut push)
    }
}

fn statement(t: Tweet, opts: &ImportOptions) -> Statement {
    let mut tags = vec!["tweet".to_string()];
    if t.retweet {
        tags.push("retweet".into());
    }
    if t.deleted {
        tags.push("deleted".into());
    }
    Statement {
        id: format!("tweet-{}", t.id),
        time: StatementTime::Instant(t.time),
        speaker: opts.speaker.clone().unwrap_or_else(|| SPEAKER.to_string()),
        text: unescape(&t.text).trim().to_string(),
        url: Some(format!("https://twitter.com/realDonaldTrump/status/{}", t.id)),
        tags,
        stance: None,
    }
}

fn read_csv<R: Read>(reader: R, origin: &str, push: &mut dyn FnMut(Tweet)) -> Result<(), ImportError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header = rdr.headers().map_err(|e| csv_err(origin, &e))?.clone();
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let want = "the archive header id,text,isRetweet,isDeleted,device,favorites,retweets,date,isFlagged";
    let (Some(id), Some(text), Some(date)) = (col("id"), col("text"), col("date")) else {
        let found: Vec<&str> = header.iter().collect();
        return Err(InputError::new(origin, 1, "header", want, &found.join(",")).into());
    };
    let (rt, del) = (col("isRetweet"), col("isDeleted"));
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_err(origin, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").trim();
        let flag = |i: Option<usize>, field: &str| parse_flag(get(i), origin, line, field);
        push(Tweet {
            id: parse_id(get(Some(id)), origin, line)?,
            text: get(Some(text)).to_string(),
            retweet: flag(rt, "isRetweet")?,
            deleted: flag(del, "isDeleted")?,
            time: parse_date(get(Some(date)), origin, line)?,
        });
    }
    Ok(())
}

fn read_json(body: &str, origin: &str, push: &mut dyn FnMut(Tweet)) -> Result<(), ImportError> {
    let items: Vec<serde_json::Value> = serde_json::from_str(body).map_err(|e| {
        InputError::new(
            origin,
            e.line() as u64,
            "json",
            "a JSON array of tweet objects",
            &e.to_string(),
        )
    })?;
    for (i, item) in items.iter().enumerate() {
        let n = i as u64 + 1;
        let field = |k: &str| item.get(k).cloned().unwrap_or(serde_json::Value::Null);
        let text = field("text");
        let id = match field("id") {
            serde_json::Value::Number(n) => {
                n.as_u64().map(|v| v.to_string()).unwrap_or_else(|| n.to_string())
            }
            v => v.as_str().unwrap_or("").to_string(),
        };
        let time = match field("date") {
            serde_json::Value::Number(ms) => ms
                .as_i64()
                .and_then(DateTime::from_timestamp_millis)
                .ok_or_else(|| InputError::new(origin, n, "date", "epoch milliseconds", &ms.to_string()))?,
            v => parse_date(v.as_str().unwrap_or(""), origin, n)?,
        };
        push(Tweet {
            id: parse_id(&id, origin, n)?,
            text: text.as_str().unwrap_or("").to_string(),
            retweet: json_flag(&field("isRetweet"), origin, n, "isRetweet")?,
            deleted: json_flag(&field("isDeleted"), origin, n, "isDeleted")?,
            time,
        });
    }
    Ok(())
}

fn parse_id(s: &str, origin: &str, line: u64) -> Result<u64, InputError> {
    s.parse::<u64>()
        .map_err(|_| InputError::new(origin, line, "id", "a decimal tweet id", s))
}

fn parse_flag(s: &str, origin: &str, line: u64, field: &str) -> Result<bool, InputError> {
    match s {
        "t" | "true" | "TRUE" => Ok(true),
        "f" | "false" | "FALSE" | "" => Ok(false),
        _ => Err(InputError::new(origin, line, field, "t or f", s)),
    }
}

fn json_flag(v: &serde_json::Value, origin: &str, line: u64, field: &str) -> Result<bool, InputError> {
    match v {
        serde_json::Value::Bool(b) => Ok(*b),
        serde_json::Value::Null => Ok(false),
        serde_json::Value::String(s) => parse_flag(s, origin, line, field),
        other => Err(InputError::new(
            origin,
            line,
            field,
            "true/false or t/f",
            &other.to_string(),
        )),
    }
}

/// `YYYY-MM-DD HH:MM:SS` in UTC (also accepts RFC 3339).
fn parse_date(s: &str, origin: &str, line: u64) -> Result<DateTime<Utc>, InputError> {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S")
        .map(|n| n.and_utc())
        .or_else(|_| DateTime::parse_from_rfc3339(s).map(|t| t.with_timezone(&Utc)))
        .map_err(|_| InputError::new(origin, line, "date", "a UTC time YYYY-MM-DD HH:MM:SS", s))
}

fn csv_err(origin: &str, e: &csv::Error) -> ImportError {
    InputError::from_csv(origin, e).into()
}
