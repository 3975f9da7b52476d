"""协同办理: a person submits a suggestion, the provincial office accepts it and assigns it to 科普部, the
department answers, and the person reads the answer and rates it."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, open_nav, shot, wait_text


def click(browser, element_id):
    browser.find_element(By.ID, element_id).click()


def test_department_answers_and_requester_rates(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    open_nav(browser, "我要办事")
    Select(browser.find_element(By.ID, "type")).select_by_visible_text("建言献策")
    fill(browser, "title", "建议开放高校实验室")
    fill(browser, "content", "建议推动高校重点实验室在周末向中小学生开放参观。")
    fill(browser, "contactPhone", "13600006666")
    # A small real PDF as the attachment; the department downloads it below.
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    path = os.path.join(tempfile.mkdtemp(), "实验室开放方案.pdf")
    with open(path, "wb") as handle:
        handle.write(pdf)
    browser.find_element(By.ID, "files").send_keys(path)
    browser.find_element(By.XPATH, "//button[normalize-space()='提交']").click()
    wait_text(browser, "请记下您的查询码")
    code = browser.find_element(By.ID, "tracking-code").text
    browser.delete_all_cookies()

    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "诉求办理")
    wait_text(browser, code)
    shot(browser, "service-queue")
    browser.find_element(By.LINK_TEXT, "建议开放高校实验室").click()
    click(browser, "do-accept")
    wait_text(browser, "已保存")
    assert browser.find_element(By.ID, "case-state").text == "已受理"
    click(browser, "do-assign")
    assert "请选择承办部门" in browser.find_element(By.ID, "step-error").text
    Select(browser.find_element(By.ID, "department-assign")).select_by_visible_text("科普部")
    click(browser, "do-assign")
    wait_text(browser, "已保存")
    assert browser.find_element(By.ID, "case-state").text == "办理中"
    shot(browser, "service-case-assigned")
    browser.delete_all_cookies()

    login(browser, demo_server.base, "demo.staff", accounts["demo.staff"])
    open_nav(browser, "诉求办理")
    browser.find_element(By.LINK_TEXT, "建议开放高校实验室").click()
    # The department opens the attachment: the browser fetches it with the staff member's session and
    # gets back the very bytes that were uploaded, as a PDF download.
    link = browser.find_element(By.CSS_SELECTOR, "#case-attachments a")
    assert "实验室开放方案.pdf" in link.text
    fetched = browser.execute_async_script(
        """const done = arguments[arguments.length - 1];
        fetch(arguments[0]).then(async r => done([r.status, r.headers.get('content-type'),
            r.headers.get('content-disposition'), Array.from(new Uint8Array(await r.arrayBuffer()))]));""",
        link.get_attribute("href"))
    assert fetched[0] == 200 and fetched[1] == "application/pdf"
    assert "attachment" in fetched[2]
    assert bytes(fetched[3]) == pdf
    click(browser, "do-answer")
    assert "答复内容" in browser.find_element(By.ID, "step-error").text
    fill(browser, "comment-answer", "已协调三所高校于暑期试点开放。")
    click(browser, "do-answer")
    wait_text(browser, "已保存")
    assert browser.find_element(By.ID, "case-state").text == "已答复"
    browser.delete_all_cookies()

    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    browser.find_element(By.ID, "inbox-link").click()
    wait_text(browser, "诉求答复")
    browser.find_element(By.CSS_SELECTOR, "#inbox .inbox-title").click()
    wait_text(browser, "已协调三所高校于暑期试点开放")
    Select(browser.find_element(By.ID, "rating-rate")).select_by_value("5")
    fill(browser, "comment-rate", "答复很具体")
    click(browser, "do-rate")
    wait_text(browser, "已保存")
    assert browser.find_element(By.ID, "case-state").text == "已办结"
    assert "5 分" in browser.find_element(By.ID, "case-rating").text
    history = browser.find_element(By.ID, "case-history").text
    assert "受理" in history and "答复" in history and "评价" in history
    shot(browser, "service-case-rated")
    browser.delete_all_cookies()

    # The 承办 department marks the suggestion adopted; it is on the requester's list 我的诉求.
    login(browser, demo_server.base, "demo.staff", accounts["demo.staff"])
    open_nav(browser, "诉求办理")
    browser.find_element(By.LINK_TEXT, "建议开放高校实验室").click()
    fill(browser, "adopt-note", "暑期已开放三所高校实验室")
    click(browser, "do-adopt")
    wait_text(browser, "已保存")
    assert "暑期已开放三所高校实验室" in browser.find_element(By.ID, "case-adoption").text


def test_administrator_adds_a_routing_rule(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "分派规则")
    wait_text(browser, "新建规则")
    browser.find_element(By.XPATH, "//button[normalize-space()='保存规则']").click()
    assert "至少选择一种事项类型" in browser.find_element(By.ID, "keywords-error").text
    browser.find_element(By.CSS_SELECTOR, "input[name='types[]'][value='legal']").click()
    fill(browser, "keywords", "专利、知识产权")
    fill(browser, "target", "东港市科学技术协会")  # the organization picker takes the exact name
    browser.find_element(By.XPATH, "//button[normalize-space()='保存规则']").click()
    wait_text(browser, "已创建")
    row = browser.find_element(By.ID, "rules").text
    assert "法律咨询" in row and "专利、知识产权" in row and "东港市科学技术协会" in row
    shot(browser, "service-rules")


def test_statistics_page_shows_the_years_figures(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    open_nav(browser, "我要办事")
    Select(browser.find_element(By.ID, "type")).select_by_visible_text("维权")
    fill(browser, "title", "科研成果被冒用")
    fill(browser, "content", "本人的科研成果被他人署名发表，请求协助维权。")
    fill(browser, "contactPhone", "13600008888")
    browser.find_element(By.XPATH, "//button[normalize-space()='提交']").click()
    wait_text(browser, "请记下您的查询码")
    browser.delete_all_cookies()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    assert "待受理" in browser.find_element(By.TAG_NAME, "main").text
    open_nav(browser, "办理统计")
    wait_text(browser, "按事项类型")
    table = browser.find_element(By.ID, "figures-by-type").text
    assert "维权" in table and "1" in table
    shot(browser, "service-statistics")
