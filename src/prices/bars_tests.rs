//! Bar files in the vendors' layouts (research notes, futures-intraday §5), with expected dates and
//! prices read off the rows by hand.

use super::*;

const NY: Tz = chrono_tz::America::New_York;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn read(body: &str, fmt: &BarsFormat) -> Result<PriceSeries, InputError> {
    parse(body, SeriesId::WtiFut, "bars.csv", fmt, NY)
}

#[test]
fn databento_rows_with_symbols_roll_and_skip_spreads() {
    // Daily bars at 00:00 UTC, i.e. the evening before in New York: dated in --bars-tz UTC.
    let body = "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume,symbol\n\
        2020-04-20T00:00:00.000000000Z,35,1,1,1,1,1,-37.63,100,CLK0\n\
        2020-04-20T00:00:00.000000000Z,35,1,2,1,1,1,20.43,90,CLM0\n\
        2020-04-20T00:00:00.000000000Z,35,1,3,1,1,1,-58.06,5,CLK0-CLM0\n\
        2020-04-21T00:00:00.000000000Z,35,1,1,1,1,1,10.01,80,CLK0\n\
        2020-04-21T00:00:00.000000000Z,35,1,2,1,1,1,11.57,95,CLM0\n\
        2020-04-22T00:00:00.000000000Z,35,1,2,1,1,1,13.78,99,CLM0\n";
    let fmt = BarsFormat {
        tz: Some(chrono_tz::UTC),
        ..BarsFormat::default()
    };
    let s = read(body, &fmt).unwrap();
    assert_eq!(s.dates(), [d("2020-04-20"), d("2020-04-21"), d("2020-04-22")]);
    assert_eq!(s.prices(), [-37.63, 10.01, 13.78]);
    assert_eq!(s.rolls().len(), 1);
    assert_eq!(
        (s.rolls()[0].date, s.rolls()[0].base),
        (d("2020-04-22"), Some(11.57))
    );
    // Without --bars-tz the same instants are dated in New York: the evening before.
    assert_eq!(
        read(body, &BarsFormat::default()).unwrap().dates()[0],
        d("2020-04-19")
    );
}

#[test]
fn nanosecond_stamps_and_wall_times_need_no_guess() {
    // 1587340800000000000 ns = 2020-04-20T00:00:00Z.
    let raw = "ts_event,rtype,publisher_id,instrument_id,open,high,low,close,volume\n\
        1587340800000000000,35,1,1,1,1,1,18.27,9\n";
    let utc = BarsFormat {
        tz: Some(chrono_tz::UTC),
        ..BarsFormat::default()
    };
    assert_eq!(read(raw, &utc).unwrap().dates(), [d("2020-04-20")]);
    let firstrate = "timestamp,open,high,low,close,volume\n2020-04-17 00:00:00,1,1,1,18.27,2140\n";
    let e = read(firstrate, &BarsFormat::default()).unwrap_err();
    assert!(e.to_string().contains("line 2, field 'timestamp'"), "{e}");
    assert!(e.to_string().contains("--bars-tz"), "{e}");
    let eastern = BarsFormat {
        tz: Some(NY),
        ..BarsFormat::default()
    };
    assert_eq!(read(firstrate, &eastern).unwrap().prices(), [18.27]);
}

#[test]
fn barchart_exports_newest_first_with_a_footer_and_mapped_columns() {
    let body = "Time,Open,High,Low,Latest,Change,%Change,Volume\n\
        2020-04-21,1,1,1,10.01,1,1,\"1,195,900\"\n\
        2020-04-20,1,1,1,-37.63,1,1,\"2,000\"\n\
        \"Downloaded from Barchart.com as of 05-05-2026 08:09am CDT\"\n";
    let s = read(body, &BarsFormat::default()).unwrap();
    assert_eq!(s.prices(), [-37.63, 10.01]);
    let renamed = "Trade Day,Settlement Price\n2020-04-20,-37.63\n";
    assert!(read(renamed, &BarsFormat::default()).is_err());
    let mapped = BarsFormat {
        map: vec![
            ("time".into(), "Trade Day".into()),
            ("close".into(), "Settlement Price".into()),
        ],
        ..BarsFormat::default()
    };
    assert_eq!(read(renamed, &mapped).unwrap().prices(), [-37.63]);
}

#[test]
fn two_bars_of_one_contract_on_one_day_are_refused() {
    let body = "timestamp,close,contract\n2020-04-20T14:00:00Z,20,CLK0\n2020-04-20T15:00:00Z,21,CLK0\n";
    let e = read(body, &BarsFormat::default()).unwrap_err().to_string();
    assert!(e.contains("two bars of 'CLK0' on 2020-04-20"), "{e}");
    assert!(e.contains("intraday bars are not analysed yet"), "{e}");
}
