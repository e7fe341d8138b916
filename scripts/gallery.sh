#!/usr/bin/env bash
# Every chart kind and case, PNG and SVG, into one folder to look at: `scripts/gallery.sh OUT`.
# Offline: made-up prices from notebooks/fixtures/make_project.py (a seeded random walk in FRED's layout,
# never EIA data), futures bars and a minute-bar file generated here. Needs a built oilcorr
# (OILCORR_BIN, default target/release/oilcorr or $CARGO_TARGET_DIR's) and python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:?usage: scripts/gallery.sh OUT}" && cd "$1" && pwd)"
bin="${OILCORR_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/oilcorr}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
python3 "$root/notebooks/fixtures/make_project.py" proj >/dev/null
python3 - <<'PY'
import datetime as dt, math, random
random.seed(7)
# Statement files for the cases.
head = "id,time,speaker,text,stance\n"
open("one.csv", "w").write(head + "only,2020-04-02T14:32:00Z,Donald Trump,A single statement,up\n")
open("none.csv", "w").write(head)
open("outside.csv", "w").write(head + "inside,2020-04-02T14:32:00Z,A,Inside the prices,up\n"
                               "later,2020-07-15T12:00:00Z,B,After the last price,down\n")
rows = [f"m{i},2020-{1 + i % 5:02d}-{1 + i % 27:02d}T{8 + i % 9:02d}:00:00Z,Speaker {i % 7},Statement {i},"
        f"{['up', 'down', ''][i % 3]}" for i in range(300)]
open("many.csv", "w").write(head + "\n".join(rows) + "\n")
open("scripts.csv", "w").write(head + "xi,2020-04-02T10:00:00Z,习近平,中国支持石油减产的协议,up\n"
                               "mbs,2020-04-03T09:00:00Z,محمد بن سلمان,المملكة تدعو إلى اجتماع عاجل لأوبك+,up\n"
                               "dt,2020-04-02T14:32:00Z,Donald Trump,Saudi Arabia and Russia will cut,up\n")
rows = [f"d{i},2020-04-02T{8 + i % 12:02d}:{i:02d}:00Z,Speaker {i % 4},Same-day statement {i},"
        f"{['up', 'down'][i % 2]}" for i in range(30)]
open("sameday.csv", "w").write(head + "\n".join(rows) + "\n")
# Two futures contracts, daily, June 30% above May (a roll on 22 April 2020).
with open("bars.csv", "w") as f:
    f.write("Trade Date,Contract,Settle\n")
    d, p = dt.date(2019, 1, 2), 50.0
    while d <= dt.date(2020, 6, 30):
        if d.weekday() < 5:
            p *= math.exp(random.gauss(0, 0.02))
            if d <= dt.date(2020, 4, 21):
                f.write(f"{d},CLK0,{p:.4f}\n")
            f.write(f"{d},CLM0,{1.3 * p:.4f}\n")
        d += dt.timedelta(days=1)
# Minute bars, 09:00-15:59 New York, 2 March to 3 April 2020, a 3 % jump at 10:32 on 2 April.
from zoneinfo import ZoneInfo
ny, utc = ZoneInfo("America/New_York"), ZoneInfo("UTC")
with open("minutes.csv", "w") as f:
    f.write("ts_event,close\n")
    d = dt.date(2020, 3, 2)
    while d <= dt.date(2020, 4, 3):
        if d.weekday() < 5:
            p = 20.0
            for m in range(420):
                p *= math.exp(random.gauss(0, 0.0012)) * (1.03 if (d, m) == (dt.date(2020, 4, 2), 92) else 1)
                t = (dt.datetime.combine(d, dt.time(9)) + dt.timedelta(minutes=m)).replace(tzinfo=ny).astimezone(utc)
                f.write(f"{t:%Y-%m-%dT%H:%M:%SZ},{p:.4f}\n")
        d += dt.timedelta(days=1)
PY
files=(--source file --prices "brent=$work/proj/DCOILBRENTEU.csv" --prices "wti=$work/proj/DCOILWTICO.csv")
run() { # case, extra options...
  local case="$1"; shift
  for fmt in png svg; do
    "$bin" run "${files[@]}" --data-dir "data-$case" --exports-dir "x-$case" \
      --charts-dir "$out/$case-$fmt" --chart-format "$fmt" "$@" >/dev/null 2>>"$out/log.txt"
  done
}
run april-2020 --from 2020-03-01 --to 2020-05-31 --shade-windows
run april-2020-960 --from 2020-03-01 --to 2020-05-31 --size 960x540 --shade-windows
run one-statement --statements one.csv
run no-statements --statements none.csv --from 2020-04-01 --to 2020-04-30
run outside-history --statements outside.csv
run single-series --from 2020-03-01 --to 2020-05-31 --series brent
run spread --from 2020-03-01 --to 2020-05-31 --series spread
run hundreds --statements many.csv --event-days 30
run same-day --statements sameday.csv
# Chinese and Arabic names: Chinese from the machine's fonts (e.g. Debian's fonts-noto-cjk) when it has
# one, else drawn as U+FFFD with a warning in log.txt.
run scripts --statements scripts.csv
# 300 and 30 statements give 300 and 30 event charts of one design: keep the first six and the last two.
for dir in "$out"/hundreds-*/events "$out"/same-day-*/events; do
  ls "$dir" | sort -V | sed -e '1,6d' | head -n -2 | while read -r f; do rm "$dir/$f"; done
done
for fmt in png svg; do
  "$bin" run --source file --prices "wti-fut=$work/bars.csv" --series wti-fut --from 2020-04-01 \
    --to 2020-04-30 --data-dir data-fut --exports-dir x-fut --charts-dir "$out/futures-rolls-$fmt" \
    --chart-format "$fmt" >/dev/null 2>>"$out/log.txt"
done
"$bin" intraday --bars "wti-fut=$work/minutes.csv" --statements one.csv --window -5m,+5m \
  --window -30m,+120m --exports-dir x-intraday --charts-dir "$out/intraday" >/dev/null 2>>"$out/log.txt"
"$bin" intraday --bars "wti-fut=$work/minutes.csv" --statements one.csv --window -30m,+120m \
  --exports-dir x-intraday --charts-dir "$out/intraday-960" --size 960x540 >/dev/null 2>>"$out/log.txt"
find "$out" -name '*.png' -o -name '*.svg' | sort > "$out/index.txt"
echo "$(wc -l < "$out/index.txt") charts in $out (list: index.txt, messages: log.txt)"
