//! HTTP for the price sources: one blocking reqwest client with connect and read timeouts and a
//! descriptive User-Agent, bounded retries ([`super::retry`]), URLs built from an overridable base with
//! their query parameters percent-encoded by the URL library, and keys redacted from every URL shown.

pub use super::error::FetchError;
use super::retry;
use reqwest::Url;
use std::time::Duration;

/// HTTP settings shared by every source.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Time allowed for the whole request, body included.
    pub timeout: Duration,
    /// When to retry.
    pub retry: retry::RetryPolicy,
    /// Time allowed for the whole fetch of one series (every page, every retry): [`Http::for_series`].
    pub deadline: Duration,
    /// Largest body accepted, in bytes (40 years of one series is under 4 MB in any format).
    pub max_body: u64,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            retry: retry::RetryPolicy::default(),
            deadline: Duration::from_secs(90),
            max_body: 64 << 20,
        }
    }
}

/// The HTTP client every source uses, with its timeouts and retry policy.
#[derive(Debug, Clone)]
pub struct Http {
    client: reqwest::blocking::Client,
    cfg: HttpConfig,
    deadline: Option<std::time::Instant>,
}

/// Pages a paged API may take for one request; a server announcing more (a lying `total`) is
/// refused instead of followed for hours.
pub const MAX_PAGES: usize = 200;

impl Http {
    /// A client with `cfg`'s timeouts (TLS by rustls with the ring provider).
    pub fn new(cfg: HttpConfig) -> Self {
        install_ring();
        let client = reqwest::blocking::Client::builder()
            .connect_timeout(cfg.connect_timeout)
            .timeout(cfg.timeout)
            .user_agent(concat!(
                "oilcorr/",
                env!("CARGO_PKG_VERSION"),
                " (oil-price event studies; https://github.com/oilcorr/oilcorr)"
            ))
            .redirect(same_host_redirects())
            .build()
            .expect("a TLS provider is installed (ring)");
        Http {
            client,
            cfg,
            deadline: None,
        }
    }

    /// This client with the deadline of one series' fetch starting now: no request, retry or page
    /// goes past it, whatever the server does (answers slowly, stalls mid-body, pages forever).
    pub fn for_series(&self) -> Http {
        Http {
            deadline: Some(std::time::Instant::now() + self.cfg.deadline),
            ..self.clone()
        }
    }

    /// Time left before the deadline (the per-request timeout when there is none).
    fn time_left(&self) -> Duration {
        self.deadline.map_or(self.cfg.timeout, |d| {
            d.saturating_duration_since(std::time::Instant::now())
                .min(self.cfg.timeout)
        })
    }

    /// GET `url` and return the body of a 2xx answer; other statuses become [`FetchError::Status`].
    /// For CSV services, whose error pages carry nothing worth reading.
    pub fn get_text(&self, url: &Url) -> Result<String, FetchError> {
        let a = self.get(url)?;
        if (200..300).contains(&a.status) {
            Ok(a.body)
        } else {
            Err(status_error(&redact(url), a.status))
        }
    }

    /// GET `url` and return the final answer whatever its status: JSON APIs put their error messages
    /// in the body (FRED even with status 200), so the source reads the body before the status.
    pub fn get_json(&self, url: &Url) -> Result<Answer, FetchError> {
        self.get(url)
    }

    /// GET `url`, retrying connection failures, interrupted transfers, timeouts, 429 and 5xx under
    /// the retry policy; fails only when the host cannot be reached or retries run out.
    fn get(&self, url: &Url) -> Result<Answer, FetchError> {
        let shown = redact(url);
        let start = std::time::Instant::now();
        let mut attempt = 0;
        loop {
            if self.time_left().is_zero() {
                return Err(self.timed_out(&shown, start.elapsed(), true));
            }
            let (result, retry_after) = self.get_once(url, &shown);
            let retry = match &result {
                Ok(a) => retry::retryable_status(a.status),
                Err(e) => transient(e),
            };
            let policy = &self.cfg.retry;
            let wait = policy.wait(attempt, retry_after, fastrand::f64());
            attempt += 1;
            let late = start.elapsed() + wait > policy.budget || wait >= self.time_left();
            if !retry || attempt >= policy.max_attempts || late {
                return match result {
                    Ok(a) if retry::retryable_status(a.status) => Err(status_error(&shown, a.status)),
                    other => other,
                };
            }
            std::thread::sleep(wait);
        }
    }

