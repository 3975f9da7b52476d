#!/usr/bin/env python3
"""Seeds N published public events (default 10,000) straight into a demo SQLite file for
bench/events-calendar.sh: spread over four years around today, across the province's organizations,
every kind and level, a few hours each. Fluent stores dates as Unix seconds and ids as upper-case text."""
import argparse
import random
import sqlite3
import time
import uuid

KINDS = ["conference", "forum", "salon", "lecture", "training", "popularization", "competition", "other"]
LEVELS = ["international", "national", "regional", "provincial", "local"]
TOPICS = ["热带农业", "海洋科技", "智能制造", "数字经济", "临床医学", "新材料", "科普教育", "生态环保", "储能", "人工智能"]
FORMS = ["学术沙龙", "专题论坛", "院士专家报告会", "学术年会", "技能培训班", "科普活动"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--count", type=int, default=10000)
    args = parser.parse_args()
    db = sqlite3.connect(args.db)
    orgs = [row[0] for row in db.execute("SELECT id FROM platform_organizations WHERE is_active = 1")]
    creator = db.execute("SELECT id FROM platform_users WHERE username = 'demo.orgadmin'").fetchone()[0]
    rnd = random.Random(17)
    now = time.time()
    rows = []
    for i in range(args.count):
        start = now + rnd.uniform(-2 * 365, 2 * 365) * 86400
        start -= start % 1800
        end = start + rnd.choice([2, 3, 4, 8]) * 3600
        title = f"{rnd.choice(TOPICS)}{rnd.choice(FORMS)}（第 {i + 1} 场）"
        rows.append((
            str(uuid.uuid4()).upper(), title, "", rnd.choice(KINDS), rnd.choice(LEVELS), "published", rnd.choice(orgs),
            rnd.choice(TOPICS), "云海省科技会堂", None, start, end, rnd.choice([None, 50, 100, 300]), 1, 0, None, None, None,
            "免费", "public", None, 0, 0, creator, start - 30 * 86400, now, now,
        ))
    db.executemany(
        """INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, field, venue, online_link,
        starts_at, ends_at, capacity, waitlist, moderated, registration_opens_at, registration_closes_at, cancel_until,
        fee_note, audience, form_id, confirmed_count, registration_sequence, created_by, published_at, created_at, updated_at)
        VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        rows,
    )
    db.commit()
    db.execute("ANALYZE")
    print(f"seeded {len(rows)} events")


if __name__ == "__main__":
    main()
