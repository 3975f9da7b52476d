"""The operator commands, run as an operator would: a fresh data folder, accounts and tokens from the
command line, the token used against the API, and the audit chain verified before and after tampering."""
import json
import os
import sqlite3
import subprocess
import tempfile
import urllib.request

import pytest

from conftest import BINARY, ROOT, Server


def kexie(data, *args, stdin=None):
    env = dict(os.environ, KEXIE_DATA_DIR=data, KEXIE_BCRYPT_COST="8", KEXIE_RESOURCES_DIR=str(ROOT))
    env.pop("DATABASE_URL", None)
    return subprocess.run([BINARY, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=120)


def test_every_command_has_help():
    data = tempfile.mkdtemp(prefix="kexie-cli-")
    for command in (["serve"], ["migrate"], ["demo"], ["user", "create"], ["token", "create"], ["audit", "verify"], ["routes"]):
        result = kexie(data, *command, "--help")
        assert result.returncode == 0, (command, result.stderr)
        assert "Usage" in result.stdout or "用法" in result.stdout or "--" in result.stdout, command


def test_user_token_and_audit_commands():
    data = tempfile.mkdtemp(prefix="kexie-cli-")
    assert kexie(data, "migrate").returncode == 0
    assert os.stat(os.path.join(data, "secret.key")).st_mode & 0o777 == 0o600
    refused = kexie(data, "user", "create", "--username", "ops", "--role", "sysadmin")
    assert refused.returncode != 0, "no organization yet: the command refuses"
    demo = kexie(data, "demo")
    assert demo.returncode == 0, demo.stderr
    assert "demo.sysadmin" in demo.stdout
    weak = kexie(data, "user", "create", "--username", "ops", "--role", "auditor", stdin="weak\n")
    assert weak.returncode != 0
    assert "密码" in weak.stderr + weak.stdout
    created = kexie(data, "user", "create", "--username", "ops", "--role", "auditor", stdin="Audit#2026ok\n")
    assert created.returncode == 0, created.stderr
    token = kexie(data, "token", "create", "--user", "ops", "--expires", "7")
    assert token.returncode == 0, token.stderr
    secret = token.stdout.strip().splitlines()[-1]
    assert secret.startswith("kx_")

    # Serve the same data folder to use the token against the API.
    import socket, time
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, KEXIE_DATA_DIR=data, KEXIE_RESOURCES_DIR=str(ROOT))
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen([BINARY, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/me", headers={"Authorization": f"Bearer {secret}"})
        me = json.load(urllib.request.urlopen(request, timeout=5))
        assert me["username"] == "ops"
        assert "platform.audit.read" in me["permissions"]
    finally:
        process.terminate()
        process.wait(timeout=15)

    intact = kexie(data, "audit", "verify")
    assert intact.returncode == 0, intact.stderr
    assert "审计链完整" in intact.stdout

    db = sqlite3.connect(os.path.join(data, "kexie.sqlite"))
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE platform_audit_entries SET summary = 'x' WHERE id = 3")
    db.execute("DROP TRIGGER platform_audit_no_update")
    db.execute("UPDATE platform_audit_entries SET summary = '篡改' WHERE id = 3")
    db.commit()
    db.close()
    broken = kexie(data, "audit", "verify")
    assert broken.returncode != 0
    assert "第 3 条记录的内容被修改" in broken.stderr + broken.stdout


def test_plan_parse_prints_the_task_tree_as_json():
    data = tempfile.mkdtemp(prefix="kexie-cli-")
    sample = ROOT / "Tests" / "KexieKitTests" / "Fixtures" / "plans" / "fujian-2020-work-points.docx"
    expected = json.loads((sample.parent / "fujian-2020-work-points.expected.json").read_text(encoding="utf-8"))
    result = kexie(data, "plan", "parse", str(sample), "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert plan["title"] == expected["title"]

    def walk(items):
        for item in items:
            yield item
            yield from walk(item["children"])

    with_units = [item for item in walk(plan["items"]) if item["departments"]]
    labels = {(item["label"], item["heading"]) for item in with_units}
    for task in expected["tasks"]:
        assert (task["label"], task["heading"]) in labels, task["heading"]
    missing = kexie(data, "plan", "parse", "/nonexistent.docx")
    assert missing.returncode != 0


def test_match_ranks_supplies_for_each_demand(tmp_path):
    supplies = tmp_path / "supplies.jsonl"
    demands = tmp_path / "demands.jsonl"
    supplies.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in [
        {"id": "S1", "title": "天然橡胶电动割胶刀", "description": "减轻胶工劳动强度的电动割胶技术", "industry": "A", "region": "海南省"},
        {"id": "S2", "title": "废旧轮胎再生胶脱硫工艺", "description": "轮胎回收制备再生橡胶", "industry": "C", "region": "广东省"},
        {"id": 3, "title": "锂离子电池正极材料", "description": "高镍三元正极", "industry": "C", "region": "海南省"},
    ]), encoding="utf-8")
    demands.write_text(json.dumps({"id": "D1", "title": "胶园割胶省力", "description": "割胶工人短缺，需要割胶机械", "industry": "A", "region": "海南省"}, ensure_ascii=False), encoding="utf-8")
    result = kexie(str(tmp_path), "match", "--supplies", str(supplies), "--demands", str(demands), "--top", "2", "--format", "json")
    assert result.returncode == 0, result.stderr
    ranked = json.loads(result.stdout)
    assert ranked[0]["demand"] == "D1"
    assert ranked[0]["matches"][0]["supply"] == "S1"
    assert ranked[0]["matches"][0]["reasons"]
    assert len(ranked[0]["matches"]) <= 2
