"""公示与异议: a visitor opens the demo province's commendation list from the portal, files an objection to one
person on it and keeps the receipt code; the province's staff member finds the objection with the
objector's name, records the investigation and upholds it, withdrawing the item; the public page then shows
the item struck with its change note, and the visitor's code shows the verdict."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import axe_violations, click_through, fill, login, shot, wait_text

TITLE = "云海省科协系统2026年度先进集体和先进个人拟表彰名单公示"
PERSON = "赵静怡"


def test_a_visitor_objects_and_staff_uphold_it_withdrawing_the_item(demo_server, browser):
    server = demo_server
    browser.get(server.base + "/")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, '[data-portal-channel="platform.publicities"]'))
    wait_text(browser, TITLE)
    click_through(browser, browser.find_element(By.LINK_TEXT, TITLE))
    wait_text(browser, "提出异议")
    assert browser.find_element(By.ID, "publicity-status").get_attribute("data-status") == "running"
    assert "还剩" in browser.find_element(By.ID, "publicity-status").text
    rows = browser.find_elements(By.CSS_SELECTOR, "#publicity-items tr[data-item-id]")
    assert len(rows) == 8
    assert all(row.get_attribute("data-withdrawn") == "false" for row in rows)
    publicity_url = browser.current_url
    shot(browser, "publicity-01-page")
    assert axe_violations(browser) == []

    # A first attempt without consent and with a short text is refused with a summary.
    fill(browser, "name", "钱立新")
    fill(browser, "contact", "13977770001")
    Select(browser.find_element(By.ID, "itemId")).select_by_visible_text(f"8. {PERSON}")
    fill(browser, "content", "太短")
    click_through(browser, browser.find_element(By.ID, "file-objection"))
    wait_text(browser, "请写明异议的事实和理由")
    fields = [li.get_attribute("data-field") for li in browser.find_elements(By.CSS_SELECTOR, "#error-summary li[data-field]")]
    assert fields == ["content", "consent"]
    shot(browser, "publicity-02-refused")
    fill(browser, "content", "赵静怡同志所报科普展教项目为集体成果，申报材料中个人贡献描述与实际不符，请核实。")
    browser.find_element(By.ID, "consent").click()
    click_through(browser, browser.find_element(By.ID, "file-objection"))
    wait_text(browser, "异议已提交")
    code = browser.find_element(By.ID, "objection-code").text
    assert code.startswith("KX-")
    shot(browser, "publicity-03-receipt")

    accounts = server.demo_accounts()
    login(browser, server.base, "demo.staff", accounts["demo.staff"])
    browser.get(server.base + "/admin/publicities")
    wait_text(browser, TITLE)
    click_through(browser, browser.find_element(By.LINK_TEXT, TITLE))
    wait_text(browser, "钱立新")
    row = next(r for r in browser.find_elements(By.CSS_SELECTOR, "#objections tr[data-objection]")
               if r.find_element(By.CSS_SELECTOR, ".objector-name").text == "钱立新")
    objection_id = row.get_attribute("data-objection")
    assert row.get_attribute("data-objection-state") == "received"
    assert row.find_element(By.CSS_SELECTOR, ".objector-contact").text == "13977770001"
    card = browser.find_element(By.ID, f"objection-{objection_id}")
    fill(browser, f"note-{objection_id}", "已调阅申报材料并听取科技馆意见：该项目为集体成果，个人贡献描述夸大。")
    click_through(browser, card.find_element(By.CSS_SELECTOR, 'button[data-action="note"]'))
    wait_text(browser, "调查记录已保存")
    card = browser.find_element(By.ID, f"objection-{objection_id}")
    assert card.get_attribute("data-objection-state") == "investigating"
    card.find_element(By.CSS_SELECTOR, 'input[data-verdict="upheld"]').click()
    fill(browser, f"reason-{objection_id}", "申报材料个人贡献与事实不符，不符合先进个人表彰条件。")
    card.find_element(By.CSS_SELECTOR, "input[data-withdraw]").click()
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", card)
    shot(browser, "publicity-04-decide")
    click_through(browser, card.find_element(By.CSS_SELECTOR, 'button[data-action="decide"]'))
    wait_text(browser, "处理结论已记录")
    row = browser.find_element(By.CSS_SELECTOR, f'#objections tr[data-objection="{objection_id}"]')
    assert row.get_attribute("data-objection-state") == "decided"
    assert row.find_element(By.CSS_SELECTOR, "td[data-verdict]").get_attribute("data-verdict") == "upheld"
    shot(browser, "publicity-05-admin")
    assert axe_violations(browser) == []

    browser.delete_all_cookies()
    browser.get(publicity_url)
    wait_text(browser, TITLE)
    withdrawn = browser.find_elements(By.CSS_SELECTOR, '#publicity-items tr[data-withdrawn="true"]')
    assert [r.find_element(By.TAG_NAME, "del").text for r in withdrawn] == [PERSON]
    assert "撤销该项" in withdrawn[0].find_element(By.CSS_SELECTOR, "[data-change-note]").text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", withdrawn[0])
    shot(browser, "publicity-06-withdrawn")

    browser.get(server.base + "/publicities/objection-status")
    fill(browser, "code", code)
    click_through(browser, browser.find_element(By.ID, "lookup-objection"))
    wait_text(browser, "异议成立")
    assert browser.find_element(By.ID, "objection-result").get_attribute("data-state") == "decided"
    assert "钱立新" not in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "publicity-07-status")
    assert axe_violations(browser) == []
