"""Browser tests: real Chromium (Debian's chromium + chromium-driver) driven by Selenium 4.

Each server fixture starts its own `kexie serve` on a free loopback port with a temporary data folder,
the way an operator would, and stops it afterwards. Screenshots go to e2e/artifacts/.
"""
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time

import pyotp
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "e2e" / "artifacts"
BINARY = os.environ.get("KEXIE_BIN", str(ROOT / ".build" / "debug" / "kexie"))

# Authenticator secrets (Base32) of accounts with a second factor, by server base and user name: the
# demo prints its administrators' secrets; a test that binds an authenticator adds its own.
SECRETS = {}
# The last TOTP time step used per (base, user name): the server refuses a code twice.
USED_STEPS = {}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    # The browser tests were written against the demo's organizations and accounts alone
    # (`--demo-bare`); the populated province has its own route tests (DemoListPagesTests).
    def __init__(self, demo, populated=False):
        self.data = tempfile.mkdtemp(prefix="kexie-e2e-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ, KEXIE_DATA_DIR=self.data, KEXIE_BCRYPT_COST="8", KEXIE_RESOURCES_DIR=str(ROOT))
        env.pop("DATABASE_URL", None)
        args = [BINARY, "serve", "--port", str(self.port), "--hostname", "127.0.0.1"] + (["--demo"] + ([] if populated else ["--demo-bare"]) if demo else [])
        self.log = open(os.path.join(self.data, "serve.log"), "w+")
        self.process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + (240 if populated else 90)
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("kexie serve exited:\n" + self.output())
            if "Server started" in self.output():
                return
            time.sleep(0.2)
        raise RuntimeError("kexie serve did not start:\n" + self.output())

    def output(self):
        self.log.flush()
        return pathlib.Path(self.log.name).read_text(encoding="utf-8")

    def setup_link(self):
        match = re.search(r"SETUP-LINK (\S+)", self.output())
        return match.group(1) if match else None

    def demo_accounts(self):
        accounts = {}
        for line in pathlib.Path(self.data, "demo-accounts.txt").read_text(encoding="utf-8").splitlines()[1:]:
            fields = line.split("\t")
            username, password = fields[:2]
            accounts[username] = password
            if len(fields) > 5 and fields[5]:
                SECRETS[(self.base, username)] = fields[5]
        return accounts

    def stop(self):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        shutil.rmtree(self.data, ignore_errors=True)


@pytest.fixture(scope="module")
def fresh_server():
    server = Server(demo=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo_server():
    server = Server(demo=True)
    yield server
    server.stop()


def make_driver(width=1280, height=900, mobile=False):
    options = Options()
    if mobile:
        # Desktop Chrome will not shrink its window below ~500px; emulate a phone's viewport instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2}})
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--lang=zh-CN")
    options.add_argument(f"--window-size={width},{height}")
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(candidate):
            options.binary_location = candidate
            break
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    return webdriver.Chrome(service=Service(driver_path), options=options)


@pytest.fixture
def browser():
    driver = make_driver()
    driver.implicitly_wait(5)
    yield driver
    driver.quit()


@pytest.fixture
def phone():
    driver = make_driver(390, 844, mobile=True)
    yield driver
    driver.quit()


def shot(driver, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))


def fill(driver, field_id, value):
    # Chromium occasionally answers "node does not belong to the document" right after a navigation;
    # finding the field again is what a person's eyes do too.
    for attempt in range(3):
        try:
            element = driver.find_element(By.ID, field_id)
            element.clear()
            element.send_keys(value)
            return
        except WebDriverException:
            if attempt == 2:
                raise
            time.sleep(0.3)


def login(driver, base, username, password):
    driver.get(base + "/login")
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    fill(driver, "identifier", username)
    fill(driver, "password", password)
    button = driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    button.click()
    # Wait for the answer (home page or an error) so the next navigation cannot cancel the log-in.
    WebDriverWait(driver, 20).until(lambda _: is_gone(button))
    if "/login/second-factor" in driver.current_url and (base, username) in SECRETS:
        answer_second_factor(driver, base, username)


def totp_code(base, username):
    """A code the server still accepts for this account, computed by pyotp — an implementation independent
    of ours. The server takes the previous, current and next step, each once; the current step is tried
    first and then the next, so a page that crosses a 30-second boundary while it is submitted still
    arrives within the window (the previous step would then be two behind)."""
    totp = pyotp.TOTP(SECRETS[(base, username)])
    while True:
        now = time.time()
        step = int(now // 30)
        for candidate in (step, step + 1):
            if candidate > USED_STEPS.get((base, username), -1):
                USED_STEPS[(base, username)] = candidate
                return totp.at(candidate * 30)
        time.sleep(30 - now % 30 + 0.5)


def answer_second_factor(driver, base, username):
    fill(driver, "code", totp_code(base, username))
    button = driver.find_element(By.ID, "verify")
    button.click()
    WebDriverWait(driver, 20).until(lambda _: is_gone(button))


def click_through(driver, element, timeout=20):
    """Clicks a link or a submit button that loads another page and waits until the old page is gone, so
    what the test reads next comes from the answer and not from the page that asked (which may well hold
    the same words, in a status badge or a menu)."""
    element.click()
    WebDriverWait(driver, timeout).until(lambda _: is_gone(element))


def open_nav(driver, label):
    """Opens a section from the main navigation as a person does: the menu button on a phone, then the
    channel holding the item (unless the channel is the item itself), then the item; waits for its page."""
    nav = driver.find_element(By.CSS_SELECTOR, "nav.main-nav")
    toggle = nav.find_element(By.ID, "nav-toggle")
    if toggle.is_displayed() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()
    link = next(a for a in nav.find_elements(By.TAG_NAME, "a") if a.get_attribute("textContent").strip() == label)
    if not link.is_displayed():
        link.find_element(By.XPATH, "ancestor::details[1]/summary").click()
    click_through(driver, link)


def is_gone(element):
    """True once the element's page has been replaced. Chromium sometimes reports a stale element as a
    generic "node does not belong to the document" error instead of a stale-reference one."""
    try:
        element.is_enabled()
        return False
    except WebDriverException:
        return True


# Twenty seconds: on the two-core CI machine a page that takes a second alone can take several while the
# server, Chromium and the database compete; a real failure still fails, only later.
def wait_text(driver, text, timeout=20):
    # Read while a page is being replaced, Chromium may answer "node does not belong to the document" (a
    # generic error, not a stale-element one, so WebDriverWait would not retry it): that is "not yet".
    WebDriverWait(driver, timeout, ignored_exceptions=(WebDriverException,)).until(
        EC.text_to_be_present_in_element((By.TAG_NAME, "body"), text))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, keep what a person at the screen would have seen: the page's address and text, a
    screenshot, and the end of the server's log. CI prints these sections beside the traceback, so a failure
    on a machine nobody can log into still says what went wrong."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    for name, value in item.funcargs.items():
        if isinstance(value, webdriver.Remote):
            try:
                text = value.find_element(By.TAG_NAME, "body").text
                report.sections.append((f"page in {name}", f"{value.current_url}\n{text[:3000]}"))
                shot(value, f"FAILED-{item.name}-{name}")
            except WebDriverException as error:
                report.sections.append((f"page in {name}", f"unreadable: {error}"))
        elif isinstance(value, Server):
            lines = value.output().splitlines()
            report.sections.append((f"log of {name}", "\n".join(lines[-60:])))


def axe_violations(driver):
    """axe-core's violations on the current page (axe-core 4.4 ships inside axe-core-python, which
    .ci/run installs), each with its first nodes."""
    from axe_core_python.selenium import Axe

    result = Axe().run(driver)
    return [(v["id"], [(n["target"], n.get("html"), n.get("failureSummary")) for n in v["nodes"]][:3]) for v in result["violations"]]
