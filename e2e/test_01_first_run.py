"""A fresh installation: the operator opens the console's setup link, creates the first system
administrator, logs in; then someone guessing passwords is locked out with a clear message."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, shot, wait_text


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
    wait_text(browser, "您好，张主任")
    assert "测试省科学技术协会" in browser.page_source
    shot(browser, "home-sysadmin")
    browser.get(link)
    assert "初始化链接无效或已使用" in browser.page_source


def test_login_then_logout(fresh_server, browser):
    login(browser, fresh_server.base, "chief", "Kexie#2026go")
    wait_text(browser, "您好，张主任")
    browser.find_element(By.CSS_SELECTOR, ".user-menu form button").click()
    wait_text(browser, "用户名 / 手机号 / 邮箱")
    browser.get(fresh_server.base + "/")
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
