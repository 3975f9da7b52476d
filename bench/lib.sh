# Shared by the page benchmarks: start `kexie serve` on a free loopback port with $KEXIE_DATA_DIR,
# log in as a demo account, and measure one path with wrk at 1 and 4 connections.
# Callers set: kexie (binary), data (directory with demo-accounts.txt); they get: base, failed.
failed=0
server=

start_server() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "$kexie" serve --hostname 127.0.0.1 --port "$port" --env production > "$data/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 150); do grep -q "Server started" "$data/serve.log" && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
}

stop_server() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
}

login() {
  # Password and, for administrators, the authenticator code (bench/login.py); prints the session.
  python3 "$(dirname "${BASH_SOURCE[0]}")/login.py" "$base" "$1" "$data/demo-accounts.txt"
}

# measure ACCOUNT PATH LABEL: 15 s of wrk at 1 and 4 connections; prints p50/p99.
measure() {
  local account=$1 path=$2 label=$3 session status out
  session=$(login "$account")
  [ -n "$session" ] || { echo "log-in as $account failed"; failed=1; return; }
  echo "== $path ($account, $label)"
  status=$(curl -s -o "$data/page.html" -w '%{http_code}' -b "kexie_session=$session" "$base$path")
  [ "${status:0:1}" = "2" ] || { echo "   HTTP $status"; failed=1; return; }
  for connections in 1 4; do
    echo "   -c$connections"
    out=$(wrk -t1 -c"$connections" -d15s --latency -H "Cookie: kexie_session=$session" "$base$path")
    echo "$out" | grep -E "^ +(50|99)%|Requests/sec|Non-2xx|Socket errors" || true
    if echo "$out" | grep -q "Non-2xx"; then failed=1; fi
  done
}
