//! Parsing and validating a statements CSV. Every error names the file, the line and the field.
//!
//! Rules: the header must hold `id,time,speaker,text` and may hold `url,tags,stance`; any other column
//! is an error (a misspelt `stance` must not be ignored silently). Per row: `id` non-empty and unique in
//! the file; `time` RFC 3339 with a zone (`Z` or `±HH:MM`) or `YYYY-MM-DD`; `speaker` and `text`
//! non-empty; `url` empty or `http(s)://…`; `stance` `up`, `down` or empty (case-insensitive).

use super::{Stance, Statement, StatementTime};
use crate::input_error::InputError;
use chrono::{DateTime, NaiveDate, Utc};

/// Errors loading statements.
#[derive(Debug, thiserror::Error)]
pub enum StatementsError {
    /// A located problem in a file.
    #[error(transparent)]
    Invalid(#[from] InputError),
    /// The file could not be read.
    #[error("cannot read statements file {path}")]
    Io {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The sorted runs of a bounded-memory run could not be written or read back.
    #[error("cannot write the statements' sorted runs into a temporary folder (TMPDIR)")]
    Spill {
        /// The I/O error.
        source: std::io::Error,
    },
    /// The same id appears in two files.
    #[error("statement id '{id}' appears in both {first} and {second}: ids must be unique")]
    DuplicateAcrossFiles {
        /// The id.
        id: String,
        /// The first file.
        first: String,
        /// The second file.
        second: String,
    },
}

const REQUIRED: [&str; 4] = ["id", "time", "speaker", "text"];
const OPTIONAL: [&str; 3] = ["url", "tags", "stance"];

/// Column positions found in the header, in the order of `REQUIRED` then `OPTIONAL` (a small array:
/// looked up seven times per row).
struct Columns {
    idx: Vec<(&'static str, usize)>,
}

impl Columns {
    fn get<'r>(&self, rec: &'r csv::StringRecord, name: &str) -> &'r str {
        self.idx
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|&(_, i)| rec.get(i))
            .unwrap_or("")
            .trim()
    }

    fn contains(&self, name: &str) -> bool {
        self.idx.iter().any(|(n, _)| *n == name)
    }
}

/// Parse statements from a CSV reader; `origin` names the file in errors.
pub fn parse_statements<R: std::io::Read>(
    reader: R,
    origin: &str,
) -> Result<Vec<Statement>, StatementsError> {
    let mut out = Vec::new();
    let mut lines = Vec::new();
    each_statement(reader, origin, |s, line| {
        out.push(s);
        lines.push(line);
        Ok(())
    })?;
    if let Some((id, first, line)) = first_repeat(&out, &lines) {
        let want = format!("an id not used before (already on line {first})");
        return Err(InputError::new(origin, line, "id", want, id).into());
    }
    Ok(out)
}

/// Read statements from a CSV reader one at a time, handing each to `take` with its line, without
/// holding the file (the bounded-memory run, [`super::spill`]); every row is validated as
/// [`parse_statements`] does, except that ids are not checked for repeats here.
pub fn each_statement<R: std::io::Read>(
    reader: R,
    origin: &str,
    mut take: impl FnMut(Statement, u64) -> Result<(), StatementsError>,
) -> Result<(), StatementsError> {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(reader);
    let cols = read_header(&mut rdr, origin)?;
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err(csv_error(origin, &e).into()),
        }
        let line = rec.position().map_or(0, |p| p.line());
        take(parse_row(&rec, &cols, origin, line)?, line)?;
    }
}

/// The first repeated id in file order: `(id, line of its first use, line of the repeat)`. One pass
/// with a hash map (sorting a million ids spent most of the load comparing strings).
fn first_repeat<'s>(statements: &'s [Statement], lines: &[u64]) -> Option<(&'s str, u64, u64)> {
    let mut seen: std::collections::HashMap<&str, u64> =
        std::collections::HashMap::with_capacity(statements.len());
    for (s, &line) in statements.iter().zip(lines) {
        if let Some(&first) = seen.get(s.id.as_str()) {
            return Some((s.id.as_str(), first, line));
        }
        seen.insert(s.id.as_str(), line);
    }
    None
}

fn read_header<R: std::io::Read>(rdr: &mut csv::Reader<R>, origin: &str) -> Result<Columns, InputError> {
    let header = rdr.headers().map_err(|e| csv_error(origin, &e))?.clone();
    let mut cols = Columns { idx: Vec::new() };
    for (i, name) in header.iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
        let known = REQUIRED.iter().chain(OPTIONAL.iter()).find(|k| **k == name);
        match known {
            // A repeated column: the last one wins, as it did when this was a map.
            Some(k) => match cols.idx.iter_mut().find(|(n, _)| n == k) {
                Some(slot) => slot.1 = i,
                None => cols.idx.push((k, i)),
            },
            None => return Err(header_error(origin, &header, &format!("unknown column '{name}'"))),
        }
    }
    if let Some(missing) = REQUIRED.iter().find(|k| !cols.contains(k)) {
        return Err(header_error(
            origin,
            &header,
            &format!("missing column '{missing}'"),
        ));
    }
    Ok(cols)
}

fn header_error(origin: &str, header: &csv::StringRecord, problem: &str) -> InputError {
    let found: Vec<&str> = header.iter().collect();
    let want = format!("columns id,time,speaker,text and optionally url,tags,stance ({problem})");
    InputError::new(origin, 1, "header", want, &found.join(","))
}

