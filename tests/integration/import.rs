//! `oilcorr statements import` on fixture files written to match the real layouts (Trump Twitter
//! Archive CSV and JSON, X archive tweets.js, generic CSV and JSON Lines).

use crate::fixtures::fred_handler;
use crate::server::Server;
use crate::util::{ok, read_csv, Env};

/// Archive CSV as the export writes it: HTML entities (and the damaged `&amp,`), a quoted newline,
/// nested quotes, a retweet, a deleted tweet, ids above 2^53.
const ARCHIVE_CSV: &str = "id,text,isRetweet,isDeleted,device,favorites,retweets,date,isFlagged\n\
1245720677660925952,\"Just spoke to my friend MBS (Crown Prince) of Saudi Arabia, who spoke with President Putin of Russia, &amp; I expect &amp; hope that they will be cutting back approximately 10 Million Barrels\",f,f,Twitter for iPhone,151533,36358,2020-04-02 14:32:08,f\n\
1013023608040513537,\"turmoil &amp, disfunction in Iran\nand Venezuela: \"\"increase oil production\"\"\",f,f,Twitter for iPhone,132965,33504,2018-06-30 11:37:03,f\n\
1218010753434820614,RT @CBS_Herridge: READ: Letter about oil …,t,f,Twitter for iPhone,0,7396,2020-01-17 03:22:47,f\n\
1245720677660925999,Deleted tweet about OPEC,f,t,Twitter for iPhone,1,1,2020-04-02 15:00:00,f\n\
1252932181447630848,I have instructed the United States Navy to shoot down and destroy any and all Iranian gunboats,f,f,Twitter for iPhone,1,1,2020-04-22 12:08:05,f\n";

#[test]
fn trump_archive_csv_keeps_ids_entities_and_newlines() {
    let env = Env::new();
    env.write("tweets.csv", ARCHIVE_CSV);
    ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "tweets.csv",
        "-o",
        "out.csv",
    ]));
    let rows = read_csv(&env.path("out.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        [
            "tweet-1013023608040513537",
            "tweet-1245720677660925952",
            "tweet-1252932181447630848"
        ]
    );
    assert_eq!(
        rows[0]["text"],
        "turmoil &, disfunction in Iran\nand Venezuela: \"increase oil production\""
    );
    assert_eq!(rows[0]["time"], "2018-06-30T11:37:03Z");
    assert!(rows[1]["text"].contains("Russia, & I expect & hope"));
    assert_eq!(rows[1]["time"], "2020-04-02T14:32:08Z");
    assert_eq!(
        rows[1]["url"],
        "https://twitter.com/realDonaldTrump/status/1245720677660925952"
    );
    assert_eq!(rows[1]["speaker"], "Donald Trump");

    ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "tweets.csv",
        "-o",
        "all.csv",
        "--retweets",
        "--deleted",
        "--oil",
    ]));
    let rows = read_csv(&env.path("all.csv"));
    let tags: Vec<&str> = rows.iter().map(|r| r["tags"].as_str()).collect();
    assert_eq!(
        tags,
        ["tweet", "tweet;retweet", "tweet", "tweet;deleted", "tweet"],
        "the gunboats tweet is kept by --oil (Iranian: v2 of the term list)"
    );
    // A term list of one's own replaces the built-in one; stderr counts what each filter left out.
    env.write("terms.txt", "# only the Navy\nNavy\n");
    let out = ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "tweets.csv",
        "-o",
        "navy.csv",
        "--oil-terms",
        "terms.txt",
    ]));
    let rows = read_csv(&env.path("navy.csv"));
    assert_eq!(rows.len(), 1);
    assert!(rows[0]["text"].contains("gunboats"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("left out: 2 by --oil") && err.contains("kept 1 of the 3 rows"),
        "{err}"
    );
    // `-o -`: the same CSV on stdout, no file named "-".
    let out = ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "tweets.csv",
        "-o",
        "-",
    ]));
    assert_eq!(out.stdout, std::fs::read(env.path("out.csv")).unwrap());
    assert!(!env.path("-").exists());
}

