"""审计: changes made through the Members pages are written to the audit log under the name of the
person who made them (not 系统), the same way an organization created by an administrator is."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, open_nav, shot, wait_text


def audit_rows(driver):
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, "main table tbody tr")]


def test_profile_and_membership_changes_name_who_made_them(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    open_nav(browser, "我的")
    browser.find_element(By.LINK_TEXT, "填写资料").click()
    wait_text(browser, "核验状态")
    fill(browser, "name", "吉文博")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("男")
    fill(browser, "birthMonth", "1983-10")
    fill(browser, "phone", "13976002233")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已保存")
    open_nav(browser, "我的")
    Select(browser.find_element(By.ID, "society")).select_by_visible_text("云海省计算机学会")
    browser.find_element(By.XPATH, "//button[normalize-space()='提交入会申请']").click()
    wait_text(browser, "入会申请已提交")
    browser.delete_all_cookies()

    login(browser, demo_server.base, "demo.auditor", accounts["demo.auditor"])
    open_nav(browser, "审计日志")
    wait_text(browser, "记录只增不改")
    rows = audit_rows(browser)
    shot(browser, "audit-members")
    # columns: 序号, 时间, 操作人, 地址, 操作, 对象, 摘要
    # The object is named in Chinese with its title, never a table name or an id.
    person = [r for r in rows if r[4] == "新增" and r[5] == "科技工作者《吉文博》"]
    membership = [r for r in rows if r[4] == "新增" and r[5] == "会员"]
    assert person and membership, rows[:10]
    assert person[0][2] == "演示科技工作者" and person[0][3] == "127.0.0.1", person[0]
    assert membership[0][2] == "演示科技工作者", membership[0]
