#!/usr/bin/env python3
"""SIGKILL drill: does every write the server acknowledged survive the server being killed?

Loads the demo, starts `kexie serve`, and runs concurrent writers against it:
  - anonymous cases (POST /api/v1/cases), each from its own X-Forwarded-For address (the intake allows
    5 per address and hour; KEXIE_TRUST_PROXY=true makes the server believe the header),
  - people registered through the API with an administrator's token (POST /api/v1/people),
  - account sign-ups through the page's form (POST /signup, e-mail as contact).
Every 2xx/303 answer is recorded with what identifies the row. After a few seconds the server gets SIGKILL
while the writers are still sending; it is restarted and every acknowledged write is looked up in the
database. Several rounds; at the end `kexie audit verify` must report an intact chain.

Usage (see bench/README.md):
  python3 bench/kill-drill.py [--bin .build/release/kexie] [--rounds 3] [--seconds 5] [--database-url postgres://…]
Exit status 1 when an acknowledged write is missing or the audit chain is broken.
"""
import argparse
import http.client
import itertools
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARK = "断电演练"
LABELS = {"case": "cases", "person": "people", "signup": "sign-ups"}  # in every title, name and address written, so in-flight rows can be found too


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Kexie:
    def __init__(self, binary, data, database_url):
        self.binary, self.data, self.database_url = binary, data, database_url
        self.env = dict(os.environ, KEXIE_DATA_DIR=data, KEXIE_RESOURCES_DIR=str(ROOT), KEXIE_TRUST_PROXY="true",
                        KEXIE_BCRYPT_COST="8")
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def run(self, *args, check=True):
        result = subprocess.run([self.binary, *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600)
        if check and result.returncode != 0:
            sys.exit(f"kexie {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result

    def serve(self, port, log):
        args = [self.binary, "serve", "--port", str(port), "--demo"]
        return subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)


def request(port, method, path, body=None, headers=None, timeout=30):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), response.getheaders()
    finally:
        connection.close()