#[test]
fn trump_archive_json_with_numeric_ids_and_epoch_dates() {
    let env = Env::new();
    // 1245720677660925952 as a JSON number: above 2^53, so a float parse would change its last digits.
    let json = r#"[
      {"id": 1245720677660925952, "text": "Saudi &amp; Russia: 10 Million Barrels", "isRetweet": false, "isDeleted": false,
       "device": "Twitter for iPhone", "favorites": 1, "retweets": 1, "date": 1585837928000, "isFlagged": false},
      {"id": "1245726411526221824", "text": "RT @x: oil", "isRetweet": true, "isDeleted": false, "date": "2020-04-02 14:54:55"}
    ]"#;
    env.write("tweets.json", json);
    ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "tweets.json",
        "-o",
        "o.csv",
    ]));
    let rows = read_csv(&env.path("o.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["id"], "tweet-1245720677660925952");
    assert_eq!(rows[0]["time"], "2020-04-02T14:32:08Z");
    assert_eq!(rows[0]["text"], "Saudi & Russia: 10 Million Barrels");
}

#[test]
fn x_archive_tweets_js() {
    let env = Env::new();
    let js = r#"window.YTD.tweets.part0 = [
  {"tweet": {"id_str": "1049807346327212032", "full_text": "OPEC must raise output &amp; lower prices", "created_at": "Wed Oct 10 20:19:24 +0000 2018", "retweeted": false}},
  {"tweet": {"id_str": "1049807346327212033", "full_text": "RT @someone: crude news", "created_at": "Wed Oct 10 20:20:00 +0000 2018"}}
]"#;
    env.write("tweets.js", js);
    let args = [
        "statements",
        "import",
        "--format",
        "x-archive",
        "tweets.js",
        "-o",
        "o.csv",
        "--speaker-name",
        "Some Minister",
    ];
    ok(&mut env.local(&args));
    let rows = read_csv(&env.path("o.csv"));
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["time"], "2018-10-10T20:19:24Z");
    assert_eq!(rows[0]["speaker"], "Some Minister");
    assert_eq!(rows[0]["text"], "OPEC must raise output & lower prices");
    assert_eq!(rows[0]["url"], "https://x.com/i/status/1049807346327212032");
}

/// Speeches in a CSV of another layout: naive local times, one date-only row, one row off-topic.
const SPEECHES: &str = "published_at,body,author,link\n\
     2020-04-02 10:32:08,Saudi Arabia and Russia will cut oil output,Trump,https://example.org/a\n\
     2020-04-03,Russia is ready to discuss a cut of 10 million barrels,Putin,\n\
     2020-05-01 09:00,Something about football,Trump,\n";
/// The column mapping of [`SPEECHES`].
const SPEECHES_MAP: &str = "time=published_at,text=body,speaker=author,url=link";

#[test]
fn generic_csv_with_mapping_zone_and_filters() {
    let env = Env::new();
    env.write("speeches.csv", SPEECHES);
    env.write("rules.csv", "pattern,stance\n\\bcut\\b,up\n");
    let args = [
        "statements",
        "import",
        "--format",
        "csv",
        "speeches.csv",
        "-o",
        "o.csv",
        "--map",
        SPEECHES_MAP,
        "--tz",
        "America/New_York",
        "--match",
        "oil|barrels",
        "--since",
        "2020-04-01",
        "--until",
        "2020-04-30",
        "--stance-rules",
        "rules.csv",
    ];
    ok(&mut env.local(&args));
    let rows = read_csv(&env.path("o.csv"));
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0]["time"], "2020-04-02T14:32:08Z",
        "10:32:08 EDT is 14:32:08 UTC"
    );
    assert_eq!(
        (rows[0]["stance"].as_str(), rows[1]["time"].as_str()),
        ("up", "2020-04-03")
    );
}

#[test]
fn generic_jsonl_with_mapping_and_a_speaker_filter() {
    let env = Env::new();
    env.write(
        "s.jsonl",
        "{\"when\":\"2020-04-02T14:32:08Z\",\"body\":\"oil cut\",\"who\":\"Trump\",\"labels\":[\"a\",\"b\"]}\n\n\
         {\"when\":\"2020-04-03\",\"body\":\"oil\",\"who\":\"Putin\"}\n",
    );
    let args = [
        "statements",
        "import",
        "--format",
        "jsonl",
        "s.jsonl",
        "-o",
        "j.csv",
        "--map",
        "time=when,text=body,speaker=who,tags=labels",
        "--speaker",
        "putin",
    ];
    ok(&mut env.local(&args));
    let rows = read_csv(&env.path("j.csv"));
    assert_eq!(
        (rows.len(), rows[0]["speaker"].as_str(), rows[0]["id"].as_str()),
        (1, "Putin", "row-3")
    );
}

