//! The one-line error for bad input: which file (or URL), which line, which field, what was expected.

use std::fmt;

/// A located problem in a user-supplied or downloaded table.
///
/// Displays as `FILE: line N, field 'F': expected E, found 'V'` so a user can go straight to the cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// File path or URL (with any key removed) the input came from.
    pub origin: String,
    /// 1-based line number in the input (the header is line 1).
    pub line: u64,
    /// Column name, or a description of the structure at fault (e.g. `header`).
    pub field: String,
    /// What a valid value looks like.
    pub expected: String,
    /// The offending text, shortened for display.
    pub found: String,
}

impl InputError {
    /// Build an error; `found` is truncated to 60 characters so messages stay on one line.
    pub fn new(
        origin: impl Into<String>,
        line: u64,
        field: impl Into<String>,
        expected: impl Into<String>,
        found: &str,
    ) -> Self {
        InputError {
            origin: escape_controls(&origin.into()),
            line,
            field: shorten(&field.into(), 60),
            expected: escape_controls(&expected.into()),
            found: shorten(found, 60),
        }
    }
}

impl InputError {
    /// A CSV reader's error located in `origin`: the row's line and what a valid row looks like.
    pub fn from_csv(origin: &str, e: &csv::Error) -> Self {
        let line = e.position().map_or(0, |p| p.line());
        let want = match e.kind() {
            csv::ErrorKind::UnequalLengths { .. } => "as many fields as the header",
            csv::ErrorKind::Utf8 { .. } => "UTF-8 text",
            _ => "a valid CSV row",
        };
        InputError::new(origin, line, "row", want, &e.to_string())
    }
}

/// `s` with control characters (newlines, ESC, ...) written as escapes (`\n`, `\u{1b}`), so input
/// echoed in a message stays on one line and cannot drive a terminal.
pub fn escape_controls(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let escaped = c.is_control().then(|| c.escape_default());
            escaped
                .into_iter()
                .flatten()
                .chain((!c.is_control()).then_some(c))
        })
        .collect()
}

/// First `max` characters of `s` on one line (control characters escaped), with an ellipsis when cut.
pub fn shorten(s: &str, max: usize) -> String {
    let one_line = escape_controls(s);
    if one_line.chars().count() <= max {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {}, field '{}': expected {}, found '{}'",
            self.origin, self.line, self.field, self.expected, self.found
        )
    }
}

impl std::error::Error for InputError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_on_one_line_with_location() {
        let e = InputError::new("s.csv", 3, "time", "an RFC 3339 time", "2020-02-30\nx");
        assert_eq!(
            e.to_string(),
            "s.csv: line 3, field 'time': expected an RFC 3339 time, found '2020-02-30\\nx'"
        );
        let e = InputError::new(
            "s.csv",
            1,
            "header",
            "known columns (unknown 'a\nb\u{1b}[31m')",
            "",
        );
        assert!(!e.to_string().chars().any(char::is_control), "{e}");
        assert!(e.to_string().contains("a\\nb\\u{1b}[31m"), "{e}");
    }

    #[test]
    fn long_values_are_shortened() {
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(shorten("abc", 4), "abc");
    }
}
