"""Backup and restore drill, run as an operator would: load the demo, write through the API while the server
runs, `kexie backup` beside the running server, restore into a fresh data folder (or an empty PostgreSQL
database), compare checksums and row counts, then serve the restored installation and log in.

PostgreSQL runs when KEXIE_E2E_POSTGRES names a server (`postgres://user@host:port`, a user that may create
databases) and `psql` is on PATH; .ci/run sets it to its throwaway cluster."""
import hashlib
import json
import os
import pathlib
import shutil
import sqlite3
import subprocess
import uuid

import pytest

from operator_cli import Serving, demo_accounts, kexie, person

POSTGRES = os.environ.get("KEXIE_E2E_POSTGRES", "")


def write_some(server, token):
    """Three anonymous cases and two people through the token: what must survive the backup."""
    tracking, people = [], []
    for index in range(3):
        body = json.dumps({"type": "suggestion", "title": f"备份演练诉求{index}", "content": "这是一条在备份之前写入的诉求内容。",
                           "contactName": "演练人", "contactPhone": f"1370000{index:04d}"}, ensure_ascii=False)
        status, text, _ = server.request("POST", "/api/v1/cases", body.encode(), {"Content-Type": "application/json"})
        assert status == 201, text
        tracking.append(json.loads(text)["trackingNumber"])
    for index in range(2):
        body = json.dumps(person(index + 1), ensure_ascii=False).encode()
        status, text, _ = server.request("POST", "/api/v1/people", body, {
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        assert status == 201, text
        people.append(json.loads(text)["id"])
    return tracking, people


def verify_checksums(backup):
    """What `sha256sum -c SHA256SUMS` does, plus the manifest's own list."""
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    lines = (backup / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split("  ", 1)
        listed[name] = digest
        assert hashlib.sha256((backup / name).read_bytes()).hexdigest() == digest, name
    for entry in manifest["files"]:
        assert listed[entry["path"]] == entry["sha256"], entry["path"]
    assert "manifest.json" in listed
    assert {t["file"] for t in manifest["tables"]} <= listed.keys()
    return manifest


def count_sql(tables):
    return " UNION ALL ".join(f"SELECT '{t}', COUNT(*) FROM \"{t}\"" for t in tables)


def sqlite_counts(data, tables):
    db = sqlite3.connect(os.path.join(data, "kexie.sqlite"))
    try:
        return dict(db.execute(count_sql(tables)).fetchall())
    finally:
        db.close()


def psql(url, sql):
    result = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", sql], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def postgres_counts(url, tables):
    return {name: int(n) for name, n in (line.split("\t") for line in psql(url, count_sql(tables)).splitlines())}


@pytest.fixture
def databases():
    """Two empty PostgreSQL databases (source, target), dropped afterwards."""
    suffix = uuid.uuid4().hex[:8]
    names = [f"kexie_drill_src_{suffix}", f"kexie_drill_dst_{suffix}"]
    admin = POSTGRES.rstrip("/") + "/postgres"
    for name in names:
        psql(admin, f"CREATE DATABASE {name}")
    yield [POSTGRES.rstrip("/") + "/" + name for name in names]
    for name in names:
        psql(admin, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def drill(tmp_path, source_url=None, target_url=None):
    source = str(tmp_path / "source")
    backup = tmp_path / "backup"
    if source_url:
        kexie(source, "migrate", database_url=source_url)
    kexie(source, "demo", database_url=source_url)
    accounts = demo_accounts(source)
    token = kexie(source, "token", "create", "--user", "demo.orgadmin", database_url=source_url).stdout.strip().splitlines()[-1]

    server = Serving(source, source_url)
    try:
        tracking, people = write_some(server, token)
        # Backed up beside the running server: the snapshot must be consistent without stopping it.
        made = kexie(source, "backup", str(backup), database_url=source_url)
        assert "备份完成" in made.stdout and "密钥指纹" in made.stdout, made.stdout
    finally:
        server.stop()

    manifest = verify_checksums(backup)
    assert manifest["secretKey"]["included"] is False
    assert not (backup / "secret.key").exists()
    key = pathlib.Path(source, "secret.key").read_text().strip()
    assert key not in "".join(p.read_text(encoding="utf-8") for p in backup.rglob("*") if p.is_file())
    assert oct((backup).stat().st_mode & 0o777) == "0o700"
    rows = {t["name"]: t["rows"] for t in manifest["tables"]}
    assert rows["servicehall_cases"] >= 3 and rows["platform_users"] >= 8

    target = str(tmp_path / "target")
    os.makedirs(target)
    shutil.copy2(os.path.join(source, "secret.key"), target)  # the key travels separately, by the operator's hand
    checked = kexie(target, "restore", str(backup), "--check", database_url=target_url)
    assert "校验通过" in checked.stdout, checked.stdout
    restored = kexie(target, "restore", str(backup), database_url=target_url)
    assert f"{len(rows)}/{len(rows)} 张表与清单一致" in restored.stdout, restored.stdout
    assert "审计链完整" in restored.stdout, restored.stdout
    assert "恢复完成" in restored.stdout, restored.stdout

    counts = postgres_counts(target_url, rows) if target_url else sqlite_counts(target, rows)
    expected = dict(rows, platform_audit_entries=rows["platform_audit_entries"] + 1)  # plus the restore's own entry
    assert counts == expected

    again = Serving(target, target_url)
    try:
        assert again.login("demo.staff", accounts["demo.staff"][0]) == "home", "a demo account logs in after the restore"
        # An administrator's authenticator secret is sealed with the key: the code only works if the key came back too.
        assert again.login("demo.orgadmin", *accounts["demo.orgadmin"]) == "home", "the second factor works after the restore"
        for number in tracking:
            status, text, _ = again.request("GET", f"/api/v1/cases/track/{number}")
            assert status == 200, text
        for person_id in people:
            status, text, _ = again.request("GET", f"/api/v1/people/{person_id}", headers={"Authorization": f"Bearer {token}"})
            assert status == 200, text
    finally:
        again.stop()
    verified = kexie(target, "audit", "verify", database_url=target_url)
    assert "审计链完整" in verified.stdout
    return backup, target


def test_backup_and_restore_on_sqlite(tmp_path):
    backup, target = drill(tmp_path)

    again = kexie(target, "restore", str(backup), check=False)
    assert again.returncode != 0 and "不是空的" in again.stderr, again.stderr

    other = str(tmp_path / "other-key")
    refused = kexie(other, "restore", str(backup), check=False)  # a new key is generated: not the backup's
    assert refused.returncode != 0 and "密钥" in refused.stderr, refused.stderr
    assert not os.path.exists(os.path.join(other, "kexie.sqlite")), "nothing is written before the key is checked"

    occupied = kexie(str(tmp_path / "source"), "backup", str(backup), check=False)
    assert occupied.returncode != 0 and "不为空" in occupied.stderr, occupied.stderr


@pytest.mark.skipif(not POSTGRES or not shutil.which("psql"), reason="KEXIE_E2E_POSTGRES and psql needed")
def test_backup_and_restore_on_postgresql(tmp_path, databases):
    drill(tmp_path, *databases)
