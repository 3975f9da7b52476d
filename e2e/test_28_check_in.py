"""现场签到 on a phone: staff type a registration's code and see 签到成功 and the count rise; the same code
again answers 已于 HH:mm 签到; with the connection lost two scans wait on the phone (待发送 2) and are
sent, and accepted, when it comes back.

The event and its registrations are written straight into the demo's database (the event pages and
registration channels are other parts of issue 17), in the formats the server itself writes."""
import os
import random
import sqlite3
import time
import uuid

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from conftest import axe_violations, login, shot, wait_text

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def check_in_code():
    """A code as KexieKit's CheckInCode makes one: seven random symbols and the check symbol c with
    Σ (i+1)·vᵢ + 8·c ≡ 0 (mod 31) (CheckInCode.swift's checkValue)."""
    values = [random.randrange(len(ALPHABET)) for _ in range(7)]
    return "".join(ALPHABET[v] for v in values + [check_value(values)])


def check_value(values):
    total = sum((index + 1) * value for index, value in enumerate(values)) % 31
    return ((31 - total) % 31) * 4 % 31


def seed_event(server):
    """A published event of 青石县科协 with three confirmed registrations; answers its id and the codes."""
    db = sqlite3.connect(os.path.join(server.data, "kexie.sqlite"), timeout=30)
    org_id, = db.execute("SELECT id FROM platform_organizations WHERE name = '青石县科学技术协会'").fetchone()
    user_id, = db.execute("SELECT id FROM platform_users WHERE username = 'demo.county1'").fetchone()

    def new_id():
        value = uuid.uuid4()
        return value.bytes if isinstance(org_id, bytes) else str(value).upper()

    now = time.time()
    event_id = new_id()
    db.execute(
        "INSERT INTO events_events (id, title, summary, kind, level, state, organization_id, venue, starts_at, ends_at, "
        "capacity, waitlist, moderated, fee_note, audience, confirmed_count, registration_sequence, created_by, created_at, updated_at) "
        "VALUES (?, '青石县橡胶产业技术沙龙', '低频割胶交流', 'salon', 'local', 'published', ?, '青石县科技馆', ?, ?, 100, 1, 0, '免费', "
        "'public', 3, 3, ?, ?, ?)",
        (event_id, org_id, now, now + 8 * 3600, user_id, now, now))
    codes = []
    for sequence, name in enumerate(["王橡胶", "李割胶", "陈制胶"], start=1):
        code = check_in_code()
        codes.append(code)
        db.execute(
            "INSERT INTO events_registrations (id, event_id, status, channel, sequence, name, unit, code, created_at, updated_at) "
            "VALUES (?, ?, 'confirmed', 'staff', ?, ?, '青石县农科所', ?, ?, ?)",
            (new_id(), event_id, sequence, name, code, now, now))
    db.commit()
    db.close()
    printable = event_id.hex() if isinstance(event_id, bytes) else event_id
    return str(uuid.UUID(printable)).upper(), codes


def printed(code):
    return code[:4] + "-" + code[4:]


def type_code(driver, text):
    box = driver.find_element(By.ID, "check-in-code")
    box.clear()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def outcome_of(driver, code, outcome, timeout=20):
    WebDriverWait(driver, timeout).until(
        lambda d: any(li.get_attribute("data-outcome") == outcome
                      for li in d.find_elements(By.CSS_SELECTOR, f'#recent-scans li[data-code="{code}"]')))
    return [li for li in driver.find_elements(By.CSS_SELECTOR, f'#recent-scans li[data-code="{code}"]')
            if li.get_attribute("data-outcome") == outcome][0]


def attribute_is(driver, element_id, name, value, timeout=30):
    WebDriverWait(driver, timeout).until(lambda d: d.find_element(By.ID, element_id).get_attribute(name) == value)