    /// The error for a request that ran out of time after `waited`; `deadline` when the series'
    /// `--deadline` (rather than one request's `--timeout`) was the limit.
    fn timed_out(&self, shown: &str, waited: Duration, deadline: bool) -> FetchError {
        FetchError::TimedOut {
            url: shown.to_string(),
            secs: waited.as_secs_f64().round() as u64,
            limit: if deadline { "--deadline" } else { "--timeout" },
        }
    }

    /// The body as text, refused beyond `max_body` bytes without reading further. A read that fails
    /// once the time allowed (`allowed`, from `sent`) is spent is a timeout, otherwise a broken-off
    /// transfer.
    fn read_body(
        &self,
        resp: reqwest::blocking::Response,
        shown: &str,
        (sent, allowed): (std::time::Instant, Duration),
    ) -> Result<String, FetchError> {
        use std::io::Read;
        let mut bytes = Vec::new();
        let read = resp.take(self.cfg.max_body + 1).read_to_end(&mut bytes);
        if let Err(e) = read {
            let waited = sent.elapsed();
            if waited + Duration::from_millis(100) >= allowed {
                return Err(self.timed_out(shown, waited, allowed < self.cfg.timeout));
            }
            return Err(FetchError::Interrupted {
                url: shown.to_string(),
                received: bytes.len(),
                reason: crate::input_error::shorten(&e.to_string(), 120),
            });
        }
        if bytes.len() as u64 > self.cfg.max_body {
            return Err(FetchError::WrongFormat {
                url: shown.to_string(),
                what: format!("larger than {} MB", self.cfg.max_body >> 20),
                expected: "a price history of a few MB".into(),
            });
        }
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }

    fn get_once(&self, url: &Url, shown: &str) -> (Result<Answer, FetchError>, Option<Duration>) {
        let allowed = self.time_left();
        let sent = std::time::Instant::now();
        let resp = match self.client.get(url.clone()).timeout(allowed).send() {
            Ok(r) => r,
            Err(e) if e.is_timeout() => {
                let deadline = allowed < self.cfg.timeout;
                return (Err(self.timed_out(shown, sent.elapsed(), deadline)), None);
            }
            Err(e) => {
                let reason = cause(&e);
                let url = shown.to_string();
                return (Err(FetchError::Unreachable { url, reason }), None);
            }
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry::parse_retry_after);
        let body = self.read_body(resp, shown, (sent, allowed));
        (body.map(|body| Answer { status, body }), retry_after)
    }
}

/// Whether `e` may go away on a second try (the network, not the answer, failed).
fn transient(e: &FetchError) -> bool {
    matches!(
        e,
        FetchError::Unreachable { .. } | FetchError::Interrupted { .. } | FetchError::TimedOut { .. }
    )
}

