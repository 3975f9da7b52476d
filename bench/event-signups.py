#!/usr/bin/env python3
"""Events (issue 17): 200 concurrent sign-ups for 100 places.

Against a release server on 127.0.0.1 with a fresh database (`kexie demo --bare`): inserts one published
event (capacity 100, waiting list) straight into the database (the events API belongs to another part of
the module and is not needed here), then fires 200 sign-ups at once, each a distinct person, and checks:
exactly 100 confirmed, 100 waitlisted, and the waiting list in arrival order (the server's sequence; the
waiting position of sequence N is N - 100). Prints p50/p99 latency. Bounded: 60 s for the requests.

The sign-ups are staff registering people on their behalf with an API token of demo.orgadmin (body
{"name", "phone"}), so the visitors' rate limits (10 per address and hour) are not in the way: those stay
as they are in production; an API token allows 1,200 requests a minute.

Usage: python3 bench/event-signups.py [--bin .build/release/kexie] [--postgres postgres://kexie@127.0.0.1:PORT/DB]
The PostgreSQL database given is wiped (schema public dropped) first. Standard library only (psql for PostgreSQL).
"""
import argparse, json, os, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.request, uuid
from concurrent.futures import ThreadPoolExecutor

parser = argparse.ArgumentParser()
parser.add_argument("--bin", default=".build/release/kexie")
parser.add_argument("--postgres", default="")
parser.add_argument("--signups", type=int, default=200)
parser.add_argument("--capacity", type=int, default=100)
args = parser.parse_args()

