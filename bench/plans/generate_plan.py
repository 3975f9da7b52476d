#!/usr/bin/env python3
"""Benchmark data for Plans (benchmark only).

`text --pages 50 --out FILE` writes a plan of 50 printed pages in the shape of the real 工作要点: sections
一、…, numbered items with targets, deadlines and a responsibility note. A page is what GB/T 9704 (the
format of official documents) puts on A4: 22 lines of 28 characters, 616 characters; `--chars-per-page`
changes it (1000 makes a denser, harder case).

`load --db DATA/kexie.sqlite --tasks 500 --reports 5000` loads a confirmed plan of the demo province
straight into the SQLite file: tasks spread over the province's departments and a few organizations,
each with a target, and reports spread over the tasks and this year's months.
"""
import argparse
import datetime
import random
import sqlite3
import uuid

VERBS = ["举办", "组织", "开展", "推荐", "新建", "培训", "资助", "评选"]
THINGS = ["科普大讲堂", "学术沙龙", "青年科技人才", "科普教育基地", "社区科普e站", "基层科协干部", "学会服务站", "科技志愿者"]
UNITS = ["场", "名", "个", "人次", "期", "家"]
DEPTS = ["办公室", "科普部", "学会部", "组织人事部", "宣传部", "青少年部", "国际部"]
SECTIONS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def item(rng, n):
    verb, thing, unit = rng.choice(VERBS), rng.choice(THINGS), rng.choice(UNITS)
    lead, co = rng.sample(DEPTS, 2)
    month = rng.randint(3, 12)
    return (f"{n}.{verb}{thing}。全年{verb}{thing}{rng.randint(2, 60)}{unit}以上，覆盖基层群众{rng.randint(1, 9)}万人次，"
            f"{month}月{rng.randint(1, 28)}日前完成阶段任务，推动工作提质增效，形成可复制可推广的经验做法。"
            f"（牵头单位：{lead}；配合单位：{co}、各市县科协）")


def text(args):
    rng = random.Random(args.seed)
    lines = ["云海省科协2026年工作要点", ""]
    n, chars = 1, 0
    while chars < args.pages * args.chars_per_page:
        section = SECTIONS[(n // 40) % len(SECTIONS)]
        if n % 40 == 1:
            lines.append(f"{section}、聚焦重点任务推进第{section}方面工作")
        line = item(rng, n)
        lines.append(line)
        chars += len(line)
        n += 1
    with open(args.out, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"{n - 1} items, {chars} characters")


def load(args):
    rng = random.Random(args.seed)
    db = sqlite3.connect(args.db)
    province, = db.execute("SELECT id FROM platform_organizations ORDER BY LENGTH(path) LIMIT 1").fetchone()
    departments = [row for row in db.execute("SELECT id, name FROM platform_departments WHERE organization_id = ?", (province,))]
    counties = [row for row in db.execute("SELECT id, name FROM platform_organizations WHERE level = 'county' LIMIT 5")]
    user, = db.execute("SELECT id FROM platform_users WHERE username = 'demo.orgadmin'").fetchone()
    now = datetime.datetime.now(datetime.timezone.utc).timestamp()
    year = datetime.date.today().year
    plan = str(uuid.uuid4()).upper()
    db.execute(
        "INSERT INTO plans_plans (id, organization_id, title, year, status, cadence, file_name, weight_completion, "
        "weight_timeliness, weight_quality, created_by, confirmed_at, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (plan, province, f"云海省科协{year}年工作要点（压力测试）", year, "active", "monthly", "bench.txt", 50, 30, 20, user, now, now, now))
    tasks = []
    for n in range(1, args.tasks + 1):
        task = str(uuid.uuid4()).upper()
        tasks.append(task)
        lead_id, lead_name = rng.choice(departments)
        deadline = datetime.date(year, rng.randint(3, 12), rng.randint(1, 28)).isoformat()
        state = rng.choices(["open", "requested", "done"], weights=[70, 10, 20])[0]
        percent = 100 if state == "done" else rng.randint(0, 95)
        db.execute(
            "INSERT INTO plans_tasks (id, plan_id, sequence, section, label, heading, source_text, lead_names, co_names, included, "
            "deadline, state, percent, last_report_on, completed_on, quality_score, lead_organization_id, lead_department_id) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (task, plan, n, f"{SECTIONS[(n // 50) % 10]}、第{(n // 50) + 1}部分", f"{n}.", f"重点任务{n}", item(rng, n), lead_name, "",
             True, deadline, state, percent, None, deadline if state == "done" else None, 85 if state == "done" else None,
             province, lead_id))
        db.execute("INSERT INTO plans_task_units (id, task_id, plan_id, role, name, organization_id, department_id) VALUES (?,?,?,?,?,?,?)",
                   (str(uuid.uuid4()).upper(), task, plan, "lead", lead_name, province, lead_id))
        co_id, co_name = rng.choice(counties)
        db.execute("INSERT INTO plans_task_units (id, task_id, plan_id, role, name, organization_id, department_id) VALUES (?,?,?,?,?,?,?)",
                   (str(uuid.uuid4()).upper(), task, plan, "co", co_name, co_id, None))
        db.execute("INSERT INTO plans_targets (id, task_id, value, up_to, qualifier, unit, text, metric_id, actual, actual_at) "
                   "VALUES (?,?,?,?,?,?,?,?,?,?)",
                   (str(uuid.uuid4()).upper(), task, rng.randint(5, 60), None, "以上", "场", "举办活动", None, rng.randint(0, 40), now))
    for _ in range(args.reports):
        month = rng.randint(1, 11)
        db.execute(
            "INSERT INTO plans_progress_reports (id, task_id, plan_id, period, percent, narrative, reporter_id, reporter_name, "
            "reported_on, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (str(uuid.uuid4()).upper(), rng.choice(tasks), plan, f"{year}-{month:02d}", rng.randint(0, 100), "按计划推进，已完成阶段任务。",
             user, "演示", f"{year}-{month:02d}-15", now))
    db.execute("ANALYZE")
    db.commit()
    print(plan)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    t = sub.add_parser("text")
    t.add_argument("--pages", type=int, default=50)
    t.add_argument("--out", required=True)
    t.add_argument("--seed", type=int, default=5)
    t.add_argument("--chars-per-page", type=int, default=616)
    l = sub.add_parser("load")
    l.add_argument("--db", required=True)
    l.add_argument("--tasks", type=int, default=500)
    l.add_argument("--reports", type=int, default=5000)
    l.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    text(args) if args.command == "text" else load(args)


if __name__ == "__main__":
    main()
