"""活动报名: a member registers for an event with one place, a second person is put on the waiting list,
the first cancels and the second is promoted (sees 已确认 and the 站内信 "候补转正"); a visitor registers
for a public event with name and phone and sees the check-in code and its QR code. The events are written
straight into the server's SQLite file (the events' own pages are another part of the module)."""
import os
import sqlite3
import time
import uuid

from selenium.webdriver.common.by import By

from conftest import axe_violations, click_through, fill, login, make_driver, shot, wait_text


def add_event(server, title, capacity, waitlist=True):
    db = sqlite3.connect(os.path.join(server.data, "kexie.sqlite"), timeout=30)
    org = db.execute("SELECT id FROM platform_organizations WHERE parent_id IS NULL").fetchone()[0]
    creator = db.execute("SELECT id FROM platform_users WHERE username = 'demo.orgadmin'").fetchone()[0]
    event_id = uuid.uuid4()
    now = time.time()
    db.execute(
        """INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, venue, starts_at, ends_at, capacity,
           waitlist, moderated, fee_note, audience, confirmed_count, registration_sequence, created_by, created_at, updated_at)
           VALUES (?, ?, '', 'salon', 'provincial', 'published', ?, '云海省科技会堂 301', ?, ?, ?, ?, 0, '', 'public', 0, 0, ?, ?, ?)""",
        (event_id.bytes if isinstance(org, bytes) else str(event_id).upper(), title, org, now + 7 * 86400, now + 7 * 86400 + 7200, capacity,
         1 if waitlist else 0, creator, now, now))
    db.commit()
    db.close()
    return str(event_id).upper()


def image_loaded(driver, element_id):
    return driver.execute_script(
        "const i = document.getElementById(arguments[0]); return i.complete && i.naturalWidth > 0;", element_id)


def register_logged_in(driver, base, event):
    driver.get(f"{base}/events/{event}/register")
    wait_text(driver, "活动报名")
    driver.find_element(By.ID, "consent").click()
    click_through(driver, driver.find_element(By.ID, "register-submit"))
    wait_text(driver, "报名详情")


def test_waiting_list_promotion_after_a_cancellation(demo_server, browser):
    accounts = demo_server.demo_accounts()
    event = add_event(demo_server, "橡胶树割胶技术沙龙", capacity=1)

    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    browser.get(f"{demo_server.base}/events/{event}/register")
    wait_text(browser, "名额 1 人，剩余 1 人")
    # Consent is required; the summary names it.
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    keys = [a.get_attribute("data-error-key") for a in browser.find_elements(By.CSS_SELECTOR, "#error-summary a")]
    assert keys == ["consent"]
    shot(browser, "registration-01-consent-required")
    browser.find_element(By.ID, "consent").click()
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    wait_text(browser, "报名详情")
    status = browser.find_element(By.ID, "registration-status")
    assert status.get_attribute("data-status") == "confirmed"
    assert status.text == "已确认"
    assert len(browser.find_element(By.ID, "registration-code").text) == 9  # XXXX-XXXX
    assert image_loaded(browser, "registration-qr")
    shot(browser, "registration-02-confirmed")
    assert axe_violations(browser) == []

    second = make_driver()
    second.implicitly_wait(5)
    try:
        login(second, demo_server.base, "demo.expert", accounts["demo.expert"])
        register_logged_in(second, demo_server.base, event)
        assert second.find_element(By.ID, "registration-status").get_attribute("data-status") == "waitlisted"
        assert second.find_element(By.ID, "registration-position").text == "第 1 位"
        shot(second, "registration-03-waitlisted")
        waiting_page = second.current_url.split("?")[0]

        # The member cancels; the place goes to the first waiting person.
        click_through(browser, browser.find_element(By.ID, "cancel-registration"))
        wait_text(browser, "报名已取消")
        assert browser.find_element(By.ID, "registration-status").get_attribute("data-status") == "cancelled"

        second.get(waiting_page)
        wait_text(second, "报名详情")
        status = second.find_element(By.ID, "registration-status")
        assert status.get_attribute("data-status") == "confirmed"
        assert status.text == "已确认"
        assert second.find_elements(By.ID, "registration-position") == []
        shot(second, "registration-04-promoted")
        second.get(demo_server.base + "/notifications")
        wait_text(second, "候补转正：橡胶树割胶技术沙龙")
        shot(second, "registration-05-notice")
        second.get(demo_server.base + "/my/events")
        wait_text(second, "我的活动")
        row = second.find_element(By.CSS_SELECTOR, "#my-registrations tr[data-status]")
        assert row.get_attribute("data-status") == "confirmed"
        assert "橡胶树割胶技术沙龙" in row.text
        shot(second, "registration-06-my-events")
    finally:
        second.quit()


def test_a_visitor_registers_for_a_public_event_and_gets_a_code_and_qr(demo_server, browser):
    event = add_event(demo_server, "全国科普日科学之夜", capacity=50)
    browser.get(f"{demo_server.base}/events/{event}/register")
    wait_text(browser, "无需注册账号")
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    keys = [a.get_attribute("data-error-key") for a in browser.find_elements(By.CSS_SELECTOR, "#error-summary a")]
    assert keys == ["name", "phone", "consent"]
    fill(browser, "name", "林晓")
    fill(browser, "phone", "139 0000 2727")
    browser.find_element(By.ID, "consent").click()
    shot(browser, "registration-07-visitor-form")
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    wait_text(browser, "报名成功")
    assert browser.find_element(By.ID, "registration-status").get_attribute("data-status") == "confirmed"
    code = browser.find_element(By.ID, "registration-code").text
    assert len(code) == 9 and code[4] == "-"
    assert image_loaded(browser, "registration-qr")
    shot(browser, "registration-08-visitor-confirmed")
    assert axe_violations(browser) == []

    # The same phone again is refused with the reason.
    browser.get(f"{demo_server.base}/events/{event}/register")
    fill(browser, "name", "林晓")
    fill(browser, "phone", "13900002727")
    browser.find_element(By.ID, "consent").click()
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    assert browser.find_element(By.ID, "register-refusal").text == "已报名本活动，请勿重复报名"


