//! Windows in event time: inclusive ranges of trading-day offsets relative to day 0 (`-260,-11`, `0,1`).

use std::fmt;
use std::str::FromStr;

/// An inclusive range `[start, end]` of trading-day offsets from day 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// First offset (inclusive).
    pub start: i64,
    /// Last offset (inclusive).
    pub end: i64,
}

impl Window {
    /// A window from `start` to `end`; `start <= end` is checked by the parser, not here.
    pub const fn new(start: i64, end: i64) -> Self {
        Window { start, end }
    }

    /// Number of trading days in the window, `L = end - start + 1`.
    pub fn len(&self) -> usize {
        (self.end - self.start + 1) as usize
    }

    /// Always false: a parsed window holds at least one day.
    pub fn is_empty(&self) -> bool {
        self.end < self.start
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{},{}]", self.start, self.end)
    }
}

/// Error parsing a window.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("invalid window '{0}': expected two integers START,END with START <= END, e.g. -260,-11")]
pub struct WindowParseError(String);

impl FromStr for Window {
    type Err = WindowParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || WindowParseError(s.to_string());
        let (a, b) = s.split_once(',').ok_or_else(err)?;
        let start: i64 = a.trim().parse().map_err(|_| err())?;
        let end: i64 = b.trim().parse().map_err(|_| err())?;
        if start > end || start.abs() > 10_000 || end.abs() > 10_000 {
            return Err(err());
        }
        Ok(Window { start, end })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        assert_eq!("-260,-11".parse(), Ok(Window::new(-260, -11)));
        assert_eq!(" 0 , 1 ".parse(), Ok(Window::new(0, 1)));
        assert!("1,0".parse::<Window>().is_err());
        assert!("0..1".parse::<Window>().is_err());
        assert_eq!(Window::new(-1, 1).len(), 3);
    }
}
