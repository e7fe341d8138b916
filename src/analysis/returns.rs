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

    /// Compute the returns of `prices` (ordered by trading day).
    pub fn from_prices(prices: &[f64]) -> Self {
        let mut log = Vec::with_capacity(prices.len());
        let mut simple = Vec::with_capacity(prices.len());
        log.push(None);
        simple.push(None);
        for w in prices.windows(2) {
            let (prev, cur) = (w[0], w[1]);
            // A ratio that overflows or underflows (prices of any series far apart) has no return.
            let finite = |x: f64| Some(x).filter(|x| x.is_finite());
            let ok = prev > 0.0 && cur > 0.0;
            log.push(ok.then(|| (cur / prev).ln()).and_then(finite));
            simple.push(ok.then(|| cur / prev - 1.0).and_then(finite));
        }
        Returns { log, simple }
    }
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
}
