"""门户与通知公告: a visitor opens `/`, sees the public channels and the latest notices, reads one and downloads
its attachment; the provincial administrator publishes a pinned notice with an attachment and it heads the
portal; the portal and a notice pass axe-core (when the axe-selenium-python package is installed) and are
photographed at desktop and phone widths."""
import pathlib
import tempfile
import urllib.request

from selenium.webdriver.common.by import By

from conftest import axe_violations, click_through, fill, login, make_driver, shot, wait_text

CHANNELS = ["servicehall.new", "servicehall.track", "servicehall.public", "innovation.supplies", "innovation.demands",
            "events.calendar", "awards.programs", "platform.notices", "platform.publicities"]
SURVEY = "关于开展2027年度云海省科技工作者状况调查的通知"
TITLE = "关于举办2027年云海省科普讲解大赛的通知（测试）"


def test_a_visitor_finds_the_channels_reads_a_notice_and_downloads_its_attachment(demo_server, browser):
    browser.get(demo_server.base + "/")
    wait_text(browser, "服务入口")
    channels = [a.get_attribute("data-portal-channel")
                for a in browser.find_elements(By.CSS_SELECTOR, "#portal-channels [data-portal-channel]")]
    assert channels == CHANNELS
    for entry in ("login", "signup"):
        assert browser.find_element(By.CSS_SELECTOR, f'[data-portal-channel="{entry}"]').is_displayed()
    titles = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#portal-notices li > a")]
    assert titles[0] == SURVEY, "pinned first"
    assert "关于做好年终工作总结和统计报表报送工作的通知" not in titles, "internal notices are not on the portal"
    assert "云海省科学技术协会" in browser.find_element(By.ID, "footer-host").text
    assert browser.find_element(By.ID, "footer-icp").text == "云ICP备2026000001号-1"
    shot(browser, "portal-01-desktop")
    assert axe_violations(browser) == []

    click_through(browser, browser.find_element(By.LINK_TEXT, SURVEY))
    wait_text(browser, "调查对象")
    assert browser.find_element(By.ID, "notice-organization").text == "云海省科学技术协会"
    shot(browser, "portal-02-notice")
    assert axe_violations(browser) == []
    link = browser.find_element(By.CSS_SELECTOR, "#notice-attachments a")
    assert "调查工作方案.pdf" in link.text
    # The browser would save it; the same request without cookies shows a visitor receives the file.
    with urllib.request.urlopen(link.get_attribute("href")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read(8) == b"%PDF-1.4"

    # A channel leads to its public page.
    browser.get(demo_server.base + "/")
    click_through(browser, browser.find_element(By.CSS_SELECTOR, '[data-portal-channel="innovation.supplies"]'))
    assert browser.current_url.endswith("/innovation/supplies")


def test_the_portal_on_a_phone(demo_server, phone):
    phone.get(demo_server.base + "/")
    wait_text(phone, "服务入口")
    width = phone.execute_script("return document.documentElement.scrollWidth")
    assert width <= 390, f"no sideways scrolling on a phone ({width}px)"
    shot(phone, "portal-03-phone")
    assert axe_violations(phone) == []
    phone.get(demo_server.base + "/notices")
    wait_text(phone, "通知公告")
    shot(phone, "portal-04-phone-notices")


def test_staff_publish_a_notice_with_an_attachment_and_it_heads_the_portal(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(demo_server.base + "/admin/notices")
    wait_text(browser, "通知公告管理")
    click_through(browser, browser.find_element(By.ID, "new-notice"))
    # Every problem at once first.
    click_through(browser, browser.find_element(By.ID, "save-notice"))
    keys = [a.get_attribute("data-error-key") for a in browser.find_elements(By.CSS_SELECTOR, "#error-summary a")]
    assert keys == ["title", "body"]
    fill(browser, "title", TITLE)
    fill(browser, "body", "## 参赛对象\n- 全省科普工作者\n\n报名表见附件，<b>截止</b>日期另行通知。")
    browser.find_element(By.ID, "pinned").click()
    pdf = pathlib.Path(tempfile.mkdtemp()) / "报名表.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    browser.find_element(By.ID, "files").send_keys(str(pdf))
    shot(browser, "portal-05-notice-form")
    click_through(browser, browser.find_element(By.ID, "save-notice"))
    wait_text(browser, "通知公告已保存")
    assert browser.find_element(By.CSS_SELECTOR, "#notice-body h2").text == "参赛对象"
    assert "<b>截止</b>" in browser.find_element(By.ID, "notice-body").text, "raw HTML shows as text"
    assert "报名表.pdf" in browser.find_element(By.ID, "notice-attachments").text

    visitor = make_driver()
    try:
        visitor.get(demo_server.base + "/")
        wait_text(visitor, "服务入口")
        first = visitor.find_element(By.CSS_SELECTOR, "#portal-notices li > a")
        assert first.text == TITLE
        click_through(visitor, first)
        href = visitor.find_element(By.CSS_SELECTOR, "#notice-attachments a").get_attribute("href")
        with urllib.request.urlopen(href) as response:
            assert response.status == 200
        shot(visitor, "portal-06-published")
    finally:
        visitor.quit()
