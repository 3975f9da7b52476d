"""The administrators' pages around people: 登记 one person by hand, enter them in 专家库 and 三长 by their
phone number, see them in the lists, and the statistics page drawing them; 代表委员 and 注销申请 open."""
import random
import re

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from conftest import fill, login, open_nav, shot, wait_text

# Unique per run: when pytest reruns a failed test against the same server, the first attempt's person
# already holds the number.
PHONE = "1397654" + "".join(random.choice("0123456789") for _ in range(4))



def choose(driver, select_id, label):
    """Pick an option whose text, without the indentation of nested organizations, is label. An
    organization picker (a type-ahead text box) takes the exact name typed; the server resolves it."""
    element = driver.find_element(By.ID, select_id)
    if element.tag_name == "input":
        element.clear()
        element.send_keys(label)
        element.send_keys(Keys.ESCAPE)
        return
    for option in Select(element).options:
        if option.text.strip("\u3000 ") == label:
            option.click()
            return
    raise AssertionError(f"no option {label} in #{select_id}")


def table_rows(driver, css="main table"):
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in driver.find_elements(By.CSS_SELECTOR, css + " tbody tr")]


def bars(driver, chart):
    """label -> count of one bar chart, read from the table of values screen readers get."""
    section = driver.find_element(By.ID, f"chart-{chart}")
    rows = section.find_elements(By.CSS_SELECTOR, f"#fig-{chart}-data tbody tr")
    return {
        r.find_element(By.TAG_NAME, "th").get_attribute("textContent"): r.find_element(By.TAG_NAME, "td").get_attribute("textContent")
        for r in rows
    }


def test_register_a_person_and_give_them_roles(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(browser, "您好，演示省科协管理员")

    # 登记 through the form.
    open_nav(browser, "科技工作者")
    wait_text(browser, "共 ")
    browser.find_element(By.LINK_TEXT, "登记").click()
    wait_text(browser, "登记科技工作者")
    choose(browser, "organizationID", "青石县科学技术协会")
    fill(browser, "name", "云秀兰")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("女")
    fill(browser, "birthMonth", "1975-08")
    Select(browser.find_element(By.ID, "education")).select_by_visible_text("大学本科")
    fill(browser, "titleName", "副主任医师")
    fill(browser, "employer", "青石县人民医院")
    fill(browser, "province", "云海省")
    fill(browser, "city", "东港市")
    fill(browser, "county", "青石县")
    Select(browser.find_element(By.ID, "discipline")).select_by_value("320")
    fill(browser, "researchDirection", "基层慢性病管理")
    fill(browser, "phone", PHONE)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已创建")
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("云秀兰")
    assert browser.find_element(By.ID, "masked-phone").text == "139****" + PHONE[-4:]
    assert "副高级" in browser.find_element(By.TAG_NAME, "main").text, "职称级别 is inferred from 副主任医师"
    shot(browser, "person-created")

    # 专家库: an unknown phone is refused beside the field, then the right one is entered.
    open_nav(browser, "专家库")
    wait_text(browser, "入库或更新专家")
    shot(browser, "experts-empty")
    fill(browser, "expert-person", "13900000000")
    browser.find_element(By.XPATH, "//label[contains(., '科普专家')]/input").click()
    browser.find_element(By.XPATH, "//form[contains(@action, '/experts')]//button[normalize-space()='保存']").click()
    assert browser.find_element(By.ID, "expert-person-error").text.strip()
    fill(browser, "expert-person", PHONE)
    checkbox = browser.find_element(By.XPATH, "//label[contains(., '科普专家')]/input")
    if not checkbox.is_selected():
        checkbox.click()
    browser.find_element(By.XPATH, "//label[contains(., '评审专家')]/input").click()
    Select(browser.find_element(By.ID, "expert-availability")).select_by_visible_text("时间有限")
    browser.find_element(By.XPATH, "//form[contains(@action, '/experts')]//button[normalize-space()='保存']").click()
    wait_text(browser, "已保存")
    rows = table_rows(browser)
    assert len(rows) == 1 and rows[0][0] == "云秀兰", rows
    assert "科普专家" in rows[0][4] and "评审专家" in rows[0][4] and rows[0][6] == "时间有限", rows
    shot(browser, "experts")
    # The list's own filter finds the expert by 类别 and not under another one.
    Select(browser.find_element(By.ID, "role")).select_by_visible_text("应急专家")
    browser.find_element(By.XPATH, "//main//form[@role='search']//button").click()
    wait_text(browser, "没有符合条件的专家")
    Select(browser.find_element(By.ID, "role")).select_by_visible_text("科普专家")
    browser.find_element(By.XPATH, "//main//form[@role='search']//button").click()
    wait_text(browser, "云秀兰")

    # 三长: a hospital director at the county association.
    open_nav(browser, "三长")
    wait_text(browser, "登记三长")
    choose(browser, "organizationID", "青石县科学技术协会")
    fill(browser, "person", PHONE)
    Select(browser.find_element(By.ID, "kind")).select_by_visible_text("医院院长")
    fill(browser, "institution", "青石县人民医院")
    fill(browser, "since", "2026-01-01")
    browser.find_element(By.XPATH, "//button[normalize-space()='登记']").click()
    wait_text(browser, "已创建")
    rows = table_rows(browser)
    assert len(rows) == 1, rows
    assert rows[0][:5] == ["青石县科学技术协会", "云秀兰", "医院院长", "青石县人民医院", "2026-01-01"], rows
    shot(browser, "three-heads")

    # The person page links back: the record is the same person. 实名核验 there: refusing needs a
    # reason, approving gives the badge.
    browser.find_element(By.LINK_TEXT, "云秀兰").click()
    wait_text(browser, "实名核验")
    assert browser.find_element(By.ID, "masked-phone").text == "139****" + PHONE[-4:]
    assert "已实名核验" not in browser.find_element(By.TAG_NAME, "h1").text
    browser.find_element(By.XPATH, "//button[normalize-space()='核验不通过']").click()
    assert "原因" in browser.find_element(By.CSS_SELECTOR, "main .form-error").text
    assert not browser.find_elements(By.CSS_SELECTOR, "h1 .badge.verified")
    browser.find_element(By.XPATH, "//button[normalize-space()='核验通过']").click()
    wait_text(browser, "已核验通过")
    assert browser.find_element(By.CSS_SELECTOR, "h1 .badge.verified").text.endswith("已实名核验")
    assert "已实名核验" in browser.find_element(By.CSS_SELECTOR, "ul.timeline").text
    shot(browser, "person-verified")
    open_nav(browser, "科技工作者")
    wait_text(browser, "云秀兰")
    row = browser.find_element(By.XPATH, "//tr[td/a[normalize-space()='云秀兰']]")
    assert row.find_element(By.CSS_SELECTOR, ".badge.verified")
    shot(browser, "people-verified-badge")


def test_statistics_draw_the_registered_people(demo_server, browser):
    """Runs after the registration above: one woman, 320 临床医学, 副高级, 50–54."""
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "科技工作者")
    wait_text(browser, "共 ")
    browser.find_element(By.LINK_TEXT, "统计").click()
    wait_text(browser, "科技工作者统计")
    for chart in ("organization", "discipline", "title", "age", "sex"):
        section = browser.find_element(By.ID, f"chart-{chart}")
        assert section.find_elements(By.CSS_SELECTOR, "svg rect.chart-bar"), f"#chart-{chart} draws bars"
    sexes = bars(browser, "sex")
    assert sexes.get("女") == "1" and sexes.get("男", "0") == "0", sexes
    assert "1" in bars(browser, "discipline").values()
    assert any("临床医学" in label for label, value in bars(browser, "discipline").items() if value == "1")
    assert bars(browser, "title").get("副高级") == "1", bars(browser, "title")
    # The bar for 女 reaches the end of its axis (one person on an axis to 1); an empty band draws nothing.
    sex = browser.find_element(By.ID, "chart-sex")
    rects = {r.get_attribute("data-label"): r for r in sex.find_elements(By.CSS_SELECTOR, "rect.chart-bar")}
    axis_end = float(sex.find_elements(By.CSS_SELECTOR, "line.chart-grid")[-1].get_attribute("x1"))
    woman = rects["女"]
    assert float(woman.get_attribute("x")) + float(woman.get_attribute("width")) == axis_end, woman.get_attribute("width")
    assert rects["男"].get_attribute("width") == "0"
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= 1280, f"page is {width}px wide"
    shot(browser, "statistics")


