#!/usr/bin/env bash
# Foundation benchmark: release build, demo data, wrk on 127.0.0.1 against /healthz and the logged-in
# home page (demo.orgadmin, who sees the organization and account counts). Bounded: 15 s per run.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "install wrk (apt-get install wrk)"; exit 2; }
swift build -c release --product kexie
data=$(mktemp -d /tmp/kexie-bench.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
KEXIE_DATA_DIR="$data" .build/release/kexie serve --demo --port "$port" --env production > "$data/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do grep -q "Server started" "$data/serve.log" && break; sleep 0.2; done
base="http://127.0.0.1:$port"
password=$(awk -F'\t' '$1=="demo.orgadmin"{print $2}' "$data/demo-accounts.txt")
jar="$data/cookies"
curl -s -c "$jar" "$base/login" -o /dev/null
csrf=$(awk '$6=="kexie_csrf"{print $7}' "$jar")
curl -s -b "$jar" -c "$jar" -o /dev/null "$base/login" --data-urlencode "_csrf=$csrf" \
  --data-urlencode "identifier=demo.orgadmin" --data-urlencode "password=$password"
session=$(awk '$6=="kexie_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "log-in failed"; exit 1; }
curl -s -b "kexie_session=$session" "$base/" | grep -q "本级及下级组织" || { echo "home page not rendered"; exit 1; }
echo "== /healthz"
wrk -t2 -c64 -d15s --latency "$base/healthz" | grep -E "Requests/sec|99%|50%|Non-2xx"
echo "== / (logged in, demo.orgadmin)"
wrk -t2 -c64 -d15s --latency -H "Cookie: kexie_session=$session" "$base/" | grep -E "Requests/sec|99%|50%|Non-2xx"
