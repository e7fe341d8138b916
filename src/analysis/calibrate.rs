//! Do the printed tests keep their size? Rejection rates at a nominal level under three nulls, at the
//! study's own event positions (inference notes §3, after Brown & Warner 1985):
//! - **Student t**: every series' returns replaced by i.i.d. Student-t draws with `ν = 4`, scaled to the
//!   series' own sample standard deviation (fat tails, constant variance);
//! - **GARCH**: GARCH(1,1) returns `r_t = sqrt(h_t)·z_t`, `h_t = ω + α r²_{t−1} + β h_{t−1}`, `α = 0.08`,
//!   `β = 0.90`, `ω = σ²(1 − α − β)` (σ² the series' sample variance), `z_t` standardized Student t with
//!   `ν = 6` (volatility clustering as in oil: calm years and crises);
//! - **placebo**: the real prices, with the event days moved to random days of the same years away from
//!   every statement ([`super::placebo`]).
//!
//! Each replicate reruns the whole study and its summary; a test "rejects" when its p-value is below
//! the level. Rates are counted for the `all` group per series and over every group × series × window
//! (pooled: groups share event days, so those trials are not independent, but the rate is still the
//! test's size), and for the single-event CAR t tests over the event days of every series. Replicate
//! `b` uses its own Pcg64 stream (`seed`, `b`).

use super::groups::{GroupKey, SummaryRow};
use super::placebo::{replicates, Placebo};
use super::returns::Returns;
use super::{PreparedSeries, Study};
use rand_distr::{Distribution, StudentT};
use rand_pcg::Pcg64;

/// The null under which returns are generated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Null {
    /// I.i.d. Student t with `df` degrees of freedom, scaled to each series' standard deviation.
    StudentT {
        /// Degrees of freedom.
        df: f64,
    },
    /// GARCH(1,1) with standardized Student-t innovations.
    Garch {
        /// ARCH coefficient.
        alpha: f64,
        /// GARCH coefficient.
        beta: f64,
        /// Innovations' degrees of freedom.
        df: f64,
    },
    /// Real prices, event days moved at random.
    Placebo,
}

impl Null {
    /// The three nulls of the calibration report, with their documented parameters.
    pub fn all() -> [Null; 3] {
        [
            Null::StudentT { df: 4.0 },
            Null::Garch {
                alpha: 0.08,
                beta: 0.90,
                df: 6.0,
            },
            Null::Placebo,
        ]
    }

    /// A short description for the report.
    pub fn describe(&self) -> String {
        match self {
            Null::StudentT { df } => format!("i.i.d. Student t (ν = {df}), each series' own variance"),
            Null::Garch { alpha, beta, df } => format!(
                "GARCH(1,1), α = {alpha}, β = {beta}, Student-t innovations (ν = {df}), each series' own unconditional variance"
            ),
            Null::Placebo => {
                "real prices, event days moved to random days of the same years (placebo)".into()
            }
        }
    }
}

/// A test whose size is measured, with how to read its p-value off a summary row.
#[derive(Debug, Clone, Copy)]
pub struct Probe {
    /// Name as in summary.csv.
    pub name: &'static str,
    /// Its p-value in a row, if the row has one.
    pub p: fn(&SummaryRow) -> Option<f64>,
}

/// The cross-event tests summary.csv prints.
pub const PROBES: [Probe; 10] = [
    Probe {
        name: "csect_p",
        p: |r| r.tests.csect.map(|s| s.p),
    },
    Probe {
        name: "patell_p",
        p: |r| r.tests.patell.map(|s| s.p),
    },
    Probe {
        name: "bmp_p",
        p: |r| r.tests.bmp.map(|s| s.p),
    },
    Probe {
        name: "kp_p",
        p: |r| r.tests.kp.map(|s| s.p),
    },
    Probe {
        name: "rank_p",
        p: |r| r.tests.rank.map(|s| s.p),
    },
    Probe {
        name: "sign_p",
        p: |r| r.tests.sign.map(|s| s.p),
    },
    Probe {
        name: "gsign_p",
        p: |r| r.tests.gsign.map(|s| s.p),
    },
    Probe {
        name: "hit_p",
        p: |r| r.stance.hit_p,
    },
    Probe {
        name: "pearson_p",
        p: |r| r.stance.pearson.map(|c| c.p),
    },
    Probe {
        name: "spearman_p",
        p: |r| r.stance.spearman.map(|c| c.p),
    },
];

/// Rejections and trials.
pub type Count = (usize, usize);

/// Rejection counts of one test.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Rates {
    /// Per series (in the study's order), the `all` group's headline window.
    pub all: Vec<Count>,
    /// Every group × series × window.
    pub pooled: Count,
}