/// Make ring the process's TLS crypto provider (reqwest's default, aws-lc, builds a large C library
/// and doubles the cold build); reqwest then uses it with the platform's root certificates.
fn install_ring() {
    // An error means a provider is already installed, which is just as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// At most 5 redirects, within the host asked only (a request may carry a key): others stop there.
fn same_host_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first = attempt
            .previous()
            .first()
            .and_then(|u| u.host_str().map(str::to_owned));
        if attempt.previous().len() > 5 {
            attempt.error("more than 5 redirects")
        } else if first.as_deref() == attempt.url().host_str() {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// A service at a base URL, checked once, with its API key if it needs one (never shown by `Debug`).
#[derive(Clone)]
pub struct Service {
    base: String,
    key: String,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// The service at `base`, which must parse as a URL; `key` is empty for keyless services.
    pub fn new(base: &str, key: &str) -> Result<Self, FetchError> {
        endpoint(base, "", &[])?;
        Ok(Service {
            base: base.to_string(),
            key: key.to_string(),
        })
    }

    /// The URL of `path` on the service with `query` ([`endpoint`]).
    pub fn url(&self, path: &str, query: &[(&str, &str)]) -> Result<Url, FetchError> {
        endpoint(&self.base, path, query)
    }

    /// The API key (send it, never show it).
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// The prices on one page of a paged API, the rows it held (missing values included) and the total
/// it announced, if any.
pub type Page = (crate::prices::series::Observations, usize, Option<usize>);

/// Follow the pages of a paged API from offset 0: `page(offset)` fetches and reads one. Stops at the
/// announced total or at an empty page, and refuses a source still going after [`MAX_PAGES`] (a lying
/// total); `shown` names the request in that error.
pub fn follow_pages(
    mut page: impl FnMut(usize) -> Result<Page, FetchError>,
    shown: impl Fn() -> String,
) -> Result<crate::prices::series::Observations, FetchError> {
    let mut obs = Vec::new();
    let mut offset = 0;
    for _ in 0..MAX_PAGES {
        let (rows, seen, total) = page(offset)?;
        obs.extend(rows);
        offset += seen;
        if seen == 0 || total.is_none_or(|t| offset >= t) {
            return Ok(obs);
        }
    }
    Err(FetchError::WrongFormat {
        url: shown(),
        what: format!("still not complete after {MAX_PAGES} pages (a lying total?)"),
        expected: "the announced rows in a bounded number of pages".into(),
    })
}

/// The URL `base` + `path` with `query` appended and percent-encoded; `base` may carry a path prefix
/// (`http://host/mirror`), and a trailing slash on it is ignored.
pub fn endpoint(base: &str, path: &str, query: &[(&str, &str)]) -> Result<Url, FetchError> {
    let joined = format!("{}{path}", base.trim_end_matches('/'));
    let mut url = Url::parse(&joined).map_err(|e| FetchError::BadUrl {
        url: shorten_url(&joined),
        reason: e.to_string(),
    })?;
    if !query.is_empty() {
        url.query_pairs_mut().extend_pairs(query);
    }
    Ok(url)
}

fn shorten_url(s: &str) -> String {
    // Without the query (it may hold a key) and without credentials (`user:password@`).
    let no_query = s.split('?').next().unwrap_or("");
    let shown = match no_query.split_once("://") {
        Some((scheme, rest)) => format!("{scheme}://{}", rest.rsplit('@').next().unwrap_or(rest)),
        None => no_query.rsplit('@').next().unwrap_or(no_query).to_string(),
    };
    crate::input_error::shorten(&shown, 80)
}

/// `url` for messages and metadata: any query parameter whose name contains `key` has its value
/// replaced by `***`, and a user name or password in the URL is removed.
pub fn redact(url: &Url) -> String {
    let mut shown = url.clone();
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    if shown.query().is_some() {
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| {
                let v = if k.to_ascii_lowercase().contains("key") {
                    "***".to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        shown.query_pairs_mut().clear().extend_pairs(pairs);
    }
    shown.to_string()
}

/// A final HTTP answer: status and body text.
#[derive(Debug, Clone)]
pub struct Answer {
    /// HTTP status code.
    pub status: u16,
    /// Body text.
    pub body: String,
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

/// Check a CSV body before parsing: not an HTML page or empty ([`sniff_non_data`]), a first line
/// `header_ok` accepts (otherwise the body is something else, not a cut file), and a final newline, as
/// every real FRED and datahub file has; a body cut mid-way (a proxy gave up) usually has none.
pub fn check_csv(
    body: &str,
    url: &Url,
    expected: &str,
    header_ok: impl Fn(&str) -> bool,
) -> Result<(), FetchError> {
    let first = body
        .trim_start_matches('\u{feff}')
        .split('\n')
        .next()
        .unwrap_or("")
        .trim_end_matches('\r');
    let what = sniff_non_data(body).or_else(|| {
        let head = crate::input_error::shorten(&crate::input_error::escape_controls(first), 40);
        (!header_ok(first)).then(|| format!("text starting '{head}'"))
    });
    if let Some(what) = what {
        return Err(FetchError::WrongFormat {
            url: redact(url),
            what,
            expected: expected.to_string(),
        });
    }
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
#[path = "http_tests.rs"]
mod tests;
