"""Helpers for tests that drive `kexie` the way an operator does: commands with a data folder (and a
database URL), a server started and stopped like a service, log-in through the page's form, and valid
people for the API."""
import http.client
import os
import pathlib
import signal
import subprocess
import tempfile
import time
import urllib.parse

from conftest import BINARY, ROOT, free_port


def kexie(data, *args, database_url=None, stdin=None, check=True):
    env = dict(os.environ, KEXIE_DATA_DIR=data, KEXIE_BCRYPT_COST="8", KEXIE_RESOURCES_DIR=str(ROOT))
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    result = subprocess.run([BINARY, *args], cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, f"kexie {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


class Serving:
    """`kexie serve` on a data folder (and database), stopped with SIGINT like an operator's Ctrl-C."""

    def __init__(self, data, database_url=None, extra_env=None):
        self.port = free_port()
        env = dict(os.environ, KEXIE_DATA_DIR=data, KEXIE_BCRYPT_COST="8", KEXIE_RESOURCES_DIR=str(ROOT), **(extra_env or {}))
        env.pop("DATABASE_URL", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        self.log = tempfile.NamedTemporaryFile("w+", prefix="kexie-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen([BINARY, "serve", "--port", str(self.port)], cwd=ROOT, env=env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            assert self.process.poll() is None, "serve exited:\n" + pathlib.Path(self.log.name).read_text()
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("serve did not answer /healthz:\n" + pathlib.Path(self.log.name).read_text())

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace"), response.getheaders()
        finally:
            connection.close()

    def login(self, username, password, totp_secret=None):
        """Logs in through the page's form (the CSRF cookie echoed in the form), answering the second-factor
        page with a pyotp code when a secret is given, and returns where the log-in ended: "home" when the
        home page then opens, "second-factor" when the code is asked for and no secret was given, "enrol" when
        an administrator without an authenticator is sent to bind one, else None."""
        _, _, headers = self.request("GET", "/login")
        cookies = {"kexie_csrf": self._cookie(headers, "kexie_csrf")}
        form = urllib.parse.urlencode({"identifier": username, "password": password, "_csrf": cookies["kexie_csrf"]})
        status, _, headers = self.request("POST", "/login", form, self._form_headers(cookies))
        if status != 303 or not self._cookie(headers, "kexie_session"):
            return None
        cookies["kexie_session"] = self._cookie(headers, "kexie_session")
        location = dict((k.lower(), v) for k, v in headers).get("location", "")
        if location.startswith("/login/second-factor"):
            if not totp_secret:
                return "second-factor"
            import pyotp  # only these log-ins need it; CI installs it
            form = urllib.parse.urlencode({"code": pyotp.TOTP(totp_secret).now(), "_csrf": cookies["kexie_csrf"]})
            status, _, headers = self.request("POST", "/login/second-factor", form, self._form_headers(cookies))
            if status != 303:
                return None
        status, body, headers = self.request("GET", "/", headers={"Cookie": self._cookie_header(cookies)})
        if status == 303 and dict((k.lower(), v) for k, v in headers).get("location") == "/account/second-factor":
            return "enrol"  # logged in, and sent to bind an authenticator before anything else
        return "home" if status == 200 and "退出" in body else None

    @staticmethod
    def _cookie(headers, name):
        for key, value in headers:
            if key.lower() == "set-cookie" and value.startswith(name + "="):
                return value.split(";", 1)[0].split("=", 1)[1]
        return ""

    @staticmethod
    def _cookie_header(cookies):
        return "; ".join(f"{k}={v}" for k, v in cookies.items())

    def _form_headers(self, cookies):
        return {"Content-Type": "application/x-www-form-urlencoded", "Cookie": self._cookie_header(cookies)}

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        os.unlink(self.log.name)


def demo_accounts(data):
    """User name → (password, authenticator secret or "") from the demo's accounts file."""
    accounts = {}
    for line in pathlib.Path(data, "demo-accounts.txt").read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split("\t") + [""] * 6
        accounts[fields[0]] = (fields[1], fields[5])
    return accounts


def id_number(index):
    """A valid 18-digit 身份证号, unique per index (odd sequence: male)."""
    birth = f"{1960 + index % 30:04d}{1 + index % 12:02d}{1 + index % 28:02d}"
    digits = "460100" + birth + f"{(2 * index + 1) % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return digits + "10X98765432"[sum(int(d) * w for d, w in zip(digits, weights)) % 11]


def person(index):
    return {
        "name": "演练" + "".join("零一二三四五六七八九"[int(c)] for c in str(index)), "sex": "男",
        "birthMonth": f"{1960 + index % 30:04d}-{1 + index % 12:02d}", "ethnicity": "汉族", "politicalStatus": "群众",
        "education": "大学本科", "degree": "学士", "titleName": "高级工程师", "employer": "云海热带农业科学院",
        "province": "云海省", "city": "东港市", "county": "青石县", "discipline": "210", "industry": "A",
        "researchDirection": "备份演练", "phone": f"136{50_000_000 + index:08d}", "email": "", "idNumber": id_number(index),
    }
