"""表单: the provincial administrator builds a form with a field shown only for one answer, publishes it; a
member opens it, sees the dependent field appear when the answer is chosen, submits with mistakes (every one
listed at the top and beside its field), then correctly."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_through, fill, login, open_nav, shot, wait_text

TITLE = "科普讲解员培训报名（测试）"


def add_field(browser, kind, label, required=False, options=None, minimum=None, maximum=None, show_if=None):
    Select(browser.find_element(By.ID, "kind")).select_by_value(kind)
    fill(browser, "label", label)
    if required:
        browser.find_element(By.ID, "required").click()
    if options:
        fill(browser, "options", "\n".join(options))
    if minimum is not None:
        fill(browser, "min", minimum)
    if maximum is not None:
        fill(browser, "max", maximum)
    if show_if:
        Select(browser.find_element(By.ID, "showIfKey")).select_by_value(show_if[0])
        fill(browser, "showIfValues", show_if[1])
    click_through(browser, browser.find_element(By.ID, "save-field"))
    wait_text(browser, "已添加字段")


def test_admin_builds_a_form_with_a_condition_and_a_member_fills_it(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "表单")
    wait_text(browser, "2026年学术年会参会报名表")
    click_through(browser, browser.find_element(By.ID, "new-form"))
    fill(browser, "title", TITLE)
    click_through(browser, browser.find_element(By.ID, "create-form"))
    wait_text(browser, "已创建")

    add_field(browser, "text", "姓名", required=True)
    add_field(browser, "single_choice", "参加方式", required=True, options=["现场", "线上"])
    add_field(browser, "number", "住宿晚数", required=True, minimum="1", maximum="5", show_if=("f2", "现场"))
    keys = [row.get_attribute("data-key") for row in browser.find_elements(By.CSS_SELECTOR, "#form-fields tr.field-row")]
    assert keys == ["f1", "f2", "f3"]
    shot(browser, "forms-01-builder")

    publish = browser.find_element(By.ID, "publish-form")
    publish.click()
    browser.switch_to.alert.accept()
    wait_text(browser, "已发布")
    fill_link = browser.find_element(By.ID, "fill-link").get_attribute("href")

    browser.delete_all_cookies()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    browser.get(fill_link)
    wait_text(browser, TITLE)
    nights = browser.find_element(By.ID, "wrap-f3")
    assert not nights.is_displayed(), "hidden until 现场 is chosen"
    Select(browser.find_element(By.ID, "field-f2")).select_by_visible_text("现场")
    assert nights.is_displayed()
    fill(browser, "field-f3", "9")
    click_through(browser, browser.find_element(By.ID, "submit-form"))

    summary = browser.find_element(By.ID, "error-summary")
    links = [a.get_attribute("data-error-key") for a in summary.find_elements(By.TAG_NAME, "a")]
    assert links == ["f1", "f3"]
    assert "此项必填" in browser.find_element(By.ID, "field-f1-error").text
    assert browser.find_element(By.ID, "field-f3").get_attribute("value") == "9", "the entered value is kept"
    assert browser.find_element(By.ID, "wrap-f3").is_displayed(), "the condition still holds after the round trip"
    shot(browser, "forms-02-errors")

    fill(browser, "field-f1", "孙科普")
    fill(browser, "field-f3", "2")
    click_through(browser, browser.find_element(By.ID, "submit-form"))
    wait_text(browser, "提交成功")
