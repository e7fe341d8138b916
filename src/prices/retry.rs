//! Retry policy for HTTP requests: which failures are retried and how long to wait.
//!
//! Retried: connection failures and interrupted transfers, HTTP 429 and 5xx. Not retried: other 4xx
//! (a bad key or a bad request will not get better). Waits grow exponentially from `base` (×2 per
//! attempt) with ±25 % jitter, a `Retry-After` header (seconds) takes precedence, every wait is capped at
//! `max_wait`, and the whole request gives up after `max_attempts` or once `budget` has been spent.

use std::time::Duration;

/// How often and how long to retry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// First backoff.
    pub base: Duration,
    /// Longest single wait.
    pub max_wait: Duration,
    /// Total time after which no new attempt starts.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base: Duration::from_millis(500),
            max_wait: Duration::from_secs(30),
            budget: Duration::from_secs(90),
        }
    }
}

/// True when an HTTP status is worth retrying (429 and 5xx).
pub fn retryable_status(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// Parse a `Retry-After` value given in seconds (the HTTP-date form is ignored).
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    value.trim().parse::<u64>().ok().map(Duration::from_secs)
}

impl RetryPolicy {
    /// The wait before attempt `attempt + 1` (attempt counts from 0), given the server's `Retry-After`
    /// and a jitter factor in `[0, 1)`.
    pub fn wait(&self, attempt: u32, retry_after: Option<Duration>, jitter: f64) -> Duration {
        let wait = match retry_after {
            Some(d) => d,
            None => {
                let exp = self.base.as_secs_f64() * 2f64.powi(attempt.min(16) as i32);
                Duration::from_secs_f64(exp * (0.75 + 0.5 * jitter))
            }
        };
        wait.min(self.max_wait)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_with_jitter_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.wait(0, None, 0.5), Duration::from_millis(500));
        assert_eq!(p.wait(2, None, 0.5), Duration::from_secs(2));
        assert_eq!(p.wait(2, None, 0.0), Duration::from_millis(1500));
        assert_eq!(p.wait(10, None, 0.9), Duration::from_secs(30));
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.wait(0, parse_retry_after(" 3 "), 0.9), Duration::from_secs(3));
        assert_eq!(p.wait(0, parse_retry_after("3600"), 0.9), Duration::from_secs(30));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
    }

    #[test]
    fn only_429_and_5xx_are_retried() {
        assert!(retryable_status(429) && retryable_status(503) && retryable_status(500));
        assert!(!retryable_status(403) && !retryable_status(404) && !retryable_status(400));
    }
}
