//! Filters applied while importing: a regex, the built-in oil keywords, a date range, a speaker, and
//! optional stance rules.

use crate::input_error::InputError;
use crate::statements::{Stance, Statement};
use chrono::NaiveDate;
use regex::{Regex, RegexBuilder};
use std::path::Path;

/// Version of the built-in `--oil` term list: it changes whenever a term is added or removed, and is
/// printed with the import counts so a filtered file says which list made it.
pub const OIL_TERMS_VERSION: u32 = 2;

/// The built-in `--oil` terms (case-insensitive, whole words; plurals listed). Version 1 had the words
/// that name oil; version 2 adds the words that move oil without naming it — Iran and the Strait of
/// Hormuz, tankers, sanctions, embargoes, refineries, pipelines — and OPEC's member states, so Trump's
/// 22 April 2020 tweet about Iranian gunboats (WTI +19 % that day) is no longer dropped.
pub const OIL_TERMS: &[&str] = &[
    // v1: oil by name
    "oil",
    "opec",
    "opec+",
    "barrel",
    "barrels",
    "crude",
    "saudi",
    "aramco",
    "strategic petroleum reserve",
    "petroleum",
    "brent",
    "wti",
    "gasoline price",
    "gasoline prices",
    "gas price",
    "gas prices",
    "shale",
    "drilling",
    "fracking",
    "energy price",
    "energy prices",
    // v2: what moves oil without naming it
    "iran",
    "iranian",
    "iranians",
    "hormuz",
    "strait",
    "tanker",
    "tankers",
    "sanction",
    "sanctions",
    "embargo",
    "embargoes",
    "refinery",
    "refineries",
    "pipeline",
    "pipelines",
    "lng",
    "opec plus",
    // v2: OPEC members (2024)
    "algeria",
    "congo",
    "equatorial guinea",
    "gabon",
    "iraq",
    "iraqi",
    "kuwait",
    "libya",
    "libyan",
    "nigeria",
    "saudi arabia",
    "united arab emirates",
    "uae",
    "venezuela",
    "venezuelan",
];

/// A case-insensitive whole-word regex matching any of `terms` (each taken literally).
pub fn terms_regex(terms: &[impl AsRef<str>], origin: &str) -> Result<Regex, InputError> {
    let alternatives: Vec<String> = terms.iter().map(|t| regex::escape(t.as_ref().trim())).collect();
    // `\b` after a term ending in `+` would need a word character next: end on a non-word instead.
    regex(
        &format!(r"(?:^|\W)(?:{})(?:$|\W)", alternatives.join("|")),
        origin,
    )
}

/// Terms from a file: one per line, `#` starts a comment, blank lines skipped; at least one term.
pub fn read_terms(path: &Path) -> Result<Vec<String>, InputError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| InputError::new(&origin, 0, "file", "a readable text file", &e.to_string()))?;
    let terms: Vec<String> = text
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    if terms.is_empty() {
        return Err(InputError::new(
            origin,
            1,
            "term",
            "at least one term, one per line",
            "",
        ));
    }
    Ok(terms)
}

/// Which statements to keep and how to pre-label them.
#[derive(Debug, Default)]
pub struct Filter {
    /// Keep texts matching this (case-insensitive).
    pub matches: Option<Regex>,
    /// Keep texts matching the oil keywords.
    pub oil: Option<Regex>,
    /// Keep statements dated on or after this date.
    pub since: Option<NaiveDate>,
    /// Keep statements dated on or before this date.
    pub until: Option<NaiveDate>,
    /// Keep statements by this speaker (case-insensitive).
    pub speaker: Option<String>,
    /// `(pattern, stance)` rules; the first match labels a statement without stance.
    pub stance_rules: Vec<(Regex, Stance)>,
}

/// A case-insensitive regex, or an error naming the flag.
pub fn regex(pattern: &str, origin: &str) -> Result<Regex, InputError> {
    RegexBuilder::new(pattern)
        .case_insensitive(true)
        .build()
        .map_err(|e| InputError::new(origin, 0, "pattern", "a valid regular expression", &e.to_string()))
}

impl Filter {
    /// The built-in oil terms as a regex.
    pub fn oil_regex() -> Regex {
        terms_regex(OIL_TERMS, "built-in").expect("the built-in terms make a valid pattern")
    }

    /// True when `s` passes every filter.
    pub fn keep(&self, s: &Statement) -> bool {
        self.rejects(s).is_none()
    }

