"""Check that the peer's joined CSV matches oilcorr's to 1e-9 (absolute; relative for |x| > 1).

    python compare.py data/exports/joined.csv peer-joined.csv
"""
import sys

import numpy as np
import pandas as pd

COLS = ["close_before", "close_event", "simple_return", "log_return", "abnormal_return", "t_stat", "p_value",
        "car", "car_t_stat", "car_p_value"]

ours = pd.read_csv(sys.argv[1]).set_index(["statement_id", "series"])
peer = pd.read_csv(sys.argv[2]).set_index(["statement_id", "series"])
assert set(ours.index) == set(peer.index), "different statement x series rows"
peer = peer.loc[ours.index]
assert (ours["event_date"].fillna("") == peer["event_date"].fillna("")).all(), "day 0 differs"
worst = 0.0
for c in COLS:
    a, b = ours[c].to_numpy(float), peer[c].to_numpy(float)
    assert (np.isnan(a) == np.isnan(b)).all(), f"{c}: empty cells differ"
    ok = ~np.isnan(a)
    diff = np.abs(a[ok] - b[ok]) / np.maximum(1.0, np.abs(a[ok]))
    worst = max(worst, diff.max(initial=0.0))
print(f"{len(ours)} rows, worst difference {worst:.3g}")
sys.exit(0 if worst <= 1e-9 else 1)
