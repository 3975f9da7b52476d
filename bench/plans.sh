#!/usr/bin/env bash
# Plans benchmark (release build):
# 1. parsing a 50-page plan (`kexie plan parse --timing`, 20 runs);
# 2. the plan dashboard with 500 tasks and 5,000 progress reports loaded straight into the demo's SQLite
#    file, wrk on 127.0.0.1 as demo.orgadmin (15 s per run). Targets: parse < 200 ms, p99 < 50 ms.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
swift build -c release --product kexie
kexie=.build/release/kexie
data=$(mktemp -d /tmp/kexie-bench-plans.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL

# Parse time as the command measures it (--timing), without the process start; 20 runs each of a
# 50-page plan at GB/T 9704's 616 characters a page and of a denser one at 1,000.
for per in 616 1000; do
  python3 bench/plans/generate_plan.py text --pages 50 --chars-per-page "$per" --out "$data/plan-$per.txt"
  for _ in $(seq 1 20); do "$kexie" plan parse "$data/plan-$per.txt" --format json --timing 2>&1 >/dev/null; done \
    | awk -v per="$per" '{print $2}' | sort -n \
    | awk -v per="$per" '{v[NR]=$1} END {printf "== kexie plan parse, 50 pages at %d characters: median %.1f ms, slowest %.1f ms (20 runs)\n", per, v[int((NR+1)/2)], v[NR]}'
done

timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
plan=$(python3 bench/plans/generate_plan.py load --db "$data/kexie.sqlite" --tasks "${KEXIE_BENCH_TASKS:-500}" \
  --reports "${KEXIE_BENCH_REPORTS:-5000}")
start_server
label="${KEXIE_BENCH_TASKS:-500} tasks, ${KEXIE_BENCH_REPORTS:-5000} reports"
measure demo.orgadmin "/plans/$plan" "$label"
measure demo.orgadmin "/plans/$plan?status=red&sort=deadline" "$label"
measure demo.orgadmin "/plans/$plan/evaluation" "$label"
measure demo.staff "/plans/mine" "$label"
[ "$failed" -eq 0 ] || { echo "some responses were not 2xx"; exit 1; }
