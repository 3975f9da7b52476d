"""An expert scores a blind review through its page: the populated demo's review round
(2026年度优秀学会工作者评审, or the Awards round when that demo makes one) puts demo.expert on candidates;
they open 我的评审 from the navigation, see the progress, open an assignment (only the blind label and the
abstract), are refused a score over the indicator's weight, then submit and see it counted."""

import pytest
from selenium.webdriver.common.by import By

from conftest import Server, click_through, fill, login, open_nav, shot, wait_text


@pytest.fixture(scope="module")
def province_server():
    server = Server(demo=True, populated=True)
    yield server
    server.stop()


def test_an_expert_scores_an_assignment_through_the_page(province_server, browser):
    server = province_server
    accounts = server.demo_accounts()
    login(browser, server.base, "demo.expert", accounts["demo.expert"])
    wait_text(browser, "您好")
    open_nav(browser, "我的评审")
    wait_text(browser, "已评 0 / 共")
    progress = browser.find_element(By.CSS_SELECTOR, "#review-progress li[data-round]")
    total = int(progress.get_attribute("data-total"))
    assert total >= 1
    assert progress.get_attribute("data-done") == "0"
    shot(browser, "review-my-reviews")

    first = browser.find_element(By.CSS_SELECTOR, "#my-reviews tr[data-state=assigned] a[data-open-assignment]")
    click_through(browser, first)
    label = browser.find_element(By.ID, "candidate-label").text
    assert label.startswith("候选 A-"), label
    inputs = browser.find_elements(By.CSS_SELECTOR, "#indicators input[data-indicator]")
    assert [i.get_attribute("data-indicator") for i in inputs] == ["innovation", "contribution", "impact"]

    # Over the weight: refused beside the field (the browser's own check is bypassed to reach the server).
    browser.execute_script("document.getElementById('scoring-form').noValidate = true")
    fill(browser, "score-innovation", "35")
    fill(browser, "score-contribution", "36")
    fill(browser, "score-impact", "25")
    click_through(browser, browser.find_element(By.ID, "submit-score"))
    wait_text(browser, "请填写 0 至 30 之间的分数")
    assert browser.find_element(By.ID, "error-summary").is_displayed()
    shot(browser, "review-score-refused")

    fill(browser, "score-innovation", "27.5")
    fill(browser, "comment", "创新性突出，服务成效明显。")
    click_through(browser, browser.find_element(By.ID, "submit-score"))
    wait_text(browser, "评分已提交")
    assert browser.find_element(By.ID, "assignment-state").get_attribute("data-state") == "submitted"
    assert browser.find_element(By.ID, "score-total").text == "88.50"
    shot(browser, "review-score-submitted")

    browser.get(server.base + "/reviews")
    wait_text(browser, f"已评 1 / 共 {total}")
