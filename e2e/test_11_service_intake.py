"""我要办事: an anonymous visitor submits a request (a too-short description is refused beside the field
with the rest kept), receives a tracking number and follows the case with it, seeing no personal data."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, shot, wait_text


def test_anonymous_submission_then_tracking_number_lookup(demo_server, browser):
    browser.get(demo_server.base + "/login")
    browser.find_element(By.ID, "service-link").click()
    wait_text(browser, "我要办事")
    Select(browser.find_element(By.ID, "type")).select_by_visible_text("法律咨询")
    fill(browser, "title", "技术合同纠纷咨询")
    fill(browser, "content", "太短")
    fill(browser, "contactName", "赵六")
    fill(browser, "contactPhone", "13600005555")
    browser.find_element(By.XPATH, "//button[normalize-space()='提交']").click()
    error = browser.find_element(By.ID, "content-error")
    assert "不少于 10 字" in error.text
    assert browser.find_element(By.ID, "title").get_attribute("value") == "技术合同纠纷咨询"
    shot(browser, "service-new-error")
    fill(browser, "content", "我与一家企业签订的技术开发合同对方迟迟不付款，想咨询如何维护权益。")
    # A program renamed to .pdf is refused by its content.
    folder = tempfile.mkdtemp()
    fake = os.path.join(folder, "合同.pdf")
    with open(fake, "wb") as f:
        f.write(b"MZ\x90\x00 not a pdf")
    browser.find_element(By.ID, "files").send_keys(fake)
    browser.find_element(By.XPATH, "//button[normalize-space()='提交']").click()
    assert "按文件内容判断" in browser.find_element(By.ID, "files-error").text
    real = os.path.join(folder, "合同扫描件.pdf")
    with open(real, "wb") as f:
        f.write(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    browser.find_element(By.ID, "files").send_keys(real)
    browser.find_element(By.XPATH, "//button[normalize-space()='提交']").click()
    wait_text(browser, "请记下您的查询码")
    code = browser.find_element(By.ID, "tracking-code").text
    assert code.startswith("KX-") and len(code) == 17, code
    shot(browser, "service-submitted")

    browser.get(demo_server.base + "/service/track")
    fill(browser, "code", code.lower())
    browser.find_element(By.XPATH, "//button[normalize-space()='查询']").click()
    wait_text(browser, "当前状态")
    assert browser.find_element(By.ID, "case-state").text == "待受理"
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "技术合同纠纷咨询" in body and "赵六" not in body and "13600005555" not in body
    shot(browser, "service-track")


def test_public_answers_page_is_reachable_without_login(demo_server, browser):
    browser.get(demo_server.base + "/login")
    browser.find_element(By.LINK_TEXT, "公开答复").click()
    wait_text(browser, "经提出人同意公开")
    assert "暂无公开的答复" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "service-public")
