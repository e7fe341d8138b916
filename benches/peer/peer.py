"""The pandas + matplotlib way of doing what `oilcorr run` does: the peer oilcorr is measured against.

Reads the two price caches (date,price), maps statements to day 0 with the close-time rule (merge_asof,
forward, strictly later close; a bare date is keyed one millisecond before local midnight), computes the
mean-adjusted AR and CAR[0,1] over the estimation window [-260,-11] (>= 30 returns), writes the joined CSV
and draws a timeline and N event charts with matplotlib.

    python peer.py --prices data/prices --statements s.csv --from 2020-03-01 --to 2020-05-31 \
        --out peer-joined.csv --charts peer-charts --event-charts 50
"""
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

from peer_prices import CLOSES, load_prices, parse_args  # noqa: E402


def load_statements(path, start, end):
    st = pd.read_csv(path, dtype=str, keep_default_na=False)
    timed = st["time"].str.len() > 10
    st["instant"] = pd.to_datetime(st["time"].where(timed), utc=True, format="ISO8601")
    st["date"] = np.where(timed, st["instant"].dt.strftime("%Y-%m-%d"), st["time"])
    st = st[(st["date"] >= start) & (st["date"] <= end)].copy()
    st["tod"] = np.where(timed.loc[st.index], st["instant"].dt.strftime("%H:%M:%S"), "")
    return st.sort_values(["date", "tod", "id"]).reset_index(drop=True)


def day_zero(st, prices, key):
    hm, tz = CLOSES[key]
    keys = []
    for _, s in st.iterrows():
        if isinstance(s["instant"], pd.Timestamp) and not pd.isna(s["instant"]):
            keys.append(s["instant"].value // 10**6)
        else:
            midnight = pd.Timestamp(s["date"]).tz_localize(tz)
            keys.append(midnight.tz_convert("UTC").value // 10**6 - 1)
    left = pd.DataFrame({"key": np.array(keys, dtype="int64"), "row": range(len(st))}).sort_values("key")
    right = pd.DataFrame({"close_ms": prices["close_ms"].to_numpy(), "day": range(len(prices))})
    m = pd.merge_asof(left, right, left_on="key", right_on="close_ms", direction="forward", allow_exact_matches=False)
    return m.sort_values("row")["day"].to_numpy()


def event(prices, d):
    r = prices["log_return"].to_numpy()
    p = prices["price"].to_numpy()
    out = {"event_date": prices["date"].iloc[d].strftime("%Y-%m-%d"), "close_event": p[d]}
    out["close_before"] = p[d - 1] if d >= 1 else np.nan
    out["simple_return"] = prices["simple_return"].iloc[d]
    out["log_return"] = r[d]
    est = r[max(d - 260, 1): max(d - 10, 1)]
    est = est[~np.isnan(est)]
    if len(est) < 30:
        return out
    mu, sd, df = est.mean(), est.std(ddof=1), len(est) - 1
    if not np.isnan(r[d]):
        ar = r[d] - mu
        out.update(abnormal_return=ar, t_stat=ar / sd, p_value=2 * stats.t.sf(abs(ar / sd), df))
    if d + 1 < len(r) and not np.isnan(r[d]) and not np.isnan(r[d + 1]):
        car = r[d] + r[d + 1] - 2 * mu
        t = car / (sd * np.sqrt(2))
        out.update(car=car, car_t_stat=t, car_p_value=2 * stats.t.sf(abs(t), df))
    return out


def charts(folder, st, series, start, end, n_events, days0):
    os.makedirs(os.path.join(folder, "events"), exist_ok=True)
    fig, ax = plt.subplots(figsize=(16, 9))
    for key, prices in series.items():
        sel = prices[(prices["date"] >= start) & (prices["date"] <= end)]
        ax.plot(sel["date"], sel["price"], label=key)
    for i, s in st.iterrows():
        ax.axvline(pd.Timestamp(s["date"]), color="grey", alpha=0.4)
        ax.annotate(str(i + 1), (pd.Timestamp(s["date"]), ax.get_ylim()[1]), fontsize=8)
    ax.legend()
    fig.savefig(os.path.join(folder, "timeline.png"), dpi=100)
    plt.close(fig)
    for i, s in st.head(n_events).iterrows():
        fig, ax = plt.subplots(figsize=(12, 7.6))
        for key, prices in series.items():
            d = days0[key][i]
            if np.isnan(d):
                continue
            d = int(d)
            lo, hi = max(d - 10, 0), min(d + 10, len(prices) - 1)
            ax.plot(range(lo - d, hi - d + 1), prices["price"].iloc[lo: hi + 1], marker="o", label=key)
        ax.axvline(0, color="black")
        ax.set_title(f"{s['speaker']} {s['time']}")
        ax.legend()
        fig.savefig(os.path.join(folder, "events", f"{s['id']}.png"), dpi=100)
        plt.close(fig)


def main():
    a = parse_args()
    series = {k: load_prices(a.prices, k) for k in ("brent", "wti")}
    st = load_statements(a.statements, a.start, a.end)
    days0 = {k: day_zero(st, p, k) for k, p in series.items()}
    rows = []
    for i, s in st.iterrows():
        for key, prices in series.items():
            row = {"statement_id": s["id"], "series": key}
            d = days0[key][i]
            if not np.isnan(d):
                row.update(event(prices, int(d)))
            rows.append(row)
    pd.DataFrame(rows).to_csv(a.out, index=False, float_format="%.17g")
    if a.charts:
        charts(a.charts, st, series, a.start, a.end, a.event_charts, days0)


if __name__ == "__main__":
    main()
