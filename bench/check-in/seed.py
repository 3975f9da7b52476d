"""Seeds the check-in benchmark straight into the SQLite file of a `kexie demo --bare` data folder: one
published event of 青石县科协 with N confirmed registrations (codes as KexieKit's CheckInCode makes them)
and T API tokens of demo.staff (a token may make 1,200 requests a minute, so wrk rotates through many).
Writes codes.txt and tokens.txt beside the database and prints the event id."""
import argparse
import hashlib
import os
import random
import secrets
import sqlite3
import time
import uuid

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def code():
    values = [random.randrange(31) for _ in range(7)]
    total = sum((i + 1) * v for i, v in enumerate(values)) % 31
    return "".join(ALPHABET[v] for v in values + [((31 - total) % 31) * 4 % 31])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", required=True)
    parser.add_argument("--registrations", type=int, default=20000)
    parser.add_argument("--tokens", type=int, default=200)
    args = parser.parse_args()
    db = sqlite3.connect(os.path.join(args.data, "kexie.sqlite"))
    org_id, = db.execute("SELECT id FROM platform_organizations WHERE name = '青石县科学技术协会'").fetchone()
    user_id, = db.execute("SELECT id FROM platform_users WHERE username = 'demo.staff'").fetchone()

    def new_id():
        value = uuid.uuid4()
        return value.bytes if isinstance(org_id, bytes) else str(value).upper()

    now = time.time()
    event_id = new_id()
    db.execute(
        "INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, venue, starts_at, ends_at, capacity, "
        "waitlist, moderated, fee_note, audience, confirmed_count, registration_sequence, created_by, created_at, updated_at) "
        "VALUES (?, '签到压测年会', '压测', 'conference', 'provincial', 'published', ?, '会展中心', ?, ?, NULL, 0, 0, '', 'public', ?, ?, ?, ?, ?)",
        (event_id, org_id, now, now + 8 * 3600, args.registrations, args.registrations, user_id, now, now))
    seen = set()
    rows = []
    while len(rows) < args.registrations:
        c = code()
        if c in seen:
            continue
        seen.add(c)
        n = len(rows) + 1
        rows.append((new_id(), event_id, n, f"参会者{n}", c, now, now))
    db.executemany(
        "INSERT INTO events_registrations (id, event_id, status, channel, sequence, name, unit, code, created_at, updated_at) "
        "VALUES (?, ?, 'confirmed', 'staff', ?, ?, '压测单位', ?, ?, ?)", rows)
    tokens = []
    for i in range(args.tokens):
        token = "kx_" + secrets.token_urlsafe(32)
        tokens.append(token)
        db.execute(
            "INSERT INTO platform_api_tokens (id, user_id, name, token_hash, prefix, expires_at, revoked_at, last_used_at, read_only, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, 0, ?)",
            (new_id(), user_id, f"bench {i}", hashlib.sha256(token.encode()).hexdigest(), token[:9], now + 86400, now))
    db.commit()
    with open(os.path.join(args.data, "codes.txt"), "w") as f:
        f.write("\n".join(r[4] for r in rows) + "\n")
    with open(os.path.join(args.data, "tokens.txt"), "w") as f:
        f.write("\n".join(tokens) + "\n")
    printable = event_id.hex() if isinstance(event_id, bytes) else event_id
    print(str(uuid.UUID(printable)).upper())


if __name__ == "__main__":
    main()