fn parse_row(
    rec: &csv::StringRecord,
    cols: &Columns,
    origin: &str,
    line: u64,
) -> Result<Statement, InputError> {
    let err = |field: &str, want: &str, found: &str| InputError::new(origin, line, field, want, found);
    let id = cols.get(rec, "id");
    if id.is_empty() {
        return Err(err("id", "a non-empty id", id));
    }
    let time_txt = cols.get(rec, "time");
    let time = parse_time(time_txt).ok_or_else(|| {
        err(
            "time",
            "RFC 3339 with zone (2020-04-02T14:32:08Z) or a date YYYY-MM-DD",
            time_txt,
        )
    })?;
    let speaker = cols.get(rec, "speaker");
    if speaker.is_empty() {
        return Err(err("speaker", "a non-empty speaker", speaker));
    }
    let text = cols.get(rec, "text");
    if text.is_empty() {
        return Err(err("text", "a non-empty text", text));
    }
    let url = cols.get(rec, "url");
    if !url.is_empty() && !super::is_web_url(url) {
        return Err(err("url", "empty or an http(s):// address", url));
    }
    let stance_txt = cols.get(rec, "stance");
    let stance = match Stance::parse(stance_txt) {
        None if !stance_txt.trim().is_empty() => return Err(err("stance", "up, down or empty", stance_txt)),
        stance => stance,
    };
    let tags = super::split_tags(cols.get(rec, "tags"));
    Ok(Statement {
        id: id.to_string(),
        time,
        speaker: speaker.to_string(),
        text: text.to_string(),
        url: (!url.is_empty()).then(|| url.to_string()),
        tags,
        stance,
    })
}

/// Parse `2020-04-02T14:32:08Z`, `2020-04-02T10:32:08-04:00` or `2020-04-02`.
pub fn parse_time(s: &str) -> Option<StatementTime> {
    if s.len() == 10 {
        return NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(StatementTime::Date);
    }
    DateTime::parse_from_rfc3339(s)
        .ok()
        .map(|t| StatementTime::Instant(t.with_timezone(&Utc)))
}

fn csv_error(origin: &str, e: &csv::Error) -> InputError {
    InputError::from_csv(origin, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Vec<Statement>, StatementsError> {
        parse_statements(s.as_bytes(), "s.csv")
    }

    #[test]
    fn parses_offsets_dates_tags_and_stance() {
        let v = parse(
            "id,time,speaker,text,url,tags,stance\n\
             a,2020-04-02T10:32:08-04:00,Trump,\"cut, maybe\",https://x.test/1,opec; saudi,UP\n\
             b,2020-04-12,OPEC+,deal,,,\n",
        )
        .unwrap();
        let want: DateTime<Utc> = "2020-04-02T14:32:08Z".parse().unwrap();
        assert_eq!(v[0].time, StatementTime::Instant(want));
        assert_eq!(v[0].tags, vec!["opec", "saudi"]);
        assert_eq!(v[0].stance, Some(Stance::Up));
        assert_eq!(v[0].text, "cut, maybe");
        assert_eq!(v[1].time, StatementTime::Date("2020-04-12".parse().unwrap()));
        assert_eq!((v[1].url.as_deref(), v[1].stance), (None, None));
    }

    #[track_caller]
    fn bad(body: &str, want: &str) {
        let got = parse(body).unwrap_err().to_string();
        assert_eq!(got, want);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        bad(
            "id,time,speaker,text\na,2020-02-30,X,t\n",
            "s.csv: line 2, field 'time': expected RFC 3339 with zone (2020-04-02T14:32:08Z) or a date YYYY-MM-DD, found '2020-02-30'",
        );
        bad(
            "id,time,speaker,text\na,2020-04-02 14:32:08,X,t\n",
            "s.csv: line 2, field 'time': expected RFC 3339 with zone (2020-04-02T14:32:08Z) or a date YYYY-MM-DD, found '2020-04-02 14:32:08'",
        );
        bad(
            "id,time,speaker,text,stance\na,2020-01-02,X,t,sideways\n",
            "s.csv: line 2, field 'stance': expected up, down or empty, found 'sideways'",
        );
        bad(
            "id,time,speaker,text,url\na,2020-01-02,X,t,javascript:alert(1)\n",
            "s.csv: line 2, field 'url': expected empty or an http(s):// address, found 'javascript:alert(1)'",
        );
        bad(
            "id,time,speaker,text\na,2020-01-02,X,t\na,2020-01-03,X,t\n",
            "s.csv: line 3, field 'id': expected an id not used before (already on line 2), found 'a'",
        );
        // The first repeat in file order is reported, whichever id sorts first.
        bad(
            "id,time,speaker,text\nz,2020-01-02,X,t\na,2020-01-02,X,t\nz,2020-01-03,X,t\nz,2020-01-04,X,t\na,2020-01-05,X,t\n",
            "s.csv: line 4, field 'id': expected an id not used before (already on line 2), found 'z'",
        );
    }

    #[test]
    fn header_problems_are_line_one() {
        let e = parse("id,time,speaker,text,stnace\n").unwrap_err().to_string();
        assert!(
            e.starts_with("s.csv: line 1, field 'header'") && e.contains("unknown column 'stnace'"),
            "{e}"
        );
        let e = parse("id,time,text\n").unwrap_err().to_string();
        assert!(e.contains("missing column 'speaker'"), "{e}");
    }

    #[test]
    fn ragged_row_is_located() {
        let e = parse("id,time,speaker,text\na,2020-01-02,X\n").unwrap_err();
        let StatementsError::Invalid(e) = e else {
            panic!("wrong kind")
        };
        assert_eq!((e.line, e.field.as_str()), (2, "row"));
    }
}
