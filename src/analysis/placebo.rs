//! Placebo event days on the real price history: distribution-free p-values and the calibration's
//! real-data null.
//!
//! A placebo draw moves every event day of a series (statements sharing a day 0 move together, so
//! groups keep their number of event days, statements and stances) to a trading day drawn uniformly,
//! without replacement, from the **same calendar year**, among the days that
//! - have the whole estimation window and event span inside the price history, and
//! - are more than the event span's length away from every real day 0 of the series, so no placebo
//!   window holds a statement's reaction (or a real event's window the placebo day).
//!
//! If a year has no eligible day left, the draw takes one from the whole history (rare: a year dense with
//! statements). Each draw reruns the study and its summary unchanged ([`Study::moved`]).
//!
//! **Placebo p** of a group × series × window: `p = (1 + #{b : |CAAR_b| ≥ |CAAR|}) / (1 + B)` over the
//! `B` draws with a CAAR (Phipson & Smyth 2010: never 0, exact under exchangeability); for stance
//! groups likewise with the hit rate's distance from one half, `|h_b/n_b − 1/2| ≥ |h/n − 1/2|`. No
//! distribution is assumed: fat tails and the volatility of each year are those of the real prices.
//! Draw `b` uses its own Pcg64 stream (`seed`, `b`), so results do not depend on the number of threads.

use super::groups::SummaryRow;
use super::Study;
use chrono::Datelike;
use rand::RngExt;
use rand_pcg::Pcg64;
use std::collections::{BTreeMap, HashSet};

/// Where a series' event days may move.
#[derive(Debug, Clone)]
struct Pool {
    /// Eligible day indexes by calendar year.
    by_year: BTreeMap<i32, Vec<usize>>,
    /// Every eligible day.
    all: Vec<usize>,
}

/// Placebo draws for one study.
#[derive(Debug)]
pub struct Placebo<'a> {
    study: &'a Study,
    pools: Vec<Pool>,
}

impl<'a> Placebo<'a> {
    /// The eligible days of every series of `study`.
    pub fn new(study: &'a Study) -> Self {
        let p = &study.params;
        let span = p.event_span();
        let guard = (span.end - span.start + 1) as usize;
        let pools = study
            .series
            .iter()
            .map(|s| {
                let dates = s.prepared.prices.dates();
                let mut real: Vec<usize> = s.rows.iter().filter_map(|r| r.day0).collect();
                real.sort_unstable();
                real.dedup();
                // The first real day 0 at or after `i − guard` decides: a sorted search per day, not a
                // scan of every statement (a 60,000-statement corpus on 10,000 days).
                let near = |i: usize| {
                    let k = real.partition_point(|d| *d + guard < i);
                    real.get(k).is_some_and(|d| d.abs_diff(i) <= guard)
                };
                let lo = (1 - p.estimation.start.min(span.start)).max(1) as usize;
                let hi = (dates.len() as i64 - 1 - span.end.max(0)).max(0) as usize;
                let all: Vec<usize> = (lo..=hi.min(dates.len().saturating_sub(1)))
                    .filter(|i| !near(*i))
                    .collect();
                let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
                for &i in &all {
                    by_year.entry(dates[i].year()).or_default().push(i);
                }
                Pool { by_year, all }
            })
            .collect();
        Placebo { study, pools }
    }

    /// One draw: day 0 of every statement per series, each real event day moved as a whole.
    pub fn draw(&self, rng: &mut Pcg64) -> Vec<Vec<Option<usize>>> {
        self.study
            .series
            .iter()
            .zip(&self.pools)
            .map(|(s, pool)| {
                let dates = s.prepared.prices.dates();
                let mut taken: HashSet<usize> = HashSet::new();
                let mut moved: BTreeMap<usize, usize> = BTreeMap::new();
                s.rows
                    .iter()
                    .map(|r| {
                        let d = r.day0?;
                        if let Some(m) = moved.get(&d) {
                            return Some(*m);
                        }
                        let year = pool.by_year.get(&dates[d].year());
                        let m = pick(year, rng, &taken).or_else(|| pick(Some(&pool.all), rng, &taken))?;
                        taken.insert(m);
                        moved.insert(d, m);
                        Some(m)
                    })
                    .collect()
            })
            .collect()
    }

