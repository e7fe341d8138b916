//! Contract rolls: a continuous front-month series built from per-contract daily bars, and the
//! rolls it makes, so that no return is computed across two contracts.
//!
//! Rule (`--roll`): **expiry** (default) holds the contract that expires first among those quoted
//! that day, last held `--roll-days N` trading days before its last bar (N = 0: through its last
//! day, as EIA's "contract 1" and Yahoo's `CL=F` in April 2020); **volume** holds the most traded
//! contract of the day. Either way the series never rolls back to an earlier contract, and a
//! contract's last bar in the file stands for its expiry (research notes, futures-intraday §4.5–§6).
//!
//! On a roll day the return is measured within the new contract: its price that day over its price
//! on the series' previous trading day (the roll's `base`). When the file has no bar of the new
//! contract that previous day (a file of front-month rows only), the return is undefined: a price
//! step of contango or backwardation size is not a return.

use super::series::Observations;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A change of the contract held, effective on `date`.
#[derive(Debug, Clone, PartialEq)]
pub struct Roll {
    /// First trading day priced from the new contract.
    pub date: NaiveDate,
    /// The contract held before.
    pub from: String,
    /// The contract held from `date`.
    pub to: String,
    /// The new contract's price on the series' previous trading day, if the file has it.
    pub base: Option<f64>,
}

/// How the contract held is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollRule {
    /// The first-expiring contract, last held this many trading days before its last bar.
    Expiry {
        /// Trading days between the last day held and the contract's last bar (0: held to expiry).
        days_before: usize,
    },
    /// The contract with the largest volume that day.
    Volume,
}

impl std::fmt::Display for RollRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RollRule::Expiry { days_before } => write!(f, "expiry-{days_before}"),
            RollRule::Volume => f.write_str("volume"),
        }
    }
}

/// One daily bar of one contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Trade date.
    pub date: NaiveDate,
    /// Contract name as in the file (e.g. `CLK0`).
    pub contract: String,
    /// Close or settlement.
    pub close: f64,
    /// Volume, when the file has it.
    pub volume: Option<f64>,
}

/// The front-month series of `bars` under `rule`, and its rolls.
pub fn front(bars: &[Bar], rule: RollRule) -> (Observations, Vec<Roll>) {
    let mut days: Vec<NaiveDate> = bars.iter().map(|b| b.date).collect();
    days.sort();
    days.dedup();
    let day_index = |d: NaiveDate| days.binary_search(&d).unwrap_or(0);
    // Contracts ranked by their last bar (their expiry), then name.
    let mut last: HashMap<&str, usize> = HashMap::new();
    for b in bars {
        let e = last.entry(b.contract.as_str()).or_insert(0);
        *e = (*e).max(day_index(b.date));
    }
    let mut ranked: Vec<&str> = last.keys().copied().collect();
    ranked.sort_by_key(|c| (last[c], *c));
    let rank: HashMap<&str, usize> = ranked.iter().enumerate().map(|(i, c)| (*c, i)).collect();
    let mut on_day: Vec<Vec<&Bar>> = vec![Vec::new(); days.len()];
    for b in bars {
        on_day[day_index(b.date)].push(b);
    }

    let (mut obs, mut rolls) = (Observations::new(), Vec::new());
    let mut held: Option<&Bar> = None;
    for (t, quoted) in on_day.iter().enumerate() {
        let floor = held.map_or(0, |h| rank[h.contract.as_str()]);
        let candidates: Vec<&Bar> = quoted
            .iter()
            .copied()
            .filter(|b| rank[b.contract.as_str()] >= floor)
            .collect();
        let Some(pick) = choose(&candidates, rule, |b| last[b.contract.as_str()] - t, &rank) else {
            continue;
        };
        if let Some(h) = held.filter(|h| h.contract != pick.contract) {
            let prev = obs.last().map(|(d, _)| *d);
            let base = prev.and_then(|p| {
                on_day[day_index(p)]
                    .iter()
                    .find(|b| b.date == p && b.contract == pick.contract)
                    .map(|b| b.close)
            });
            rolls.push(Roll {
                date: pick.date,
                from: h.contract.clone(),
                to: pick.contract.clone(),
                base,
            });
        }
        obs.push((pick.date, pick.close));
        held = Some(pick);
    }
    (obs, rolls)
}

