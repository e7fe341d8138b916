//! `tweets.js` from an X/Twitter account archive: `window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`,
//! with `id_str`, `full_text` (or `text`) and `created_at` like `Wed Oct 10 20:19:24 +0000 2018`.
//! Retweets are recognised by a `full_text` starting with `RT @`. The archive does not name its owner in
//! this file, so the speaker comes from `--speaker-name` (default "archive owner").

use super::{unescape, ImportError, ImportOptions};
use crate::input_error::InputError;
use crate::statements::{Statement, StatementTime};
use chrono::{DateTime, Utc};
use std::io::Read;

/// Read `tweets.js` and pass each kept tweet to `emit`.
pub fn read<R: Read>(
    mut reader: R,
    origin: &str,
    opts: &ImportOptions,
    emit: &mut dyn FnMut(Statement),
) -> Result<(), ImportError> {
    let mut body = String::new();
    reader
        .read_to_string(&mut body)
        .map_err(|source| ImportError::Io {
            path: origin.to_string(),
            source,
        })?;
    for (i, item) in items(&body, origin)?.iter().enumerate() {
        if let Some(s) = tweet(item, i as u64 + 1, origin, opts)? {
            emit(s);
        }
    }
    Ok(())
}

/// The JSON array after `window.YTD.tweets.part0 =`, errors located by line in the file.
fn items(body: &str, origin: &str) -> Result<Vec<serde_json::Value>, InputError> {
    let start = body.find('[').ok_or_else(|| {
        InputError::new(
            origin,
            1,
            "file",
            "window.YTD.tweets.part0 = [ ... ]",
            body.lines().next().unwrap_or(""),
        )
    })?;
    let first_line = body[..start].matches('\n').count() as u64 + 1;
    serde_json::from_str(&body[start..]).map_err(|e| {
        let line = first_line + e.line() as u64 - 1;
        InputError::new(
            origin,
            line,
            "json",
            "a JSON array of {\"tweet\": {...}} objects",
            &e.to_string(),
        )
    })
}

/// The statement of the `n`-th item, or `None` for a retweet that is not kept.
fn tweet(
    item: &serde_json::Value,
    n: u64,
    origin: &str,
    opts: &ImportOptions,
) -> Result<Option<Statement>, InputError> {
    let t = item.get("tweet").unwrap_or(item);
    let s = |k: &str| t.get(k).and_then(|v| v.as_str()).unwrap_or("");
    let id = s("id_str");
    if id.parse::<u64>().is_err() {
        return Err(InputError::new(
            origin,
            n,
            "tweet.id_str",
            "a decimal tweet id",
            id,
        ));
    }
    let text = if s("full_text").is_empty() {
        s("text")
    } else {
        s("full_text")
    };
    let retweet = text.starts_with("RT @");
    if retweet && !opts.retweets {
        return Ok(None);
    }
    let created = s("created_at");
    let time = DateTime::parse_from_str(created, "%a %b %d %H:%M:%S %z %Y")
        .map_err(|_| {
            let want = "like 'Wed Oct 10 20:19:24 +0000 2018'";
            InputError::new(origin, n, "tweet.created_at", want, created)
        })?
        .with_timezone(&Utc);
    let mut tags = vec!["tweet".to_string()];
    if retweet {
        tags.push("retweet".into());
    }
    Ok(Some(Statement {
        id: format!("tweet-{id}"),
        time: StatementTime::Instant(time),
        speaker: opts
            .speaker
            .clone()
            .unwrap_or_else(|| "archive owner".to_string()),
        text: unescape(text).trim().to_string(),
        url: Some(format!("https://x.com/i/status/{id}")),
        tags,
        stance: None,
    }))
}
