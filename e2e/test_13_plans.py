"""工作计划: the office uploads a plan, maps an unknown unit name and corrects a co-unit on the review
page, confirms; the department (科普部) finds the task under 我的任务 and reports progress with evidence;
the office urges it and sees the dashboard."""
import os
import tempfile

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_through, fill, login, open_nav, shot, wait_text

PLAN = """云海省科协2026年重点任务

一、提升公民科学素质
1.开展科普进乡村行动。举办乡村科普讲座不少于30场，10月31日前完成全部讲座。（牵头单位：科学技术普及部；配合单位：青石县科协、省农业农村厅）
2.建设科普阵地。新建社区科普e站12个。（责任部门：科普部）
二、服务科技工作者
3.举办青年科技论坛。全年举办论坛3期。（责任部门：学会部）
"""



def test_office_imports_a_plan_and_the_department_reports(demo_server, browser):
    accounts = demo_server.demo_accounts()
    folder = tempfile.mkdtemp()
    plan_file = os.path.join(folder, "2026年重点任务.txt")
    with open(plan_file, "w", encoding="utf-8") as handle:
        handle.write(PLAN)

    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "工作计划")
    browser.find_element(By.LINK_TEXT, "上传工作计划").click()
    browser.find_element(By.XPATH, "//button[normalize-space()='上传并解析']").click()
    assert "请选择要上传的工作计划文件" in browser.find_element(By.ID, "file-error").text
    browser.find_element(By.ID, "file").send_keys(plan_file)
    browser.find_element(By.XPATH, "//button[normalize-space()='上传并解析']").click()
    wait_text(browser, "核对解析结果")
    assert "举办乡村科普讲座不少于30场" in browser.find_element(By.ID, "task-1").text
    assert browser.find_element(By.ID, "lead-1").get_attribute("value") == "科学技术普及部"
    assert browser.find_element(By.ID, "deadline-1").get_attribute("value") == "2026-10-31"
    shot(browser, "plans-review")

    # Confirming with names nobody mapped is refused beside the names.
    browser.find_element(By.ID, "confirm-plan").click()
    wait_text(browser, "请为“科学技术普及部”选择对应的部门或单位")
    # The reviewer maps the full department name to 科普部, marks the provincial department as
    # external, and adds 青少年部 as a co-unit of the second task.
    Select(browser.find_element(By.CSS_SELECTOR, 'select[data-unit="科学技术普及部"]')).select_by_visible_text("部门：科普部")
    Select(browser.find_element(By.CSS_SELECTOR, 'select[data-unit="省农业农村厅"]')).select_by_visible_text("外部单位（不分派任务）")
    fill(browser, "co-2", "青少年部")
    shot(browser, "plans-review-mapped")
    browser.find_element(By.ID, "confirm-plan").click()
    wait_text(browser, "年度考核")
    assert "开展科普进乡村行动" in browser.find_element(By.ID, "tasks").text
    shot(browser, "plans-dashboard")
    browser.delete_all_cookies()

    login(browser, demo_server.base, "demo.staff", accounts["demo.staff"])
    open_nav(browser, "我的任务")
    wait_text(browser, "本期未报送")
    shot(browser, "plans-mine")
    click_through(browser, browser.find_element(By.LINK_TEXT, "开展科普进乡村行动"))
    wait_text(browser, "报送进展")
    browser.find_element(By.ID, "submit-report").click()
    assert "完成进度为 0 到 100" in browser.find_element(By.ID, "percent-error").text
    fill(browser, "percent", "40")
    fill(browser, "narrative", "已在三个县举办乡村科普讲座12场")
    evidence = os.path.join(folder, "讲座签到表.pdf")
    with open(evidence, "wb") as handle:
        handle.write(b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    browser.find_element(By.ID, "files").send_keys(evidence)
    browser.find_element(By.ID, "submit-report").click()
    wait_text(browser, "已保存")
    assert "40%" in browser.find_element(By.ID, "task-percent").text
    reports = browser.find_element(By.ID, "reports").text
    assert "已在三个县举办乡村科普讲座12场" in reports and "讲座签到表.pdf" in reports
    shot(browser, "plans-task-reported")
    browser.delete_all_cookies()

    # The office urges the task; the step is in its history.
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    open_nav(browser, "工作计划")
    browser.find_element(By.LINK_TEXT, "云海省科协2026年重点任务").click()
    browser.find_element(By.LINK_TEXT, "开展科普进乡村行动").click()
    Select(browser.find_element(By.ID, "action")).select_by_visible_text("催办")
    fill(browser, "comment", "请于10月底前完成剩余讲座")
    browser.find_element(By.ID, "do-step").click()
    wait_text(browser, "已保存")
    assert "催办" in browser.find_element(By.ID, "task-history").text
    shot(browser, "plans-task-urged")
