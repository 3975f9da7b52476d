#!/usr/bin/env bash
# Innovation benchmark: release build, demo province, 100,000 synthetic published supplies (the matching
# bench's generator) loaded straight into the SQLite file; then wrk on 127.0.0.1 against the demand page of
# the demo enterprise (which ranks every supply and shows ten with reasons) and the public supply list.
# Target: p99 < 50 ms for ranking. Bounded: 15 s per run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
swift build -c release --product kexie
kexie=.build/release/kexie
data=$(mktemp -d /tmp/kexie-bench-innovation.XXXXXX)
. bench/lib.sh
trap 'stop_server; rm -rf "$data"' EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
[ -f bench/matching/data/load_supplies.jsonl ] || python3 bench/matching/generate.py
timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
python3 bench/innovation/load_supplies.py --db "$data/kexie.sqlite" --supplies bench/matching/data/load_supplies.jsonl \
  --count "${KEXIE_BENCH_SUPPLIES:-100000}"
demand=$(python3 -c "
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute(\"SELECT id FROM innovation_postings WHERE title = '储能电芯循环寿命提升'\").fetchone()[0])" "$data/kexie.sqlite")
start_server
label="${KEXIE_BENCH_SUPPLIES:-100000} supplies"
# The first view builds the index over the published supplies (seconds); measure() warms it with its
# first request before wrk starts.
measure demo.enterprise "/innovation/postings/$demand" "$label"
measure demo.enterprise "/innovation/supplies" "$label"
measure demo.enterprise "/innovation/supplies?industry=C&readiness=7" "$label"
measure demo.enterprise "/innovation/supplies?industry=C&readiness=7&sort=title" "$label"
[ "$failed" -eq 0 ] || { echo "some responses were not 2xx"; exit 1; }
