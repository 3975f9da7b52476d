"""The page frame as people use it: the provincial administrator finds 会员管理 under its channel with
the mouse and with the keyboard and sees where they are (当前位置); on a phone the channels sit behind a
menu button and the header stays short; a visitor turns 关怀模式 on and off and the pages pass axe; a
refused form moves the focus to the summary of all its errors."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import axe_violations, click_through, fill, login, shot, wait_text


def nav_groups(driver):
    return [li.get_attribute("data-nav-group") for li in driver.find_elements(By.CSS_SELECTOR, "nav[aria-label='主导航'] [data-nav-group]")]


def test_channels_open_by_mouse_and_keyboard_and_the_breadcrumb_says_where_you_are(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(browser, "您好")
    assert nav_groups(browser) == ["workbench", "people", "service", "innovation", "academic", "plans", "statistics", "admin"]
    people = browser.find_element(By.CSS_SELECTOR, "[data-nav-group='people']")
    summary = people.find_element(By.TAG_NAME, "summary")
    assert not people.find_element(By.CSS_SELECTOR, ".nav-items").is_displayed()
    summary.click()
    items = [a.text for a in people.find_elements(By.CSS_SELECTOR, ".nav-items a")]
    assert items == ["科技工作者", "会员管理", "专家库", "三长", "代表委员", "注销申请", "评选举荐", "评选管理", "推荐工作"]
    shot(browser, "nav-channel-open")
    # Opening another channel closes this one; Escape closes it and gives the focus back to its name.
    service = browser.find_element(By.CSS_SELECTOR, "[data-nav-group='service'] summary")
    service.click()
    assert not people.find_element(By.CSS_SELECTOR, ".nav-items").is_displayed()
    service.send_keys(Keys.ESCAPE)
    assert browser.switch_to.active_element == service
    assert not browser.find_element(By.CSS_SELECTOR, "[data-nav-group='service'] .nav-items").is_displayed()
    # By keyboard: Enter on the channel's name opens it, Tab reaches its items.
    summary.send_keys(Keys.ENTER)
    link = people.find_element(By.LINK_TEXT, "会员管理")
    assert link.is_displayed()
    click_through(browser, link)
    wait_text(browser, "当前位置")
    crumbs = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#breadcrumb li")]
    assert crumbs == ["首页", "科技工作者", "会员管理"]
    current = browser.find_element(By.CSS_SELECTOR, "[data-nav-group='people']")
    assert "active" in current.get_attribute("class")
    assert axe_violations(browser) == []


def test_on_a_phone_the_channels_sit_behind_the_menu_button(demo_server, phone):
    accounts = demo_server.demo_accounts()
    login(phone, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(phone, "您好")
    header = phone.find_element(By.CSS_SELECTOR, ".site-header")
    assert header.size["height"] <= 200, f"the header is {header.size['height']} px on a phone"
    toggle = phone.find_element(By.ID, "nav-toggle")
    assert toggle.is_displayed()
    assert not phone.find_element(By.ID, "nav-groups").is_displayed()
    shot(phone, "nav-phone-closed")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert phone.find_element(By.ID, "nav-groups").is_displayed()
    phone.find_element(By.CSS_SELECTOR, "[data-nav-group='people'] summary").click()
    shot(phone, "nav-phone-open")
    click_through(phone, phone.find_element(By.CSS_SELECTOR, "[data-nav-group='people']").find_element(By.LINK_TEXT, "专家库"))
    wait_text(phone, "当前位置")
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, f"page is {width}px wide on a 390px phone"
    assert axe_violations(phone) == []


def test_care_mode_is_a_switch_that_is_remembered(demo_server, browser):
    browser.get(demo_server.base + "/service/track")
    wait_text(browser, "办理进度查询")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-care-mode") is None
    normal = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    click_through(browser, browser.find_element(By.ID, "care-mode-switch"))
    wait_text(browser, "退出关怀模式")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-care-mode") == "on"
    size = browser.execute_script("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 20 > normal, f"body text {size}px in care mode, {normal}px without"
    assert browser.current_url.endswith("/service/track"), "the switch comes back to the page"
    shot(browser, "care-mode-track")
    assert axe_violations(browser) == []
    # Remembered on the next page, and on the portal.
    browser.get(demo_server.base + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-care-mode") == "on"
    shot(browser, "care-mode-portal")
    assert axe_violations(browser) == []
    click_through(browser, browser.find_element(By.ID, "care-mode-switch"))
    wait_text(browser, "关怀模式")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("data-care-mode") is None


def test_a_refused_form_moves_the_focus_to_the_summary_of_all_its_errors(demo_server, browser):
    browser.get(demo_server.base + "/service/track")
    wait_text(browser, "办理进度查询")
    fill(browser, "code", "KX-2222-2222-2222")
    fill(browser, "phoneLast4", "12a")
    browser.execute_script("document.getElementById('phoneLast4').removeAttribute('pattern')")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "main form[role=search] button[type=submit]"))
    wait_text(browser, "请填写联系电话的后四位数字")
    summary = browser.find_element(By.ID, "error-summary")
    assert browser.switch_to.active_element == summary
    fields = [li.get_attribute("data-field") for li in summary.find_elements(By.CSS_SELECTOR, "li[data-field]")]
    assert fields == ["code", "phoneLast4"]
    assert browser.find_element(By.ID, "phoneLast4-error").text == "请填写联系电话的后四位数字"
    summary.find_element(By.CSS_SELECTOR, "a[href='#phoneLast4']").click()
    assert browser.switch_to.active_element.get_attribute("id") == "phoneLast4"
    assert browser.find_element(By.ID, "phoneLast4").get_attribute("inputmode") == "numeric"
    shot(browser, "error-summary-track")
