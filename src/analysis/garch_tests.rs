//! Known answers from the Python `arch` package (8.0.0), generated once by
//! `scripts/garch_reference.py` into `tests/fixtures/garch_reference.json`.

use super::*;
use serde_json::Value;

fn reference() -> Value {
    serde_json::from_str(include_str!("../../tests/fixtures/garch_reference.json")).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

#[track_caller]
fn close(have: f64, want: f64, tol: f64) {
    assert!((have - want).abs() <= tol, "have {have}, want {want} (±{tol})");
}

#[test]
fn fixed_parameter_path_matches_arch() {
    for case in ["laplace", "laplace1000", "regime"] {
        let r = &reference()[case];
        let y = floats(&r["y"]);
        let bc = backcast(&y);
        close(bc, r["backcast"].as_f64().unwrap(), 1e-14);
        let s2 = variances(&y, 0.05, 0.10, 0.85, bc);
        for (have, want) in s2.iter().zip(floats(&r["fixed"]["sigma"])) {
            close(have.sqrt(), want, 1e-12);
        }
        close(loglik(&y, &s2), r["fixed"]["loglik"].as_f64().unwrap(), 1e-9);
        // Forecasts: one step from the last value, then ω + (α + β)·σ².
        let g = Garch {
            omega: 0.05,
            alpha: 0.10,
            beta: 0.85,
            loglik: 0.0,
        };
        let mut h = g.next(*y.last().unwrap(), *s2.last().unwrap());
        for want in floats(&r["fixed"]["forecast"]) {
            close(h, want, 1e-12);
            h = g.forecast(h);
        }
    }
}

#[test]
fn fitted_parameters_match_arch() {
    // Different SLSQP codes stop at slightly different points: parameters to 1e-4, loglik to 1e-6.
    for case in ["laplace", "laplace1000"] {
        let r = &reference()[case];
        let y = floats(&r["y"]);
        let g = fit(&y).unwrap();
        let want = floats(&r["fit"]["params"]);
        close(g.omega, want[0], 1e-4);
        close(g.alpha, want[1], 1e-4);
        close(g.beta, want[2], 1e-4);
        close(g.loglik, r["fit"]["loglik"].as_f64().unwrap(), 1e-6);
        let s2 = variances(&y, g.omega, g.alpha, g.beta, backcast(&y));
        close(s2[0].sqrt(), r["fit"]["sigma_first"].as_f64().unwrap(), 1e-4);
        close(
            s2.last().unwrap().sqrt(),
            r["fit"]["sigma_last"].as_f64().unwrap(),
            1e-4,
        );
    }
}

#[test]
fn a_fit_on_the_boundary_matches_arch() {
    // Calm, then volatility rising sixfold: arch ends at α + β = 1, and so does SLSQP here (it stops
    // "roundoff-limited" on the constraint). Boundary optima are flat: parameters to 1e-3, loglik to 1e-4.
    let r = &reference()["regime"];
    let y = floats(&r["y"]);
    let g = fit(&y).unwrap();
    let want = floats(&r["fit"]["params"]);
    close(g.omega, want[0], 1e-3);
    close(g.alpha, want[1], 1e-3);
    close(g.beta, want[2], 1e-3);
    close(g.loglik, r["fit"]["loglik"].as_f64().unwrap(), 1e-4);
    assert!(g.integrated());
}

#[test]
fn the_series_is_the_documented_recipe() {
    // MINSTD uniforms, Laplace innovations, GARCH(0.05, 0.10, 0.85): regenerated here independently.
    let y = floats(&reference()["laplace"]["y"]);
    let (mut s, mut h): (u64, f64) = (12345, 0.05 / (1.0 - 0.10 - 0.85));
    for want in y.iter().take(250) {
        s = 48271 * s % 2_147_483_647;
        let u = s as f64 / 2_147_483_647.0;
        let z = if u < 0.5 {
            (2.0 * u).ln() / 2f64.sqrt()
        } else {
            -(2.0 * (1.0 - u)).ln() / 2f64.sqrt()
        };
        let v = h.sqrt() * z;
        close(v, *want, 1e-15);
        h = 0.05 + 0.10 * v * v + 0.85 * h;
    }
}

#[test]
fn short_or_flat_samples_give_no_fit() {
    assert_eq!(fit(&[0.1; 10]), Err(GarchError::TooFew));
    assert_eq!(fit(&[0.0; 100]), Err(GarchError::TooFew));
}
