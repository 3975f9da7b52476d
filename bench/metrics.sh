#!/usr/bin/env bash
# The metrics cockpit against /healthz (issue 15): /metrics (every registered figure for the province and
# a period), a drill-down (/metrics/{id}: the figure, its breakdown by child organization and its list)
# demo province, release build, wrk -t2 -c16 on 127.0.0.1, bounded in time. (The API is left out: a
# token may make 1,200 requests a minute, so wrk would measure the rate limit.)
# Prints requests/s, p99 and each page's share of /healthz's requests/s measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
# KEXIE_BIN: an already built release binary (skips the build).
if [ -n "${KEXIE_BIN:-}" ]; then kexie=$KEXIE_BIN; else swift build -c release --product kexie; kexie=$PWD/.build/release/kexie; fi
data=$(mktemp -d /tmp/kexie-metrics.XXXXXX)
export KEXIE_DATA_DIR=$data
trap 'stop_server; rm -rf "$data"' EXIT
source bench/lib.sh
"$kexie" demo > "$data/demo.log" 2>&1
duration=${DURATION:-10s}
# KEXIE_BENCH_CASES=100000: that many generated cases in the SQLite file first (bench/servicehall), so the
# figures count over a realistic table; the drill-down measured is then the cases' own.
drill=/metrics/innovation.supplies.published?period=2026
if [ -n "${KEXIE_BENCH_CASES:-}" ]; then
  python3 bench/servicehall/generate_cases.py --db "$data/kexie.sqlite" --count "$KEXIE_BENCH_CASES"
  drill="/metrics/servicehall.cases.received?period=2026"
fi

start_server
session=$(login demo.orgadmin)
out=$(wrk -t2 -c16 -d"$duration" --latency "$base/healthz")
ceiling=$(echo "$out" | awk '/Requests\/sec/{print $2}')
echo "/healthz $ceiling req/s, p99 $(echo "$out" | awk '$1=="99%"{print $2}')"
run() {
  local label=$1 header=$2 path=$3 rate share
  out=$(wrk -t2 -c16 -d"$duration" --latency -H "$header" "$base$path")
  rate=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  share=$(python3 -c "print(f'{100 * $rate / $ceiling:.1f}')")
  echo "$label $rate req/s (${share}% of /healthz), p99 $(echo "$out" | awk '$1=="99%"{print $2}')$(echo "$out" | grep -o 'Non-2xx.*' | sed 's/^/, /')"
  if echo "$out" | grep -q "Non-2xx"; then failed=1; fi
}
run "/metrics?period=2026-Q4" "Cookie: kexie_session=$session" "/metrics?period=2026-Q4"
run "$drill" "Cookie: kexie_session=$session" "$drill"
exit "$failed"
