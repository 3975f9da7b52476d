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
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT
export KEXIE_DATA_DIR="$data"
unset DATABASE_URL
timeout 300 "$kexie" demo > "$data/demo.log" 2>&1 || { cat "$data/demo.log"; exit 1; }
python3 bench/servicehall/generate_cases.py --db "$data/kexie.sqlite" --count "${KEXIE_BENCH_CASES:-100000}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$kexie" serve --hostname 127.0.0.1 --port "$port" --env production > "$data/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 150); do grep -q "Server started" "$data/serve.log" && break; sleep 0.2; done
base="http://127.0.0.1:$port"
login() {
  local account=$1 jar="$data/cookies-$1" password csrf
  password=$(awk -F'\t' -v a="$account" '$1==a{print $2}' "$data/demo-accounts.txt")
  curl -s -c "$jar" "$base/login" -o /dev/null
  csrf=$(awk '$6=="kexie_csrf"{print $7}' "$jar")
  curl -s -b "$jar" -c "$jar" -o /dev/null "$base/login" --data-urlencode "_csrf=$csrf" \
    --data-urlencode "identifier=$account" --data-urlencode "password=$password"
  awk '$6=="kexie_session"{print $7}' "$jar"
}
failed=0
measure() {
  local account=$1 path=$2 session status out
  session=$(login "$account")
  [ -n "$session" ] || { echo "log-in as $account failed"; failed=1; return; }
  echo "== $path ($account, ${KEXIE_BENCH_CASES:-100000} cases)"
  status=$(curl -s -o "$data/page.html" -w '%{http_code}' -b "kexie_session=$session" "$base$path")
  [ "${status:0:1}" = "2" ] || { echo "   HTTP $status"; failed=1; return; }
  for connections in 1 4; do
    echo "   -c$connections"
    out=$(wrk -t1 -c"$connections" -d15s --latency -H "Cookie: kexie_session=$session" "$base$path")
    echo "$out" | grep -E "^ +(50|99)%|Requests/sec|Non-2xx|Socket errors" || true
    if echo "$out" | grep -q "Non-2xx"; then failed=1; fi
  done
}
# The province's office sees every case; demo.staff works in one of its departments; a county
# association holds a small share.
for path in "/service/cases" "/service/cases?state=in_progress" "/service/cases?state=pending&sort=due&dir=asc" "/service/statistics"; do
  measure demo.orgadmin "$path"
done
measure demo.staff "/service/cases?state=in_progress"
measure demo.county1 "/service/cases"
measure demo.county1 "/service/statistics"
[ "$failed" -eq 0 ] || { echo "some responses were not 2xx"; exit 1; }
