"""统计指标 and 回避声明, as staff use them: the provincial administrator opens the cockpit, picks a month,
follows a figure to its drill-down, where the list has exactly as many rows as the figure says, and
downloads it; then adds an expert to the pool and declares a conflict of interest for them, first with
the fields left empty (every problem summarised at the top, each beside its field) and then properly."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from conftest import click_through, fill, login, open_nav, shot, wait_text
from operator_cli import kexie, person


def fetch(browser, url):
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies}), timeout=20) as response:
        return response.read()


def test_cockpit_figure_equals_its_list(demo_server, browser):
    server = demo_server
    accounts = server.demo_accounts()
    login(browser, server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "统计指标")
    wait_text(browser, "统计指标")
    fill(browser, "period", "2026-Q4")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    assert browser.find_element(By.ID, "metrics-scope").text == "云海省科学技术协会 · 2026年第四季度"
    row = browser.find_element(By.CSS_SELECTOR, "tr[data-metric='innovation.supplies.published']")
    figure = row.find_element(By.CSS_SELECTOR, "a[data-value]")
    value = int(figure.get_attribute("data-value"))
    assert value >= 5, "the demo publishes supplies in the fourth quarter"
    shot(browser, "metrics-cockpit")

    click_through(browser, figure)
    assert browser.find_element(By.ID, "metric-value").get_attribute("data-value") == str(value)
    table = browser.find_element(By.ID, "metric-records")
    assert table.get_attribute("data-total") == str(value)
    assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr[data-record]")) == value
    shot(browser, "metrics-drilldown")
    csv = fetch(browser, browser.find_element(By.LINK_TEXT, "CSV").get_attribute("href")).decode("utf-8-sig")
    assert len([line for line in csv.splitlines() if line.strip()]) == value + 1, csv

    # A bad period is refused beside its field (and in the summary); the page keeps the current year.
    open_nav(browser, "统计指标")
    fill(browser, "period", "2026-Q5")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]"))
    assert browser.find_element(By.ID, "period-error").text.endswith("统计期应写作 2026、2026-Q4 或 2026-11（1949–2100 年）")
    assert browser.find_element(By.ID, "period").get_attribute("value") == "2026-Q5", "what was typed is kept"
    assert [li.get_attribute("data-field") for li in browser.find_elements(By.CSS_SELECTOR, "#error-summary li")] == ["period"]
    shot(browser, "metrics-bad-period")


def test_a_conflict_of_interest_is_declared_for_an_expert(demo_server, browser):
    server = demo_server
    accounts = server.demo_accounts()
    token = kexie(server.data, "token", "create", "--user", "demo.orgadmin").stdout.strip().splitlines()[-1]
    expert = dict(person(71), name="回避演示专家")
    request = urllib.request.Request(
        server.base + "/api/v1/people", data=json.dumps(expert).encode(), method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 201

    login(browser, server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(server.base + "/experts")
    fill(browser, "expert-person", expert["phone"])
    browser.find_element(By.CSS_SELECTOR, "input[name='roles[]'][value='review']").click()
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "section.card form button[type=submit]"))
    row = [r for r in browser.find_elements(By.CSS_SELECTOR, "#experts tbody tr") if "回避演示专家" in r.text][0]
    click_through(browser, row.find_element(By.LINK_TEXT, "回避声明"))
    wait_text(browser, "回避声明：回避演示专家")

    click_through(browser, browser.find_element(By.CSS_SELECTOR, "main section.card form button[type=submit]"))
    summary = browser.find_element(By.ID, "error-summary")
    assert [li.get_attribute("data-field") for li in summary.find_elements(By.TAG_NAME, "li")] == ["kind", "name"]
    assert browser.find_element(By.ID, "name-error").text == "请填写回避对象的名称"
    shot(browser, "expert-conflicts-errors")
    summary.find_element(By.CSS_SELECTOR, "a[href='#name']").click()
    assert browser.switch_to.active_element.get_attribute("id") == "name", "the summary's link leads to the field"

    browser.find_element(By.CSS_SELECTOR, "#kind option[value='organization']").click()
    fill(browser, "name", "云海省橡胶学会")
    fill(browser, "note", "近三年任该学会理事")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "main section.card form button[type=submit]"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#conflicts tbody tr[data-conflict-kind]")
    assert [r.get_attribute("data-conflict-kind") for r in rows] == ["organization"]
    assert "云海省橡胶学会（已关联组织）" in rows[0].text
    shot(browser, "expert-conflicts")
