//! Getting the prices a command needs: which series to fetch, the calendar span, the source built
//! once, the cache locked while it is filled, a spinner while fetching and one line per series saying
//! what was fetched or reused.

use super::args::PriceArgs;
use super::settings::{http_config, source_settings};
use anyhow::Result;
use chrono::{Duration, NaiveDate};
use oilcorr::analysis::window::Window;
use oilcorr::prices::cache::{Cache, CacheError, CacheLock, Cached};
use oilcorr::prices::http::Http;
use oilcorr::prices::source::{PriceSource, SourceKind};
use oilcorr::prices::{obtain, Acquire, Obtained, PriceSeries, SeriesId};

mod progress {
    //! Progress on stderr while fetching: a spinner on a terminal; in logs and pipes, a line every
    //! [`EVERY`] while a fetch lasts longer (nothing for the usual second-long fetch).
    use indicatif::{ProgressBar, ProgressStyle};
    use std::io::IsTerminal;
    use std::sync::mpsc::RecvTimeoutError;
    use std::time::{Duration, Instant};

    /// Interval of the progress lines written when stderr is not a terminal.
    pub const EVERY: Duration = Duration::from_secs(10);

    /// Run `work` with progress shown as `msg`: a spinner when `terminal`, otherwise `msg` as a line
    /// every `every` while it runs, given to `line`.
    pub fn during<T>(
        msg: &str,
        every: Duration,
        terminal: bool,
        line: &(dyn Fn(String) + Sync),
        work: impl FnOnce() -> T,
    ) -> T {
        if terminal {
            let bar = spinner(msg);
            let out = work();
            bar.finish_and_clear();
            return out;
        }
        // The reporter waits on a channel the work's end closes, so it stops at once (a sleeping poll
        // kept every quick run waiting up to its 50 ms tick, twice per run).
        let (finished, wait) = std::sync::mpsc::channel::<()>();
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let start = Instant::now();
                while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(every) {
                    line(format!("{msg}: still working ({} s)", start.elapsed().as_secs()));
                }
            });
            let out = work();
            drop(finished);
            out
        })
    }

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

/// Calendar span of prices needed so statements dated `[from, to]` have a full estimation window
/// before and `after` trading days after: trading days are converted with 7/5 plus a margin for holidays.
pub fn price_span(from: NaiveDate, to: NaiveDate, est: Window, after: i64) -> (NaiveDate, NaiveDate) {
    let back = (-est.start).max(0) * 7 / 5 + 30;
    let ahead = after.max(0) * 7 / 5 + 10;
    (from - Duration::days(back), to + Duration::days(ahead))
}

