"""`kexie setup`: a headless installation is set up from the console, with the password on standard input,
the setup link's password rules and messages, once only, and an audit entry."""
import os
import sqlite3
import tempfile

from operator_cli import Serving, kexie


def test_setup_from_the_command_line():
    data = tempfile.mkdtemp(prefix="kexie-setup-")
    missing = kexie(data, "setup", "--organization", "测试省科学技术协会", check=False)
    assert missing.returncode != 0 and "--admin" in missing.stderr

    weak = kexie(data, "setup", "--organization", "测试省科学技术协会", "--admin", "chief", stdin="weakpass\n", check=False)
    assert weak.returncode != 0
    assert "密码需包含大写字母、小写字母、数字、符号中的至少三类" in weak.stderr, weak.stderr
    nameless = kexie(data, "setup", "--admin", "chief", stdin="Kexie#2026x\n", check=False)
    assert nameless.returncode != 0 and "请填写本级科协名称" in nameless.stderr, nameless.stderr

    done = kexie(data, "setup", "--organization", "测试省科学技术协会", "--admin", "chief", "--name", "张主任", stdin="Kexie#2026x\n")
    assert "初始化完成" in done.stdout and "测试省科学技术协会" in done.stdout, done.stdout
    again = kexie(data, "setup", "--organization", "另一个协会", "--admin", "other", stdin="Kexie#2026y\n", check=False)
    assert again.returncode != 0 and "已完成初始化" in again.stderr, again.stderr

    db = sqlite3.connect(os.path.join(data, "kexie.sqlite"))
    try:
        assert db.execute("SELECT COUNT(*) FROM platform_users").fetchone()[0] == 1
        assert db.execute("SELECT COUNT(*) FROM platform_audit_entries WHERE action = 'setup.complete'").fetchone()[0] == 1
        role = db.execute("SELECT g.role FROM platform_role_grants g JOIN platform_users u ON u.id = g.user_id "
                          "WHERE u.username = 'chief'").fetchone()[0]
        assert role == "sysadmin"
    finally:
        db.close()

    server = Serving(data)
    try:
        # The password is accepted; a system administrator then binds an authenticator (mandatory for the role).
        assert server.login("chief", "Kexie#2026x") == "enrol"
        assert server.login("chief", "Kexie#2026y") is None
    finally:
        server.stop()
    assert "审计链完整" in kexie(data, "audit", "verify").stdout
