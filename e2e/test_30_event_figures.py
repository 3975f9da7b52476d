"""活动统计 on the populated demo province (`serve --demo`): the province's staff open the page from the
navigation, see the headline figures, the SVG bar chart of events per month and the chart by level, follow
the national and international meetings figure to its drill-down list (as many rows as the figure says),
and narrow the page's own list by level; axe finds nothing on either page; screenshots of each."""

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
