"""科创对接: an enterprise posts a technology demand (a mistake is shown beside its field), the province
reviews and publishes it, the enterprise sees matching supplies with their reasons and proposes a docking;
the supply's holder accepts, after which the enterprise can read the supply's confidential part. Staff
pages (stations, figures, batch matching) are opened and photographed."""
import io
import os
import tempfile
import urllib.request

import openpyxl

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

import pytest

from conftest import Server, click_through, fill, login, open_nav, shot, wait_text

DEMAND = "储能电站电芯寿命提升（测试）"


def shot_at(browser, element, name):
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", element)
    shot(browser, name)


def fetch(browser, url):
    """Downloads what a link points to with the browser's session, as a person's download would."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.get_cookies())
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Cookie": cookies}), timeout=20) as response:
        return response.read()



@pytest.fixture
def innovation_server():
    """A demo server of this test's own, started again for a rerun: the flow ends with the enterprise allowed to
    read the supply's confidential part, so the same data cannot show the refusal a second time."""
    server = Server(demo=True)
    yield server
    server.stop()


def test_enterprise_posts_a_demand_sees_matches_and_proposes_a_docking(innovation_server, browser):
    server = innovation_server
    accounts = server.demo_accounts()

    # Anyone may browse the published supplies and search them in Chinese.
    browser.get(server.base + "/innovation/supplies?q=割胶")
    wait_text(browser, "天然橡胶树低频割胶与乙烯利刺激技术")
    assert "废旧轮胎橡胶常压连续再生脱硫技术" not in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "innovation-supplies")

    login(browser, server.base, "demo.enterprise", accounts["demo.enterprise"])
    open_nav(browser, "科创对接")
    wait_text(browser, "发布技术需求")
    shot(browser, "innovation-home")
    click_through(browser, browser.find_element(By.LINK_TEXT, "发布技术需求"))
    wait_text(browser, "核心指标")
    fill(browser, "summary", "储能电站的磷酸铁锂电芯循环寿命不足，需要提升。")
    click_through(browser, browser.find_element(By.ID, "submit-review"))
    assert "请填写需求名称" in browser.find_element(By.ID, "title-error").text
    # What was typed survives the refusal.
    assert "循环寿命不足" in browser.find_element(By.ID, "summary").get_attribute("value")
    shot(browser, "innovation-demand-form-errors")
    fill(browser, "title", DEMAND)
    fill(browser, "publicDetail", "现有储能电芯循环 3000 次后容量衰减明显，希望改进正极材料。")
    fill(browser, "indicators", "循环寿命 ≥ 6000 次\n容量保持率 ≥ 80%")
    fill(browser, "confidentialDetail", "现用电芯供应商与采购价格")
    browser.execute_script("document.getElementById('deadline').value = '2027-06-30'")
    fill(browser, "budget", "150")
    Select(browser.find_element(By.ID, "industry")).select_by_value("C")
    fill(browser, "region", "云海省东港市")
    fill(browser, "contactName", "李工")
    fill(browser, "contactPhone", "13800138000")
    click_through(browser, browser.find_element(By.ID, "submit-review"))
    wait_text(browser, "待审核")
    assert DEMAND in browser.find_element(By.TAG_NAME, "h1").text
    browser.delete_all_cookies()

    login(browser, server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(server.base + "/innovation/review")
    wait_text(browser, DEMAND)
    shot(browser, "innovation-review")
    click_through(browser, browser.find_element(By.LINK_TEXT, DEMAND))
    wait_text(browser, "审核通过并发布")
    click_through(browser, browser.find_element(By.ID, "action-approve"))
    wait_text(browser, "已发布")
    # Staff can credit a docking they arrange to a station of their subtree.
    station_choice = browser.find_element(By.CSS_SELECTOR, "#match-table select[name=station]")
    assert "云海省热带作物学会青石县胶园科技服务站" in station_choice.text
    browser.delete_all_cookies()

    login(browser, server.base, "demo.enterprise", accounts["demo.enterprise"])
    browser.get(server.base + "/innovation/mine")
    wait_text(browser, DEMAND)
    click_through(browser, browser.find_element(By.LINK_TEXT, DEMAND))
    wait_text(browser, "匹配结果")
    matches = browser.find_element(By.ID, "match-table")
    first = matches.find_elements(By.CSS_SELECTOR, "tbody tr")[0]
    assert "高镍三元锂离子电池正极材料制备技术" in first.text
    reasons = first.find_element(By.CSS_SELECTOR, ".match-reasons").text
    assert "储能" in reasons or "锂离子电池" in reasons or "正极" in reasons, reasons
    shot_at(browser, browser.find_element(By.ID, "matches"), "innovation-demand-matches")
    first.find_element(By.CSS_SELECTOR, "input[name=note]").send_keys("希望了解中试线情况")
    click_through(browser, first.find_element(By.XPATH, ".//button[normalize-space()='发起对接']"))
    wait_text(browser, "待确认")
    assert "高镍三元锂离子电池正极材料制备技术" in browser.find_element(By.ID, "docking-supply").text
    docking_url = browser.current_url
    shot(browser, "innovation-docking-proposed")
    supply_link = browser.find_element(By.ID, "docking-supply").find_element(By.TAG_NAME, "a").get_attribute("href")
    browser.get(supply_link)
    wait_text(browser, "保密内容仅对")
    assert "烧结温度曲线" not in browser.find_element(By.TAG_NAME, "main").text
    browser.delete_all_cookies()

    # The supply's holder (filed by the province office in the demo) accepts.
    login(browser, server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(docking_url)
    wait_text(browser, "接受对接")
    click_through(browser, browser.find_element(By.ID, "do-accept"))
    wait_text(browser, "意向")
    shot(browser, "innovation-docking-accepted")
    shot_at(browser, browser.find_element(By.ID, "docking-actions"), "innovation-docking-actions")

    # Staff pages: stations, figures, batch matching.
    browser.get(server.base + "/innovation/stations")
    wait_text(browser, "云海省热带作物学会青石县胶园科技服务站")
    shot(browser, "innovation-stations")
    click_through(browser, browser.find_element(By.LINK_TEXT, "云海省热带作物学会青石县胶园科技服务站"))
    wait_text(browser, "低频割胶技术现场培训")
    shot(browser, "innovation-station")
    browser.get(server.base + "/innovation/figures")
    wait_text(browser, "合同金额")
    shot(browser, "innovation-figures")
    shot_at(browser, browser.find_elements(By.TAG_NAME, "svg")[0], "innovation-figures-charts")
    folder = tempfile.mkdtemp()
    demands = os.path.join(folder, "对接会需求.csv")
    with open(demands, "w", encoding="utf-8") as handle:
        handle.write("id,title,description,industry,region\nD1,胶园割胶效率低,胶工难招，割胶太累,A,云海省\nD2,储能电芯寿命,动力电池循环寿命,C,云海省\n")
    browser.get(server.base + "/innovation/batch")
    wait_text(browser, "批量匹配")
    browser.find_element(By.ID, "file").send_keys(demands)
    click_through(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    wait_text(browser, "下载匹配结果")
    shot(browser, "innovation-batch-done")
    # The result opens in openpyxl (an outside reader): one row per demand and rank, best first, with reasons.
    workbook = openpyxl.load_workbook(io.BytesIO(fetch(browser, browser.find_element(By.ID, "batch-download").get_attribute("href"))))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("需求编号", "需求名称", "名次")
    battery = [row for row in rows[1:] if row[0] == "D2"]
    assert battery and battery[0][2] == 1 and "高镍三元锂离子电池正极材料制备技术" == battery[0][3], battery[:2]
    assert battery[0][6], "the reasons column is filled"
    tapping = [row for row in rows[1:] if row[0] == "D1"]
    assert tapping and "割胶" in tapping[0][3], tapping[:2]
    # The run stays in the person's records, to be downloaded again later.
    browser.get(server.base + "/innovation/batch")
    wait_text(browser, "我的批量匹配记录")
    runs = browser.find_element(By.ID, "batch-runs")
    assert "对接会需求.csv" in runs.text and "已完成" in runs.text, runs.text
    shot_at(browser, runs, "innovation-batch-runs")
    browser.delete_all_cookies()

    # After acceptance the enterprise reads the supply's confidential part.
    login(browser, server.base, "demo.enterprise", accounts["demo.enterprise"])
    browser.get(supply_link)
    wait_text(browser, "烧结温度曲线")
    shot(browser, "innovation-supply-confidential")