def test_other_administration_pages_open(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "代表委员")
    wait_text(browser, "登记代表或委员")
    shot(browser, "representatives")
    fill(browser, "rep-person", PHONE)
    fill(browser, "body", "云海省科协第十次代表大会")
    fill(browser, "term", "第十届（2021—2026）")
    Select(browser.find_element(By.ID, "rep-role")).select_by_visible_text("代表")
    fill(browser, "constituency", "青石县科协")
    browser.find_element(By.XPATH, "//button[normalize-space()='登记']").click()
    wait_text(browser, "已创建")
    section = browser.find_element(By.XPATH, "//section[h2[contains(., '云海省科协第十次代表大会')]]")
    assert "1 人" in section.find_element(By.TAG_NAME, "h2").text
    assert table_rows(browser, "section")[0][:3] == ["云秀兰", "代表", "青石县科协"]
    shot(browser, "representatives-added")

    open_nav(browser, "注销申请")
    wait_text(browser, "没有注销申请")
    shot(browser, "deletions")
    assert re.search(r"同意后.*删除", browser.find_element(By.TAG_NAME, "main").text)


def test_member_pages_fit_a_phone(demo_server, phone):
    accounts = demo_server.demo_accounts()
    login(phone, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(phone, "您好，演示省科协管理员")
    for path, name in [("/me", "me"), ("/people", "people"), ("/people/statistics", "statistics"), ("/memberships", "memberships"),
                       ("/experts", "experts"), ("/three-heads", "three-heads"), ("/people/import", "import")]:
        phone.get(demo_server.base + path)
        wait_text(phone, "智慧科协")
        assert not phone.find_elements(By.CSS_SELECTOR, ".error-page"), f"{path} shows an error page"
        width = phone.execute_script("return document.documentElement.scrollWidth")
        shot(phone, f"phone-{name}")
        assert width <= 400, f"{path} is {width}px wide on a 390px phone"


def test_navigation_marks_only_the_current_section(demo_server, browser):
    """会员管理 (/memberships) starts with the same letters as 我的 (/me): only one tab may be current."""
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    for label in ("会员管理", "我的", "科技工作者"):
        open_nav(browser, label)
        wait_text(browser, label)
        current = [
            a.get_attribute("textContent") for a in browser.find_elements(By.CSS_SELECTOR, ".main-nav a[aria-current='page']")
        ]
        assert current == [label], f"on {browser.current_url} the tabs marked current are {current}"
