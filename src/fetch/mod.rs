//! Fetching daily spot prices over HTTP.
//!
//! One blocking reqwest client with connect and read timeouts and a descriptive User-Agent, and
//! [`get`] with bounded retries ([`retry`]). Each source ([`fred`], [`fred_api`], [`eia`], [`datahub`],
//! [`file`](mod@file)) builds its URL from an overridable base and parses the body with a pure function, so parsing
//! is tested without a network; [`source`] picks one.

pub mod datahub;
pub mod eia;
pub mod file;
pub mod fred;
pub mod fred_api;
pub mod retry;
pub mod source;

use crate::input_error::InputError;
use std::time::Duration;

/// Default public host of FRED's keyless CSV endpoint.
pub const FRED_DEFAULT_URL: &str = "https://fred.stlouisfed.org";
/// Default public host of the FRED API.
pub const FRED_API_DEFAULT_URL: &str = "https://api.stlouisfed.org";
/// Default public host of EIA's API v2.
pub const EIA_DEFAULT_URL: &str = "https://api.eia.gov";
/// Default public host of the datahub mirror of EIA's spot prices.
pub const DATAHUB_DEFAULT_URL: &str = "https://datahub.io";

/// What went wrong getting prices from a source.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The host could not be reached or the transfer failed (DNS, refused, timeout, reset).
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// Request URL with any key removed.
        url: String,
        /// Short cause from the HTTP stack.
        reason: String,
    },
    /// The server answered with a non-success status.
    #[error("{url} answered HTTP {status}{hint}")]
    Status {
        /// Request URL with any key removed.
        url: String,
        /// HTTP status code.
        status: u16,
        /// Extra advice, starting with "; " when present.
        hint: String,
    },
    /// The server answered 200 with something other than the expected format.
    #[error("{url} answered 200 but the body is {what}, not {expected}")]
    WrongFormat {
        /// Request URL with any key removed.
        url: String,
        /// What the body looked like (e.g. "an HTML page").
        what: String,
        /// The format oilcorr expected.
        expected: String,
    },
    /// The service answered with an error message of its own (JSON error body).
    #[error("{url} answered with an error: {message}")]
    Api {
        /// Request URL with any key removed.
        url: String,
        /// The service's message, with advice where we have some.
        message: String,
    },
    /// The body ended early (no final newline, or shorter than announced).
    #[error("{url}: the answer was cut short (truncated body); nothing was cached, try again")]
    Truncated {
        /// Request URL with any key removed.
        url: String,
    },
    /// A local file could not be read.
    #[error("cannot read {path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// The I/O error text.
        reason: String,
    },
    /// A row of the body could not be parsed.
    #[error(transparent)]
    Parse(#[from] InputError),
}

/// HTTP settings shared by every source.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for the whole request, body included.
    pub timeout: Duration,
    /// When to retry.
    pub retry: retry::RetryPolicy,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: retry::RetryPolicy::default(),
        }
    }
}

/// Build the blocking client used for every request.
pub fn client(cfg: &HttpConfig) -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.timeout)
        .user_agent(concat!(
            "oilcorr/",
            env!("CARGO_PKG_VERSION"),
            " (oil-price event studies; https://github.com/oilcorr/oilcorr)"
        ))
        .build()
        .expect("a TLS backend is compiled in (rustls)")
}

/// `url` with the value of any `api_key`-like query parameter replaced by `***`, for messages and metadata.
pub fn redact(url: &str) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|kv| match kv.split_once('=') {
            Some((k, _)) if k.to_ascii_lowercase().contains("key") => format!("{k}=***"),
            _ => kv.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// A final HTTP answer: status and body text.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// Body text.
    pub body: String,
}

