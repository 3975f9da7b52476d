"""节假日与调休: the system administrator records next year's State Council schedule (a wrong line is
refused beside the field with the text kept), and the public working-day API then counts with it."""
import json
import urllib.request

from selenium.webdriver.common.by import By

from conftest import fill, login, open_nav, shot, wait_text


def test_sysadmin_adds_next_years_schedule(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.sysadmin", accounts["demo.sysadmin"])
    open_nav(browser, "节假日")
    wait_text(browser, "录入或更正一年的安排")
    assert "2026" in browser.find_element(By.ID, "years").text
    fill(browser, "year", "2027")
    fill(browser, "holidays", "劳动节 2027-05-01")
    browser.find_element(By.XPATH, "//button[normalize-space()='保存']").click()
    error = browser.find_element(By.ID, "holidays-error")
    assert "第1行" in error.text
    assert browser.find_element(By.ID, "holidays").get_attribute("value") == "劳动节 2027-05-01"
    shot(browser, "calendar-error")
    fill(browser, "holidays", "劳动节 2027-05-01 2027-05-05")
    fill(browser, "workdays", "2027-04-25")
    browser.find_element(By.XPATH, "//button[normalize-space()='保存']").click()
    wait_text(browser, "已保存")
    assert "劳动节 2027-05-01—2027-05-05" in browser.find_element(By.ID, "years").text
    shot(browser, "calendar-saved")
    with urllib.request.urlopen(demo_server.base + "/api/v1/calendar/add-working-days?from=2027-04-30&days=1") as response:
        answer = json.load(response)
    assert answer == {"date": "2027-05-06", "provisional": False}


def test_sysadmin_sets_time_limits(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.sysadmin", accounts["demo.sysadmin"])
    open_nav(browser, "办理时限")
    wait_text(browser, "受理时限")
    fill(browser, "accept-legal", "0")
    browser.find_element(By.XPATH, "//button[normalize-space()='保存']").click()
    assert "1 到 30" in browser.find_element(By.ID, "legal-error").text
    fill(browser, "accept-legal", "3")
    browser.find_element(By.XPATH, "//button[normalize-space()='保存']").click()
    wait_text(browser, "已保存")
    assert browser.find_element(By.ID, "accept-legal").get_attribute("value") == "3"
    shot(browser, "service-time-limits")