    /// The study with the event days of draw `b` (seeded by `seed`, `b`).
    pub fn study(&self, seed: u64, b: usize) -> Study {
        let mut rng = Pcg64::new(seed as u128, b as u128);
        self.study.moved(None, &self.draw(&mut rng))
    }
}

/// A day from `pool` not yet taken (a few random tries, then the first free one).
fn pick(pool: Option<&Vec<usize>>, rng: &mut Pcg64, taken: &HashSet<usize>) -> Option<usize> {
    let pool = pool.filter(|p| !p.is_empty())?;
    for _ in 0..32 {
        let c = pool[rng.random_range(0..pool.len())];
        if !taken.contains(&c) {
            return Some(c);
        }
    }
    pool.iter().copied().find(|c| !taken.contains(c))
}

/// `f(b)` for `b` in `0..n`, spread over the machine's cores; results in `b` order.
pub fn replicates<T: Send>(n: usize, f: impl Fn(usize) -> T + Sync) -> Vec<T> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .min(n.max(1));
    let mut out: Vec<(usize, T)> = std::thread::scope(|scope| {
        let f = &f;
        let handles: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || (t..n).step_by(threads).map(|b| (b, f(b))).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a placebo thread panicked"))
            .collect()
    });
    out.sort_by_key(|(b, _)| *b);
    out.into_iter().map(|(_, t)| t).collect()
}

/// Placebo p-values of one summary row.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PlaceboP {
    /// Of the CAAR.
    pub caar: Option<f64>,
    /// Of the stance hit rate.
    pub hits: Option<f64>,
}

/// Counts of draws at least as extreme, and of draws with a value, per summary row.
#[derive(Debug, Clone, Default)]
struct Tally {
    caar: (usize, usize),
    hits: (usize, usize),
}

/// Placebo p-values for every row of `observed` (the summary of `study`), from `draws` draws.
pub fn placebo_p(study: &Study, observed: &[SummaryRow], draws: usize, seed: u64) -> Vec<PlaceboP> {
    let placebo = Placebo::new(study);
    let per_draw = replicates(draws, |b| {
        let rows = placebo.study(seed, b).summarize();
        observed
            .iter()
            .zip(&rows)
            .map(|(o, r)| extreme(o, r))
            .collect::<Vec<_>>()
    });
    let mut tally = vec![Tally::default(); observed.len()];
    for draw in per_draw {
        for (t, (c, h)) in tally.iter_mut().zip(draw) {
            add(&mut t.caar, c);
            add(&mut t.hits, h);
        }
    }
    let p = |(k, n): (usize, usize)| (n > 0).then(|| (1 + k) as f64 / (1 + n) as f64);
    tally
        .into_iter()
        .map(|t| PlaceboP {
            caar: p(t.caar),
            hits: p(t.hits),
        })
        .collect()
}

fn add(t: &mut (usize, usize), x: Option<bool>) {
    if let Some(e) = x {
        t.0 += usize::from(e);
        t.1 += 1;
    }
}

/// Whether a placebo row is at least as extreme as the observed one: `(CAAR, hit rate)`, each `None`
/// when either side has no value. Ties within 1e-12 count as extreme.
fn extreme(observed: &SummaryRow, placebo: &SummaryRow) -> (Option<bool>, Option<bool>) {
    let caar = observed
        .tests
        .caar
        .zip(placebo.tests.caar)
        .map(|(o, b)| b.abs() >= o.abs() - 1e-12);
    let rate =
        |r: &SummaryRow| (r.stance.n > 0).then(|| (r.stance.hits as f64 / r.stance.n as f64 - 0.5).abs());
    let hits = rate(observed).zip(rate(placebo)).map(|(o, b)| b >= o - 1e-12);
    (caar, hits)
}

#[cfg(test)]
#[path = "placebo_tests.rs"]
mod tests;
