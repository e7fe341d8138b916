//! The source line printed under every chart: which prices these are and where they came from, built
//! from the cache metadata of the series actually used, never assumed (a chart gets published alone).
//!
//! Brent and WTI from FRED, the FRED API, EIA's API or the datahub mirror are EIA spot assessments
//! (RBRTE, RWTC) and are named as such, with "not futures"; front-month futures are named by exchange
//! contract and symbol, with "not spot"; any other series is named by its id and its service; a series
//! read from a local file is named by the file, since oilcorr cannot know what the file holds. The
//! derived spread is credited through its two inputs.

use super::cache::CacheMeta;
use super::SeriesId;

/// How the service of a cache entry is named in the line.
fn service(source: &str) -> &'static str {
    match source {
        "fred" => "via FRED",
        "fred-api" => "via the FRED API",
        "eia" => "from EIA's API",
        "datahub" => "via the datahub.io mirror",
        "yahoo" => "via Yahoo Finance (unofficial)",
        _ => "from an unnamed source",
    }
}

/// The file name in a `file` entry's URL or path.
fn file_name(meta: &CacheMeta) -> &str {
    let path = meta.url.trim_end_matches('/');
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// The source line for `series` with their cache metadata, ending with the chart's maker.
pub fn source_line(series: &[(SeriesId, &CacheMeta)]) -> String {
    let fetched = series
        .iter()
        .filter_map(|(_, m)| m.fetched_at.get(..10))
        .max()
        .unwrap_or("?");
    format!(
        "Source: {}; fetched {fetched}. Chart: oilcorr {}.",
        sources(series),
        env!("CARGO_PKG_VERSION")
    )
}

/// What the prices of `series` are and where they came from, e.g. "U.S. EIA daily spot prices (Brent
/// RBRTE, WTI RWTC; not futures) via FRED".
pub fn sources(series: &[(SeriesId, &CacheMeta)]) -> String {
    // (service, [EIA spot names, futures names, other names]), in order of first appearance.
    let mut groups: Vec<(&str, [Vec<&str>; 3])> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    for (id, meta) in series {
        if *id == SeriesId::Spread {
            continue;
        }
        if meta.source == "file" {
            files.push(format!("{} from the file {}", id.label(), file_name(meta)));
            continue;
        }
        let via = service(&meta.source);
        let at = match groups.iter().position(|g| g.0 == via) {
            Some(i) => i,
            None => {
                groups.push((via, Default::default()));
                groups.len() - 1
            }
        };
        let lists = &mut groups[at].1;
        match (id, meta.source.as_str()) {
            (SeriesId::Brent, _) => lists[0].push("Brent RBRTE"),
            (SeriesId::Wti, _) => lists[0].push("WTI RWTC"),
            (SeriesId::BrentFut, _) => lists[1].push("NYMEX Brent Last Day Financial BZ=F"),
            (SeriesId::WtiFut, "eia") => lists[1].push("NYMEX WTI contract 1 RCLC1"),
            (SeriesId::WtiFut, _) => lists[1].push("NYMEX WTI CL=F"),
            (other, _) => lists[2].push(other.label()),
        }
    }
    let mut parts: Vec<String> = groups.iter().map(|(via, lists)| named(via, lists)).collect();
    parts.extend(files);
    if parts.is_empty() {
        "no prices".to_string()
    } else {
        parts.join("; ")
    }
}

/// What the prices of `series` are, for chart titles and price axes: `(title words, axis label)`.
/// A series read from a file is not characterised (oilcorr cannot know what the file holds).
pub fn kinds(series: &[(SeriesId, &CacheMeta)]) -> (&'static str, &'static str) {
    if series.iter().any(|(_, m)| m.source == "file") {
        return ("prices", "US$ per barrel");
    }
    let oil = series.iter().filter(|(id, _)| id.is_oil()).count();
    let futures = series.iter().filter(|(id, _)| id.is_futures()).count();
    match futures {
        0 => ("EIA spot prices", "US$ per barrel (EIA spot)"),
        n if n == oil => (
            "daily front-month settlements",
            "US$ per barrel (front-month futures)",
        ),
        _ => ("spot and futures prices", "US$ per barrel (spot and futures)"),
    }
}

/// One service's part of the line: its spot, futures and other series, then the service.
fn named(via: &str, [spot, futures, other]: &[Vec<&str>; 3]) -> String {
    let mut names = Vec::new();
    if !spot.is_empty() {
        let list = spot.join(", ");
        names.push(format!("U.S. EIA daily spot prices ({list}; not futures)"));
    }
    if !futures.is_empty() {
        let list = futures.join(", ");
        names.push(format!(
            "daily front-month futures settlements ({list}; not spot)"
        ));
    }
    names.extend(other.iter().map(|o| format!("FRED {o}")));
    format!("{} {via}", names.join(" and "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn meta(source: &str, url: &str) -> CacheMeta {
        let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
        CacheMeta {
            source: source.into(),
            url: url.into(),
            fetched_at: "2026-12-02T10:00:00Z".into(),
            from: d,
            to: d,
            identity: String::new(),
        }
    }

    #[test]
    fn names_what_was_used() {
        let fred = meta("fred", "https://fred.stlouisfed.org/graph/fredgraph.csv?id=X");
        let v = version();
        assert_eq!(
            source_line(&[(SeriesId::Brent, &fred), (SeriesId::Wti, &fred)]),
            format!(
                "Source: U.S. EIA daily spot prices (Brent RBRTE, WTI RWTC; not futures) via FRED; \
                 fetched 2026-12-02. Chart: oilcorr {v}."
            )
        );
        let eia = meta("eia", "https://api.eia.gov/v2/x");
        let file = meta("file", "/home/me/licensed/brent-futures.csv");
        assert_eq!(
            source_line(&[
                (SeriesId::Brent, &file),
                (SeriesId::Wti, &eia),
                (SeriesId::Fred("SP500"), &fred)
            ]),
            format!(
                "Source: U.S. EIA daily spot prices (WTI RWTC; not futures) from EIA's API; FRED SP500 \
                 via FRED; Brent from the file brent-futures.csv; fetched 2026-12-02. Chart: oilcorr {v}."
            )
        );
    }

    #[test]
    fn futures_are_named_by_contract_and_never_called_spot() {
        let yahoo = meta("yahoo", "https://query2.finance.yahoo.com/v8/finance/chart/BZ=F");
        let eia = meta("eia", "https://api.eia.gov/v2/petroleum/pri/fut/data/");
        assert_eq!(
            sources(&[(SeriesId::BrentFut, &yahoo), (SeriesId::WtiFut, &yahoo)]),
            "daily front-month futures settlements (NYMEX Brent Last Day Financial BZ=F, NYMEX WTI \
             CL=F; not spot) via Yahoo Finance (unofficial)"
        );
        assert_eq!(
            sources(&[(SeriesId::Brent, &eia), (SeriesId::WtiFut, &eia)]),
            "U.S. EIA daily spot prices (Brent RBRTE; not futures) and daily front-month futures \
             settlements (NYMEX WTI contract 1 RCLC1; not spot) from EIA's API"
        );
    }

    #[test]
    fn titles_and_axes_say_spot_futures_or_neither() {
        let (fred, yahoo) = (meta("fred", "u"), meta("yahoo", "u"));
        let file = meta("file", "/a/b.csv");
        assert_eq!(kinds(&[(SeriesId::Brent, &fred)]).1, "US$ per barrel (EIA spot)");
        assert_eq!(
            kinds(&[(SeriesId::WtiFut, &yahoo)]).1,
            "US$ per barrel (front-month futures)"
        );
        let mixed = [(SeriesId::Brent, &fred), (SeriesId::WtiFut, &yahoo)];
        assert_eq!(kinds(&mixed).0, "spot and futures prices");
        assert_eq!(kinds(&[(SeriesId::Brent, &file)]), ("prices", "US$ per barrel"));
    }

    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}
