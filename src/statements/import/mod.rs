//! `oilcorr statements import`: turn real archives into statements files.
//!
//! Formats: [`trump`] (the Trump Twitter Archive export, CSV or JSON), [`x`] (an account's own archive,
//! `tweets.js`), and [`generic`] CSV / JSON Lines with a column mapping. Every importer streams its input
//! where the format allows (CSV, JSON Lines) and names file, line and field in errors. Rows then pass the
//! [`filter::Filter`] and its stance rules.

pub mod filter;
pub mod generic;
pub mod trump;
pub mod x;

use super::Statement;
use crate::input_error::InputError;
use chrono_tz::Tz;
use std::collections::HashMap;
use std::path::Path;

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Trump Twitter Archive export (CSV, or JSON when the file starts with `[`).
    TrumpArchive,
    /// `tweets.js` from an X/Twitter account archive.
    XArchive,
    /// Generic CSV with a column mapping.
    Csv,
    /// Generic JSON Lines with a field mapping.
    Jsonl,
}

/// What the importers need besides the input.
#[derive(Debug, Default)]
pub struct ImportOptions {
    /// Keep retweets.
    pub retweets: bool,
    /// Keep deleted tweets.
    pub deleted: bool,
    /// Speaker for formats that do not name one (default per format).
    pub speaker: Option<String>,
    /// Field → column mapping for generic formats.
    pub map: HashMap<String, String>,
    /// Zone for timestamps without an offset (generic formats).
    pub tz: Option<Tz>,
}

/// Errors importing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// A located problem in the input.
    #[error(transparent)]
    Invalid(#[from] InputError),
    /// `--strict`: a row a statements file could not hold (the archive formats carry no line numbers
    /// into the row checks, so the statement's id locates it).
    #[error("{origin}: {why} (--strict; without it such rows are left out and counted)")]
    Refused {
        /// The input file.
        origin: String,
        /// Which statement and what is wrong with it.
        why: String,
    },
    /// The input could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// What an import kept, and how many rows it left out, by reason (a filter's flag, or why a
/// statements file could not hold the row).
#[derive(Debug, Default)]
pub struct Imported {
    /// The statements kept, in the input's order.
    pub statements: Vec<Statement>,
    /// Rows left out per reason.
    pub dropped: std::collections::BTreeMap<&'static str, usize>,
}

impl Imported {
    /// Keep `s` if the filters pass it and a statements file can hold it; with `strict`, a row that
    /// cannot be held is an error instead of a count.
    fn offer(
        &mut self,
        mut s: Statement,
        filter: &filter::Filter,
        seen: &mut std::collections::HashSet<String>,
        strict: bool,
    ) -> Result<(), String> {
        if let Some(flag) = filter.rejects(&s) {
            *self.dropped.entry(flag).or_default() += 1;
            return Ok(());
        }
        let problem = s
            .problem()
            .or_else(|| (!seen.insert(s.id.clone())).then_some("a repeated id"));
        match problem {
            Some(p) if strict => Err(format!("statement '{}' has {p}", s.id)),
            Some(p) => {
                *self.dropped.entry(p).or_default() += 1;
                Ok(())
            }
            None => {
                filter.label(&mut s);
                self.statements.push(s);
                Ok(())
            }
        }
    }
}

/// Import `path` in `format`, keeping what `filter` keeps, labelling stances by its rules, and
/// checking every kept row by the statements loader's rules: rows it would refuse are left out and
/// counted, or with `strict` are an error.
pub fn import(
    path: &Path,
    format: Format,
    opts: &ImportOptions,
    filter: &filter::Filter,
    strict: bool,
) -> Result<Imported, ImportError> {
    let origin = path.display().to_string();
    let io = |source| ImportError::Io {
        path: origin.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let reader = std::io::BufReader::new(file);
    let mut out = Imported::default();
    let mut seen = std::collections::HashSet::new();
    let mut refused: Option<String> = None;
    let mut keep = |s: Statement| {
        if refused.is_none() {
            refused = out.offer(s, filter, &mut seen, strict).err();
        }
    };
    match format {
        Format::TrumpArchive => trump::read(reader, &origin, opts, &mut keep)?,
        Format::XArchive => x::read(reader, &origin, opts, &mut keep)?,
        Format::Csv => generic::read_csv(reader, &origin, opts, &mut keep)?,
        Format::Jsonl => generic::read_jsonl(reader, &origin, opts, &mut keep)?,
    }
    match refused {
        Some(why) => Err(ImportError::Refused { origin, why }),
        None => Ok(out),
    }
}

/// Decode the HTML entities of archived tweet text (`&amp;`, `&lt;`, `&#39;` …), including the archive's
/// damaged `&amp,` (an ampersand whose entity lost its semicolon).
pub fn unescape(text: &str) -> String {
    let repaired = text.replace("&amp,", "&,");
    html_escape::decode_html_entities(&repaired).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_and_the_archive_quirk_are_decoded() {
        assert_eq!(unescape("Oil &amp; gas"), "Oil & gas");
        assert_eq!(unescape("turmoil &amp, disfunction"), "turmoil &, disfunction");
        assert_eq!(unescape("&lt;b&gt; &quot;x&quot; &#39;y&#39;"), "<b> \"x\" 'y'");
    }
}
