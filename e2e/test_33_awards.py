"""评选举荐 as people use it: the provincial administrator opens a call (年龄 40 周岁以下, one channel chosen
in the type-ahead picker); 演示科技工作者, born in January 1980, is told before writing that the age rule
excludes them and is refused beside the rule when submitting anyway; 演示专家, born in 1992, applies
choosing the channel; the channel's administrator nominates the application from 推荐工作.

The two people's records are written straight into the demo's database (as 我的资料 would have), in the
formats the server itself writes."""
import os
import sqlite3
import time
import uuid

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import axe_violations, click_through, fill, login, shot, wait_text

PROGRAM = "2026年度云海省青年科技奖（测试）"


@pytest.fixture(scope="module")
def people(demo_server):
    """demo.member born 1980-01 and demo.expert born 1992-03, both of 青石县科协."""
    db = sqlite3.connect(os.path.join(demo_server.data, "kexie.sqlite"), timeout=30)
    org_id, = db.execute("SELECT id FROM platform_organizations WHERE name = '青石县科学技术协会'").fetchone()

    def new_id():
        value = uuid.uuid4()
        return value.bytes if isinstance(org_id, bytes) else str(value).upper()

    now = time.time()
    for username, name, born in [("demo.member", "演示科技工作者", "1980-01"), ("demo.expert", "演示专家", "1992-03")]:
        user_id, = db.execute("SELECT id FROM platform_users WHERE username = ?", (username,)).fetchone()
        db.execute("DELETE FROM platform_people WHERE user_id = ?", (user_id,))
        db.execute(
            "INSERT INTO platform_people (id, organization_id, user_id, name, sex, birth_month, degree, title_level, employer, "
            "province, city, discipline_code, phone_cipher, phone_lookup, verification, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 'female', ?, 'doctor', 'intermediate', '云海大学', '云海省', '东港市', '210', 'sealed', ?, "
            "'unverified', ?, ?)",
            (new_id(), org_id, user_id, name, born, str(uuid.uuid4()), now, now))
    db.commit()
    db.close()


def test_a_call_is_opened_an_over_age_applicant_is_refused_and_a_channel_nominates(demo_server, people, browser):
    accounts = demo_server.demo_accounts()
    base = demo_server.base

    # The provincial administrator opens the call through 评选管理 › 新建评选项目.
    login(browser, base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(base + "/awards/manage")
    wait_text(browser, "评选管理")
    click_through(browser, browser.find_element(By.ID, "new-program"))
    wait_text(browser, "新建评选项目")
    fill(browser, "name", PROGRAM)
    fill(browser, "maxAge", "40")
    fill(browser, "laureateCount", "3")
    box = browser.find_element(By.ID, "channel0")
    box.send_keys("东港市")
    listbox = browser.find_element(By.ID, "channel0-listbox")
    WebDriverWait(browser, 20).until(lambda _: len(listbox.find_elements(By.CSS_SELECTOR, "[role=option]")) >= 1)
    box.send_keys(Keys.ARROW_DOWN)
    box.send_keys(Keys.ENTER)
    assert box.get_attribute("value").endswith("东港市科学技术协会")
    Select(browser.find_element(By.ID, "channel0Kind")).select_by_value("city")
    fill(browser, "channel0Quota", "2")
    shot(browser, "awards-01-new-program")
    click_through(browser, browser.find_element(By.ID, "create-program"))
    wait_text(browser, "评选项目已创建并开放申报")
    assert browser.find_element(By.ID, "stage").get_attribute("data-stage") == "open"
    program_url = browser.current_url.split("/manage")[0]
    program_id = program_url.rsplit("/", 1)[-1]
    assert axe_violations(browser) == []

    # 演示科技工作者 (born January 1980) is told before writing anything, then refused beside the rule.
    browser.delete_all_cookies()
    login(browser, base, "demo.member", accounts["demo.member"])
    browser.get(base + "/awards")
    click_through(browser, browser.find_element(By.LINK_TEXT, PROGRAM))
    wait_text(browser, "申报条件")
    assert "年龄不超过 40 周岁" in browser.find_element(By.ID, "rules").text
    click_through(browser, browser.find_element(By.ID, "apply"))
    wait_text(browser, "申报条件核对")
    assert browser.find_element(By.ID, "eligibility").get_attribute("data-eligible") == "false"
    assert "超过本项目 40 周岁的年龄限制" in browser.find_element(By.ID, "rule-age").text
    assert axe_violations(browser) == []
    shot(browser, "awards-02-eligibility")
    Select(browser.find_element(By.ID, "channel")).select_by_index(1)
    fill(browser, "summary", "长期从事热带作物栽培研究，推广新技术十余项，培训农技人员三千人次。")
    click_through(browser, browser.find_element(By.ID, "submit-application"))
    wait_text(browser, "提交未成功")
    assert browser.find_element(By.CSS_SELECTOR, '#error-summary li[data-field="age"]').is_displayed()
    shot(browser, "awards-03-refused-by-age")

    # 演示专家 (born 1992) applies through 东港市科协.
    browser.delete_all_cookies()
    login(browser, base, "demo.expert", accounts["demo.expert"])
    browser.get(f"{base}/awards/{program_id}/apply")
    wait_text(browser, "申报条件核对")
    assert browser.find_element(By.ID, "eligibility").get_attribute("data-eligible") == "true"
    Select(browser.find_element(By.ID, "channel")).select_by_index(1)
    fill(browser, "summary", "主持省重点研发项目两项，发表论文二十篇，获授权发明专利五项，成果在本省推广。")
    click_through(browser, browser.find_element(By.ID, "submit-application"))
    wait_text(browser, "申报已提交")
    assert browser.find_element(By.ID, "application-status").get_attribute("data-status") == "submitted"
    application_url = browser.current_url.split("?")[0]

    # The channel's administrator (the province holds 东港市科协's subtree) nominates it from 推荐工作.
    browser.delete_all_cookies()
    login(browser, base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(base + "/awards/channels")
    wait_text(browser, "推荐工作")
    row = browser.find_element(By.CSS_SELECTOR, '#channel-work tr[data-status="submitted"]')
    assert "演示专家" in row.text
    click_through(browser, row.find_element(By.LINK_TEXT, "审核推荐"))
    wait_text(browser, "以此单位名义推荐")
    click_through(browser, browser.find_element(By.ID, "nominate-submit"))
    wait_text(browser, "已推荐")
    assert browser.current_url.split("?")[0] == application_url
    assert browser.find_element(By.ID, "application-status").get_attribute("data-status") == "nominated"
    assert "第 1 位" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "awards-04-nominated")
    browser.get(f"{base}/awards/{program_id}")
    used = browser.find_element(By.CSS_SELECTOR, "#channels td[data-used]")
    assert used.get_attribute("data-used") == "1"