def wait_healthy(port, process, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("kexie serve exited during start")
        try:
            if request(port, "GET", "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    sys.exit("kexie serve did not answer /healthz")


class Ledger:
    """What was sent and what was acknowledged, per kind, shared by the writer threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.sent = {"case": set(), "person": set(), "signup": set()}
        self.acknowledged = {"case": {}, "person": {}, "signup": {}}
        self.refused = {"case": set(), "person": set(), "signup": set()}
        self.reasons = {}  # "kind status: first words of the answer" -> count
        self.counter = itertools.count(1)

    def next(self):
        with self.lock:
            return next(self.counter)

    def note_sent(self, kind, marker):
        with self.lock:
            self.sent[kind].add(marker)

    def withdraw(self, kind, marker):
        """The connection was refused: the request never reached a server (it was down)."""
        with self.lock:
            self.sent[kind].discard(marker)

    def acknowledge(self, kind, marker, identifier):
        with self.lock:
            self.acknowledged[kind][marker] = identifier

    def refuse(self, kind, marker, status, text):
        with self.lock:
            self.refused[kind].add(marker)
            words = " ".join(text.split())[:160]
            reason = f"{kind} {status}: {words}"
            self.reasons[reason] = self.reasons.get(reason, 0) + 1


def address(n):
    return f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}"


def id_number(index):
    birth = f"{1960 + index % 30:04d}{1 + index % 12:02d}{1 + index % 28:02d}"
    digits = "460100" + birth + f"{(2 * index + 1) % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return digits + "10X98765432"[sum(int(d) * w for d, w in zip(digits, weights)) % 11]


def chinese_number(n):
    return "".join("零一二三四五六七八九"[int(c)] for c in str(n))


def post(ledger, kind, marker, port, path, body, headers):
    ledger.note_sent(kind, marker)
    try:
        status, text, _ = request(port, "POST", path, body, headers)
    except ConnectionRefusedError:
        ledger.withdraw(kind, marker)
        raise
    return status, text


def write_case(port, ledger, n, _token):
    marker = f"{MARK}诉求{n}"
    body = json.dumps({"type": "suggestion", "title": marker, "content": "断电演练写入的诉求，用于核对确认过的写入是否都在。",
                       "contactName": "演练人", "contactPhone": f"137{n % 100_000_000:08d}"}, ensure_ascii=False).encode()
    status, text = post(ledger, "case", marker, port, "/api/v1/cases", body, {"Content-Type": "application/json", "X-Forwarded-For": address(n)})
    if status == 201:
        ledger.acknowledge("case", marker, json.loads(text)["trackingNumber"])
    else:
        ledger.refuse("case", marker, status, text)


def write_person(port, ledger, n, token):
    marker = MARK + chinese_number(n)
    person = {
        "name": marker, "sex": "男", "birthMonth": f"{1960 + n % 30:04d}-{1 + n % 12:02d}", "ethnicity": "汉族",
        "politicalStatus": "群众", "education": "大学本科", "degree": "学士", "titleName": "高级工程师", "employer": "云海热带农业科学院",
        "province": "云海省", "city": "东港市", "county": "青石县", "discipline": "210", "industry": "A",
        "researchDirection": "断电演练", "phone": f"136{n % 100_000_000:08d}", "email": "", "idNumber": id_number(n),
    }
    status, text = post(ledger, "person", marker, port, "/api/v1/people", json.dumps(person, ensure_ascii=False).encode(), {
        "Content-Type": "application/json", "Authorization": f"Bearer {token}", "X-Forwarded-For": address(n)})
    if status == 201:
        ledger.acknowledge("person", marker, json.loads(text)["id"].lower())
    else:
        ledger.refuse("person", marker, status, text)


def write_signup(port, ledger, n, _token):
    email = f"drill{n}@example.org"
    where = address(n)
    _, _, headers = request(port, "GET", "/signup", headers={"X-Forwarded-For": where})
    csrf = next((re.search(r"kexie_csrf=([^;]+)", v).group(1) for k, v in headers if k.lower() == "set-cookie" and "kexie_csrf=" in v), "")
    form = urllib.parse.urlencode({"displayName": MARK + chinese_number(n), "contact": email, "password": "Drill#2026x",
                                   "confirm": "Drill#2026x", "consent": "yes", "_csrf": csrf})
    status, text = post(ledger, "signup", email, port, "/signup", form, {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"kexie_csrf={csrf}", "X-Forwarded-For": where})
    if status == 303:
        ledger.acknowledge("signup", email, email)
    else:
        ledger.refuse("signup", email, status, text)


def writer(kind, port, ledger, stop, token):
    send = {"case": write_case, "person": write_person, "signup": write_signup}[kind]
    while not stop.is_set():
        try:
            send(port, ledger, ledger.next(), token)
        except (OSError, http.client.HTTPException):
            if stop.is_set():
                return
            time.sleep(0.01)  # the server is gone; the main thread is about to notice


class Database:
    """Reads the rows back: sqlite3 on the file, or psql for PostgreSQL."""

    def __init__(self, data, database_url):
        self.path = os.path.join(data, "kexie.sqlite")
        self.url = database_url
        self.psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"

    def query(self, sql):
        if self.url:
            result = subprocess.run([self.psql, self.url, "-At", "-F", "\t", "-c", sql], capture_output=True, text=True, timeout=120)
            if result.returncode != 0:
                sys.exit(result.stderr)
            return [line.split("\t") for line in result.stdout.splitlines()]
        db = sqlite3.connect(self.path, timeout=30)
        try:
            return [[str(v) for v in row] for row in db.execute(sql).fetchall()]
        finally:
            db.close()

    def present(self):
        like = f"'{MARK}%'"
        cases = {title: code for title, code in self.query(f"SELECT title, tracking_code FROM servicehall_cases WHERE title LIKE {like}")}
        people = {name: pid.lower() for name, pid in self.query(f"SELECT name, id FROM platform_people WHERE name LIKE {like}")}
        signups = {row[0]: row[0] for row in self.query("SELECT email FROM platform_users WHERE email LIKE 'drill%@example.org'")}
        return {"case": cases, "person": people, "signup": signups}


def check_backups(binary, data, backups):
    """Each backup taken under load restores into a fresh SQLite folder with matching row counts and an intact
    audit chain (the chain's head and its rows are written together, so a backup that mixed two moments
    would break it)."""
    failures = 0
    for backup, returncode, error in backups:
        if returncode != 0:
            print(f"backup {os.path.basename(backup)}: FAILED {error}")
            failures += 1
            continue
        target = backup + "-restored"
        os.makedirs(target)
        shutil.copy2(os.path.join(data, "secret.key"), target)
        restored = Kexie(binary, target, "").run("restore", backup, check=False)
        lines = restored.stdout.splitlines()
        summary = [line for line in lines if "行数核对" in line or "审计链" in line]
        manifest = json.load(open(os.path.join(backup, "manifest.json"), encoding="utf-8"))
        rows = sum(t["rows"] for t in manifest["tables"])
        status = "ok" if restored.returncode == 0 else "FAILED " + restored.stderr.strip()
        print(f"backup {os.path.basename(backup)} under load: {rows} rows; restored into SQLite: {status}; " + " ".join(summary))
        failures += restored.returncode != 0
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_bin = ROOT / ".build" / "release" / "kexie"
    parser.add_argument("--bin", default=str(default_bin if default_bin.exists() else ROOT / ".build" / "debug" / "kexie"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0, help="writing time before each SIGKILL")
    parser.add_argument("--writers", type=int, default=4, help="threads per kind of write")
    parser.add_argument("--database-url", default="", help="an empty PostgreSQL database (default: SQLite in a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder")
    parser.add_argument("--no-backup", action="store_true", help="skip the backup taken under load in each round")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="kexie-kill-drill-")
    kexie = Kexie(args.bin, data, args.database_url)
    database = Database(data, args.database_url)
    print(f"kill drill: {args.bin}, {'PostgreSQL' if args.database_url else 'SQLite'}, data folder {data}")
    if args.database_url:
        kexie.run("migrate")
    kexie.run("demo")
    token = kexie.run("token", "create", "--user", "demo.orgadmin").stdout.strip().splitlines()[-1]

    ledger = Ledger()
    log = open(os.path.join(data, "serve.log"), "a")
    port = free_port()
    missing_total = 0
    backups = []
    tracking_failures = 0
    for round_number in range(1, args.rounds + 1):
        server = kexie.serve(port, log)
        wait_healthy(port, server)
        before = {kind: len(acks) for kind, acks in ledger.acknowledged.items()}
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(kind, port, ledger, stop, token), daemon=True)
                   for kind in ("case", "person", "signup") for _ in range(args.writers)]
        for thread in threads:
            thread.start()
        time.sleep(args.seconds / 2)
        backup = None
        if not args.no_backup:
            # A backup taken beside the running server under write load; restored and checked after the rounds.
            backup = os.path.join(data, f"backup-{round_number}")
            made = kexie.run("backup", backup, check=False)
            backups.append((backup, made.returncode, made.stderr.strip()))
        time.sleep(args.seconds / 2)
        server.send_signal(signal.SIGKILL)  # mid-stream: the writers are still sending
        server.wait()
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        server = kexie.serve(port, log)
        wait_healthy(port, server)
        present = database.present()
        parts = []
        for kind in ("case", "person", "signup"):
            acknowledged = ledger.acknowledged[kind]
            missing = [m for m, identifier in acknowledged.items() if present[kind].get(m) != identifier]
            missing_total += len(missing)
            in_flight = ledger.sent[kind] - acknowledged.keys() - ledger.refused[kind]
            committed_unacknowledged = len([m for m in in_flight if m in present[kind]])
            parts.append(f"{LABELS[kind]} acknowledged {len(acknowledged)} (+{len(acknowledged) - before[kind]}), found "
                         f"{len(acknowledged) - len(missing)}; unanswered so far {len(in_flight)}, of which committed {committed_unacknowledged}")
            for marker in missing[:5]:
                print(f"  MISSING {kind}: {marker} -> {acknowledged[marker]}")
        print(f"round {round_number}: SIGKILL after {args.seconds:.1f} s — " + "; ".join(parts))
        # The served view agrees with the database: a few tracking numbers through the public API.
        for index, code in enumerate(list(ledger.acknowledged["case"].values())[-5:]):
            status, _, _ = request(port, "GET", f"/api/v1/cases/track/{code}", headers={"X-Forwarded-For": address(9_000_000 + index)})
            if status != 200:
                tracking_failures += 1
                print(f"  tracking {code} answered {status}")
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)

    total_acknowledged = sum(len(v) for v in ledger.acknowledged.values())
    refused = sum(len(v) for v in ledger.refused.values())
    verify = kexie.run("audit", "verify", check=False)
    print(f"total: acknowledged {total_acknowledged}, found {total_acknowledged - missing_total}, missing {missing_total}; "
          f"refused (non-2xx) {refused}; tracking look-ups failed {tracking_failures}")
    for reason, count in sorted(ledger.reasons.items()):
        print(f"  refused {count}× {reason}")
    print("kexie audit verify: " + (verify.stdout.strip().splitlines() or [""])[-1] + verify.stderr.strip())
    backup_failures = check_backups(args.bin, data, backups)
    log.close()
    if not args.keep:
        shutil.rmtree(data, ignore_errors=True)
    if missing_total or tracking_failures or backup_failures or verify.returncode != 0:
        sys.exit(1)


if __name__ == "__main__":
    main()