def test_staff_see_the_list_and_the_registration_page_on_a_phone(demo_server, browser, phone):
    accounts = demo_server.demo_accounts()
    event = add_event(demo_server, "青年科技工作者论坛", capacity=2)
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(f"{demo_server.base}/events/{event}/registrations")
    wait_text(browser, "报名名单")
    for name, number in (("张伟", "13800002701"), ("王芳", "13800002702"), ("李娜", "13800002703")):
        fill(browser, "name", name)
        fill(browser, "phone", number)
        browser.find_element(By.ID, "consent").click()
        click_through(browser, browser.find_element(By.ID, "on-behalf-submit"))
        wait_text(browser, "报名详情")
        browser.get(f"{demo_server.base}/events/{event}/registrations")
    statuses = [tr.get_attribute("data-status") for tr in browser.find_elements(By.CSS_SELECTOR, "#registrations tr[data-status]")]
    assert statuses == ["confirmed", "confirmed", "waitlisted"]
    shot(browser, "registration-09-staff-list")
    assert axe_violations(browser) == []

    login(phone, demo_server.base, "demo.member", accounts["demo.member"])
    register_logged_in(phone, demo_server.base, event)
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"no sideways scrolling on a phone ({width}px)"
    shot(phone, "registration-10-phone")


def test_an_event_asks_its_own_questions_and_a_visitor_cancels_online(demo_server, browser):
    """The administrator builds a 活动报名 form (a shared form), the event asks it; a visitor who leaves
    a question out sees it in the one error summary beside name and phone, registers, and later cancels
    with the code and phone from the confirmation page."""
    from selenium.webdriver.support.ui import Select

    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(demo_server.base + "/admin/forms/new")
    fill(browser, "title", "沙龙参会回执（测试）")
    Select(browser.find_element(By.ID, "purpose")).select_by_visible_text("活动报名")
    click_through(browser, browser.find_element(By.ID, "create-form"))
    wait_text(browser, "已创建")
    Select(browser.find_element(By.ID, "kind")).select_by_value("single_choice")
    fill(browser, "label", "会议用餐")
    browser.find_element(By.ID, "required").click()
    fill(browser, "options", "需要\n不需要")
    click_through(browser, browser.find_element(By.ID, "save-field"))
    wait_text(browser, "已添加字段")
    browser.find_element(By.ID, "publish-form").click()
    browser.switch_to.alert.accept()
    wait_text(browser, "已发布")
    form_id = browser.current_url.split("/admin/forms/")[1].split("?")[0]
    # The event's edit page offers it (the draft event's form); attached here directly to a published event.
    event = add_event(demo_server, "热带农业青年沙龙", capacity=30)
    db = sqlite3.connect(os.path.join(demo_server.data, "kexie.sqlite"), timeout=30)
    org = db.execute("SELECT id FROM platform_organizations WHERE parent_id IS NULL").fetchone()[0]
    form_value = uuid.UUID(form_id).bytes if isinstance(org, bytes) else form_id.upper()
    event_value = uuid.UUID(event).bytes if isinstance(org, bytes) else event
    db.execute("UPDATE events_events SET form_id = ? WHERE id = ?", (form_value, event_value))
    db.commit()
    db.close()

    browser.delete_all_cookies()
    browser.get(f"{demo_server.base}/events/{event}/register")
    wait_text(browser, "会议用餐")
    fill(browser, "name", "符海燕")
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    keys = [a.get_attribute("data-error-key") for a in browser.find_elements(By.CSS_SELECTOR, "#error-summary a")]
    assert keys == ["phone", "f1", "consent"]
    assert browser.find_element(By.ID, "field-f1-error").is_displayed()
    assert browser.find_element(By.ID, "name").get_attribute("value") == "符海燕", "what was typed stays"
    shot(browser, "registration-09-questions-refused")
    fill(browser, "phone", "13900002828")
    Select(browser.find_element(By.ID, "field-f1")).select_by_visible_text("需要")
    browser.find_element(By.ID, "consent").click()
    click_through(browser, browser.find_element(By.ID, "register-submit"))
    wait_text(browser, "报名成功")
    code = browser.find_element(By.ID, "registration-code").text
    assert axe_violations(browser) == []

    click_through(browser, browser.find_element(By.ID, "visitor-cancel-link"))
    wait_text(browser, "取消活动报名")
    fill(browser, "code", code)
    fill(browser, "phone", "13900002829")
    click_through(browser, browser.find_element(By.ID, "visitor-cancel-submit"))
    assert "没有找到该签到码和手机号对应的报名" in browser.find_element(By.ID, "code-error").text
    fill(browser, "phone", "13900002828")
    shot(browser, "registration-10-visitor-cancel")
    click_through(browser, browser.find_element(By.ID, "visitor-cancel-submit"))
    assert "热带农业青年沙龙" in browser.find_element(By.ID, "visitor-cancelled").text
    assert axe_violations(browser) == []
