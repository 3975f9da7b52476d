"""A fresh installation: the operator opens the console's setup link, creates the first system
administrator, logs in; then someone guessing passwords is locked out with a clear message."""
import pathlib
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request

import pyotp
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import SECRETS, USED_STEPS, fill, login, shot, wait_text


def decode_qr(driver, url):
    """Downloads the QR code with the browser's session, renders it with rsvg-convert and reads it with
    zbarimg (Debian's librsvg2-bin and zbar-tools): what a phone's camera would read."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    svg = urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies})).read()
    folder = pathlib.Path(tempfile.mkdtemp())
    (folder / "qr.svg").write_bytes(svg)
    subprocess.run(["rsvg-convert", "-w", "400", "-b", "white", "-o", str(folder / "qr.png"), str(folder / "qr.svg")], check=True)
    return subprocess.run(["zbarimg", "--raw", "-q", str(folder / "qr.png")], check=True, capture_output=True, text=True).stdout.strip()


def test_first_run_setup_creates_the_system_administrator(fresh_server, browser):
    link = fresh_server.setup_link()
    assert link, "serve prints a one-time setup link when no account exists"
    browser.get(link)
    assert "创建系统管理员" in browser.page_source
    shot(browser, "setup-form")
    fill(browser, "organizationName", "测试省科学技术协会")
    fill(browser, "username", "chief")
    fill(browser, "displayName", "张主任")
    fill(browser, "password", "chief2026")
    fill(browser, "confirm", "chief2026")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    error = browser.find_element(By.ID, "password-error")
    assert "至少三类" in error.text or "用户名" in error.text
    assert browser.find_element(By.ID, "username").get_attribute("value") == "chief"
    shot(browser, "setup-error")
    fill(browser, "password", "Kexie#2026go")
    fill(browser, "confirm", "Kexie#2026go")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "系统管理员已创建，请登录")
    login(browser, fresh_server.base, "chief", "Kexie#2026go")
    # 等保: the system administrator cannot work before binding an authenticator.
    wait_text(browser, "管理员账号必须绑定身份验证器")
    assert browser.current_url.endswith("/account/second-factor")
    shot(browser, "second-factor-enrol")
    uri = decode_qr(browser, fresh_server.base + "/account/second-factor/qr.svg")
    parsed = urllib.parse.urlparse(uri)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    query = urllib.parse.parse_qs(parsed.query)
    assert query["issuer"] == ["智慧科协"]
    secret = query["secret"][0]
    assert browser.find_element(By.ID, "secret").text.replace(" ", "") == secret, "QR code and text show one secret"
    step = int(time.time() // 30)
    fill(browser, "code", pyotp.TOTP(secret).at(step * 30))
    browser.find_element(By.ID, "bind").click()
    wait_text(browser, "以下 10 个恢复码只显示这一次")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#recovery-codes li")) == 10
    shot(browser, "second-factor-recovery-codes")
    SECRETS[(fresh_server.base, "chief")] = secret
    # The code just used is spent: the next log-in takes a later step (conftest.totp_code).
    USED_STEPS[(fresh_server.base, "chief")] = step
    browser.find_element(By.ID, "continue").click()
    wait_text(browser, "您好，张主任")
    assert "测试省科学技术协会" in browser.page_source
    shot(browser, "home-sysadmin")
    browser.get(link)
    assert "初始化链接无效或已使用" in browser.page_source


def test_login_then_logout(fresh_server, browser):
    login(browser, fresh_server.base, "chief", "Kexie#2026go")
    wait_text(browser, "您好，张主任")
    # 退出 sits in the account menu under the user's name.
    browser.find_element(By.CSS_SELECTOR, "#account-menu summary").click()
    browser.find_element(By.CSS_SELECTOR, "#account-menu form button").click()
    wait_text(browser, "用户名 / 手机号 / 邮箱")
    # `/` is the visitors' portal; the work home asks for a log-in again.
    browser.get(fresh_server.base + "/workbench")
    assert "/login" in browser.current_url


def test_repeated_failures_lock_the_account_with_a_message(fresh_server, browser):
    for _ in range(4):
        login(browser, fresh_server.base, "chief", "Wrong#Pass1")
        wait_text(browser, "用户名或密码不正确")
    login(browser, fresh_server.base, "chief", "Wrong#Pass1")
    wait_text(browser, "已被暂时锁定")
    message = browser.find_element(By.CSS_SELECTOR, ".form-error").text
    assert "请于" in message and "后再试" in message
    shot(browser, "login-locked")
    login(browser, fresh_server.base, "chief", "Kexie#2026go")
    wait_text(browser, "已被暂时锁定")
