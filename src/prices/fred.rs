//! FRED's keyless graph CSV: `GET {base}/graph/fredgraph.csv?id=ID&cosd=YYYY-MM-DD&coed=YYYY-MM-DD`.
//!
//! Wire format (see the project's research notes, §1.1): header `observation_date,ID` (since late 2024) or
//! `DATE,ID` (before); one row per weekday; a missing price is an empty field (new) or `.` (old) and means
//! "not a trading day of this series"; values are signed decimals of any precision (`-36.98`, `22.1`);
//! LF or CRLF line ends. A 200 answer can be an HTML bot-challenge page: that is an error, not data.

use super::http::{check_csv, redact, FetchError, Http, Service};
use super::series::{plausible, PriceSeries, SeriesId, PLAUSIBLE_PRICE};
use super::source::PriceSource;
use crate::input_error::InputError;
use chrono::NaiveDate;
use reqwest::Url;

/// FRED's keyless CSV service at a base URL.
#[derive(Debug, Clone)]
pub struct FredCsv(Service);

impl FredCsv {
    /// The service at `base` (checked to be a URL).
    pub fn new(base: &str) -> Result<Self, FetchError> {
        Ok(FredCsv(Service::new(base, "")?))
    }

    /// The request URL for `series` between `from` and `to` inclusive.
    pub fn url(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> Result<Url, FetchError> {
        let (from, to) = (from.to_string(), to.to_string());
        let query = [("id", series.fred_id()), ("cosd", &from), ("coed", &to)];
        self.0.url("/graph/fredgraph.csv", &query)
    }
}

impl PriceSource for FredCsv {
    fn name(&self) -> &'static str {
        "fred"
    }

    fn supports(&self, series: SeriesId) -> bool {
        super::source::SourceKind::Fred.publishes(series)
    }

    fn request(&self, series: SeriesId, from: NaiveDate, to: NaiveDate) -> Result<Url, FetchError> {
        self.url(series, from, to)
    }

    fn fetch(
        &self,
        http: &Http,
        series: SeriesId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<PriceSeries, FetchError> {
        let url = self.url(series, from, to)?;
        let body = http.get_text(&url)?;
        let shown = redact(&url);
        let expected = format!("FRED CSV with header 'observation_date,{}'", series.fred_id());
        check_csv(&body, &url, &expected, looks_like_header)?;
        let parsed = parse(&body, series, &shown)?;
        Ok(parsed.slice(from, to))
    }
}

/// Whether `first_line` looks like a FRED graph CSV header (`observation_date,…`, or `DATE,…` in
/// the older layout); which series it names is checked by [`parse`], with the line located.
pub fn looks_like_header(first_line: &str) -> bool {
    let h = first_line.to_ascii_lowercase();
    h.starts_with("observation_date,") || h.starts_with("date,")
}

/// Parse a FRED graph CSV body for `series`; `origin` names the URL or file in errors.
///
/// Rows whose value is empty or `.` are holidays of this series and are left out.
pub fn parse(body: &str, series: SeriesId, origin: &str) -> Result<PriceSeries, InputError> {
    let body = body.strip_prefix('\u{feff}').unwrap_or(body);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(body.as_bytes());
    check_header(&mut rdr, series, origin)?;
    let mut obs = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| csv_error(origin, &e))?;
        let line = rec.position().map_or(0, |p| p.line());
        let date_txt = rec.get(0).unwrap_or("").trim();
        let date = NaiveDate::parse_from_str(date_txt, "%Y-%m-%d")
            .map_err(|_| InputError::new(origin, line, "observation_date", "a date YYYY-MM-DD", date_txt))?;
        let value = rec.get(1).unwrap_or("").trim();
        if value.is_empty() || value == "." {
            continue;
        }
        let price: f64 = value
            .parse()
            .ok()
            .filter(|p: &f64| p.is_finite())
            .ok_or_else(|| InputError::new(origin, line, series.fred_id(), "a price, '.' or empty", value))?;
        if !plausible(series, price) {
            return Err(InputError::new(
                origin,
                line,
                series.fred_id(),
                PLAUSIBLE_PRICE,
                value,
            ));
        }
        obs.push((date, price));
    }
    PriceSeries::new(series, obs).map_err(|e| {
        InputError::new(
            origin,
            0,
            "observation_date",
            "one plausible price per date",
            &e.to_string(),
        )
    })
}

fn check_header<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    series: SeriesId,
    origin: &str,
) -> Result<(), InputError> {
    let header = rdr.headers().map_err(|e| csv_error(origin, &e))?.clone();
    let first = header.get(0).unwrap_or("").trim();
    let second = header.get(1).unwrap_or("").trim();
    let date_ok = first.eq_ignore_ascii_case("observation_date") || first.eq_ignore_ascii_case("date");
    if !date_ok || !second.eq_ignore_ascii_case(series.fred_id()) || header.len() != 2 {
        let want = format!("'observation_date,{0}' or 'DATE,{0}'", series.fred_id());
        let found: Vec<&str> = header.iter().collect();
        return Err(InputError::new(origin, 1, "header", want, &found.join(",")));
    }
    Ok(())
}

fn csv_error(origin: &str, e: &csv::Error) -> InputError {
    let line = e.position().map_or(0, |p| p.line());
    InputError::new(origin, line, "row", "a CSV row of two fields", &e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_current_header_with_blank_holidays_and_negative_prices() {
        let body = "observation_date,DCOILWTICO\n2020-04-17,18.31\n2020-04-20,-36.98\n2020-04-21,8.91\n2020-04-10,\n";
        let s = parse(body, SeriesId::Wti, "x").unwrap();
        assert_eq!(s.dates(), &[d("2020-04-17"), d("2020-04-20"), d("2020-04-21")]);
        assert_eq!(s.prices(), &[18.31, -36.98, 8.91]);
    }

    #[test]
    fn parses_old_header_dots_and_crlf() {
        let body = "DATE,DCOILBRENTEU\r\n2020-04-09,20.23\r\n2020-04-10,.\r\n2020-04-13,.\r\n2020-04-14,21.74\r\n2020-04-15,19.8\r\n";
        let s = parse(body, SeriesId::Brent, "x").unwrap();
        assert_eq!(s.dates(), &[d("2020-04-09"), d("2020-04-14"), d("2020-04-15")]);
        assert_eq!(s.prices(), &[20.23, 21.74, 19.8]);
    }

    #[test]
    fn wrong_series_column_is_a_header_error() {
        let e = parse("observation_date,DCOILWTICO\n", SeriesId::Brent, "u").unwrap_err();
        assert_eq!(e.line, 1);
        assert_eq!(e.field, "header");
    }

    #[test]
    fn bad_value_names_line_and_field() {
        let e = parse(
            "DATE,DCOILWTICO\n2020-01-02,61.17\n2020-01-03,n/a\n",
            SeriesId::Wti,
            "u",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "u: line 3, field 'DCOILWTICO': expected a price, '.' or empty, found 'n/a'"
        );
    }

    #[test]
    fn bad_date_names_line() {
        let e = parse("DATE,DCOILWTICO\n2020-02-30,1\n", SeriesId::Wti, "u").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "observation_date"));
    }

    #[test]
    fn url_has_range_and_trims_slash() {
        let src = FredCsv::new("http://127.0.0.1:9/").unwrap();
        let url = src
            .url(SeriesId::Brent, d("2020-01-01"), d("2020-02-01"))
            .unwrap();
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:9/graph/fredgraph.csv?id=DCOILBRENTEU&cosd=2020-01-01&coed=2020-02-01"
        );
    }
}
