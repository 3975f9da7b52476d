"""活动统计 on the populated demo province (`serve --demo`): the province's staff open the page from the
navigation, see the headline figures, the SVG bar chart of events per month and the chart by level, follow
the national and international meetings figure to its drill-down list (as many rows as the figure says),
and narrow the page's own list by level; on a person's page the staff see the events the person registered
for with the check-in time; axe finds nothing on these pages; screenshots of each."""

import os
import sqlite3
import uuid

import pytest
from selenium.webdriver.common.by import By

from conftest import Server, axe_violations, click_through, login, open_nav, shot, wait_text


@pytest.fixture(scope="module")
def province_server():
    server = Server(demo=True, populated=True)
    yield server
    server.stop()


def headline(browser, metric):
    return browser.find_element(By.CSS_SELECTOR, f'#figures-headlines a[data-metric="{metric}"]')


def test_staff_see_the_figures_the_charts_and_drill_down(province_server, browser):
    server = province_server
    accounts = server.demo_accounts()
    login(browser, server.base, "demo.staff", accounts["demo.staff"])
    open_nav(browser, "活动统计")
    wait_text(browser, "国际性和全国性学术会议")
    assert browser.find_element(By.ID, "figures-scope").text.startswith("云海省科学技术协会 · ")

    held = int(headline(browser, "events.events.held").get_attribute("data-value"))
    meetings = int(headline(browser, "events.meetings.national").get_attribute("data-value"))
    participants = int(headline(browser, "events.participants.total").get_attribute("data-value"))
    assert held > 10 and meetings >= 1 and participants > 50, (held, meetings, participants)

    # The month chart is an SVG drawn by the server: its bars add up to the events held.
    chart = browser.find_element(By.CSS_SELECTOR, "#fig-events-by-month svg.chart")
    assert chart.is_displayed()
    bars = browser.find_elements(By.CSS_SELECTOR, '#fig-events-by-month [data-series="events"][data-value]')
    assert sum(float(b.get_attribute("data-value")) for b in bars) == held
    levels = browser.find_elements(By.CSS_SELECTOR, '#fig-events-by-level [data-series="participants"][data-value]')
    assert sum(float(b.get_attribute("data-value")) for b in levels) == participants
    browser.execute_script("window.scrollTo(0, 0)")
    shot(browser, "event-figures-01-page")
    browser.find_element(By.ID, "fig-events-by-month").location_once_scrolled_into_view
    shot(browser, "event-figures-02-charts")
    assert axe_violations(browser) == []

    # The meetings figure opens the list it counts.
    click_through(browser, headline(browser, "events.meetings.national"))
    wait_text(browser, "统计的记录")
    assert browser.find_element(By.ID, "metric-value").get_attribute("data-value") == str(meetings)
    assert browser.find_element(By.ID, "metric-records").get_attribute("data-total") == str(meetings)
    rows = browser.find_elements(By.CSS_SELECTOR, "#metric-records tbody tr")
    assert len(rows) == min(meetings, 50)
    shot(browser, "event-figures-03-drill-down")
    assert axe_violations(browser) == []

    # Back on the page, the level table's count narrows the list to that level.
    browser.back()
    wait_text(browser, "按级别")
    national = browser.find_element(By.CSS_SELECTOR, '#table-figures-by-level tr[data-key="national"] a')
    count = national.get_attribute("data-events")
    click_through(browser, national)
    wait_text(browser, "统计的活动")
    assert browser.find_element(By.ID, "figures-event-list").get_attribute("data-total") == count
    levels_shown = {row.find_elements(By.TAG_NAME, "td")[2].text for row in browser.find_elements(By.CSS_SELECTOR, "#figures-event-list tbody tr[data-event-id]")}
    assert levels_shown <= {"全国"}, levels_shown
    browser.find_element(By.ID, "figures-events").location_once_scrolled_into_view
    shot(browser, "event-figures-04-list-by-level")


def test_staff_see_the_events_a_person_attended_on_the_person_page(province_server, browser):
    server = province_server
    accounts = server.demo_accounts()
    db = sqlite3.connect(os.path.join(server.data, "kexie.sqlite"), timeout=30)
    person = db.execute(
        """SELECT r.person_id FROM events_registrations r JOIN platform_check_ins c ON c.registrant_id = r.id
           WHERE r.person_id IS NOT NULL ORDER BY r.created_at LIMIT 1""").fetchone()[0]
    db.close()
    person_id = str(uuid.UUID(bytes=person)) if isinstance(person, bytes) else str(person)
    login(browser, server.base, "demo.staff", accounts["demo.staff"])
    browser.get(f"{server.base}/people/{person_id}")
    wait_text(browser, "本单位及下级单位的活动")
    panel = browser.find_element(By.XPATH, "//*[self::section or self::div][.//*[normalize-space(text())='学术活动']][.//a[contains(@href, '/registrations/')]]")
    assert "签到 " in panel.text, panel.text
    panel.location_once_scrolled_into_view
    shot(browser, "event-figures-05-person-page")
    assert axe_violations(browser) == []
