#!/usr/bin/env bash
# ServiceHall benchmark: release build, demo province, 100,000 generated cases loaded straight into the
# SQLite file, then wrk on 127.0.0.1 against a department's queue and the statistics page as
# demo.orgadmin (the province: every case is in scope). Target: p99 < 50 ms. Bounded: 15 s per run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
swift build -c release --product kexie
kexie=.build/release/kexie
data=$(mktemp -d /tmp/kexie-bench-cases.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
python3 bench/servicehall/generate_cases.py --db "$data/kexie.sqlite" --count "${KEXIE_BENCH_CASES:-100000}"
start_server
cases="${KEXIE_BENCH_CASES:-100000} cases"
# The province's office sees every case; demo.staff works in one of its departments; a county
# association holds a small share.
for path in "/service/cases" "/service/cases?state=in_progress" "/service/cases?state=pending&sort=due&dir=asc" "/service/statistics"; do
  measure demo.orgadmin "$path" "$cases"
done
measure demo.staff "/service/cases?state=in_progress" "$cases"
measure demo.county1 "/service/cases" "$cases"
measure demo.county1 "/service/statistics" "$cases"
[ "$failed" -eq 0 ] || { echo "some responses were not 2xx"; exit 1; }