    /// The first filter that drops `s` (`--match`, `--oil`, `--since`, `--until`, `--speaker`), or
    /// `None` when it passes them all.
    pub fn rejects(&self, s: &Statement) -> Option<&'static str> {
        let date = s.time.date();
        let checks = [
            (
                "--match",
                self.matches.as_ref().is_none_or(|r| r.is_match(&s.text)),
            ),
            ("--oil", self.oil.as_ref().is_none_or(|r| r.is_match(&s.text))),
            ("--since", self.since.is_none_or(|d| date >= d)),
            ("--until", self.until.is_none_or(|d| date <= d)),
            (
                "--speaker",
                self.speaker
                    .as_ref()
                    .is_none_or(|sp| s.speaker.eq_ignore_ascii_case(sp)),
            ),
        ];
        checks.into_iter().find(|(_, pass)| !pass).map(|(name, _)| name)
    }

    /// Label `s` with the first matching stance rule if it has no stance yet.
    pub fn label(&self, s: &mut Statement) {
        if s.stance.is_none() {
            s.stance = self
                .stance_rules
                .iter()
                .find(|(r, _)| r.is_match(&s.text))
                .map(|(_, st)| *st);
        }
    }
}

/// Read stance rules: a CSV with header `pattern,stance` (`up` or `down`).
pub fn read_stance_rules(path: &Path) -> Result<Vec<(Regex, Stance)>, InputError> {
    let origin = path.display().to_string();
    let mut rdr = csv::Reader::from_path(path).map_err(|e| {
        InputError::new(
            &origin,
            0,
            "file",
            "a readable CSV 'pattern,stance'",
            &e.to_string(),
        )
    })?;
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec
            .map_err(|e| InputError::new(&origin, 0, "row", "a CSV row 'pattern,stance'", &e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let pattern = rec.get(0).unwrap_or("");
        let re = regex(pattern, &origin).map_err(|e| InputError { line, ..e })?;
        let text = rec.get(1).unwrap_or("");
        let stance = Stance::parse(text).ok_or_else(|| {
            InputError::new(
                &origin,
                line,
                "stance",
                "up or down",
                &text.trim().to_ascii_lowercase(),
            )
        })?;
        out.push((re, stance));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::statements::StatementTime;

    fn st(text: &str) -> Statement {
        let time = StatementTime::Date("2020-04-02".parse().unwrap());
        Statement::new("x", time, "Donald Trump", text)
    }

    #[test]
    fn oil_keywords_match_whole_words_only() {
        let f = Filter {
            oil: Some(Filter::oil_regex()),
            ..Default::default()
        };
        assert!(f.keep(&st("OPEC is at it again")));
        assert!(f.keep(&st("cutting back approximately 10 Million Barrels")));
        assert!(f.keep(&st("the great U.S. Oil & Gas Industry")));
        assert!(!f.keep(&st("Spoil the boiling toil")));
        assert!(
            !f.keep(&st("a Tehranian carpet at the boiling point")),
            "whole words only"
        );
        // v2: words that move oil without naming it.
        assert!(f.keep(&st("shoot down and destroy any and all Iranian gunboats")));
        assert!(f.keep(&st("OPEC+ meets today")));
        assert!(f.keep(&st("tankers attacked in the Strait of Hormuz")));
    }

    #[test]
    fn terms_from_a_file_replace_the_list() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("terms.txt");
        std::fs::write(&path, "# my list\ngunboat   # a comment\n\nU.S. Navy\n").unwrap();
        let terms = read_terms(&path).unwrap();
        assert_eq!(terms, vec!["gunboat", "U.S. Navy"]);
        let f = Filter {
            oil: Some(terms_regex(&terms, "terms.txt").unwrap()),
            ..Default::default()
        };
        assert!(f.keep(&st("the U.S. Navy will")) && f.keep(&st("a GUNBOAT")));
        assert!(!f.keep(&st("oil")), "the built-in list is replaced, not extended");
        std::fs::write(&path, "# nothing\n").unwrap();
        assert!(read_terms(&path)
            .unwrap_err()
            .to_string()
            .contains("at least one term"));
    }

    #[test]
    fn dates_speaker_and_stance_rules() {
        let mut f = Filter {
            since: Some("2020-04-01".parse().unwrap()),
            until: Some("2020-04-02".parse().unwrap()),
            speaker: Some("donald trump".into()),
            ..Default::default()
        };
        assert!(f.keep(&st("x")));
        f.until = Some("2020-04-01".parse().unwrap());
        assert!(!f.keep(&st("x")));
        f.stance_rules = vec![(
            regex("prices? (are )?(too|very) high", "r").unwrap(),
            Stance::Down,
        )];
        let mut s = st("Oil prices are too high");
        f.label(&mut s);
        assert_eq!(s.stance, Some(Stance::Down));
    }
}
