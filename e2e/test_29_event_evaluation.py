"""After the event: a participant (demo.member) evaluates a finished event through its page — the form's
errors first, then the scores — and the organizer's administrator (demo.county1) files the report with a
photo and reads the results (no names), the quality score and the yearly record.

The finished event and its registrations are written straight into the demo's database (the bare demo
has no finished event), in the formats the server itself writes."""
import os
import sqlite3
import struct
import tempfile
import time
import uuid
import zlib

import pytest
from selenium.webdriver.common.by import By

from conftest import axe_violations, click_through, login, shot, wait_text
from test_28_check_in import check_in_code

TITLE = "青石县热带果树栽培技术沙龙"


def png_file():
    """A real 24×16 PNG (green), so the browser shows a thumbnail."""
    width, height = 24, 16
    raw = b"".join(b"\x00" + b"\x22\x88\x44" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
    path = os.path.join(tempfile.mkdtemp(prefix="kexie-e2e-photo-"), "合影.png")
    with open(path, "wb") as f:
        f.write(data)
    return path


@pytest.fixture(scope="module")
def finished_event(demo_server):
    """A finished event of 青石县科协 two days ago, a speaker, demo.member's confirmed registration and two
    others; answers the event id."""
    db = sqlite3.connect(os.path.join(demo_server.data, "kexie.sqlite"), timeout=30)
    org_id, = db.execute("SELECT id FROM platform_organizations WHERE name = '青石县科学技术协会'").fetchone()
    staff_id, = db.execute("SELECT id FROM platform_users WHERE username = 'demo.county1'").fetchone()
    member_id, = db.execute("SELECT id FROM platform_users WHERE username = 'demo.member'").fetchone()

    def new_id():
        value = uuid.uuid4()
        return value.bytes if isinstance(org_id, bytes) else str(value).upper()

    start = time.time() - 2 * 86400
    event_id = new_id()
    db.execute(
        "INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, venue, starts_at, ends_at, "
        "capacity, waitlist, moderated, fee_note, audience, confirmed_count, registration_sequence, created_by, created_at, updated_at) "
        "VALUES (?, ?, '芒果、荔枝栽培技术交流', 'salon', 'local', 'finished', ?, '青石县科技馆', ?, ?, 50, 0, 0, '免费', "
        "'public', 3, 3, ?, ?, ?)",
        (event_id, TITLE, org_id, start, start + 3 * 3600, staff_id, start, start))
    db.execute(
        "INSERT INTO events_speakers (id, event_id, name, affiliation, topic, position) VALUES (?, ?, '符雅琴', '研究员', '芒果花期调控', 0)",
        (new_id(), event_id))
    for sequence, (name, user) in enumerate([("演示科技工作者", member_id), ("王果农", None), ("李果农", None)], start=1):
        db.execute(
            "INSERT INTO events_registrations (id, event_id, status, channel, sequence, user_id, name, unit, code, created_at, updated_at) "
            "VALUES (?, ?, 'confirmed', 'staff', ?, ?, ?, '青石县农科所', ?, ?, ?)",
            (new_id(), event_id, sequence, user, name, check_in_code(), start, start))
    db.commit()
    db.close()
    printable = event_id.hex() if isinstance(event_id, bytes) else event_id
    return str(uuid.UUID(printable)).upper()


def test_a_member_evaluates_a_finished_event_through_its_page(demo_server, finished_event, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    wait_text(browser, "您好")
    browser.get(f"{demo_server.base}/my/events")
    wait_text(browser, TITLE)
    link = browser.find_element(By.CSS_SELECTOR, f'a.evaluate-link[href="/events/{finished_event}/evaluate"]')
    click_through(browser, link)
    wait_text(browser, "活动评价")
    assert "评价不署名" in browser.find_element(By.ID, "evaluate-event").text
    assert axe_violations(browser) == []

    # Nothing chosen: every problem above the form and beside its field.
    click_through(browser, browser.find_element(By.ID, "submit-evaluation"))
    wait_text(browser, "提交未成功")
    assert browser.find_element(By.CSS_SELECTOR, '#error-summary [data-error-key="content"]').is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, '#error-summary [data-error-key="organization"]').is_displayed()
    assert "请为活动内容打 1 到 5 分" in browser.find_element(By.ID, "content-error").text
    shot(browser, "evaluation-form-errors")

    browser.find_element(By.CSS_SELECTOR, 'label[for="content-5"]').click()
    browser.find_element(By.CSS_SELECTOR, 'label[for="organization-4"]').click()
    speaker = browser.find_element(By.CSS_SELECTOR, 'fieldset.rating[id^="speaker-"]').get_attribute("id")
    browser.find_element(By.CSS_SELECTOR, f'label[for="{speaker}-5"]').click()
    browser.find_element(By.ID, "comment").send_keys("花期调控讲得很实用，希望到村里再办一场。")
    click_through(browser, browser.find_element(By.ID, "submit-evaluation"))
    wait_text(browser, "评价已提交，感谢您的反馈")
    assert browser.find_element(By.ID, "evaluated-at").get_attribute("data-evaluated") == "true"
    assert browser.find_element(By.ID, "content-5").is_selected()
    assert browser.find_element(By.ID, "submit-evaluation").text == "修改评价"
    browser.execute_script("document.getElementById('content').scrollIntoView()")
    shot(browser, "evaluation-form-done")

    # The event page offers 我的评价 and no staff figures; the results are not the member's to read.
    browser.get(f"{demo_server.base}/events/{finished_event}")
    assert browser.find_element(By.ID, "evaluate-link").text == "我的评价"
    assert browser.find_elements(By.ID, "quality-score") == []
    browser.get(f"{demo_server.base}/events/{finished_event}/evaluation")
    wait_text(browser, "没有权限")


def test_the_organizer_files_the_report_and_reads_the_results(demo_server, finished_event, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.county1", accounts["demo.county1"])
    wait_text(browser, "您好")
    browser.get(f"{demo_server.base}/events/{finished_event}")
    wait_text(browser, TITLE)
    assert browser.find_element(By.ID, "quality-score").is_displayed()
    click_through(browser, browser.find_element(By.ID, "report-link"))
    wait_text(browser, "活动总结")
    assert browser.find_element(By.ID, "checked-in").get_attribute("data-checked-in") == "0"
    assert browser.find_element(By.ID, "attendance").get_attribute("value") == "0"

    # An attendance other than the check-ins needs a reason.
    browser.find_element(By.ID, "attendance").clear()
    browser.find_element(By.ID, "attendance").send_keys("28")
    browser.find_element(By.ID, "adviceCount").clear()
    browser.find_element(By.ID, "adviceCount").send_keys("1")
    click_through(browser, browser.find_element(By.ID, "submit-report"))
    wait_text(browser, "提交未成功")
    assert "请说明原因" in browser.find_element(By.ID, "attendanceReason-error").text
    shot(browser, "event-report-errors")

    browser.find_element(By.ID, "attendanceReason").send_keys("部分果农使用纸质签到表")
    browser.find_element(By.ID, "paperCount").clear()
    browser.find_element(By.ID, "paperCount").send_keys("2")
    browser.find_element(By.ID, "dockingCount").clear()
    browser.find_element(By.ID, "dockingCount").send_keys("1")
    browser.find_element(By.ID, "outputsNote").send_keys("与两家合作社签订技术服务协议一项。")
    browser.find_element(By.ID, "files").send_keys(png_file())
    assert axe_violations(browser) == []
    click_through(browser, browser.find_element(By.ID, "submit-report"))
    wait_text(browser, "活动评价结果")

    assert browser.find_element(By.ID, "evaluation-count").get_attribute("data-count") == "1"
    assert browser.find_element(By.ID, "content-average").text == "5.00"
    assert browser.find_element(By.ID, "report-facts").get_attribute("data-attendance") == "28"
    photos = browser.find_elements(By.CSS_SELECTOR, "#report-photos img")
    assert len(photos) == 1
    assert browser.execute_script("return arguments[0].naturalWidth", photos[0]) == 24
    comments = browser.find_element(By.ID, "evaluations").text
    assert "花期调控讲得很实用" in comments
    assert "演示科技工作者" not in comments
    # (5 + 4 + 5) / 3 / 5 → 0.9333 × 50 + 30 × 28/50 + 20 × (3 + 4 + 3)/10 = 46.67 + 16.8 + 20 = 83.5
    assert browser.find_element(By.ID, "quality-score").get_attribute("data-score") == "83.5"
    assert axe_violations(browser) == []
    shot(browser, "event-evaluation-results")
    browser.execute_script("document.getElementById('event-report').scrollIntoView()")
    shot(browser, "event-evaluation-report")

    click_through(browser, browser.find_element(By.ID, "record-link"))
    wait_text(browser, "年度活动记录")
    row = browser.find_element(By.CSS_SELECTOR, f'#record tr[data-event-id="{finished_event}"]')
    assert row.get_attribute("data-score") == "83.5"
    assert row.get_attribute("data-reported") == "true"
    assert axe_violations(browser) == []
    shot(browser, "event-yearly-record")


def test_the_evaluation_form_reads_on_a_phone(demo_server, finished_event, phone):
    accounts = demo_server.demo_accounts()
    login(phone, demo_server.base, "demo.member", accounts["demo.member"])
    wait_text(phone, "您好")
    phone.get(f"{demo_server.base}/events/{finished_event}/evaluate")
    wait_text(phone, "活动评价")
    choice = phone.find_element(By.CSS_SELECTOR, 'label[for="organization-5"]')
    phone.execute_script("arguments[0].scrollIntoView()", choice)
    assert choice.is_displayed()
    # The five choices fit the phone's width: nothing scrolls sideways.
    assert phone.execute_script("return document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert axe_violations(phone) == []
    shot(phone, "evaluation-form-phone")
