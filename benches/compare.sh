#!/usr/bin/env bash
# oilcorr against the vectorised pandas peer (benches/peer/peer_vec.py; matplotlib for its charts) on the
# same offline inputs, side by side in one run. Needs: a built oilcorr (cargo build --release), python3
# with benches/peer/requirements.txt, and a price source for the one-time fetch (OILCORR_FRED_URL, e.g.
# the project's price mirror on 127.0.0.1:8765). Prints wall, user+sys CPU and peak memory per workload
# (median of RUNS runs, default 5), the peer/oilcorr ratios, the bytes each workload writes and this
# disk's write throughput. NAIVE=1 also times the per-statement-loop peer (benches/peer/peer.py) once.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
bin="${OILCORR_BIN:-${CARGO_TARGET_DIR:-$root/target}/release/oilcorr}"
py="${PYTHON:-python3}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

"$bin" fetch --from 1988-01-01 --to 2026-08-31 --data-dir data >/dev/null 2>&1
cp "$root/data/statements/oil-politics.csv" curated.csv
"$py" - <<'PY'
import random
def synthetic(path, n, seed):
    random.seed(seed)
    with open(path, "w") as f:
        f.write("id,time,speaker,text,stance\n")
        for i in range(n):
            y, m, d, h = random.randint(1989, 2025), random.randint(1, 12), random.randint(1, 28), random.randint(0, 23)
            f.write(f"s{i},{y}-{m:02d}-{d:02d}T{h:02d}:00:00Z,Speaker {i % 20},Synthetic statement {i},{random.choice(['up', 'down', ''])}\n")
synthetic("s60k.csv", 60_000, 3)
for n in (250_000, 500_000, 1_000_000):
    synthetic(f"s{n}.csv", n, 4)
with open("april50.csv", "w") as f:
    f.write("id,time,speaker,text,stance\n")
    for i in range(50):
        f.write(f"a{i},2020-04-{1 + i % 28:02d}T{8 + i % 10:02d}:{i % 60:02d}:00Z,Speaker {i % 5},Statement {i},{['up', 'down', ''][i % 3]}\n")
PY

runs="${RUNS:-5}"
measure() { # label, command...: the run with the median wall time (wall, CPU = user + sys, peak RSS)
  local label="$1"; shift
  : > runs.txt
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o t.txt "$@" >/dev/null 2>&1
    cat t.txt >> runs.txt
  done
  read -r wall user sys rss < <(sort -n runs.txt | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%s %s %.2f %d\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))"
}

run=("$bin" run --offline --data-dir data)
peer=("$py" "$here/peer/peer_vec.py" --prices data/prices)
all=(--from 1989-01-01 --to 2025-12-31)
{
  measure "a-oilcorr" "${run[@]}" --statements curated.csv --from 2020-03-01 --to 2020-05-31 --charts-dir ca --exports-dir xa
  measure "a-peer" "${peer[@]}" --statements curated.csv --from 2020-03-01 --to 2020-05-31 --out pa.csv --charts pca --event-charts 14
  measure "b1-oilcorr" "${run[@]}" --statements s60k.csv "${all[@]}" --no-charts --outputs joined --exports-dir xb1
  measure "b1-peer" "${peer[@]}" --statements s60k.csv "${all[@]}" --out pb.csv
  measure "b2-oilcorr" "${run[@]}" --statements s60k.csv "${all[@]}" --no-charts --exports-dir xb2
  measure "c-oilcorr" "${run[@]}" --statements april50.csv --from 2020-04-01 --to 2020-04-30 --charts-dir cc --exports-dir xc
  measure "c-peer" "${peer[@]}" --statements april50.csv --from 2020-04-01 --to 2020-04-30 --out pc.csv --charts pcc --event-charts 50
  # Bounded memory (the default, --memory auto, for statement files over 24 MB: the 500,000 and the
  # million) beside the whole study held in memory.
  for n in 250000 500000 1000000; do
    measure "d$n-parquet-oilcorr" "${run[@]}" --statements "s$n.csv" "${all[@]}" --no-charts --format parquet --memory bounded --exports-dir "xp$n"
    measure "d$n-parquet-whole-oilcorr" "${run[@]}" --statements "s$n.csv" "${all[@]}" --no-charts --format parquet --memory whole --exports-dir "xw$n"
  done
  measure "d1000000-csv-oilcorr" "${run[@]}" --statements s1000000.csv "${all[@]}" --no-charts --exports-dir xcsv
  measure "d1000000-peer" "${peer[@]}" --statements s1000000.csv "${all[@]}" --out pd.csv
  if [ "${NAIVE:-0}" = 1 ]; then
    runs=1 measure "b1-naive-loop-peer" "$py" "$here/peer/peer.py" --prices data/prices --statements s60k.csv "${all[@]}" --out pn.csv
  fi
} > results.txt

for f in joined.parquet events.parquet summary.parquet; do
  cmp -s "xp1000000/$f" "xw1000000/$f" || { echo "1M: $f differs between the bounded and the whole run"; exit 1; }
done
echo "1M: joined, events and summary identical, bounded and whole"
"$py" "$here/peer/compare.py" xb1/joined.csv pb.csv
"$py" "$here/peer/compare.py" xa/joined.csv pa.csv
echo "workload wall_s cpu_s peak_MB"
cat results.txt
for w in a b1 c; do
  awk -v w="$w" '$1 == w "-oilcorr" {o = $2} $1 == w "-peer" {p = $2} END {printf "%s: peer/oilcorr wall ratio %.1f\n", w, p / o}' results.txt
done
awk '$1 == "b2-oilcorr" {o = $2} $1 == "b1-peer" {p = $2} END {printf "b2 (full run) vs the peer joined-only: %.1f\n", p / o}' results.txt
awk '$1 == "d1000000-parquet-oilcorr" {o = $2} $1 == "d1000000-peer" {p = $2} END {printf "d (1M, parquet) vs the peer joined-only: %.1f\n", p / o}' results.txt
echo "bytes written: b1 $(du -sb xb1 | cut -f1), b2 $(du -sb xb2 | cut -f1), d-parquet $(du -sb xp1000000 | cut -f1), d-csv $(du -sb xcsv | cut -f1), peer b1 $(stat -c %s pb.csv)"
echo "disk write throughput (256 MB, fsync):"
dd if=/dev/zero of=dd.bin bs=1M count=256 conv=fsync 2>&1 | tail -1
