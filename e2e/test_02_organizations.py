"""With the demo province: an administrator creates an organization through the form, and a county
administrator who opens another county's page is refused."""
import random
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, open_nav, shot, wait_text


def test_province_administrator_creates_an_organization(demo_server, browser):
    accounts = demo_server.demo_accounts()
    # A distinct name per attempt, so a rerun on the same server starts from a clean slate.
    name = "云海省人工智能学会" + "".join(random.choice("甲乙丙丁戊己庚辛壬癸") for _ in range(3))
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(browser, "您好，演示省科协管理员")
    shot(browser, "home-orgadmin")
    open_nav(browser, "组织机构")
    wait_text(browser, "共 ")
    total = int(re.search(r"共 (\d+) 条", browser.find_element(By.CLASS_NAME, "pager").text).group(1))
    assert total >= 30, "the demo province has 30 organizations"
    shot(browser, "organizations")
    browser.find_element(By.LINK_TEXT, "新建组织").click()
    wait_text(browser, "组织名称")
    fill(browser, "name", name)
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("科协")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    error = browser.find_element(By.ID, "level-error")
    assert "科协需选择层级" in error.text
    assert browser.find_element(By.ID, "name").get_attribute("value") == name
    shot(browser, "organization-form-error")
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("学会")
    Select(browser.find_element(By.ID, "level")).select_by_index(0)
    fill(browser, "establishedYear", "2026")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已创建")
    assert browser.find_element(By.TAG_NAME, "h1").text == name
    assert "2026年" in browser.page_source
    shot(browser, "organization-detail")
    open_nav(browser, "组织机构")
    wait_text(browser, f"共 {total + 1} 条")
    fill(browser, "q", name)
    browser.find_element(By.CSS_SELECTOR, ".filters button").click()
    wait_text(browser, "共 1 条")
    assert browser.find_element(By.LINK_TEXT, name)


def test_county_administrator_cannot_open_another_countys_page(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(demo_server.base + "/admin/organizations?q=%E7%99%BD%E6%B2%99%E5%8E%BF")
    other = browser.find_element(By.LINK_TEXT, "白沙县科学技术协会").get_attribute("href")
    browser.delete_all_cookies()

    login(browser, demo_server.base, "demo.county1", accounts["demo.county1"])
    wait_text(browser, "您好，演示青石县管理员")
    open_nav(browser, "组织机构")
    wait_text(browser, "共 ")
    assert "青石县科学技术协会" in browser.page_source
    assert "白沙县科学技术协会" not in browser.page_source
    browser.get(other)
    wait_text(browser, "不存在或不在您的管理范围内")
    assert "白沙县" not in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "scope-refused")


def test_pages_fit_a_phone(demo_server, phone):
    accounts = demo_server.demo_accounts()
    login(phone, demo_server.base, "demo.auditor", accounts["demo.auditor"])
    wait_text(phone, "您好，演示审计管理员")
    open_nav(phone, "审计日志")
    wait_text(phone, "导出")
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px phone"
    shot(phone, "audit-phone")
