//! Daily returns over consecutive trading days of one series.
//!
//! Index `i` holds the return from trading day `i-1` to trading day `i` (index 0 has none):
//! - log return `R_i = ln(P_i / P_{i-1})`, defined only when both prices are > 0;
//! - simple return `P_i / P_{i-1} - 1`, defined under the same condition.
//!
//! A non-positive price (WTI spot was -36.98 on 2020-04-20) makes both returns that touch it undefined,
//! for log and simple returns alike: a log return has no value there, and a simple return of −302 %
//! (18.31 → −36.98) would dominate every statistic estimated over a window holding it. Rows whose day 0
//! or window meets such a day say so in their note.

/// Log and simple returns of a price series, parallel to its trading days.
///
/// A futures series built from per-contract bars carries its contract rolls: on a roll day the return
/// is the new contract's, `P_i / B_i` with `B_i` the new contract's price the trading day before, or
/// undefined when the file has no such price ([`crate::prices::roll`]): no return crosses a roll.
#[derive(Debug, Clone, PartialEq)]
pub struct Returns {
    /// Log returns; `None` at index 0 and where a price is <= 0.
    pub log: Vec<Option<f64>>,
    /// Simple returns; `None` at index 0 and where a price is <= 0.
    pub simple: Vec<Option<f64>>,
}

impl Returns {
    /// The returns of `kind`.
    pub fn of(&self, kind: super::model::ReturnKind) -> &[Option<f64>] {
        match kind {
            super::model::ReturnKind::Log => &self.log,
            super::model::ReturnKind::Simple => &self.simple,
        }
    }

    /// The returns of `series`, measured within one contract across each of its rolls.
    pub fn of_series(series: &crate::prices::PriceSeries) -> Self {
        let mut r = Returns::from_prices(series.prices());
        for roll in series.rolls() {
            let Ok(i) = series.dates().binary_search(&roll.date) else {
                continue;
            };
            let (log, simple) = match roll.base {
                Some(b) => pair(b, series.prices()[i]),
                None => (None, None),
            };
            if i > 0 {
                (r.log[i], r.simple[i]) = (log, simple);
            }
        }
        r
    }

    /// Compute the returns of `prices` (ordered by trading day).
    pub fn from_prices(prices: &[f64]) -> Self {
        let mut log = Vec::with_capacity(prices.len());
        let mut simple = Vec::with_capacity(prices.len());
        log.push(None);
        simple.push(None);
        for w in prices.windows(2) {
            let (l, s) = pair(w[0], w[1]);
            log.push(l);
            simple.push(s);
        }
        Returns { log, simple }
    }
}

/// The log and simple return from `prev` to `cur`: defined when both are > 0 and the ratio is
/// finite (prices far apart overflow or underflow).
fn pair(prev: f64, cur: f64) -> (Option<f64>, Option<f64>) {
    let finite = |x: f64| Some(x).filter(|x| x.is_finite());
    let ok = prev > 0.0 && cur > 0.0;
    (
        ok.then(|| (cur / prev).ln()).and_then(finite),
        ok.then(|| cur / prev - 1.0).and_then(finite),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_and_negative_prices() {
        let r = Returns::from_prices(&[20.0, 25.0, -5.0, 10.0]);
        assert_eq!(r.log[0], None);
        assert!((r.log[1].unwrap() - 0.223_143_551_314_209_7).abs() < 1e-15); // ln(1.25)
        assert_eq!((r.log[2], r.log[3]), (None, None));
        assert_eq!(r.simple[1], Some(0.25));
        // 25 → −5 would be −120 %: undefined, like the log return.
        assert_eq!((r.simple[2], r.simple[3]), (None, None));
    }

    #[test]
    fn a_roll_day_return_is_the_new_contract_s_or_none() {
        use crate::prices::{roll::Roll, PriceSeries, SeriesId};
        let d = |s: &str| s.parse().unwrap();
        let obs = vec![
            (d("2020-04-20"), 20.0),
            (d("2020-04-21"), 25.5),
            (d("2020-04-22"), 25.0),
        ];
        let roll = |base| Roll {
            date: d("2020-04-21"),
            from: "CLK0".into(),
            to: "CLM0".into(),
            base,
        };
        let s = PriceSeries::new(SeriesId::WtiFut, obs).unwrap();
        let r = Returns::of_series(&s.clone().with_rolls(vec![roll(Some(25.0))]));
        assert!((r.simple[1].unwrap() - 0.02).abs() < 1e-15); // 25.5 / 25 − 1, not 25.5 / 20 − 1
        assert!((r.log[1].unwrap() - 0.019_802_627_296_179_7).abs() < 1e-15); // ln(1.02)
        assert_eq!(r.simple[2], Some(25.0 / 25.5 - 1.0));
        let r = Returns::of_series(&s.with_rolls(vec![roll(None)]));
        assert_eq!((r.log[1], r.simple[1]), (None, None));
    }
}