/// The bar to hold among `candidates` (`left(b)`: trading days to its contract's last bar).
fn choose<'a>(
    candidates: &[&'a Bar],
    rule: RollRule,
    left: impl Fn(&Bar) -> usize,
    rank: &HashMap<&str, usize>,
) -> Option<&'a Bar> {
    let by_rank = |b: &&&Bar| rank[b.contract.as_str()];
    match rule {
        RollRule::Expiry { days_before } => candidates
            .iter()
            .filter(|b| left(b) >= days_before)
            .min_by_key(by_rank)
            .or_else(|| candidates.iter().max_by_key(by_rank))
            .copied(),
        RollRule::Volume => candidates
            .iter()
            .max_by(|a, b| {
                let v = |x: &Bar| x.volume.unwrap_or(0.0);
                v(a).total_cmp(&v(b)).then(by_rank(b).cmp(&by_rank(a)))
            })
            .copied(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(day: &str, contract: &str, close: f64, volume: f64) -> Bar {
        Bar {
            date: day.parse().unwrap(),
            contract: contract.into(),
            close,
            volume: Some(volume),
        }
    }

    /// May expires on the 21st; June trades 25 % higher throughout (a contrived contango).
    fn curve() -> Vec<Bar> {
        vec![
            bar("2020-04-16", "CLK0", 20.0, 900.0),
            bar("2020-04-16", "CLM0", 25.0, 100.0),
            bar("2020-04-17", "CLK0", 20.4, 500.0),
            bar("2020-04-17", "CLM0", 25.5, 600.0),
            bar("2020-04-20", "CLK0", 20.2, 300.0),
            bar("2020-04-20", "CLM0", 25.25, 800.0),
            bar("2020-04-21", "CLK0", 20.0, 50.0),
            bar("2020-04-21", "CLM0", 25.0, 900.0),
            bar("2020-04-22", "CLM0", 25.5, 950.0),
        ]
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn expiry_rule_holds_through_the_last_day_and_measures_the_roll_within_june() {
        let (obs, rolls) = front(&curve(), RollRule::Expiry { days_before: 0 });
        let closes: Vec<f64> = obs.iter().map(|o| o.1).collect();
        assert_eq!(closes, [20.0, 20.4, 20.2, 20.0, 25.5]);
        assert_eq!(
            rolls,
            [Roll {
                date: d("2020-04-22"),
                from: "CLK0".into(),
                to: "CLM0".into(),
                base: Some(25.0)
            }]
        );
    }

    #[test]
    fn rolling_two_days_early_and_by_volume() {
        // May is last held two trading days before its last bar (the 21st): on the 17th.
        let (obs, rolls) = front(&curve(), RollRule::Expiry { days_before: 2 });
        assert_eq!(obs[1], (d("2020-04-17"), 20.4));
        assert_eq!(obs[2], (d("2020-04-20"), 25.25));
        assert_eq!((rolls[0].date, rolls[0].base), (d("2020-04-20"), Some(25.5)));
        // June out-trades May from the 17th (600 > 500), and the series never goes back.
        let (obs, rolls) = front(&curve(), RollRule::Volume);
        assert_eq!(obs[0].1, 20.0);
        assert_eq!(obs[1].1, 25.5);
        assert_eq!(rolls.len(), 1);
    }

    #[test]
    fn a_front_only_file_has_no_base_for_its_rolls() {
        let bars: Vec<Bar> = curve()
            .into_iter()
            .filter(|b| (b.contract == "CLK0") == (b.date <= d("2020-04-21")))
            .collect();
        let (_, rolls) = front(&bars, RollRule::Expiry { days_before: 0 });
        assert_eq!(rolls.len(), 1);
        assert_eq!(rolls[0].base, None);
    }
}
