//! What can go wrong getting prices from a source, located and on one line, with any key hidden.

use crate::input_error::InputError;

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
    /// The connection broke off before the announced body had arrived.
    #[error("{url}: the connection broke off after {received} bytes of the answer ({reason}); nothing was cached, try again")]
    Interrupted {
        /// Request URL with any key removed.
        url: String,
        /// Bytes of the body received before the break.
        received: usize,
        /// Short cause from the HTTP stack.
        reason: String,
    },
    /// No complete answer arrived in the time allowed.
    #[error("{url}: timed out: no complete answer within {secs} s ({limit}); nothing was cached")]
    TimedOut {
        /// Request URL with any key removed.
        url: String,
        /// Seconds waited.
        secs: u64,
        /// Which limit ran out (`--timeout` or `--deadline`).
        limit: &'static str,
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
    /// A base URL is not a valid URL.
    #[error("invalid base URL '{url}': {reason}")]
    BadUrl {
        /// The URL (query and credentials left out).
        url: String,
        /// Why it does not parse.
        reason: String,
    },
    /// A row of the body could not be parsed.
    #[error(transparent)]
    Parse(#[from] InputError),
}

impl FetchError {
    /// This error with every occurrence of `secret` (an API key) replaced by `***`: a server may echo
    /// the key in an error message or a body, and nothing oilcorr prints may carry it.
    pub fn hide(self, secret: &str) -> FetchError {
        if secret.is_empty() {
            return self;
        }
        let h = |s: String| s.replace(secret, "***");
        match self {
            FetchError::Unreachable { url, reason } => FetchError::Unreachable {
                url: h(url),
                reason: h(reason),
            },
            FetchError::Interrupted {
                url,
                received,
                reason,
            } => FetchError::Interrupted {
                url: h(url),
                received,
                reason: h(reason),
            },
            FetchError::TimedOut { url, secs, limit } => FetchError::TimedOut {
                url: h(url),
                secs,
                limit,
            },
            FetchError::Status { url, status, hint } => FetchError::Status {
                url: h(url),
                status,
                hint: h(hint),
            },
            FetchError::WrongFormat { url, what, expected } => FetchError::WrongFormat {
                url: h(url),
                what: h(what),
                expected,
            },
            FetchError::Api { url, message } => FetchError::Api {
                url: h(url),
                message: h(message),
            },
            FetchError::Truncated { url } => FetchError::Truncated { url: h(url) },
            FetchError::File { path, reason } => FetchError::File {
                path,
                reason: h(reason),
            },
            FetchError::BadUrl { url, reason } => FetchError::BadUrl {
                url: h(url),
                reason: h(reason),
            },
            FetchError::Parse(e) => FetchError::Parse(crate::input_error::InputError {
                origin: h(e.origin),
                found: h(e.found),
                ..e
            }),
        }
    }
}
