"""全站搜索 and the organization picker: a visitor and the provincial administrator type in the header's
search box and read the results grouped by kind (each marked data-search-kind); the administrator creates
an account choosing its organization with the keyboard in the type-ahead picker; axe-core finds no
violation on the search page or the form with its list open."""
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import axe_violations, click_through, fill, login, shot, wait_text

PUBLIC_KINDS = {"public_reply", "innovation.supply", "innovation.demand", "notice"}


def search_from_header(browser, text):
    box = browser.find_element(By.ID, "site-search")
    box.clear()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda d: "/search?q=" in d.current_url)
    wait_text(browser, "全站搜索")


def kinds_on_page(browser):
    return [el.get_attribute("data-search-kind") for el in browser.find_elements(By.CSS_SELECTOR, "[data-search-kind]")]


def test_header_search_groups_results_by_kind_for_a_visitor_and_for_staff(demo_server, browser):
    browser.get(demo_server.base + "/login")
    search_from_header(browser, "橡胶")
    kinds = kinds_on_page(browser)
    assert "innovation.supply" in kinds, kinds
    assert set(kinds) <= PUBLIC_KINDS, f"a visitor sees public records only: {kinds}"
    groups = browser.find_elements(By.CSS_SELECTOR, "section.search-group")
    assert [g.get_attribute("data-search-group") for g in groups] == list(dict.fromkeys(kinds))
    for result in browser.find_elements(By.CSS_SELECTOR, "[data-search-kind] a"):
        assert result.get_attribute("href").startswith(demo_server.base + "/")
    shot(browser, "search-01-visitor")
    violations = axe_violations(browser)
    assert violations == [], violations

    # Too short: said beside the field.
    search_from_header(browser, "橡")
    assert browser.find_element(By.ID, "search-q-error").text.endswith("请至少输入 2 个字")

    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    search_from_header(browser, "科学技术协会")
    kinds = kinds_on_page(browser)
    assert "organization" in kinds, kinds
    search_from_header(browser, "橡胶")
    staff_kinds = kinds_on_page(browser)
    assert "innovation.supply" in staff_kinds
    counts = [b.text for b in browser.find_elements(By.CSS_SELECTOR, ".search-group h2 .badge")]
    assert all(c.endswith("条") for c in counts), counts
    shot(browser, "search-02-staff")
    violations = axe_violations(browser)
    assert violations == [], violations


def test_an_organization_is_chosen_with_the_keyboard_in_the_type_ahead(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(demo_server.base + "/admin/users/new")
    wait_text(browser, "新建账号")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-org-picker]"), "the shared picker"
    fill(browser, "username", "picker.test")
    fill(browser, "displayName", "选择组织测试")
    Select(browser.find_element(By.ID, "role")).select_by_value("staff")

    box = browser.find_element(By.ID, "organizationID")
    assert box.get_attribute("role") == "combobox"
    box.clear()
    box.send_keys("青石")
    listbox = browser.find_element(By.ID, "organizationID-listbox")
    WebDriverWait(browser, 20).until(lambda _: len(listbox.find_elements(By.CSS_SELECTOR, "[role=option]")) >= 2)
    assert box.get_attribute("aria-expanded") == "true"
    options = listbox.find_elements(By.CSS_SELECTOR, "[role=option]")
    assert "云海省科学技术协会 › 东港市科学技术协会 › 青石县科学技术协会" in options[0].text
    box.send_keys(Keys.ARROW_DOWN)
    assert box.get_attribute("aria-activedescendant") == options[0].get_attribute("id")
    box.send_keys(Keys.ARROW_DOWN)
    assert options[1].get_attribute("aria-selected") == "true"
    shot(browser, "search-03-picker-open")
    violations = axe_violations(browser)
    assert violations == [], violations
    box.send_keys(Keys.ARROW_UP)
    box.send_keys(Keys.ENTER)
    assert box.get_attribute("value") == "云海省科学技术协会 › 东港市科学技术协会 › 青石县科学技术协会"
    assert box.get_attribute("aria-expanded") == "false"
    hidden = browser.find_element(By.CSS_SELECTOR, "input[type=hidden][name=organizationID]")
    assert len(hidden.get_attribute("value")) == 36, "the chosen id goes in the hidden input"
    shot(browser, "search-04-picker-chosen")

    click_through(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    wait_text(browser, "选择组织测试")
    grants = browser.find_element(By.TAG_NAME, "main").text
    assert "青石县科学技术协会" in grants
