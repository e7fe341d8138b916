//! A bounded fuzz of every input parser, run by `cargo test` (proptest, stable Rust): valid samples
//! of each format with random edits (bytes inserted, deleted or replaced by the characters that
//! matter to CSV and JSON, and extreme numbers), and arbitrary text. Each parser must return — data or
//! a located error on one line — and never panic or loop. `CASES` inputs per parser and run.

use crate::prices::series::SeriesId;
use crate::statements::import::{self, ImportOptions};
use proptest::prelude::*;

/// Inputs per parser and `cargo test` run (a few seconds in all, in release).
const CASES: u32 = 5000;

/// Characters and fragments that break CSV, JSON and number parsers.
const PIECES: [&str; 20] = [
    ",",
    "\"",
    "\n",
    "\r\n",
    "[",
    "]",
    "{",
    "}",
    ":",
    ".",
    "-",
    "e999",
    "1e308",
    "5e-324",
    "NaN",
    "\u{feff}",
    "\u{0}",
    "é",
    "2020-02-30",
    "99999999999999999999",
];

/// `sample` with up to eight random edits.
fn mutated(sample: &'static str) -> impl Strategy<Value = String> {
    let edit = (
        any::<prop::sample::Index>(),
        0..3u8,
        prop::sample::select(&PIECES[..]),
    );
    prop::collection::vec(edit, 0..8).prop_map(move |edits| {
        let mut s = sample.to_string();
        for (at, kind, piece) in edits {
            let mut i = at.index(s.len() + 1);
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            let end = s[i..].chars().next().map_or(i, |c| i + c.len_utf8());
            match kind {
                0 => s.insert_str(i, piece),
                1 => s.replace_range(i..end, ""),
                _ => s.replace_range(i..end, piece),
            }
        }
        s
    })
}

/// A mutated sample or arbitrary text.
fn input(sample: &'static str) -> impl Strategy<Value = String> {
    prop_oneof![4 => mutated(sample), 1 => any::<String>()]
}

/// An error as printed must stay on one line.
fn one_line(e: impl std::fmt::Display) -> Result<(), TestCaseError> {
    let text = e.to_string();
    prop_assert!(!text.contains('\n'), "{text}");
    Ok(())
}

const STATEMENTS: &str = "id,time,speaker,text,url,tags,stance\n\
    a,2020-04-02T14:32:08Z,Trump,Oil cut,https://x.com/a,opec;cut,up\nb,2020-04-03,Putin,Talks,,,down\n";
const FRED: &str = "observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,-36.98\n2020-04-10,\n";
const FRED_API: &str =
    r#"{"count":2,"observations":[{"date":"2020-04-17","value":"18.31"},{"date":"2020-04-20","value":"."}]}"#;
const EIA: &str = r#"{"response":{"total":"2","data":[{"period":"2020-04-20","value":"-36.98"},{"period":"2020-04-21","value":8.91}]}}"#;
const TRUMP: &str = "id,text,isRetweet,isDeleted,device,favorites,retweets,date,isFlagged\n\
    1245730011133456384,Just spoke to my friend MBS,f,f,Twitter for iPhone,1,2,2020-04-02 14:32:08,f\n";
const X_ARCHIVE: &str = r#"window.YTD.tweets.part0 = [ {"tweet": {"id_str": "1049807346327212032",
    "full_text": "OPEC must lower prices", "created_at": "Wed Oct 10 20:19:24 +0000 2018"}} ]"#;
const JSONL: &str = "{\"id\":\"a\",\"time\":\"2020-04-02T14:32:08Z\",\"speaker\":\"T\",\"text\":\"oil\"}\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn statements_files(body in input(STATEMENTS)) {
        if let Err(e) = crate::statements::parse::parse_statements(body.as_bytes(), "s.csv") {
            one_line(e)?;
        }
    }

    #[test]
    fn price_files_and_fred_csv(body in input(FRED)) {
        if let Err(e) = crate::prices::fred::parse(&body, SeriesId::Wti, "f.csv") {
            one_line(e)?;
        }
        if let Err(e) = crate::prices::file::parse_any(&body, SeriesId::Wti, "f.csv", &Default::default()) {
            one_line(e)?;
        }
    }

    #[test]
    fn fred_api_and_eia_pages(body in input(FRED_API), other in input(EIA), status in 100u16..600) {
        if let Err(e) = crate::prices::fred_api::parse_page(&body, status, "u", SeriesId::Wti) {
            one_line(e)?;
        }
        if let Err(e) = crate::prices::eia::parse_page(&other, status, "u", 0) {
            one_line(e)?;
        }
    }

    #[test]
    fn archive_importers(trump in input(TRUMP), x in input(X_ARCHIVE), jsonl in input(JSONL)) {
        let opts = ImportOptions::default();
        let mut sink = |_| {};
        if let Err(e) = import::trump::read(trump.as_bytes(), "t.csv", &opts, &mut sink) {
            one_line(e)?;
        }
        if let Err(e) = import::x::read(x.as_bytes(), "tweets.js", &opts, &mut sink) {
            one_line(e)?;
        }
        if let Err(e) = import::generic::read_jsonl(jsonl.as_bytes(), "s.jsonl", &opts, &mut sink) {
            one_line(e)?;
        }
        if let Err(e) = import::generic::read_csv(trump.as_bytes(), "s.csv", &opts, &mut sink) {
            one_line(e)?;
        }
    }
}

/// Every cut of a body, at every byte: a JSON page is never read as a shorter valid page, and a CSV
/// body is either refused (no final newline) or read as a prefix of the whole, which the cache then
/// counts as covered only up to its last price (`prices::plan`).
#[test]
fn bodies_cut_at_every_byte_are_refused_or_read_as_a_prefix() {
    use crate::prices::http::{check_csv, endpoint};
    for n in 0..FRED_API.len() {
        assert!(crate::prices::fred_api::parse_page(&FRED_API[..n], 200, "u", SeriesId::Wti).is_err());
    }
    for n in 0..EIA.len() {
        assert!(crate::prices::eia::parse_page(&EIA[..n], 200, "u", 0).is_err());
    }
    let url = endpoint("http://h", "/x", &[]).unwrap();
    let whole = crate::prices::fred::parse(FRED, SeriesId::Wti, "f").unwrap();
    for n in 0..FRED.len() {
        let cut = &FRED[..n];
        if check_csv(cut, &url, "", crate::prices::fred::looks_like_header).is_err() {
            continue;
        }
        if let Ok(part) = crate::prices::fred::parse(cut, SeriesId::Wti, "f") {
            assert_eq!(part.dates(), &whole.dates()[..part.len()], "cut at {n}");
            assert_eq!(part.prices(), &whole.prices()[..part.len()], "cut at {n}");
        }
    }
}
