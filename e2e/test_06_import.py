"""批量导入: the province administrator uploads a spreadsheet with mistakes, sees every problem by row
number in Chinese and cannot confirm; uploads the corrected file, confirms, waits for 已导入 N 人, then
finds an imported person by a word of the research direction, filters by 性别, and reads the phone number
masked until it is shown in full on purpose."""
import csv
import re
import subprocess
import sys
import time

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ROOT, click_through, fill, is_gone, login, open_nav, shot, wait_text

HEADER = "姓名,性别,出生年月,民族,政治面貌,学历,学位,职称,职称级别,工作单位,省,市,县/区,学科,行业,研究方向,手机,邮箱,身份证号".split(",")
WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_number(region, birth, sequence, female):
    """An 18-character 居民身份证号 with the GB 11643 check character. birth is YYYYMMDD."""
    sequence = sequence * 10 + (2 if female else 1)  # the 17th digit is odd for men, even for women
    body = f"{region}{birth}{sequence:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(name, sex, birth, employer, direction, phone, id_birth=None, female=None, region="460105"):
    """One row of the template; the 身份证号 agrees with 性别 and 出生年月 unless told otherwise."""
    female = (sex == "女") if female is None else female
    number = id_number(region, id_birth or birth.replace("-", "") + "15", 12, female) if id_birth != "" else ""
    return {
        "姓名": name, "性别": sex, "出生年月": birth, "民族": "汉族", "政治面貌": "群众", "学历": "大学本科", "学位": "学士",
        "职称": "", "职称级别": "", "工作单位": employer, "省": "云海省", "市": "东港市", "县/区": "", "学科": "210",
        "行业": "A", "研究方向": direction, "手机": phone, "邮箱": "", "身份证号": number,
    }


def write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(rows)
    return str(path)


def good_rows():
    return [
        person("王建华", "男", "1972-05", "云海省农垦科学院", "天然橡胶割胶技术", "13812345678"),
        person("陈丽萍", "女", "1985-09", "云海大学", "热带果树栽培", "13907550001"),
        person("符明亮", "男", "1990-01", "云海省农业技术推广总站", "水稻病虫害绿色防控", "13907550002"),
        person("吉小燕", "女", "1993-11", "东港市农业农村局", "设施蔬菜栽培", "13907550003"),
        person("邢国栋", "男", "1968-07", "云海热带作物研究所", "咖啡育种", "13907550004"),
    ]


def problem_rows(driver):
    rows = {}
    for tr in driver.find_elements(By.CSS_SELECTOR, "#import-problems tbody tr"):
        cells = tr.find_elements(By.TAG_NAME, "td")
        rows[cells[0].text] = cells[2].text
    return rows


def upload(driver, path):
    WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "file")))
    fill(driver, "organizationID", "云海省科学技术协会")  # the organization picker takes the exact name
    driver.find_element(By.ID, "file").send_keys(path)
    driver.find_element(By.XPATH, "//button[normalize-space()='上传并检查']").click()
    wait_text(driver, "共 ", 20)
    WebDriverWait(driver, 20).until(EC.presence_of_element_located((By.ID, "import-summary")))


def apply_filters(driver, expected):
    """Click 筛选 and wait for the new page (not the old one still on screen) to show the count."""
    button = driver.find_element(By.XPATH, "//form[@role='search']//button[normalize-space()='筛选']")
    button.click()
    WebDriverWait(driver, 20).until(lambda _: is_gone(button))
    wait_text(driver, expected, 20)


def result_count(driver):
    return int(re.search(r"共 (\d+) 人", driver.find_element(By.ID, "result-count").text).group(1))


