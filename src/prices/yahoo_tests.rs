//! Yahoo chart answers with their quirks; timestamps computed by hand from New York wall times
//! (Python's zoneinfo): 1587096000 = 2020-04-17 00:00 EDT, 1587355200 = 2020-04-20 00:00 EDT,
//! 1583470800 = 2020-03-06 00:00 EST, 1583722800 = 2020-03-08 23:00 EDT (a DST slip of the 9th's bar),
//! 1585800000 = 2020-04-02 00:00 EDT, 1585852200 = 2020-04-02 14:30 EDT.

use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn chart(timestamps: &str, closes: &str, meta: &str) -> String {
    format!(
        r#"{{"chart":{{"result":[{{"meta":{{"currency":"USD","symbol":"CL=F","instrumentType":"FUTURE",
        "exchangeTimezoneName":"America/New_York","timezone":"EDT"{meta}}},"timestamp":[{timestamps}],
        "indicators":{{"quote":[{{"open":null,"close":[{closes}]}}],"adjclose":[{{"adjclose":[{closes}]}}]}}}}],
        "error":null}}}}"#
    )
}

#[test]
fn daily_bars_are_dated_in_exchange_time_with_negative_prices_kept() {
    let body = chart(
        "1587096000,1587355200",
        "18.27,-37.63",
        r#","dataGranularity":"1d""#,
    );
    let got = parse(&body, 200, "u").unwrap();
    assert_eq!(got, vec![(d("2020-04-17"), 18.27), (d("2020-04-20"), -37.63)]);
}

#[test]
fn null_bars_are_dropped_and_a_dst_slip_moves_to_the_next_day() {
    let body = chart("1583470800,1583722800,1587096000", "45.9,null,41.28", "");
    assert_eq!(
        parse(&body, 200, "u").unwrap(),
        vec![(d("2020-03-06"), 45.9), (d("2020-04-17"), 41.28)]
    );
    let slipped = chart("1583722800", "31.13", "");
    assert_eq!(parse(&slipped, 200, "u").unwrap(), vec![(d("2020-03-09"), 31.13)]);
}

#[test]
fn a_live_bar_beside_the_settled_one_replaces_it() {
    let body = chart("1585800000,1585852200", "25.32,25.40", "");
    assert_eq!(parse(&body, 200, "u").unwrap(), vec![(d("2020-04-02"), 25.40)]);
}

#[test]
fn an_empty_window_has_no_timestamps_and_no_prices() {
    let body = r#"{"chart":{"result":[{"meta":{"symbol":"CL=F","dataGranularity":"1d"},
        "indicators":{"quote":[{}]}}],"error":null}}"#;
    assert_eq!(parse(body, 200, "u").unwrap(), vec![]);
}

#[test]
fn errors_carry_yahoo_s_description_and_wrong_shapes_are_refused() {
    let body = r#"{"chart":{"result":null,"error":{"code":"Not Found","description":"No data found, symbol may be delisted"}}}"#;
    let e = parse(body, 404, "u").unwrap_err().to_string();
    assert_eq!(
        e,
        "u answered with an error: Not Found: No data found, symbol may be delisted"
    );
    let weekly = chart("1587096000", "18.27", r#","dataGranularity":"1wk""#);
    let e = parse(&weekly, 200, "u").unwrap_err().to_string();
    assert!(e.contains("bars of 1wk, not 1d"), "{e}");
    let short = chart("1587096000,1587355200", "18.27", "");
    let e = parse(&short, 200, "u").unwrap_err().to_string();
    assert!(e.contains("1 closes for 2 timestamps"), "{e}");
    let html = "<html><body>Will be right back</body></html>";
    assert!(parse(html, 200, "u")
        .unwrap_err()
        .to_string()
        .contains("HTML page"));
    let bad = chart("1587096000", r#""abc""#, "");
    let e = parse(&bad, 200, "u").unwrap_err().to_string();
    assert!(e.contains("line 1, field 'indicators.quote[0].close'"), "{e}");
}

#[test]
fn the_request_spans_the_range_in_epoch_seconds() {
    let y = Yahoo::new("http://127.0.0.1:9").unwrap();
    let url = y.url(SeriesId::WtiFut, d("2020-04-01"), d("2020-04-30")).unwrap();
    // 2020-04-01 00:00 UTC = 1585699200; 2020-05-02 00:00 UTC = 1588377600.
    assert_eq!(
        url.as_str(),
        "http://127.0.0.1:9/v8/finance/chart/CL=F?period1=1585699200&period2=1588377600\
         &interval=1d&includePrePost=false&events=div%2Csplits"
    );
    assert!(!y.supports(SeriesId::Brent) && y.supports(SeriesId::BrentFut));
}