/// GET `url`, retrying connection failures, interrupted transfers, 429 and 5xx under `cfg.retry`.
/// Returns the final answer whatever its status (sources read their own JSON error bodies);
/// fails only when the host cannot be reached or retries run out on a retryable status.
pub fn get(client: &reqwest::blocking::Client, url: &str, cfg: &HttpConfig) -> Result<Answer, FetchError> {
    let shown = redact(url);
    let start = std::time::Instant::now();
    let mut attempt = 0;
    loop {
        let (result, retry_after) = get_once(client, url, &shown);
        let retry = match &result {
            Ok(a) => retry::retryable_status(a.status),
            Err(FetchError::Unreachable { .. }) => true,
            Err(_) => false,
        };
        let wait = cfg.retry.wait(attempt, retry_after, fastrand::f64());
        attempt += 1;
        if !retry || attempt >= cfg.retry.max_attempts || start.elapsed() + wait > cfg.retry.budget {
            return match result {
                Ok(a) if retry::retryable_status(a.status) => Err(status_error(&shown, a.status)),
                other => other,
            };
        }
        std::thread::sleep(wait);
    }
}

fn get_once(
    client: &reqwest::blocking::Client,
    url: &str,
    shown: &str,
) -> (Result<Answer, FetchError>, Option<Duration>) {
    let unreachable = |e: reqwest::Error| FetchError::Unreachable {
        url: shown.to_string(),
        reason: cause(&e),
    };
    let resp = match client.get(url).send() {
        Ok(r) => r,
        Err(e) => return (Err(unreachable(e)), None),
    };
    let status = resp.status().as_u16();
    let retry_after = resp
        .headers()
        .get(reqwest::header::RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(retry::parse_retry_after);
    let body = resp.text().map_err(|e| {
        if e.is_timeout() {
            unreachable(e)
        } else {
            FetchError::Unreachable {
                url: shown.to_string(),
                reason: format!("transfer interrupted ({})", cause(&e)),
            }
        }
    });
    (body.map(|body| Answer { status, body }), retry_after)
}

/// The error for a non-success status without a body the source understands.
pub fn status_error(shown_url: &str, status: u16) -> FetchError {
    let hint = match status {
        429 | 503 => "; the service is busy, try again in a minute".to_string(),
        404 => "; check the base URL and the series id".to_string(),
        _ => String::new(),
    };
    FetchError::Status {
        url: shown_url.to_string(),
        status,
        hint,
    }
}

/// GET `url` and return the body of a 2xx answer; other statuses become [`FetchError::Status`].
pub fn get_text(
    client: &reqwest::blocking::Client,
    url: &str,
    cfg: &HttpConfig,
) -> Result<String, FetchError> {
    let a = get(client, url, cfg)?;
    if (200..300).contains(&a.status) {
        Ok(a.body)
    } else {
        Err(status_error(&redact(url), a.status))
    }
}

/// Check a CSV body ends with a newline, as every real FRED and datahub file does; a body cut mid-way
/// (the connection dropped, a proxy gave up) usually does not.
pub fn check_complete(body: &str, url: &str) -> Result<(), FetchError> {
    if body.ends_with('\n') {
        Ok(())
    } else {
        Err(FetchError::Truncated { url: redact(url) })
    }
}

/// The innermost cause of a reqwest error, short and on one line (never includes the URL twice).
fn cause(e: &reqwest::Error) -> String {
    let mut src: &dyn std::error::Error = e;
    while let Some(next) = src.source() {
        src = next;
    }
    let kind = if e.is_timeout() { "timed out: " } else { "" };
    format!("{kind}{}", crate::input_error::shorten(&src.to_string(), 120))
}

/// Describe a body that is not the expected data, or `None` if it is not obviously wrong.
pub fn sniff_non_data(body: &str) -> Option<String> {
    let head = body.trim_start_matches('\u{feff}').trim_start();
    if head.is_empty() {
        return Some("empty".to_string());
    }
    let lower: String = head.chars().take(200).collect::<String>().to_ascii_lowercase();
    if lower.starts_with('<') || lower.contains("<html") {
        return Some("an HTML page (a bot challenge, an error page or a wrong base URL?)".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_hides_keys_only() {
        assert_eq!(
            redact("http://h/x?series_id=A&api_key=abc&file_type=json"),
            "http://h/x?series_id=A&api_key=***&file_type=json"
        );
        assert_eq!(redact("http://h/x?id=A"), "http://h/x?id=A");
    }

    #[test]
    fn sniff_detects_html_and_empty() {
        assert!(sniff_non_data("<!DOCTYPE html><html>blocked</html>").is_some());
        assert!(sniff_non_data("  \n").is_some());
        assert!(sniff_non_data("observation_date,DCOILWTICO\n").is_none());
    }
}
