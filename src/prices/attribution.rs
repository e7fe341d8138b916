//! The source line printed under every chart: which prices these are and where they came from, built
//! from the cache metadata of the series actually used, never assumed (a chart gets published alone).
//!
//! Brent and WTI from FRED, the FRED API, EIA's API or the datahub mirror are EIA spot assessments
//! (RBRTE, RWTC) and are named as such, with "not futures"; any other series is named by its id and its
//! service; a series read from a local file is named by the file, since oilcorr cannot know what the
//! file holds. The derived spread is credited through its two inputs.

use super::cache::CacheMeta;
use super::SeriesId;

/// How the service of a cache entry is named in the line.
fn service(source: &str) -> &'static str {
    match source {
        "fred" => "via FRED",
        "fred-api" => "via the FRED API",
        "eia" => "from EIA's API",
        "datahub" => "via the datahub.io mirror",
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
    // (service, EIA spot names, other names), in order of first appearance.
    let mut groups: Vec<(&str, Vec<&str>, Vec<&str>)> = Vec::new();
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
                groups.push((via, vec![], vec![]));
                groups.len() - 1
            }
        };
        match id {
            SeriesId::Brent => groups[at].1.push("Brent RBRTE"),
            SeriesId::Wti => groups[at].1.push("WTI RWTC"),
            other => groups[at].2.push(other.label()),
        }
    }
    let mut parts: Vec<String> = groups
        .iter()
        .map(|(via, eia, other)| {
            let mut names = Vec::new();
            if !eia.is_empty() {
                names.push(format!(
                    "U.S. EIA daily spot prices ({}; not futures)",
                    eia.join(", ")
                ));
            }
            names.extend(other.iter().map(|o| format!("FRED {o}")));
            format!("{} {via}", names.join(" and "))
        })
        .collect();
    parts.extend(files);
    if parts.is_empty() {
        "no prices".to_string()
    } else {
        parts.join("; ")
    }
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

    fn version() -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}
