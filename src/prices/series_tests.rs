//! Series names, closes, validation and merging.
use super::*;

#[test]
fn oil_prices_no_market_quotes_are_refused_other_series_are_not() {
    let day: NaiveDate = "2020-04-02".parse().unwrap();
    for p in [1e308, 5e-324, -2e6] {
        assert_eq!(
            PriceSeries::new(SeriesId::Brent, vec![(day, p)]),
            Err(SeriesError::Implausible(day, p))
        );
    }
    for p in [0.0, -36.98, 1e-6, 1e6] {
        assert!(PriceSeries::new(SeriesId::Wti, vec![(day, p)]).is_ok(), "{p}");
    }
    let index: SeriesId = "SP500".parse().unwrap();
    assert!(PriceSeries::new(index, vec![(day, 2e6)]).is_ok());
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn brent_close_follows_british_summer_time() {
    let c = SeriesId::Brent.default_close();
    // 2020-03-27 is GMT (16:30Z); 2020-03-30 is BST (15:30Z).
    assert_eq!(c.epoch_ms(d("2020-03-27")), 1_585_326_600_000);
    assert_eq!(c.epoch_ms(d("2020-03-30")), 1_585_582_200_000);
}

#[test]
fn close_override_parses_and_rejects() {
    let o: CloseOverride = "wti=15:00@America/Chicago".parse().unwrap();
    assert_eq!(o.series, SeriesId::Wti);
    assert_eq!(o.close.time, hm(15, 0));
    assert!("wti=25:00@America/Chicago".parse::<CloseOverride>().is_err());
    assert!("../x=15:00@UTC".parse::<CloseOverride>().is_err());
    assert!("SP500=16:00@America/New_York".parse::<CloseOverride>().is_ok());
    assert!("brent=16:30@Mars/Olympus".parse::<CloseOverride>().is_err());
}

#[test]
fn series_rejects_duplicates_and_sorts() {
    let s = PriceSeries::new(
        SeriesId::Wti,
        vec![(d("2020-01-03"), 2.0), (d("2020-01-02"), 1.0)],
    )
    .unwrap();
    assert_eq!(s.dates(), &[d("2020-01-02"), d("2020-01-03")]);
    let dup = PriceSeries::new(
        SeriesId::Wti,
        vec![(d("2020-01-02"), 1.0), (d("2020-01-02"), 2.0)],
    );
    assert_eq!(dup, Err(SeriesError::DuplicateDate(d("2020-01-02"))));
}

#[test]
fn series_names_parse() {
    assert_eq!("Brent".parse(), Ok(SeriesId::Brent));
    assert_eq!("DCOILWTICO".parse(), Ok(SeriesId::Wti));
    assert_eq!("sp500".parse::<SeriesId>().unwrap().key(), "SP500");
    assert!("../x".parse::<SeriesId>().is_err());
}

#[test]
fn spread_uses_common_days_only() {
    let b = PriceSeries::new(
        SeriesId::Brent,
        vec![(d("2020-04-09"), 20.23), (d("2020-04-14"), 21.74)],
    )
    .unwrap();
    let w = PriceSeries::new(
        SeriesId::Wti,
        vec![
            (d("2020-04-09"), 22.9),
            (d("2020-04-13"), 22.36),
            (d("2020-04-14"), 20.15),
        ],
    )
    .unwrap();
    let s = spread(&b, &w);
    assert_eq!(s.dates(), &[d("2020-04-09"), d("2020-04-14")]);
    assert!(
        (s.prices()[0] - (20.23 - 22.9)).abs() < 1e-12 && (s.prices()[1] - (21.74 - 20.15)).abs() < 1e-12
    );
}

#[test]
fn merge_prefers_newer_values() {
    let a = PriceSeries::new(
        SeriesId::Wti,
        vec![(d("2020-01-02"), 1.0), (d("2020-01-03"), 2.0)],
    )
    .unwrap();
    let b = PriceSeries::new(
        SeriesId::Wti,
        vec![(d("2020-01-03"), 5.0), (d("2020-01-06"), 6.0)],
    )
    .unwrap();
    let m = a.merged_with(&b);
    assert_eq!(m.prices(), &[1.0, 5.0, 6.0]);
}