def test_import_with_mistakes_then_corrected(demo_server, browser, tmp_path):
    accounts = demo_server.demo_accounts()
    bad = good_rows()
    bad[1]["身份证号"] = bad[1]["身份证号"][:-1] + ("0" if bad[1]["身份证号"][-1] != "0" else "1")  # row 3: wrong check character
    bad[2]["手机"] = "1390755000"  # row 4: ten digits
    bad[3]["手机"] = bad[0]["手机"]  # row 5: the same phone as row 2
    bad_file = write(tmp_path / "科技工作者-有误.csv", bad)
    good_file = write(tmp_path / "科技工作者.csv", good_rows())

    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    wait_text(browser, "您好，演示省科协管理员")
    open_nav(browser, "科技工作者")
    wait_text(browser, "共 0 人")
    browser.find_element(By.LINK_TEXT, "批量导入").click()
    wait_text(browser, "下载导入模板")
    shot(browser, "import-form")

    # The file with mistakes: every problem listed by its spreadsheet row, nothing to confirm.
    upload(browser, bad_file)
    summary = browser.find_element(By.ID, "import-summary").text
    assert "共 5 行" in summary and "通过检查 2 行" in summary and "有问题 3 行" in summary, summary
    problems = problem_rows(browser)
    assert set(problems) == {"第 3 行", "第 4 行", "第 5 行"}, problems
    assert "校验" in problems["第 3 行"], problems
    assert "手机" in problems["第 4 行"], problems
    assert "重复" in problems["第 5 行"] and re.search(r"第\s*2\s*行", problems["第 5 行"]), problems
    assert not browser.find_elements(By.ID, "confirm-import")
    assert "改正" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "import-problems")

    # Nothing was written.
    browser.get(demo_server.base + "/people")
    assert result_count(browser) == 0

    # The corrected file.
    browser.get(demo_server.base + "/people/import")
    upload(browser, good_file)
    assert "通过检查 5 行" in browser.find_element(By.ID, "import-summary").text
    assert not browser.find_elements(By.CSS_SELECTOR, "#import-problems tbody tr")
    confirm = browser.find_element(By.ID, "confirm-import")
    assert confirm.text == "确认导入 5 人"
    shot(browser, "import-ready")
    confirm.click()
    WebDriverWait(browser, 30, ignored_exceptions=(WebDriverException,)).until(EC.text_to_be_present_in_element((By.ID, "import-result"), "已导入 5 人"))
    assert browser.find_element(By.ID, "import-status").text == "导入完成"
    shot(browser, "import-done")

    # The list: a two-character word of one research direction finds that person.
    browser.find_element(By.LINK_TEXT, "查看科技工作者名单").click()
    wait_text(browser, "共 5 人")
    shot(browser, "people-list")
    fill(browser, "q", "橡胶")
    apply_filters(browser, "共 1 人")
    names = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "main table tbody td:first-child a")]
    assert names == ["王建华"], names
    shot(browser, "people-search")

    # 性别 = 女 (the search cleared): the two women.
    fill(browser, "q", "")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("女")
    apply_filters(browser, "共 2 人")
    names = sorted(a.text for a in browser.find_elements(By.CSS_SELECTOR, "main table tbody td:first-child a"))
    assert names == sorted(["陈丽萍", "吉小燕"]), names
    assert "13907550001" not in browser.page_source
    shot(browser, "people-women")

    # The person page: phone masked until 查看完整手机号 (a confirm dialog, then an audited reveal).
    fill(browser, "q", "橡胶")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("全部")
    apply_filters(browser, "共 1 人")
    click_through(browser, browser.find_element(By.LINK_TEXT, "王建华"))
    wait_text(browser, "实名核验")
    assert browser.find_element(By.ID, "masked-phone").text == "138****5678"
    assert "13812345678" not in browser.page_source
    shot(browser, "person-masked")
    browser.find_element(By.XPATH, "//button[normalize-space()='查看完整手机号']").click()
    WebDriverWait(browser, 5).until(EC.alert_is_present()).accept()
    WebDriverWait(browser, 10).until(EC.presence_of_element_located((By.ID, "revealed")))
    assert "13812345678" in browser.find_element(By.ID, "revealed").text
    shot(browser, "person-revealed")


def test_a_larger_import_shows_its_progress_until_done(demo_server, browser, tmp_path):
    """3,000 generated rows: after 确认导入 the page reports progress and refreshes itself (no clicking)
    until 已导入 3000 人; every page seen on the way is the progress page, never an error."""
    path = tmp_path / "三千人.csv"
    generated = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "members" / "generate_people.py"), "--count", "3000", "--offset", "100000",
         "--seed", "5", "--out", str(path)],
        capture_output=True, text=True, timeout=60)
    assert generated.returncode == 0, generated.stderr
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.orgadmin", accounts["demo.orgadmin"])
    browser.get(demo_server.base + "/people")
    before = result_count(browser)
    browser.find_element(By.LINK_TEXT, "批量导入").click()
    upload(browser, str(path))
    assert "通过检查 3000 行" in browser.find_element(By.ID, "import-summary").text
    browser.find_element(By.ID, "confirm-import").click()
    WebDriverWait(browser, 10, ignored_exceptions=(WebDriverException,)).until(lambda d: "/people/imports/" in d.current_url and d.find_elements(By.ID, "import-status"))
    seen = []
    deadline = time.time() + 45
    while time.time() < deadline:
        try:
            status = browser.find_element(By.ID, "import-status").text
            bar = browser.find_elements(By.ID, "import-progress")
            seen.append((status, bar[0].get_attribute("value"), bar[0].get_attribute("max")) if bar else (status,))
        except WebDriverException:
            # Caught in the middle of the page's own refresh; look again.
            time.sleep(0.1)
            continue
        if status == "正在导入" and len(seen) == 1:
            shot(browser, "import-progress")
        if status != "正在导入":
            break
        time.sleep(0.2)
    assert seen and seen[-1][0] == "导入完成", f"pages seen while waiting: {seen[-5:]}\n{demo_server.output()[-2000:]}"
    running = [s for s in seen if s[0] == "正在导入"]
    assert all(len(s) == 3 and s[2] == "3000" and 0 <= int(s[1]) <= 3000 for s in running), running
    assert browser.find_element(By.ID, "import-result").text == "已导入 3000 人。"
    assert "/people/imports/" in browser.current_url, "the page refreshed itself, nobody navigated"
    browser.find_element(By.LINK_TEXT, "查看科技工作者名单").click()
    wait_text(browser, "共 ")
    assert result_count(browser) == before + 3000