/// The outcome of one null.
#[derive(Debug, Clone, PartialEq)]
pub struct Calibration {
    /// The null.
    pub null: Null,
    /// Per probe, in [`PROBES`] order.
    pub cross: Vec<Rates>,
    /// Single-event tests, over every event day of every series: the plain and the adjusted CAR t.
    pub single: [Count; 2],
    /// Replicates run.
    pub reps: usize,
}

/// Measure every test's rejection rate at `level` under `null` over `reps` replicates.
pub fn calibrate(study: &Study, null: Null, reps: usize, seed: u64, level: f64) -> Calibration {
    let placebo = Placebo::new(study);
    let days = study.day0s();
    let n_series = study.series.len();
    let outcomes = replicates(reps, |b| {
        let mut rng = Pcg64::new(seed as u128, b as u128);
        let rerun = match null {
            Null::Placebo => study.moved(None, &placebo.draw(&mut rng)),
            _ => study.moved(Some(simulated(study, null, &mut rng)), &days),
        };
        let rows = rerun.summarize();
        (tally(&rows, study, level), single(&rerun, level))
    });
    let mut cross = vec![
        Rates {
            all: vec![(0, 0); n_series],
            pooled: (0, 0)
        };
        PROBES.len()
    ];
    let mut singles = [(0, 0); 2];
    for (t, s) in outcomes {
        for (acc, rep) in cross.iter_mut().zip(t) {
            for (a, r) in acc.all.iter_mut().zip(rep.all) {
                add(a, r);
            }
            add(&mut acc.pooled, rep.pooled);
        }
        for (a, r) in singles.iter_mut().zip(s) {
            add(a, r);
        }
    }
    Calibration {
        null,
        cross,
        single: singles,
        reps,
    }
}

fn add(a: &mut Count, b: Count) {
    a.0 += b.0;
    a.1 += b.1;
}

/// One replicate's counts per probe.
fn tally(rows: &[SummaryRow], study: &Study, level: f64) -> Vec<Rates> {
    let headline = study.params.car();
    PROBES
        .iter()
        .map(|probe| {
            let mut r = Rates {
                all: vec![(0, 0); study.series.len()],
                pooled: (0, 0),
            };
            for row in rows {
                let Some(p) = (probe.p)(row) else { continue };
                let hit = (usize::from(p < level), 1);
                add(&mut r.pooled, hit);
                if row.group == GroupKey::All && row.window == headline {
                    if let Some(k) = study.series.iter().position(|s| s.id() == row.series) {
                        add(&mut r.all[k], hit);
                    }
                }
            }
            r
        })
        .collect()
}

/// Rejections of the plain and adjusted headline CAR t tests over the distinct event days.
fn single(study: &Study, level: f64) -> [Count; 2] {
    let mut out = [(0, 0); 2];
    for s in &study.series {
        for day in super::events::event_days(s.rows.iter()) {
            if let Some(w) = day.row().stats.windows.first().copied().flatten() {
                add(&mut out[0], (usize::from(w.plain.p < level), 1));
                add(&mut out[1], (usize::from(w.adjusted.p < level), 1));
            }
        }
    }
    out
}

/// Every series with its returns replaced by draws from `null` (same trading days, same prices for
/// the rows' closes; only the returns enter the statistics).
fn simulated(study: &Study, null: Null, rng: &mut Pcg64) -> Vec<PreparedSeries> {
    study
        .series
        .iter()
        .map(|s| {
            let p = &s.prepared;
            let var = sample_variance(&p.returns.log);
            let log = simulate(p.returns.log.len(), var, null, rng);
            let simple = log.iter().map(|r| r.map(|x| x.exp_m1())).collect();
            PreparedSeries {
                prices: p.prices.clone(),
                returns: Returns { log, simple },
                close: p.close,
            }
        })
        .collect()
}

fn sample_variance(r: &[Option<f64>]) -> f64 {
    let x: Vec<f64> = r.iter().flatten().copied().collect();
    super::stats::mean_sd(&x).map_or(1e-4, |(_, sd)| sd * sd)
}

/// `n` returns (index 0 none) with variance `var` under `null`.
fn simulate(n: usize, var: f64, null: Null, rng: &mut Pcg64) -> Vec<Option<f64>> {
    let std_t = |df: f64, rng: &mut Pcg64| {
        let t = StudentT::new(df).expect("df > 2");
        t.sample(rng) * ((df - 2.0) / df).sqrt()
    };
    let mut out = vec![None; n];
    match null {
        Null::StudentT { df } => {
            for o in out.iter_mut().skip(1) {
                *o = Some(var.sqrt() * std_t(df, rng));
            }
        }
        Null::Garch { alpha, beta, df } => {
            let omega = var * (1.0 - alpha - beta);
            let (mut h, mut prev) = (var, 0.0);
            for o in out.iter_mut().skip(1) {
                h = omega + alpha * prev * prev + beta * h;
                prev = h.sqrt() * std_t(df, rng);
                *o = Some(prev);
            }
        }
        Null::Placebo => {}
    }
    out
}
