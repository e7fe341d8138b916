"""The vectorised pandas way of doing what `oilcorr run` does: the peer oilcorr is measured against.

What a competent analyst writes: no per-statement Python loop. Day 0 by `merge_asof` on close instants
(forward, strictly later close; a bare date is keyed one millisecond before local midnight), estimation
means and variances over [-260,-11] (>= 30 returns) from cumulative sums of the returns, their squares
and counts, AR and CAR[0,1] with their t and p as array operations, the joined CSV written by pandas.
Charts (timeline and N event charts) are drawn with matplotlib as in `peer.py`.

    python peer_vec.py --prices data/prices --statements s.csv --from 1989-01-01 --to 2025-12-31 \
        --out peer-joined.csv [--charts DIR --event-charts N]
"""

import numpy as np
import pandas as pd
from scipy import stats

from peer_prices import CLOSES, load_prices, parse_args

EST_START, EST_END, MIN_EST = -260, -11, 30


def load_statements(path, start, end):
    st = pd.read_csv(path, dtype=str, keep_default_na=False)
    timed = st["time"].str.len() > 10
    st["instant"] = pd.to_datetime(st["time"].where(timed), utc=True, format="ISO8601")
    st["date"] = st["time"].str.slice(0, 10).where(~timed, st["instant"].dt.strftime("%Y-%m-%d"))
    st = st[(st["date"] >= start) & (st["date"] <= end)]
    st = st.assign(tod=st["instant"].dt.strftime("%H:%M:%S").fillna(""))
    return st.sort_values(["date", "tod", "id"]).reset_index(drop=True)


def day_zero(st, prices, key):
    """Index of day 0 per statement (NaN when no close follows it)."""
    _, tz = CLOSES[key]
    timed = st["instant"].notna()
    instant_ms = st["instant"].astype("int64") // 10**6
    midnight = pd.to_datetime(st["date"]).dt.tz_localize(tz).dt.tz_convert("UTC")
    keys = np.where(timed, instant_ms, midnight.astype("int64") // 10**6 - 1)
    order = np.argsort(keys, kind="stable")
    left = pd.DataFrame({"key": keys[order].astype("int64"), "row": order})
    right = pd.DataFrame({"close_ms": prices["close_ms"].to_numpy(), "day": np.arange(len(prices))})
    m = pd.merge_asof(left, right, left_on="key", right_on="close_ms", direction="forward",
                      allow_exact_matches=False)
    days = np.empty(len(st))
    days[m["row"].to_numpy()] = m["day"].to_numpy(dtype=float)
    return days


def events(prices, days):
    """The joined columns for day-0 indices `days` (NaN: none), all at once."""
    r = prices["log_return"].to_numpy()
    p = prices["price"].to_numpy()
    n_days = len(r)
    ok = ~np.isnan(days)
    d = np.where(ok, days, 0).astype(np.int64)
    valid = ~np.isnan(r)
    # Returns centred on their overall mean before summing: the window sums of squares then lose
    # nothing to cancellation (the estimation mean is added back below).
    centre = np.nanmean(r)
    rz = np.where(valid, r - centre, 0.0)
    cs = np.r_[0.0, np.cumsum(rz)]
    cs2 = np.r_[0.0, np.cumsum(rz * rz)]
    cn = np.r_[0, np.cumsum(valid)]
    lo = np.maximum(d + EST_START, 1)
    hi = np.maximum(d + EST_END + 1, 1)
    n = cn[hi] - cn[lo]
    with np.errstate(divide="ignore", invalid="ignore"):
        shifted = (cs[hi] - cs[lo]) / n
        var = (cs2[hi] - cs2[lo] - n * shifted * shifted) / (n - 1)
        mu = centre + shifted
        sd = np.sqrt(var)
        enough = ok & (n >= MIN_EST)
        ar = np.where(enough, r[d] - mu, np.nan)
        t = ar / sd
        pval = 2 * stats.t.sf(np.abs(t), n - 1)
        nxt = np.minimum(d + 1, n_days - 1)
        has_next = enough & (d + 1 < n_days)
        car = np.where(has_next, r[d] + r[nxt] - 2 * mu, np.nan)
        car_t = car / (sd * np.sqrt(2))
        car_p = 2 * stats.t.sf(np.abs(car_t), n - 1)
    dates = prices["date"].dt.strftime("%Y-%m-%d").to_numpy()
    nan = np.full(len(d), np.nan)
    return pd.DataFrame({
        "event_date": np.where(ok, dates[d], None),
        "close_event": np.where(ok, p[d], nan),
        "close_before": np.where(ok & (d >= 1), p[np.maximum(d - 1, 0)], nan),
        "simple_return": np.where(ok, prices["simple_return"].to_numpy()[d], nan),
        "log_return": np.where(ok, r[d], nan),
        "abnormal_return": ar, "t_stat": t, "p_value": pval,
        "car": car, "car_t_stat": car_t, "car_p_value": car_p,
    })


def main():
    a = parse_args()
    series = {k: load_prices(a.prices, k) for k in ("brent", "wti")}
    st = load_statements(a.statements, a.start, a.end)
    days0 = {k: day_zero(st, p, k) for k, p in series.items()}
    parts = []
    for rank, (key, prices) in enumerate(series.items()):
        part = events(prices, days0[key])
        part.insert(0, "series", key)
        part.insert(0, "statement_id", st["id"].to_numpy())
        part["_order"] = np.arange(len(st)) * len(series) + rank
        parts.append(part)
    joined = pd.concat(parts).sort_values("_order").drop(columns="_order")
    # Floats as Python's repr: the shortest text that reads back to the same number.
    joined.to_csv(a.out, index=False)
    if a.charts:
        from peer import charts  # matplotlib only when charts are asked for

        charts(a.charts, st, series, a.start, a.end, a.event_charts, days0)


if __name__ == "__main__":
    main()
