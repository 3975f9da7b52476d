#!/usr/bin/env bash
# The public calendar with 10,000 events (issue 17: p99 < 50 ms): release build, the demo province,
# KEXIE_BENCH_EVENTS (default 10,000) published public events seeded straight into the SQLite file over
# four years; then wrk -t2 -c64 (KEXIE_BENCH_CONNECTIONS) for KEXIE_BENCH_SECONDS (default 10) against
# /healthz and the calendar pages (this month's grid, a filtered grid, the list, an event's .ics),
# anonymous and logged in, printing requests/s, p99 and the ratio to /healthz, then p50/p99 at 4 connections. Loopback only; bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
scratch=${KEXIE_BENCH_SCRATCH:-.build-release}
swift build -c release --scratch-path "$scratch" --product kexie >/dev/null
kexie="$scratch/release/kexie"
data=$(mktemp -d /tmp/kexie-bench-events.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
seconds=${KEXIE_BENCH_SECONDS:-10}
connections=${KEXIE_BENCH_CONNECTIONS:-64}
timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
python3 bench/events/load_events.py --db "$data/kexie.sqlite" --count "${KEXIE_BENCH_EVENTS:-10000}"
event=$(python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute(\"SELECT id FROM events_events WHERE state = 'published' ORDER BY starts_at DESC LIMIT 1\").fetchone()[0])" "$data/kexie.sqlite")
month=$(date +%Y-%m)
start_server
member=$(login demo.member)
[ -n "$member" ] || { echo "log-in as demo.member failed"; exit 1; }
rate() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1=="99%" {print $2}'; }
out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/healthz")
healthz=$(rate "$out")
p50() { echo "$1" | awk '$1=="50%" {print $2}'; }
printf '%-52s %10s %9s %7s %9s %9s\n' "page (account)" "req/s" "p99" "ratio" "p50 @c4" "p99 @c4"
printf '%-52s %10s %9s %7s\n' "/healthz" "$healthz" "$(p99 "$out")" "1.000"
pages=(
  "- /events"
  "- /events?month=$month&kind=salon"
  "- /events?view=list"
  "- /events?view=list&month=$month&level=provincial"
  "- /events/$event.ics"
  "demo.member /events"
  "demo.member /events?view=list"
)
for entry in "${pages[@]}"; do
  account=${entry%% *}; path=${entry#* }
  cookie=()
  [ "$account" = "-" ] || cookie=(-H "Cookie: kexie_session=$member")
  status=$(curl -s -o /dev/null -w '%{http_code}' "${cookie[@]}" "$base$path")
  if [ "$status" != "200" ]; then echo "$path ($account): HTTP $status"; failed=1; continue; fi
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "${cookie[@]}" "$base$path")
  if echo "$out" | grep -q "Non-2xx"; then echo "$path ($account): non-2xx answers"; failed=1; fi
  r=$(rate "$out")
  # The issue's target (p99 < 50 ms) at a handful of concurrent visitors: 4 connections.
  few=$(wrk -t1 -c4 -d"${seconds}s" --latency "${cookie[@]}" "$base$path")
  printf '%-52s %10s %9s %7.3f %9s %9s\n' "$path ($account)" "$r" "$(p99 "$out")" "$(echo "$r $healthz" | awk '{print $1/$2}')" \
    "$(p50 "$few")" "$(p99 "$few")"
done
[ "$failed" -eq 0 ] || exit 1
