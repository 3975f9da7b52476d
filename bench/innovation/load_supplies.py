"""Loads the matching bench's synthetic supplies (bench/matching/generate.py, JSON Lines) into a demo
SQLite database as published technology supplies, so the web pages and the API rank against them.

Usage: python3 bench/innovation/load_supplies.py --db KEXIE_DATA_DIR/kexie.sqlite --supplies FILE [--count N]
The rows belong to the demo province and its office account; they are not put in the search index
(the bench measures matching and the unfiltered list, not full-text search).
"""
import argparse
import datetime
import json
import sqlite3
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--supplies", required=True)
    parser.add_argument("--count", type=int, default=100000)
    args = parser.parse_args()
    db = sqlite3.connect(args.db)
    province = db.execute("SELECT id FROM platform_organizations WHERE parent_id IS NULL").fetchone()
    owner = db.execute("SELECT id FROM platform_users WHERE username = 'demo.orgadmin'").fetchone()
    if not province or not owner:
        raise SystemExit("run `kexie demo` first")
    today = datetime.date.today().isoformat()
    now = datetime.datetime.now(datetime.timezone.utc).timestamp()  # Fluent stores dates as Unix seconds on SQLite
    rows = []
    with open(args.supplies, encoding="utf-8") as handle:
        for line in handle:
            if len(rows) >= args.count:
                break
            record = json.loads(line)
            trl = record.get("trl")
            rows.append((
                str(uuid.uuid4()).upper(), "supply", "published", record["title"], record.get("description", "")[:500],
                record.get("description", ""), "", None, record.get("industry"), trl if isinstance(trl, int) else None, "",
                "institute", "生成数据", province[0], owner[0], str(record.get("region", "")), "[]", "", None, None,
                "", "", "", "", today, now, now,
            ))
    # Keywords are a list column (JSON text on SQLite); cooperation modes are rows of their own.
    db.executemany(
        """INSERT INTO innovation_postings (id, kind, state, title, summary, public_detail, confidential_detail, field,
        industry, readiness, patents, owner_kind, owner_name, organization_id, owner_user_id, region,
        keywords, indicators, deadline, budget, ip_ownership, solver_conditions, contact_name, contact_phone, published_on,
        created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
        rows,
    )
    db.executemany(
        "INSERT INTO innovation_posting_modes (id, posting_id, mode) VALUES (?, ?, 'license')",
        [(str(uuid.uuid4()).upper(), row[0]) for row in rows],
    )
    db.commit()
    print(f"loaded {len(rows)} published supplies")


if __name__ == "__main__":
    main()
