"""个人信息保护: a 科技工作者 downloads their data, then asks for deletion; the organization must give a
reason to refuse, agrees instead, and the person's name and contacts are gone and the account stops."""
import json
import urllib.request

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import fill, login, make_driver, open_nav, shot, wait_text


STATEMENT = "邢雨桐，云海大学海洋学院，从事珊瑚礁修复十年"



def download(driver, url):
    """What the browser would save: the same request with the browser's cookies."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookies})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers, response.read()


def test_person_downloads_data_and_asks_for_deletion(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    wait_text(browser, "您好，演示科技工作者")
    open_nav(browser, "我的")
    browser.find_element(By.LINK_TEXT, "填写资料").click()
    wait_text(browser, "核验状态")
    fill(browser, "name", "邢雨桐")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("女")
    fill(browser, "birthMonth", "1988-04")
    fill(browser, "employer", "云海大学海洋学院")
    fill(browser, "researchDirection", "珊瑚礁生态修复")
    fill(browser, "phone", "13876001122")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已保存")

    # An application with a statement, so the society has her name in its records too.
    open_nav(browser, "我的")
    wait_text(browser, "个人信息保护")
    Select(browser.find_element(By.ID, "society")).select_by_visible_text("云海省海洋学会")
    fill(browser, "statement", STATEMENT)
    browser.find_element(By.XPATH, "//button[normalize-space()='提交入会申请']").click()
    wait_text(browser, "入会申请已提交")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "下载我的全部数据")
    headers, body = download(browser, link.get_attribute("href"))
    assert "attachment" in headers.get("Content-Disposition", "")
    data = json.loads(body)
    assert data["profile"]["name"] == "邢雨桐" and data["profile"]["phone"] == "13876001122", data["profile"]

    # 申请注销 asks first (data-confirm); dismissing it sends nothing.
    fill(browser, "reason", "已调离科研岗位")
    button = browser.find_element(By.XPATH, "//button[normalize-space()='申请注销']")
    button.click()
    WebDriverWait(browser, 5).until(EC.alert_is_present()).dismiss()
    assert not browser.find_elements(By.ID, "deletion-status")
    button.click()
    WebDriverWait(browser, 5).until(EC.alert_is_present()).accept()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "deletion-status")))
    assert "等待所在组织审核" in browser.find_element(By.ID, "deletion-status").text
    shot(browser, "me-deletion-requested")

    admin = make_driver()
    admin.implicitly_wait(2)
    try:
        login(admin, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
        open_nav(admin, "注销申请")
        wait_text(admin, "邢雨桐")
        row = admin.find_element(By.XPATH, "//tr[td[normalize-space()='邢雨桐']]")
        assert "已调离科研岗位" in row.text and "待处理" in row.text
        shot(admin, "deletions-pending")
        row.find_element(By.XPATH, ".//button[normalize-space()='不同意']").click()
        assert "理由" in admin.find_element(By.CSS_SELECTOR, "main .form-error").text
        row = admin.find_element(By.XPATH, "//tr[td[normalize-space()='邢雨桐']]")
        row.find_element(By.XPATH, ".//button[normalize-space()='同意并注销']").click()
        WebDriverWait(admin, 5).until(EC.alert_is_present()).accept()
        wait_text(admin, "已保存")
        main = admin.find_element(By.TAG_NAME, "main").text
        assert "邢雨桐" not in main and "已注销" in main, main
        shot(admin, "deletions-done")
        # The name and the phone are gone from the list; the statistics still count the person.
        admin.get(demo_server.base + "/people?q=13876001122")
        assert "邢雨桐" not in admin.page_source
        admin.get(demo_server.base + "/people/statistics")
        assert "共 1 人" in admin.find_element(By.ID, "chart-sex").text
    finally:
        admin.quit()

    # The account no longer logs in.
    browser.delete_all_cookies()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    assert "/login" in browser.current_url


def test_consent_record_shows_china_time(demo_server, browser):
    """The sign-up consent on 我的 is dated like everything else on the site: 北京时间 (UTC+8)."""
    import datetime
    import random
    browser.get(demo_server.base + "/signup")
    fill(browser, "displayName", "羊思远")
    fill(browser, "contact", "yangsiyuan%04d@example.com" % random.randrange(10000))
    fill(browser, "password", "Siyuan#2026")
    fill(browser, "confirm", "Siyuan#2026")
    browser.find_element(By.ID, "consent").click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "您好，羊思远")
    china_now = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) + datetime.timedelta(hours=8)
    open_nav(browser, "我的")
    wait_text(browser, "同意个人信息保护说明")
    entry = browser.find_element(By.CSS_SELECTOR, "ul.timeline li .muted").text
    shown = datetime.datetime.strptime(entry[:16], "%Y-%m-%d %H:%M")
    assert abs((shown - china_now).total_seconds()) < 180, f"consent shown as {entry}, 北京时间 now is {china_now:%Y-%m-%d %H:%M}"


def test_deleted_person_leaves_no_name_in_the_membership_history(demo_server, browser):
    """Runs after the deletion above: the society's record of her application keeps the dates and
    decisions, but neither her name nor what she wrote."""
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(demo_server.base + "/memberships?status=refused")
    rows = browser.find_elements(By.XPATH, "//main//table[not(contains(@class, 'dense'))]//tbody//td[3][normalize-space()='云海省海洋学会']/..")
    assert len(rows) == 1, [r.text for r in rows]
    rows[0].find_element(By.CSS_SELECTOR, "td:first-child a").click()
    wait_text(browser, "会籍记录")
    shot(browser, "membership-of-deleted-person")
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "邢雨桐" not in main and "珊瑚礁" not in main, browser.find_element(By.ID, "history").text
