//! The commands: dispatch, `oilcorr fetch`, and getting prices (cache, sources, spinner, one-line
//! reports) for [`crate::run_cmd`]. Errors get context here (anyhow) and are printed on one line by
//! `main`.

use crate::analysis::window::Window;
use crate::cache::{Cache, Cached};
use crate::cli::{Cli, Command, FetchArgs, PriceArgs, StatementsCommand};
use crate::fetch::source::SourceConfig;
use crate::prices::{self, Obtained, SourceOpts};
use crate::series::{PriceSeries, SeriesId};
use anyhow::{bail, Context, Result};

mod progress {
    //! A spinner on stderr while fetching, only when stderr is a terminal (never in logs or pipes).
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;

    /// A running spinner with `msg`, or a hidden one when stderr is not a terminal.
    pub fn spinner(msg: &str) -> ProgressBar {
        if !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let pb = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            pb.set_style(style);
        }
        pb.set_message(msg.to_string());
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    }
}
use chrono::{Duration, NaiveDate, Utc};

/// Run the command line: `cli` parsed from `matches`, which came from `argv` (program name first).
/// `oilcorr run` may stand for several runs once the config file is applied (see [`crate::named`]).
pub fn run(cli: Cli, matches: &clap::ArgMatches, argv: &[std::ffi::OsString]) -> Result<()> {
    match cli.command {
        Command::Fetch(a) => fetch(a),
        Command::Run(a) => {
            let m = matches.subcommand_matches("run").context("run matches")?;
            for job in crate::named::resolve(*a, m, argv)? {
                match &job.name {
                    Some(name) => {
                        eprintln!("== analysis {name}");
                        crate::run_cmd::run(job.args).with_context(|| format!("analysis {name}"))?;
                    }
                    None => crate::run_cmd::run(job.args)?,
                }
            }
            Ok(())
        }
        Command::Statements(StatementsCommand::Import(a)) => crate::import_cmd::run(a),
    }
}

/// Calendar span of prices needed so statements dated `[from, to]` have a full estimation window
/// before and `after` trading days after: trading days are converted with 7/5 plus a margin for holidays.
pub fn price_span(from: NaiveDate, to: NaiveDate, est: Window, after: i64) -> (NaiveDate, NaiveDate) {
    let back = (-est.start).max(0) * 7 / 5 + 30;
    let ahead = after.max(0) * 7 / 5 + 10;
    (from - Duration::days(back), to + Duration::days(ahead))
}

fn source_opts(p: &PriceArgs) -> SourceOpts {
    let source = SourceConfig {
        kind: p.source,
        fred_url: p.fred_url.clone(),
        fred_api_url: p.fred_api_url.clone(),
        eia_url: p.eia_url.clone(),
        datahub_url: p.datahub_url.clone(),
        fred_api_key: p.fred_api_key.clone().filter(|k| !k.trim().is_empty()),
        eia_api_key: p.eia_api_key.clone().filter(|k| !k.trim().is_empty()),
        files: p.prices.iter().map(|f| (f.series, f.path.clone())).collect(),
        http: crate::fetch::HttpConfig {
            connect_timeout: std::time::Duration::from_secs(p.timeout.clamp(1, 10)),
            timeout: std::time::Duration::from_secs(p.timeout.max(1)),
            retry: crate::fetch::retry::RetryPolicy {
                max_attempts: p.retries.max(1),
                ..Default::default()
            },
        },
    };
    SourceOpts {
        source,
        offline: p.offline,
        refresh: p.refresh,
    }
}

/// The series to fetch: the requested ones, with `spread` replaced by its inputs.
fn fetch_list(p: &PriceArgs, extra: &[SeriesId]) -> Vec<SeriesId> {
    let mut v: Vec<SeriesId> = p
        .series
        .iter()
        .chain(extra)
        .flat_map(|s| {
            if *s == SeriesId::Spread {
                SeriesId::OIL.to_vec()
            } else {
                vec![*s]
            }
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The requested series in order, without repeats, each built from the fetched ones.
pub(crate) fn requested_series(p: &PriceArgs, fetched: &[Cached]) -> Vec<PriceSeries> {
    let find = |id: SeriesId| fetched.iter().find(|c| c.prices.id() == id).map(|c| &c.prices);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for id in &p.series {
        if seen.contains(id) {
            continue;
        }
        seen.push(*id);
        let series = match id {
            SeriesId::Spread => match (find(SeriesId::Brent), find(SeriesId::Wti)) {
                (Some(b), Some(w)) => Some(crate::series::spread(b, w)),
                _ => None,
            },
            other => find(*other).cloned(),
        };
        out.extend(series);
    }
    out
}

pub(crate) fn obtain_all(
    p: &PriceArgs,
    from: NaiveDate,
    to: NaiveDate,
    extra: &[SeriesId],
) -> Result<Vec<Cached>> {
    let cache = Cache::new(&p.data_dir);
    let opts = source_opts(p);
    let ids = fetch_list(p, extra);
    if !opts.offline {
        opts.source.check(&ids)?;
    }
    let _lock = cache.lock()?;
    let client = crate::fetch::client(&opts.source.http);
    let mut out = Vec::new();
    for id in ids {
        let spinner = progress::spinner(&format!("fetching {id} from {}", opts.source.kind.name()));
        let got = prices::obtain(&cache, &client, id, from, to, &opts);
        spinner.finish_and_clear();
        let got = got?;
        report(&cache, id, &got);
        out.push(got.cached);
    }
    Ok(out)
}

/// One line per series on stderr: what was fetched or reused, and any upstream revisions.
fn report(cache: &Cache, id: SeriesId, got: &Obtained) {
    let c = &got.cached;
    let how = if got.fetched.is_empty() {
        "from the cache".to_string()
    } else {
        let spans: Vec<String> = got.fetched.iter().map(|(a, b)| format!("{a}..{b}")).collect();
        format!("fetched {} from {}", spans.join(" and "), c.meta.source)
    };
    eprintln!(
        "{id}: {} trading days ({}..{}), {how}; cache {}",
        c.prices.len(),
        c.meta.from,
        c.meta.to,
        cache.price_path(id).display()
    );
    if let Some((d, old, new)) = got.changed.first() {
        eprintln!(
            "{id}: {} cached price(s) changed upstream and were replaced (first: {d} {old} -> {new})",
            got.changed.len()
        );
    }
}

fn fetch(a: FetchArgs) -> Result<()> {
    let to = a.to.unwrap_or_else(|| Utc::now().date_naive());
    if a.from > to {
        bail!("--from {} is after --to {to}", a.from);
    }
    let (from, to) = price_span(a.from, to, a.prices.estimation_window, 20);
    obtain_all(&a.prices, from, to, &[])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_span_reaches_back_a_year_and_a_bit() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (f, t) = price_span(d("2020-03-01"), d("2020-05-31"), Window::new(-260, -11), 10);
        assert_eq!(f, d("2020-03-01") - Duration::days(364 + 30));
        assert_eq!(t, d("2020-05-31") + Duration::days(24));
    }
}
