"""Price loading and the command line shared by both peers: the cache's date,price CSV, log and simple
returns (undefined when either price is <= 0, as in oilcorr) and each day's close as epoch milliseconds."""
import argparse
import os

import numpy as np
import pandas as pd

CLOSES = {"brent": ("16:30", "Europe/London"), "wti": ("14:30", "America/New_York")}


def load_prices(folder, key):
    df = pd.read_csv(os.path.join(folder, f"{key}.csv"), parse_dates=["date"])
    df = df.sort_values("date").reset_index(drop=True)
    p = df["price"].to_numpy()
    prev = np.r_[np.nan, p[:-1]]
    with np.errstate(divide="ignore", invalid="ignore"):
        df["log_return"] = np.where((p > 0) & (prev > 0), np.log(p / prev), np.nan)
        df["simple_return"] = np.where((p > 0) & (prev > 0), p / prev - 1, np.nan)
    hm, tz = CLOSES[key]
    local = pd.to_datetime(df["date"].dt.strftime("%Y-%m-%d") + " " + hm).dt.tz_localize(tz)
    df["close_ms"] = local.dt.tz_convert("UTC").astype("int64") // 10**6
    return df


def parse_args():
    """The command line both peers take (the same workloads as `oilcorr run`)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--prices", required=True)
    ap.add_argument("--statements", required=True)
    ap.add_argument("--from", dest="start", required=True)
    ap.add_argument("--to", dest="end", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--charts")
    ap.add_argument("--event-charts", type=int, default=0)
    return ap.parse_args()
