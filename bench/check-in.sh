#!/usr/bin/env bash
# Check-in benchmark (issue 17: p99 < 50 ms): release build, the demo's organizations and accounts, one
# published event with 20,000 confirmed registrations and 200 API tokens written straight into the SQLite
# file (bench/check-in/seed.py); then wrk POSTs a fresh code per request to /api/v1/events/{id}/check-ins
# (bench/check-in/post.lua: each request a first check-in, 200) and measures /healthz in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
# KEXIE_BIN: an already built release binary (skips the build).
if [ -n "${KEXIE_BIN:-}" ]; then kexie=$KEXIE_BIN; else swift build -c release --product kexie; kexie=$PWD/.build/release/kexie; fi
data=$(mktemp -d /tmp/kexie-bench-check-in.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
timeout 300 "$kexie" demo --bare > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
event=$(python3 bench/check-in/seed.py --data "$data" --registrations "${KEXIE_BENCH_REGISTRATIONS:-20000}" --tokens 200)
start_server
duration=${DURATION:-10s}
path="/api/v1/events/$event/check-ins"
first=$(head -1 "$data/tokens.txt")
# One check by hand: the endpoint answers 200, then 409 for the same code.
probe=$(sed -n '$p' "$data/codes.txt")
for expected in 200 409; do
  status=$(curl -s -o "$data/probe.json" -w '%{http_code}' -H "Authorization: Bearer $first" -H 'Content-Type: application/json' \
    -d "{\"code\": \"$probe\"}" "$base$path")
  [ "$status" = "$expected" ] || { echo "probe: HTTP $status, expected $expected"; cat "$data/probe.json"; exit 1; }
done
for connections in 1 4 16; do
  threads=$(( connections < 2 ? 1 : 2 ))
  echo "== POST $path (c$connections, t$threads)"
  out=$(KEXIE_BENCH_DATA="$data" KEXIE_BENCH_THREADS=$threads wrk -t"$threads" -c"$connections" -d"$duration" --latency \
    -s bench/check-in/post.lua "$base$path")
  echo "$out" | grep -E "^ +(50|99)%|Requests/sec|Non-2xx|Socket errors" || true
  if echo "$out" | grep -q "Non-2xx"; then failed=1; fi
  echo "== GET /healthz (c$connections, t$threads)"
  wrk -t"$threads" -c"$connections" -d"$duration" --latency "$base/healthz" | grep -E "^ +(50|99)%|Requests/sec" || true
  # Fresh codes for the next round: the accepted ones stay accepted.
  python3 - "$data" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1] + "/kexie.sqlite")
used = {row[0] for row in db.execute("SELECT code FROM platform_check_ins")}
codes = [c for c in open(sys.argv[1] + "/codes.txt").read().split() if c not in used]
open(sys.argv[1] + "/codes.txt", "w").write("\n".join(codes) + "\n")
print(f"   {len(used)} checked in so far, {len(codes)} codes left")
PY
done
echo "check-ins recorded: $(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT COUNT(*) FROM platform_check_ins').fetchone()[0])" "$data/kexie.sqlite")"
[ "$failed" -eq 0 ] || { echo "some responses were not 2xx"; exit 1; }
