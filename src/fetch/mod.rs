//! Fetching daily spot prices over HTTP.
//!
//! One blocking reqwest client with connect and read timeouts and a descriptive User-Agent; each source
//! (currently FRED's keyless graph CSV, see [`fred`]) builds its URL from an overridable base and parses
//! the body with a pure function, so parsing is tested without a network.

pub mod fred;

use crate::input_error::InputError;
use std::time::Duration;

/// Default public host of FRED's keyless CSV endpoint.
pub const FRED_DEFAULT_URL: &str = "https://fred.stlouisfed.org";

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
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
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

/// GET `url` and return the body as text, mapping transport failures and non-2xx statuses to [`FetchError`].
pub fn get_text(client: &reqwest::blocking::Client, url: &str) -> Result<String, FetchError> {
    let shown = redact(url);
    let unreachable = |e: reqwest::Error| FetchError::Unreachable {
        url: shown.clone(),
        reason: cause(&e),
    };
    let resp = client.get(url).send().map_err(unreachable)?;
    let status = resp.status();
    if !status.is_success() {
        let hint = match status.as_u16() {
            429 | 503 => "; the service is busy, try again in a minute".to_string(),
            404 => "; check the base URL and the series id".to_string(),
            _ => String::new(),
        };
        return Err(FetchError::Status {
            url: shown,
            status: status.as_u16(),
            hint,
        });
    }
    resp.text().map_err(unreachable)
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
