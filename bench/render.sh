#!/usr/bin/env bash
# Renderer benchmark (issue 14): the people list, the case queue and the home page rendered by Leaf and
# by the HTML writer, on the demo province, release build, everything on 127.0.0.1 and bounded in time.
#  1. renders/s: one server with KEXIE_RENDER_REPEAT=N renders each asked page N more times with each
#     renderer (same page model, same process) and logs the rates;
#  2. requests/s: wrk -t2 -c16 on /healthz and the three pages, first with KEXIE_RENDERER=leaf, then with
#     the writer, in the same run.
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
pages=("/" "/people" "/service/cases")

echo "== renders/s (same page model, same process)"
KEXIE_RENDER_REPEAT=${REPEAT:-2000} start_server
session=$(login demo.orgadmin)
for path in "${pages[@]}"; do
  curl -s -o /dev/null -w "   $path HTTP %{http_code}\n" -b "kexie_session=$session" "$base$path"
done
grep -o 'render-bench.*' "$data/serve.log" | sed 's/^/   /'
stop_server

for renderer in leaf writer; do
  echo "== requests/s, $renderer (wrk -t2 -c16 -d$duration)"
  if [ $renderer = leaf ]; then export KEXIE_RENDERER=leaf; else unset KEXIE_RENDERER; fi
  start_server
  # The session from the first log-in is in the database and serves every server of this run (a second
  # log-in within the same 30 s would reuse the authenticator code, which is refused).
  out=$(wrk -t2 -c16 -d"$duration" --latency "$base/healthz")
  echo "   /healthz $(echo "$out" | awk '/Requests\/sec/{print $2}') req/s, p99 $(echo "$out" | awk '$1=="99%"{print $2}')"
  for path in "${pages[@]}"; do
    out=$(wrk -t2 -c16 -d"$duration" --latency -H "Cookie: kexie_session=$session" "$base$path")
    echo "   $path $(echo "$out" | awk '/Requests\/sec/{print $2}') req/s, p99 $(echo "$out" | awk '$1=="99%"{print $2}')$(echo "$out" | grep -o 'Non-2xx.*' | sed 's/^/, /')"
  done
  stop_server
done
