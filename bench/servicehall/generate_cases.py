#!/usr/bin/env python3
"""Loads N generated service-hall cases straight into a Kexie SQLite database (benchmark only).

The demo province must be loaded (`kexie demo`) and migrated. Cases are spread over the demo's
organizations, types, states and dates of the current year; answered ones carry working days, on-time
flags and ratings, so the queue and statistics pages have real work to do. Contact phones are random
placeholders (not decryptable): the pages show them as "—".

    python3 bench/servicehall/generate_cases.py --db DATA/kexie.sqlite --count 100000 [--seed 3]
"""
import argparse
import datetime
import random
import sqlite3
import uuid

TYPES = ["suggestion", "appeal", "rights", "legal", "title", "other"]
STATES = ["pending", "accepted", "in_progress", "answered", "closed", "rejected"]
WORDS = ["科普", "职称", "评审", "专利", "维权", "实验室", "橡胶", "热带", "农业", "青年", "人才", "学会", "基金", "培训", "乡村"]
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def tracking(rng):
    body = "".join(rng.choice(ALPHABET) for _ in range(12))
    return f"KX-{body[:4]}-{body[4:8]}-{body[8:]}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    db = sqlite3.connect(args.db)
    orgs = [row[0] for row in db.execute("SELECT id FROM platform_organizations WHERE kind = 'association'")]
    departments = {}
    for org, dept in db.execute("SELECT organization_id, id FROM platform_departments"):
        departments.setdefault(org, []).append(dept)
    if not orgs:
        raise SystemExit("no organizations: run `kexie demo` first")
    year = datetime.date.today().year
    start = datetime.date(year, 1, 1)
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.timezone.utc).timestamp()  # Fluent stores dates as Unix seconds on SQLite
    rows = []
    for i in range(args.count):
        org = rng.choice(orgs[:1] * 6 + orgs)  # the province receives the most
        received = start + datetime.timedelta(days=rng.randrange(0, 320))
        state = rng.choices(STATES, weights=[8, 6, 20, 16, 45, 5])[0]
        accept_due = received + datetime.timedelta(days=7)
        answer_due = received + datetime.timedelta(days=25) if state != "pending" else None
        dept = rng.choice(departments.get(org, [None])) if state in ("in_progress", "answered", "closed") else None
        answered = state in ("answered", "closed")
        days = rng.randint(3, 25) if answered else None
        answered_on = received + datetime.timedelta(days=days) if answered else None
        # A steady state, as the background jobs leave it: answered cases older than a week are closed,
        # overdue ones were escalated already (else the jobs' first run competes with the measurement).
        if state == "answered" and answered_on <= today - datetime.timedelta(days=7):
            state = "closed"
        running_due = accept_due if state == "pending" else answer_due if state in ("accepted", "in_progress") else None
        escalated = today.isoformat() if running_due and running_due < today else None
        rating = rng.randint(1, 5) if state == "closed" else None
        title = "".join(rng.sample(WORDS, 2)) + "相关事项"
        rows.append((
            str(uuid.uuid4()).upper(), tracking(rng), rng.choice(TYPES), title, "请研究并答复。" * 3, rng.random() < 0.3, state, None,
            "生成", "placeholder", uuid.uuid4().hex, uuid.uuid4().hex, org, dept, now, received.isoformat(),
            accept_due.isoformat(), False, None, "[]", received.isoformat() if state != "pending" else None,
            answer_due.isoformat() if answer_due else None, "已答复" if answered else None,
            answered_on.isoformat() if answered else None, rating, None,
            None, None, None, days, (days <= 15) if answered else None, escalated, now, now,
        ))
    db.executemany(
        """INSERT INTO servicehall_cases (id, tracking_code, type, title, content, is_public, state, requester_user_id,
        contact_name, contact_phone_cipher, contact_phone_lookup, submitter_lookup, organization_id, department_id, submitted_at,
        received_on, accept_due, due_provisional, routing_note, co_department_ids, accepted_on, answer_due, answer, answered_on,
        rating, rating_comment, closed_on, adopted_on, adoption_note, answer_working_days, answered_on_time, escalated_on,
        created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        rows,
    )
    # The statistics page reads running totals the application keeps as cases change; cases loaded
    # behind its back need them recounted (the same statement as CaseTotals.rebuild).
    db.execute("DELETE FROM servicehall_case_totals")
    db.execute(
        """INSERT INTO servicehall_case_totals (organization_id, department_id, type, year, volume, answered, on_time, days_sum,
        days_count, rating_sum, rating_count)
        SELECT organization_id, COALESCE(department_id, '00000000-0000-0000-0000-000000000000'), type,
        CAST(SUBSTR(received_on, 1, 4) AS INTEGER), COUNT(*), SUM(answered_on IS NOT NULL), SUM(COALESCE(answered_on_time, 0)),
        COALESCE(SUM(answer_working_days), 0), COUNT(answer_working_days), COALESCE(SUM(rating), 0), COUNT(rating)
        FROM servicehall_cases GROUP BY 1, 2, 3, 4"""
    )
    db.execute("ANALYZE")
    db.commit()
    print(f"loaded {args.count} cases")


if __name__ == "__main__":
    main()
