#!/usr/bin/env bash
# oilcorr against the pandas + matplotlib peer (benches/peer/peer.py) on the same offline inputs.
# Needs: a built oilcorr (cargo build --release), python3 with benches/peer/requirements.txt, and a price
# source for the one-time fetch (OILCORR_FRED_URL, e.g. the project's price mirror on 127.0.0.1:8765).
# Prints wall, user+sys CPU and peak memory per workload (median of RUNS runs) and the peer/oilcorr ratios.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bin="${OILCORR_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/oilcorr}"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

"$bin" fetch --from 1988-01-01 --to 2026-08-31 --data-dir data >/dev/null
cp "$root/data/statements/oil-politics.csv" curated.csv
"$py" - <<'PY'
import random
random.seed(3)
with open("s60k.csv", "w") as f:
    f.write("id,time,speaker,text,stance\n")
    for i in range(60000):
        y, m, d, h = random.randint(1989, 2025), random.randint(1, 12), random.randint(1, 28), random.randint(0, 23)
        f.write(f"s{i},{y}-{m:02d}-{d:02d}T{h:02d}:00:00Z,Speaker {i % 20},Synthetic statement {i},{random.choice(['up', 'down', ''])}\n")
with open("april50.csv", "w") as f:
    f.write("id,time,speaker,text,stance\n")
    for i in range(50):
        f.write(f"a{i},2020-04-{1 + i % 28:02d}T{8 + i % 10:02d}:{i % 60:02d}:00Z,Speaker {i % 5},Statement {i},{['up', 'down', ''][i % 3]}\n")
PY

# Each command runs RUNS times (default 3); the run with the median wall time is reported (wall, CPU =
# user + sys, peak RSS). The VM this was built on varies by +-20% between runs of the same binary.
runs="${RUNS:-3}"
measure() { # label, command...
  local label="$1"; shift
  : > runs.txt
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o t.txt "$@" >/dev/null 2>&1
    cat t.txt >> runs.txt
  done
  read -r wall user sys rss < <(sort -n runs.txt | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%s %s %.2f %d\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
}

# /usr/bin/time runs programs, not shell functions: spell the two commands out.
run=("$bin" run --offline --data-dir data)
peer=("$py" "$here/peer/peer.py" --prices data/prices)

{
  measure "a-oilcorr" "${run[@]}" --statements curated.csv --from 2020-03-01 --to 2020-05-31 --charts-dir ca
  measure "a-peer" "${peer[@]}" --statements curated.csv --from 2020-03-01 --to 2020-05-31 --out pa.csv --charts pca --event-charts 14
  measure "b-oilcorr" "${run[@]}" --statements s60k.csv --from 1989-01-01 --to 2025-12-31 --no-charts
  measure "b-peer" "${peer[@]}" --statements s60k.csv --from 1989-01-01 --to 2025-12-31 --out pb.csv
  measure "c-oilcorr" "${run[@]}" --statements april50.csv --from 2020-04-01 --to 2020-04-30 --charts-dir cc
  measure "c-peer" "${peer[@]}" --statements april50.csv --from 2020-04-01 --to 2020-04-30 --out pc.csv --charts pcc --event-charts 50
} > results.txt
"$bin" run --offline --data-dir data --statements curated.csv --from 2020-03-01 --to 2020-05-31 --no-charts >/dev/null 2>&1
"$py" "$here/peer/compare.py" data/exports/joined.csv pa.csv
echo "workload wall_s cpu_s peak_MB"
cat results.txt
awk '{split($1, k, "-"); v[k[1] "-" k[2]] = $2} END {for (w in v) if (w ~ /oilcorr/) {p = w; sub("oilcorr", "peer", p); printf "%s: peer/oilcorr wall ratio %.1f\n", substr(w, 1, 1), v[p] / v[w]}}' results.txt | sort
