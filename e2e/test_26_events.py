"""学术活动: staff create an event with a session and a speaker and submit it; the province's administrator
publishes it; a visitor finds it in the month view and the list view, opens it and downloads its .ics,
which an independent parser (Python icalendar) reads back with the right time in Asia/Shanghai."""
import datetime
import urllib.request

import pytest
from icalendar import Calendar
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import Server, axe_violations, click_through, fill, login, shot, wait_text

TITLE = "云海省青年科学家论坛（测试）"


@pytest.fixture
def events_server():
    server = Server(demo=True)
    yield server
    server.stop()


def set_value(browser, field_id, value):
    """datetime-local boxes take their value as the page's script would set it (typing depends on the locale)."""
    browser.execute_script("document.getElementById(arguments[0]).value = arguments[1]", field_id, value)


def test_staff_create_the_administrator_publishes_and_visitors_find_and_download_it(events_server, browser):
    server = events_server
    accounts = server.demo_accounts()
    day = datetime.date.today() + datetime.timedelta(days=10)
    month = day.strftime("%Y-%m")

    login(browser, server.base, "demo.staff", accounts["demo.staff"])
    browser.get(server.base + "/events/new")
    wait_text(browser, "新建活动")
    fill(browser, "title", TITLE)
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("论坛")
    Select(browser.find_element(By.ID, "level")).select_by_visible_text("省级")
    set_value(browser, "startsAt", f"{day.isoformat()}T09:00")
    set_value(browser, "endsAt", f"{day.isoformat()}T17:00")
    fill(browser, "venue", "云海省科技会堂报告厅")
    fill(browser, "capacity", "80")
    fill(browser, "summary", "青年科学家交流前沿研究，设主旨报告和分组讨论。")
    fill(browser, "session-1-title", "主旨报告")
    set_value(browser, "session-1-startsAt", f"{day.isoformat()}T09:00")
    set_value(browser, "session-1-endsAt", f"{day.isoformat()}T11:30")
    fill(browser, "session-1-room", "报告厅")
    fill(browser, "speaker-1-name", "王建国")
    fill(browser, "speaker-1-affiliation", "中国工程院院士 · 云海大学")
    fill(browser, "speaker-1-topic", "热带农业科技创新")
    shot(browser, "events-form")
    click_through(browser, browser.find_element(By.ID, "submit-review"))
    wait_text(browser, "已提交审核")
    assert browser.find_element(By.ID, "event-state").get_attribute("data-state") == "submitted"
    event_url = browser.current_url.split("?")[0]
    event_id = event_url.rsplit("/", 1)[1]
    assert "王建国" in browser.find_element(By.ID, "event-speakers").text
    assert "主旨报告" in browser.find_element(By.ID, "event-sessions").text
    shot(browser, "events-submitted")

    browser.delete_all_cookies()
    login(browser, server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(server.base + "/events/manage?state=submitted")
    wait_text(browser, TITLE)
    shot(browser, "events-manage")
    browser.get(event_url)
    click_through(browser, browser.find_element(By.ID, "action-approve"))
    wait_text(browser, "已审核通过并公开发布")
    assert browser.find_element(By.ID, "event-state").get_attribute("data-state") == "published"
    assert "审核通过并发布" in browser.find_element(By.ID, "event-history").text

    browser.delete_all_cookies()
    browser.get(server.base + f"/events?month={month}")
    wait_text(browser, "学术活动")
    cell = browser.find_element(By.CSS_SELECTOR, f'td[data-day="{day.isoformat()}"]')
    assert TITLE in cell.text
    shot(browser, "events-month")
    assert axe_violations(browser) == []
    click_through(browser, browser.find_element(By.ID, "list-view"))
    wait_text(browser, TITLE)
    items = browser.find_elements(By.CSS_SELECTOR, f'#event-list li[data-event-id="{event_id}"]')
    assert len(items) == 1
    shot(browser, "events-list")
    click_through(browser, items[0].find_element(By.TAG_NAME, "a"))
    wait_text(browser, "剩余名额")
    assert browser.find_element(By.ID, "event-places").get_attribute("data-left") == "80"
    # 报名 leads to the registration page once the application serves it (evreg's part).
    for link in browser.find_elements(By.ID, "register-link"):
        assert link.get_attribute("href").endswith(f"/events/{event_id}/register")
    shot(browser, "events-page")
    assert axe_violations(browser) == []

    ics_url = browser.find_element(By.ID, "ics-link").get_attribute("href")
    with urllib.request.urlopen(ics_url, timeout=20) as response:
        assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
        body = response.read()
    calendar = Calendar.from_ical(body)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == TITLE
    assert str(event["LOCATION"]) == "云海省科技会堂报告厅"
    start = event.decoded("DTSTART")
    assert start.utcoffset() == datetime.timedelta(hours=8)
    assert (start.date(), start.hour, start.minute) == (day, 9, 0)
    assert event.decoded("DTEND").hour == 17
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]).startswith(event_id.lower())
    assert [c["TZID"] for c in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]

    # The organizer's feed holds it too.
    browser.get(server.base + f"/events?view=list&organizer=云海省科学技术协会")
    feed_url = browser.find_element(By.ID, "organization-feed").get_attribute("href")
    with urllib.request.urlopen(feed_url, timeout=20) as response:
        feed = Calendar.from_ical(response.read())
    assert TITLE in [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
