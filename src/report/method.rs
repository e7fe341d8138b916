//! The report's method section: what was computed, with this run's parameters.
//!
//! The wording follows the README's "What the numbers are" and the formulas documented in
//! `src/analysis/` (MacKinlay 1997 for the event study; Boehmer, Musumeci and Poulsen 1991 for BMP;
//! Kolari and Pynnönen 2010; Corrado 1989; Cowan 1992 for the generalized sign test).

use super::{html, Provenance};
use crate::analysis::conditional::Variance;
use crate::analysis::model::{Model, ReturnKind};
use crate::analysis::stats::StudyParams;
use std::fmt::Write as _;

fn model_text(m: Model) -> &'static str {
    match m {
        Model::Mean => "mean-adjusted: the normal return is the mean return of the estimation window",
        Model::Market => "market model: the normal return is α + β·Rm, fitted by OLS on the benchmark",
        Model::MarketAdjusted => "market-adjusted: the normal return is the benchmark's return Rm",
        Model::Raw => "raw: the normal return is zero (abnormal return = return)",
    }
}

fn returns_text(r: ReturnKind) -> &'static str {
    match r {
        ReturnKind::Log => "log returns R_t = ln(P_t / P_{t−1})",
        ReturnKind::Simple => "simple returns R_t = P_t / P_{t−1} − 1",
    }
}

/// The parameters table of the method section: `(name, HTML value)`.
fn parameter_rows(params: &StudyParams, provenance: &[Provenance]) -> Vec<(&'static str, String)> {
    let windows: Vec<String> = params.windows.iter().map(ToString::to_string).collect();
    let closes: Vec<String> = provenance
        .iter()
        .filter_map(|v| {
            v.close
                .map(|c| format!("{} {} {}", v.series.key(), c.time.format("%H:%M"), c.tz.name()))
        })
        .collect();
    let mut rows = vec![
        ("normal-return model", html::text(model_text(params.model))),
        ("returns", html::text(returns_text(params.returns))),
        (
            "variance of abnormal returns",
            match params.variance {
                Variance::Constant => "constant (the estimation window's)".to_string(),
                Variance::Garch => "GARCH(1,1) conditional, per event".to_string(),
            },
        ),
        (
            "estimation window",
            format!(
                "{} trading days, at least {} returns",
                params.estimation, params.min_estimation
            ),
        ),
        ("CAR windows (first = headline)", windows.join(" ")),
        (
            "other statements' windows in the estimation window",
            if params.exclude_events { "left out" } else { "kept" }.to_string(),
        ),
        (
            "roll days of continuous futures in the estimation window",
            if params.exclude_rolls { "left out" } else { "kept" }.to_string(),
        ),
        (
            "bootstrap draws",
            if params.bootstrap == 0 {
                "off".to_string()
            } else {
                params.bootstrap.to_string()
            },
        ),
        ("event charts", format!("trading days {}", params.path)),
    ];
    if !closes.is_empty() {
        rows.push(("closes", html::text(&closes.join("; "))));
    }
    rows
}

/// The method section as HTML.
pub fn section(params: &StudyParams, provenance: &[Provenance]) -> String {
    let mut out = String::from("<h2 id=\"method\">Method</h2>\n");
    let used: Vec<_> = provenance.iter().map(|p| (p.series, &p.meta)).collect();
    let _ = write!(
        out,
        "<p>Prices: {} (Brent and WTI in US$ per barrel).",
        html::text(&crate::prices::attribution::sources(&used))
    );
    out.push_str(
        " Each series is on its own trading calendar. <b>Day 0</b> of a statement with a time is the first \
         trading day whose close (below) is later than the statement; of a date-only statement, the \
         first trading day on or after its date. Returns over consecutive trading days are undefined \
         when a price is ≤ 0.</p>\n<p>The abnormal return is AR_t = R_t − normal return. With S the \
         standard deviation of the estimation-window abnormal returns (M returns), the day-0 statistic \
         is t = AR_0 / S and the cumulative abnormal return CAR[a,b] = Σ AR_t has t = CAR / (S·√L), \
         L = b − a + 1, with two-sided p-values from Student's t with M − 1 degrees of freedom (M − 2 \
         for the market model). Across statements the unit is the event day: statements of a series \
         sharing a day 0 count once. Per group: CAAR with the cross-sectional t, Patell's Z, the BMP t, \
         its Kolari–Pynnönen adjustment for event days whose windows share trading days (the headline \
         test), Corrado's rank test, exact sign and generalized sign tests, and Holm and \
         Benjamini–Hochberg adjusted KP p-values; for event days with a stance (days whose statements \
         push both ways left out), the hit rate with an exact binomial p-value, the point-biserial \
         correlation with a permutation p-value and Spearman's rho. <code>--placebo</code> adds p-values \
         from random event days of the same years; <code>--variance garch</code> measures each abnormal \
         return against its GARCH(1,1) conditional variance.</p>\n",
    );
    let rows = parameter_rows(params, provenance);
    out.push_str(&html::pairs(&rows));
    let _ = writeln!(
        out,
        "<p>Formulas and their sources are documented beside the code in <code>src/analysis/</code> and in \
         the README.</p>"
    );
    out
}
