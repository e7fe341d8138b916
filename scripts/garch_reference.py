#!/usr/bin/env python3
"""Reference values for oilcorr's GARCH(1,1) fit, from the Python `arch` package.

Run once (`python3 scripts/garch_reference.py > tests/fixtures/garch_reference.json`) with arch 8.0.0,
numpy and scipy installed; the output is committed and read by src/analysis/garch_tests.rs. Two series:
- "laplace": 250 values of a GARCH(1,1) with (omega, alpha, beta) = (0.05, 0.10, 0.85) and unit-variance
  Laplace innovations from MINSTD uniforms (s0 = 12345), as in the project's research notes;
- "laplace1000": the same recipe with 1,000 values;
- "regime": 200 calm values then 50 with a volatility rising sixfold (a fit on the boundary).
For each: the fixed-parameter path at the generating values (backcast, conditional sd, loglik, forecasts),
and the fitted Zero-mean normal GARCH(1,1) (parameters, loglik, first and last conditional sd,
convergence flag).
"""
import json
import math
import sys

import arch
import numpy as np
from arch import arch_model


def series(n):
    s = 12345
    omega, alpha, beta = 0.05, 0.10, 0.85
    h = omega / (1.0 - alpha - beta)
    out = []
    for _ in range(n):
        s = (48271 * s) % 2147483647
        u = s / 2147483647
        z = math.log(2 * u) / math.sqrt(2) if u < 0.5 else -math.log(2 * (1 - u)) / math.sqrt(2)
        y = math.sqrt(h) * z
        out.append(y)
        h = omega + alpha * y * y + beta * h
    return out


def regime(n_calm=200, n_storm=50):
    """Calm then a storm: unit-variance Laplace values (MINSTD, s0 = 777) times a scale that is 1 for
    n_calm values and rises linearly to 6 over the next n_storm, like an estimation window ending in
    March 2020. arch ends on the alpha + beta = 1 boundary."""
    s = 777
    out = []
    for i in range(n_calm + n_storm):
        s = (48271 * s) % 2147483647
        u = s / 2147483647
        z = math.log(2 * u) / math.sqrt(2) if u < 0.5 else -math.log(2 * (1 - u)) / math.sqrt(2)
        scale = 1.0 if i < n_calm else 1.0 + 5.0 * (i - n_calm + 1) / n_storm
        out.append(scale * z)
    return out


def reference(y):
    am = arch_model(np.array(y), mean="Zero", vol="GARCH", p=1, o=0, q=1, dist="normal", rescale=False)
    fixed = am.fix([0.05, 0.10, 0.85])
    fc = fixed.forecast(horizon=5, reindex=False).variance.values[-1]
    res = am.fit(disp="off")
    return {
        "y": y,
        "backcast": float(am.volatility.backcast(np.array(y))),
        "fixed": {
            "params": [0.05, 0.10, 0.85],
            "sigma": [float(v) for v in fixed.conditional_volatility],
            "loglik": float(fixed.loglikelihood),
            "forecast": [float(v) for v in fc],
        },
        "fit": {
            "params": [float(v) for v in res.params.values],
            "loglik": float(res.loglikelihood),
            "sigma_first": float(res.conditional_volatility[0]),
            "sigma_last": float(res.conditional_volatility[-1]),
            "convergence_flag": int(res.convergence_flag),
        },
    }


print(
    json.dumps(
        {
            "generated_by": f"scripts/garch_reference.py with arch {arch.__version__}, numpy {np.__version__}",
            "laplace": reference(series(250)),
            "laplace1000": reference(series(1000)),
            "regime": reference(regime()),
        },
        indent=1,
    )
)