data = tempfile.mkdtemp(prefix="kexie-bench-events.")
env = dict(os.environ, KEXIE_DATA_DIR=data)
env.pop("DATABASE_URL", None)
if args.postgres:
    env["DATABASE_URL"] = args.postgres
    subprocess.run(["psql", args.postgres, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public;"], check=True)
server = None


def run(*argv):
    return subprocess.run([args.bin, *argv], env=env, check=True, capture_output=True, text=True, timeout=600).stdout


def sql(statement, params=()):
    """Runs one statement on the bench's database and answers the rows."""
    if args.postgres:
        text = statement
        for p in params:
            text = text.replace("?", "'" + str(p).replace("'", "''") + "'", 1)
        out = subprocess.run(["psql", args.postgres, "-At", "-F", "\t", "-c", text], check=True, capture_output=True, text=True).stdout
        return [line.split("\t") for line in out.splitlines() if line]
    import sqlite3
    db = sqlite3.connect(os.path.join(data, "kexie.sqlite"))
    rows = db.execute(statement, params).fetchall()
    db.commit()
    db.close()
    return rows


try:
    run("migrate")
    run("demo", "--bare")
    token = run("token", "create", "--user", "demo.orgadmin", "--name", "bench").strip().splitlines()[-1].strip()
    org = sql("SELECT id FROM platform_organizations WHERE parent_id IS NULL")[0][0]
    creator = sql("SELECT id FROM platform_users WHERE username = 'demo.orgadmin'")[0][0]
    now = time.time()
    if args.postgres:
        event = str(uuid.uuid4())
        sql("""INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, venue, starts_at, ends_at,
               capacity, waitlist, moderated, fee_note, audience, confirmed_count, registration_sequence, created_by, created_at, updated_at)
               VALUES (?, '并发报名压测', '', 'forum', 'provincial', 'published', ?, '云海省科技会堂', now() + interval '7 days',
               now() + interval '7 days 2 hours', ?, true, false, '', 'public', 0, 0, ?, now(), now())""",
            (event, org, args.capacity, creator))
    else:
        event_id = uuid.uuid4()
        event = event_id.bytes if isinstance(org, bytes) else str(event_id).upper()
        sql("""INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, venue, starts_at, ends_at,
               capacity, waitlist, moderated, fee_note, audience, confirmed_count, registration_sequence, created_by, created_at, updated_at)
               VALUES (?, '并发报名压测', '', 'forum', 'provincial', 'published', ?, '云海省科技会堂', ?, ?, ?, 1, 0, '', 'public', 0, 0, ?, ?, ?)""",
            (event, org, now + 7 * 86400, now + 7 * 86400 + 7200, args.capacity, creator, now, now))
        event = str(event_id).upper()

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    log = open(os.path.join(data, "serve.log"), "w")
    server = subprocess.Popen([args.bin, "serve", "--hostname", "127.0.0.1", "--port", str(port), "--env", "production"],
                              env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1).read()
            break
        except OSError:
            time.sleep(0.2)

    def burst(url, request_headers):
        """The same burst against a route that does nothing: what 200 threads and connections cost here."""
        gate = threading.Barrier(args.signups)

        def get(_):
            request = urllib.request.Request(url, headers=request_headers)
            gate.wait(timeout=30)
            began = time.perf_counter()
            urllib.request.urlopen(request, timeout=30).read()
            return time.perf_counter() - began

        with ThreadPoolExecutor(max_workers=args.signups) as pool:
            return sorted(pool.map(get, range(args.signups), timeout=60))

    baseline = burst(base + "/healthz", {})
    baseline_token = burst(base + "/api/v1/events?per=1", {"Authorization": "Bearer " + token})

    path = f"{base}/api/v1/events/{event}/registrations"
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    # Every request is the sign-up of a new person, released together as at the opening of registration.
    start = threading.Barrier(args.signups)

    def signup(index):
        body = json.dumps({"name": f"压测{index:03d}", "phone": f"1380000{index:04d}"}).encode()
        request = urllib.request.Request(path, data=body, headers=headers, method="POST")
        start.wait(timeout=30)
        began = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answer = json.loads(response.read())
                status = response.status
        except urllib.error.HTTPError as error:
            answer, status = json.loads(error.read() or b"{}"), error.code
        return status, answer, time.perf_counter() - began

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.signups) as pool:
        results = list(pool.map(signup, range(args.signups), timeout=60))
    wall = time.perf_counter() - began

    statuses = [s for s, _, _ in results]
    bad = [(s, a) for s, a, _ in results if s != 201]
    if bad:
        print("non-201 answers:", bad[:5])
        sys.exit(1)
    listed = []
    page = 1
    while True:
        request = urllib.request.Request(f"{path}?per=200&page={page}", headers=headers)
        answer = json.loads(urllib.request.urlopen(request, timeout=30).read())
        listed += answer["items"]
        if len(listed) >= answer["total"]:
            break
        page += 1
    listed.sort(key=lambda r: r["sequence"])
    confirmed = [r for r in listed if r["status"] == "confirmed"]
    waiting = [r for r in listed if r["status"] == "waitlisted"]
    overflow = args.signups - args.capacity
    ok = (
        len(confirmed) == args.capacity
        and len(waiting) == overflow
        and [r["sequence"] for r in listed] == list(range(1, args.signups + 1))
        and all(r["status"] == "confirmed" for r in listed[: args.capacity])
        and [r["position"] for r in listed[args.capacity:]] == list(range(1, overflow + 1))
    )
    latencies = sorted(t for _, _, t in results)

    def pct(p, values=None):
        values = values or latencies
        return values[min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1)] * 1000

    database = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{database}: {args.signups} concurrent sign-ups, capacity {args.capacity}: "
          f"{len(confirmed)} confirmed, {len(waiting)} waitlisted, arrival order {'kept' if ok else 'BROKEN'}")
    print(f"latency p50 {pct(50):.1f} ms, p99 {pct(99):.1f} ms, max {latencies[-1] * 1000:.1f} ms; all answered in {wall * 1000:.0f} ms")
    print(f"same burst, same run: GET /healthz p50 {pct(50, baseline):.1f} ms, p99 {pct(99, baseline):.1f} ms; "
          f"GET /api/v1/events?per=1 with the token p50 {pct(50, baseline_token):.1f} ms, p99 {pct(99, baseline_token):.1f} ms")
    sys.exit(0 if ok else 1)
finally:
    if server:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    shutil.rmtree(data, ignore_errors=True)
