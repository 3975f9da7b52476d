"""The populated demo province (`serve --demo`): the province administrator sees its 400 people, cases and
plans, a member sees the cases they asked; screenshots of each."""

import re

import pytest
from selenium.webdriver.common.by import By

from conftest import Server, login, shot, wait_text


@pytest.fixture(scope="module")
def province_server():
    server = Server(demo=True, populated=True)
    yield server
    server.stop()


def rows(browser):
    return browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")


def test_the_province_administrator_sees_a_populated_province(province_server, browser):
    server = province_server
    accounts = server.demo_accounts()
    assert re.search(r"演示数据载入用时 [\d.]+ 秒", server.output()), server.output()[-2000:]
    login(browser, server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(server.base + "/people")
    wait_text(browser, "共 400 人")
    assert len(rows(browser)) > 10
    shot(browser, "demo-province-people")
    for path, name in [("/service/cases", "cases"), ("/plans", "plans"), ("/innovation/dockings", "dockings"), ("/experts", "experts")]:
        browser.get(server.base + path)
        assert rows(browser), f"{path} has rows"
        shot(browser, "demo-province-" + name)
    browser.get(server.base + "/plans")
    assert len(rows(browser)) == 2


def test_a_member_sees_the_cases_they_asked(province_server, browser):
    server = province_server
    accounts = server.demo_accounts()
    login(browser, server.base, "demo.member", accounts["demo.member"])
    browser.get(server.base + "/service/mine")
    assert rows(browser)
    shot(browser, "demo-province-member-cases")
