#!/usr/bin/env bash
# Page speed against /healthz (issue 14): the home page, the people list and the case queue of the demo
# province, release build, wrk -t2 -c16 on 127.0.0.1, bounded in time. Prints requests/s and p99 of each,
# and each page's share of /healthz's requests/s measured in the same run.
#
# The renderer comparison (Leaf against the HTML writer, renders/s and requests/s) was made with this
# script as it stood at commit eb9b85c, while both renderers were in the tree:
#   git worktree add /tmp/k14 eb9b85c && cd /tmp/k14 && bash bench/render.sh
# Its figures are in docs/operators/architecture.md ("Rendering figures").
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
# KEXIE_BIN: an already built release binary (skips the build).
if [ -n "${KEXIE_BIN:-}" ]; then kexie=$KEXIE_BIN; else swift build -c release --product kexie; kexie=$PWD/.build/release/kexie; fi
data=$(mktemp -d /tmp/kexie-render.XXXXXX)
export KEXIE_DATA_DIR=$data
trap 'stop_server; rm -rf "$data"' EXIT
source bench/lib.sh
"$kexie" demo > "$data/demo.log" 2>&1
duration=${DURATION:-10s}

start_server
session=$(login demo.orgadmin)
out=$(wrk -t2 -c16 -d"$duration" --latency "$base/healthz")
ceiling=$(echo "$out" | awk '/Requests\/sec/{print $2}')
echo "/healthz $ceiling req/s, p99 $(echo "$out" | awk '$1=="99%"{print $2}')"
for path in "/" "/people" "/service/cases"; do
  out=$(wrk -t2 -c16 -d"$duration" --latency -H "Cookie: kexie_session=$session" "$base$path")
  rate=$(echo "$out" | awk '/Requests\/sec/{print $2}')
  share=$(python3 -c "print(f'{100 * $rate / $ceiling:.1f}')")
  echo "$path $rate req/s (${share}% of /healthz), p99 $(echo "$out" | awk '$1=="99%"{print $2}')$(echo "$out" | grep -o 'Non-2xx.*' | sed 's/^/, /')"
  if echo "$out" | grep -q "Non-2xx"; then failed=1; fi
done
exit "$failed"
