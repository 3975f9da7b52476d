"""学会会籍: a 科技工作者 fills in the profile and applies to 云海省橡胶学会; the society's secretariat finds
the application under 会员管理, cannot refuse it without a reason, approves it and the first member number
of the year is given; the person then sees the number on 我的, and the province sees the society's count."""
import datetime

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, make_driver, open_nav, shot, wait_text

SOCIETY = "云海省橡胶学会"


def china_year():
    return (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).year



def membership_rows(driver):
    """The rows of 我的学会会籍 as lists of cell texts."""
    section = driver.find_element(By.XPATH, "//section[h2[normalize-space()='我的学会会籍']]")
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in section.find_elements(By.CSS_SELECTOR, "tbody tr")]


def test_person_applies_and_the_society_approves(demo_server, browser):
    accounts = demo_server.demo_accounts()
    number = f"YHXJ-{china_year()}-00001"

    # The 科技工作者 fills in the profile first.
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    wait_text(browser, "您好，演示科技工作者")
    open_nav(browser, "我的")
    wait_text(browser, "我的学会会籍")
    browser.find_element(By.LINK_TEXT, "填写资料").click()
    wait_text(browser, "核验状态")
    fill(browser, "name", "符海生")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("男")
    fill(browser, "birthMonth", "1978-03")
    fill(browser, "titleName", "高级农艺师")
    fill(browser, "employer", "云海省农垦科学院橡胶研究所")
    fill(browser, "province", "云海省")
    fill(browser, "city", "东港市")
    Select(browser.find_element(By.ID, "discipline")).select_by_value("210")
    fill(browser, "researchDirection", "橡胶树病虫害防治")
    fill(browser, "phone", "13907551234")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已保存")
    assert browser.find_element(By.ID, "verification").text == "待核验"

    # 我的 → apply to the rubber society.
    open_nav(browser, "我的")
    wait_text(browser, "我的学会会籍")
    assert membership_rows(browser) == [["尚未申请加入学会"]]
    Select(browser.find_element(By.ID, "society")).select_by_visible_text(SOCIETY)
    fill(browser, "statement", "从事橡胶树病害研究二十年，愿为学会服务")
    browser.find_element(By.XPATH, "//button[normalize-space()='提交入会申请']").click()
    wait_text(browser, "入会申请已提交")
    rows = membership_rows(browser)
    assert len(rows) == 1, rows
    assert rows[0][0] == SOCIETY and rows[0][3].startswith("待审核"), rows
    shot(browser, "me-applied")

    # Applying to the same society again is refused beside the field, not recorded twice.
    Select(browser.find_element(By.ID, "society")).select_by_visible_text(SOCIETY)
    browser.find_element(By.XPATH, "//button[normalize-space()='提交入会申请']").click()
    assert browser.find_element(By.ID, "society-error").text.strip(), "a second application is explained beside the field"
    assert len(membership_rows(browser)) == 1
    shot(browser, "me-applied-twice")

    # The society's secretariat, in its own browser.
    society = make_driver()
    society.implicitly_wait(2)
    try:
        login(society, demo_server.base, "demo.society", accounts["demo.society"])
        wait_text(society, "您好，演示橡胶学会秘书处")
        open_nav(society, "会员管理")
        wait_text(society, "符海生")
        table = society.find_element(By.CSS_SELECTOR, "main table").text
        assert SOCIETY in table and "待审核" in table
        assert "各学会会员数" not in society.page_source, "a society administrator sees only its own society"
        shot(society, "memberships-society")
        society.find_element(By.LINK_TEXT, "符海生").click()
        wait_text(society, "审核入会申请")
        assert society.find_element(By.ID, "membership-status").text == "待审核"
        assert "从事橡胶树病害研究二十年" in society.find_element(By.TAG_NAME, "main").text
        shot(society, "membership-application")

        # 不予通过 needs a reason.
        society.find_element(By.XPATH, "//button[normalize-space()='不予通过']").click()
        assert "理由" in society.find_element(By.ID, "reason-error").text
        assert society.find_element(By.ID, "reason").get_attribute("aria-invalid") == "true"
        assert society.find_element(By.ID, "membership-status").text == "待审核"
        shot(society, "membership-refuse-error")

        Select(society.find_element(By.ID, "approve-grade")).select_by_visible_text("会员")
        society.find_element(By.XPATH, "//button[normalize-space()='批准入会']").click()
        wait_text(society, number)
        assert society.find_element(By.ID, "member-number").text == number
        assert society.find_element(By.ID, "membership-status").text == "有效"
        history = society.find_element(By.ID, "history").text
        assert "提交入会申请" in history and len(history.splitlines()) >= 2, history
        assert not society.find_elements(By.ID, "approve-grade"), "an approved membership is no longer an application"
        shot(society, "membership-approved")

        open_nav(society, "会员管理")
        wait_text(society, number)
        shot(society, "memberships-after-approval")
    finally:
        society.quit()

    # The person sees the number on 我的.
    browser.get(demo_server.base + "/")
    open_nav(browser, "我的")
    wait_text(browser, number)
    rows = membership_rows(browser)
    assert rows[0][0] == SOCIETY and rows[0][1] == number and rows[0][3] == "有效", rows
    shot(browser, "me-member")

    # The decision also arrived as a 站内信: the header counts it, opening it marks it read.
    assert browser.find_element(By.ID, "unread-count").text == "1"
    browser.find_element(By.ID, "inbox-link").click()
    wait_text(browser, "入会申请已通过")
    assert number in browser.find_element(By.ID, "inbox").text
    shot(browser, "inbox")
    browser.find_element(By.CSS_SELECTOR, "#inbox .inbox-title").click()
    wait_text(browser, "我的学会会籍")
    assert not browser.find_elements(By.ID, "unread-count")


def test_province_sees_the_societys_count(demo_server, browser):
    """Runs after the approval above: the province administrator's per-society table counts it."""
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(browser, "您好，演示省科协管理员")
    open_nav(browser, "会员管理")
    wait_text(browser, "各学会会员数")
    row = browser.find_element(By.XPATH, f"//section[.//h2[contains(., '各学会会员数')]]//tr[td/a[normalize-space()='{SOCIETY}']]")
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[1:] == ["1", "0", "1"], cells
    shot(browser, "memberships-province")