def test_staff_check_people_in_on_a_phone_and_through_a_lost_connection(demo_server, phone):
    accounts = demo_server.demo_accounts()
    event_id, codes = seed_event(demo_server)
    login(phone, demo_server.base, "demo.staff", accounts["demo.staff"])
    wait_text(phone, "您好")
    phone.get(f"{demo_server.base}/check-in/events.event/{event_id}")
    wait_text(phone, "现场签到 · 青石县橡胶产业技术沙龙")
    assert phone.find_element(By.ID, "live-count").get_attribute("data-live-count") == "0"
    assert phone.find_element(By.ID, "expected-count").text == "3"
    # Headless Chromium has no BarcodeDetector: the camera button stays hidden.
    has_detector = phone.execute_script("return 'BarcodeDetector' in window")
    assert phone.find_element(By.ID, "camera-button").is_displayed() == has_detector
    assert axe_violations(phone) == []

    # Typed in lower case without the dash, as people do.
    type_code(phone, codes[0].lower())
    line = outcome_of(phone, printed(codes[0]), "accepted")
    assert "签到成功 · 王橡胶" in line.text
    attribute_is(phone, "live-count", "data-live-count", "1")
    first_time = line.find_element(By.CLASS_NAME, "scan-time").text

    type_code(phone, printed(codes[0]))
    repeated = outcome_of(phone, printed(codes[0]), "repeated")
    assert f"已于 {first_time} 签到" in repeated.text, repeated.text
    type_code(phone, "ZZZZ-ZZZZ")
    assert "无效签到码" in outcome_of(phone, "ZZZZ-ZZZZ", "unknown").text
    shot(phone, "check-in-phone")

    # The connection drops: scans wait on the phone.
    phone.set_network_conditions(offline=True, latency=0, download_throughput=0, upload_throughput=0)
    type_code(phone, printed(codes[1]))
    type_code(phone, printed(codes[2]))
    attribute_is(phone, "pending", "data-pending-count", "2")
    assert "待发送 2 条" in phone.find_element(By.ID, "pending").text
    assert outcome_of(phone, printed(codes[1]), "pending")
    stored = phone.execute_script(
        "return Object.keys(localStorage).filter(k => k.indexOf('kexie.check-in.queue.') === 0)"
        ".map(k => JSON.parse(localStorage.getItem(k)).length)")
    assert stored == [2], stored
    shot(phone, "check-in-phone-offline")

    # Back online: both are sent and accepted, nothing waits.
    phone.set_network_conditions(offline=False, latency=0, download_throughput=-1, upload_throughput=-1)
    attribute_is(phone, "pending", "data-pending-count", "0", timeout=40)
    assert "签到成功 · 李割胶" in outcome_of(phone, printed(codes[1]), "accepted").text
    assert "签到成功 · 陈制胶" in outcome_of(phone, printed(codes[2]), "accepted").text
    attribute_is(phone, "live-count", "data-live-count", "3")
    shot(phone, "check-in-phone-back-online")

    # A reload lists the latest check-ins from the server.
    phone.get(f"{demo_server.base}/check-in/events.event/{event_id}")
    wait_text(phone, "签到成功 · 陈制胶")
    assert phone.find_element(By.ID, "live-count").get_attribute("data-live-count") == "3"
    assert phone.find_element(By.ID, "pending").get_attribute("data-pending-count") == "0"


def test_scans_waiting_to_be_sent_survive_a_reload(demo_server, phone):
    accounts = demo_server.demo_accounts()
    event_id, codes = seed_event(demo_server)
    login(phone, demo_server.base, "demo.staff", accounts["demo.staff"])
    wait_text(phone, "您好")
    page = f"{demo_server.base}/check-in/events.event/{event_id}"
    phone.get(page)
    wait_text(phone, "现场签到")
    # The page loads, but its queue cannot reach the server (as behind a failing proxy).
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/scans"]})
    type_code(phone, codes[0])
    attribute_is(phone, "pending", "data-pending-count", "1")
    phone.get(page)
    wait_text(phone, "现场签到")
    attribute_is(phone, "pending", "data-pending-count", "1")
    assert "待发送" in outcome_of(phone, printed(codes[0]), "pending").text
    phone.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    # The retry (1 s, then doubling) sends it without anyone touching the page.
    attribute_is(phone, "pending", "data-pending-count", "0", timeout=40)
    assert "签到成功 · 王橡胶" in outcome_of(phone, printed(codes[0]), "accepted").text
    attribute_is(phone, "live-count", "data-live-count", "1")

    # A guest without a registration: the walk-in form, its errors beside the fields, then the record.
    phone.find_element(By.CSS_SELECTOR, "#walk-in summary").click()
    phone.find_element(By.ID, "phone").send_keys("123")
    phone.find_element(By.ID, "walk-in-submit").click()
    wait_text(phone, "提交未成功")
    assert phone.find_element(By.CSS_SELECTOR, '#error-summary [data-error-key="name"]').is_displayed()
    assert "请填写姓名" in phone.find_element(By.ID, "name-error").text
    shot(phone, "check-in-walk-in-errors")
    phone.find_element(By.ID, "name").send_keys("周来宾")
    phone.find_element(By.ID, "phone").clear()
    phone.find_element(By.ID, "phone").send_keys("13800138000")
    phone.find_element(By.ID, "walk-in-submit").click()
    wait_text(phone, "现场登记已记录并签到")
    attribute_is(phone, "live-count", "data-live-count", "2")
    assert "签到成功 · 周来宾" in phone.find_element(By.ID, "recent-scans").text
