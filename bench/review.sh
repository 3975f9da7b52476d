#!/usr/bin/env bash
# The review scoring page (issue 18: p99 < 50 ms): the populated demo province, demo.expert's first
# assignment of the demo review round, wrk at 1 and 4 connections (bench/lib.sh `measure`), beside
# /healthz. Release build unless KEXIE_BENCH_BINARY names another binary (a debug build's figures are
# only an upper bound). Loopback only; every wrk run is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
if [ -n "${KEXIE_BENCH_BINARY:-}" ]; then
  kexie=$KEXIE_BENCH_BINARY
else
  scratch=${KEXIE_BENCH_SCRATCH:-.build-release}
  swift build -c release --scratch-path "$scratch" --product kexie >/dev/null
  kexie="$scratch/release/kexie"
fi
data=$(mktemp -d /tmp/kexie-bench-review.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
start_server
assignment=$(python3 -c "
import sqlite3, sys, uuid
db = sqlite3.connect(sys.argv[1])
row = db.execute('''SELECT a.id FROM platform_review_assignments a JOIN platform_users u ON u.id = a.user_id
                    WHERE u.username = 'demo.expert' ORDER BY a.created_at LIMIT 1''').fetchone()
value = row[0] if row else ''
print(str(uuid.UUID(bytes=value)).upper() if isinstance(value, bytes) else value)" "$data/kexie.sqlite")
[ -n "$assignment" ] || { echo "demo.expert has no review assignment"; exit 1; }
echo "== /healthz"
wrk -t1 -c4 -d10s --latency "$base/healthz" | grep -E "^ +(50|99)%|Requests/sec" || true
measure demo.expert "/reviews/$assignment" "scoring page"
measure demo.expert "/reviews" "我的评审"
exit "$failed"