#[test]
fn a_naive_time_without_a_zone_is_refused_with_its_location() {
    let env = Env::new();
    env.write("speeches.csv", SPEECHES);
    let args = [
        "statements",
        "import",
        "--format",
        "csv",
        "speeches.csv",
        "-o",
        "x.csv",
        "--map",
        SPEECHES_MAP,
    ];
    let out = env.local(&args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success()
            && err.contains("speeches.csv: line 2, field 'published_at'")
            && err.contains("--tz"),
        "{err}"
    );
    assert!(!env.path("x.csv").exists(), "nothing written on error");
}

#[test]
fn imported_files_merge_into_a_run_and_duplicates_need_dedupe() {
    let server = Server::start(fred_handler(false));
    let env = Env::new();
    env.write("tweets.csv", ARCHIVE_CSV);
    ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "tweets.csv",
        "-o",
        "a.csv",
    ]));
    std::fs::copy(env.path("a.csv"), env.path("b.csv")).unwrap();
    let base = [
        "run",
        "--from",
        "2018-01-01",
        "--to",
        "2020-06-30",
        "--no-charts",
        "--statements",
        "a.csv",
        "--statements",
        "b.csv",
    ];
    let out = env.cmd(&server.url, &base).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("appears in both a.csv and b.csv"),
        "{err}"
    );
    let mut args = base.to_vec();
    args.push("--dedupe");
    let out = ok(&mut env.cmd(&server.url, &args));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dropped 3 repeated"), "{err}");
    let rows = read_csv(&env.path("data/exports/joined.csv"));
    assert_eq!(rows.len(), 6, "3 statements x 2 series");
    // 2018-06-30 is before the fixture's estimation window can fill: reported in the note, not dropped.
    let early = rows
        .iter()
        .find(|r| r["statement_id"] == "tweet-1013023608040513537")
        .unwrap();
    assert!(!early["note"].is_empty());
}

#[test]
fn sixty_thousand_tweets_import_fast() {
    let env = Env::new();
    let mut body = String::from("id,text,isRetweet,isDeleted,device,favorites,retweets,date,isFlagged\n");
    for i in 0..60_000u64 {
        let text = if i % 10 == 0 {
            "OPEC must cut &amp; oil prices rise"
        } else {
            "Great rally tonight, thank you!"
        };
        body.push_str(&format!(
            "{},\"{text}\",f,f,Twitter for iPhone,1,1,2019-{:02}-{:02} 12:00:{:02},f\n",
            1_100_000_000_000_000_000u64 + i,
            1 + i % 12,
            1 + i % 28,
            i % 60
        ));
    }
    env.write("big.csv", &body);
    let start = std::time::Instant::now();
    ok(&mut env.local(&[
        "statements",
        "import",
        "--format",
        "trump-archive",
        "big.csv",
        "-o",
        "o.csv",
        "--oil",
    ]));
    let took = start.elapsed();
    assert_eq!(read_csv(&env.path("o.csv")).len(), 6_000);
    // Timed bounds are for an idle machine: checked only when asked (OILCORR_TIMED=1).
    if std::env::var_os("OILCORR_TIMED").is_some() {
        assert!(took < std::time::Duration::from_secs(2), "took {took:?}");
    }
}

#[test]
fn rows_a_run_would_refuse_are_counted_or_with_strict_fail() {
    let env = Env::new();
    env.write(
        "s.csv",
        "id,time,text,speaker\n\
         a,2020-04-02T14:32:08Z,Oil output cut,Trump\n\
         a,2020-04-03T10:00:00Z,Oil talks,Putin\n\
         b,2020-04-04T10:00:00Z,Football,Trump\n\
         c,2020-04-05T10:00:00Z,Crude oil,Trump\n",
    );
    let args = [
        "statements",
        "import",
        "--format",
        "csv",
        "s.csv",
        "-o",
        "o.csv",
        "--oil",
    ];
    let out = ok(&mut env.local(&args));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("left out: 1 by --oil; 1 with a repeated id"),
        "{err}"
    );
    let rows = read_csv(&env.path("o.csv"));
    let ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert_eq!(ids, ["a", "c"]);
    // The same import with --strict, into p.csv.
    let strict: Vec<&str> = args
        .iter()
        .map(|a| if *a == "o.csv" { "p.csv" } else { a })
        .chain(["--strict"])
        .collect();
    let out = env.local(&strict).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("'a' has a repeated id"),
        "{err}"
    );
    assert!(!env.path("p.csv").exists());
}
