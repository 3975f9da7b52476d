#!/usr/bin/env bash
# Logged-in pages against /healthz in one run (issue 16): release build, the demo province, wrk -t2 -c64
# (KEXIE_BENCH_CONNECTIONS) for KEXIE_BENCH_SECONDS (default 10) on /healthz and on each page, printing
# requests/s, p99 and the ratio to /healthz. Loopback only; every wrk run is bounded. The plan board is the
# demo province's first plan. (At 100,000 rows: bench/members.sh for people, bench/metrics.sh with
# KEXIE_BENCH_CASES for cases, bench/innovation.sh for supplies.)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
scratch=${KEXIE_BENCH_SCRATCH:-.build-release}
swift build -c release --scratch-path "$scratch" --product kexie >/dev/null
kexie="$scratch/release/kexie"
data=$(mktemp -d /tmp/kexie-bench-pages.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
seconds=${KEXIE_BENCH_SECONDS:-10}
timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
start_server
plan=$(python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute('SELECT id FROM plans_plans ORDER BY created_at LIMIT 1').fetchone()
print(row[0] if row else '')" "$data/kexie.sqlite")
# One log-in per account, up front: an administrator's authenticator code is accepted once.
declare -A sessions
for account in demo.orgadmin demo.member demo.staff demo.enterprise; do
  sessions[$account]=$(login "$account")
  [ -n "${sessions[$account]}" ] || { echo "log-in as $account failed"; exit 1; }
done
connections=${KEXIE_BENCH_CONNECTIONS:-64}
rate() { echo "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { echo "$1" | awk '$1=="99%" {print $2}'; }
out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency "$base/healthz")
healthz=$(rate "$out")
printf '%-44s %10s %9s %7s\n' "page (account)" "req/s" "p99" "ratio"
printf '%-44s %10s %9s %7s\n' "/healthz" "$healthz" "$(p99 "$out")" "1.000"
pages=(
  "demo.orgadmin /"
  "demo.member /"
  "demo.orgadmin /people"
  "demo.orgadmin /memberships"
  "demo.orgadmin /service/cases"
  "demo.orgadmin /plans"
  "demo.orgadmin /plans/$plan"
  "demo.staff /plans/mine"
  "demo.enterprise /innovation"
  "demo.enterprise /innovation/supplies"
  "demo.enterprise /innovation/demands"
  "demo.orgadmin /innovation/dockings"
)
for entry in "${pages[@]}"; do
  account=${entry%% *}; path=${entry#* }
  session=${sessions[$account]}
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "kexie_session=$session" "$base$path")
  if [ "$status" != "200" ]; then echo "$path ($account): HTTP $status"; failed=1; continue; fi
  out=$(wrk -t2 -c"$connections" -d"${seconds}s" --latency -H "Cookie: kexie_session=$session" "$base$path")
  if echo "$out" | grep -q "Non-2xx"; then echo "$path ($account): non-2xx answers"; failed=1; fi
  r=$(rate "$out")
  printf '%-44s %10s %9s %7.3f\n' "$path ($account)" "$r" "$(p99 "$out")" "$(echo "$r $healthz" | awk '{print $1/$2}')"
done
[ "$failed" -eq 0 ] || exit 1