/// The series to fetch: the requested ones and `extra`, with `spread` replaced by its inputs.
fn fetch_list(prices: &PriceArgs, extra: &[SeriesId]) -> Vec<SeriesId> {
    let mut v: Vec<SeriesId> = prices
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
pub fn requested_series(prices: &PriceArgs, fetched: &[Cached]) -> Vec<PriceSeries> {
    let find = |id: SeriesId| fetched.iter().find(|c| c.prices.id() == id).map(|c| &c.prices);
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for id in &prices.series {
        if seen.contains(id) {
            continue;
        }
        seen.push(*id);
        let series = match id {
            SeriesId::Spread => match (find(SeriesId::Brent), find(SeriesId::Wti)) {
                (Some(b), Some(w)) => Some(oilcorr::prices::series::spread(b, w)),
                _ => None,
            },
            other => find(*other).cloned(),
        };
        out.extend(series);
    }
    out
}

/// Every series the run needs (the requested ones and `extra`) for `[from, to]`, from the cache or
/// fetched into it, each from the first `--source` that publishes it. Offline, no network source is
/// built (keys are not needed to read the cache).
pub fn obtain_all(
    prices: &PriceArgs,
    from: NaiveDate,
    to: NaiveDate,
    extra: &[SeriesId],
) -> Result<Vec<Cached>> {
    let cache = Cache::new(&prices.data_dir);
    let plan = source_plan(prices, &fetch_list(prices, extra))?;
    // Building the client loads the machine's root certificates (~10 ms of CPU): not offline, where
    // no network source is built.
    let http = plan
        .iter()
        .any(|(_, _, built)| built.is_some())
        .then(|| Http::new(http_config(prices)));
    let (_lock, read_only) = lock(&cache)?;
    let mut out = Vec::new();
    for (id, kind, built) in &plan {
        let how = Acquire {
            source_name: kind.name(),
            fetcher: built.as_deref().zip(http.as_ref()),
            refresh: prices.refresh,
            read_only: read_only.as_deref(),
        };
        let msg = format!("fetching {id} from {}", kind.name());
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let line = |l: String| eprintln!("{l}");
        let got = progress::during(&msg, progress::EVERY, terminal, &line, || {
            obtain(&cache, *id, from, to, &how)
        })?;
        report(&cache, *id, &got);
        out.push(got.cached);
    }
    Ok(out)
}

/// A series, its source, and the source built (`None` offline for network sources).
type Planned = (SeriesId, SourceKind, Option<std::rc::Rc<dyn PriceSource>>);

/// Each of `ids` with the first listed source that publishes it, every source built and checked
/// once before any request (its key present, its base URL valid, its files given).
fn source_plan(prices: &PriceArgs, ids: &[SeriesId]) -> Result<Vec<Planned>> {
    let kinds: Vec<SourceKind> = prices.source.iter().map(|&c| c.into()).collect();
    let mut built: Vec<(SourceKind, Option<std::rc::Rc<dyn PriceSource>>)> = Vec::new();
    let mut plan = Vec::new();
    for &id in ids {
        let kind = *kinds.iter().find(|k| k.publishes(id)).unwrap_or(&kinds[0]);
        if !built.iter().any(|(k, _)| *k == kind) {
            // Local files are read even offline: no network is involved, and their identity must be checked.
            let source = if prices.offline && kind != SourceKind::File {
                None
            } else {
                let s: Box<dyn PriceSource> = oilcorr::prices::build(&source_settings(prices, kind))?;
                Some(std::rc::Rc::from(s))
            };
            built.push((kind, source));
        }
        let source = built
            .iter()
            .find(|(k, _)| *k == kind)
            .and_then(|(_, s)| s.clone());
        if let Some(s) = &source {
            s.check(&[id])?;
        }
        plan.push((id, kind, source));
    }
    Ok(plan)
}

/// The cache's lock, or why the cache cannot be written: a read-only folder or file system (a
/// shared data set, a mounted archive) is read without its lock, since nothing will be written
/// there, and a run it does not cover fails with advice instead of a permission error.
fn lock(cache: &Cache) -> Result<(Option<CacheLock>, Option<String>)> {
    let wait = |dir: &std::path::Path| {
        eprintln!(
            "waiting for another oilcorr process to finish with {}",
            dir.display()
        );
    };
    match cache.lock(wait) {
        Ok(l) => Ok((Some(l), None)),
        Err(CacheError::Io { path, source })
            if matches!(
                source.kind(),
                std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
            ) =>
        {
            eprintln!("note: {path} cannot be written ({source}); reading the cache as it is");
            Ok((None, Some(source.to_string())))
        }
        Err(e) => Err(e.into()),
    }
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
    // The data's own first and last price, not the range asked for: a source can start later (FRED's
    // SP500 holds ten years) or end earlier than requested.
    let dates = c.prices.dates();
    let held = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) => format!("prices {a}..{b}"),
        _ => "no prices".to_string(),
    };
    eprintln!(
        "{id}: {} trading days, {held} (requests covered: {}..{}), {how}; cache {}",
        c.prices.len(),
        c.meta.from,
        c.meta.to,
        cache.price_path(id).display()
    );
    if let Some((last, end)) = got.short {
        eprintln!(
            "warning: {id}: the source sent no price after {last} for a request to {end}: it may be lagging \
             or paused; the cache covers only up to {last} and the next run asks again"
        );
    }
    if let Some((a, b)) = got.gaps.first() {
        eprintln!(
            "warning: {id}: {} stretch(es) of more than {} days without a price in what was fetched \
             (first: {a} to {b})",
            got.gaps.len(),
            oilcorr::prices::plan::MAX_GAP_DAYS
        );
    }
    if let Some((d, old, new)) = got.changed.first() {
        eprintln!(
            "{id}: {} cached price(s) changed upstream and were replaced (first: {d} {old} -> {new})",
            got.changed.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_work_off_a_terminal_gets_periodic_lines_and_quick_work_none() {
        // `cargo test` captures stderr: it is not a terminal here.
        let lines = std::sync::Mutex::new(Vec::new());
        let add = |l: String| lines.lock().unwrap().push(l);
        let every = std::time::Duration::from_millis(100);
        progress::during("fetching brent", every, false, &add, || {
            std::thread::sleep(every * 3 + every / 2)
        });
        let got = lines.lock().unwrap().clone();
        assert!((2..=4).contains(&got.len()), "{got:?}");
        assert!(got[0].starts_with("fetching brent: still working"), "{got:?}");
        lines.lock().unwrap().clear();
        progress::during("fetching wti", every, false, &add, || ());
        assert!(lines.lock().unwrap().is_empty());
    }

    #[test]
    fn price_span_reaches_back_a_year_and_a_bit() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let (f, t) = price_span(d("2020-03-01"), d("2020-05-31"), Window::new(-260, -11), 10);
        assert_eq!(f, d("2020-03-01") - Duration::days(364 + 30));
        assert_eq!(t, d("2020-05-31") + Duration::days(24));
    }
}
