"""我的资料: a person fills in the profile, gets a wrong 身份证号 refused beside the field with the rest of
the form kept, corrects it and sees the numbers masked."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, shot, wait_text


def test_person_fills_in_the_profile_with_a_wrong_then_a_right_id_number(demo_server, browser):
    accounts = demo_server.demo_accounts()
    login(browser, demo_server.base, "demo.member", accounts["demo.member"])
    wait_text(browser, "您好，演示科技工作者")
    browser.find_element(By.LINK_TEXT, "我的资料").click()
    wait_text(browser, "核验状态")
    fill(browser, "name", "林秀英")
    Select(browser.find_element(By.ID, "sex")).select_by_visible_text("女")
    fill(browser, "birthMonth", "1949-12")
    fill(browser, "titleName", "研究员")
    fill(browser, "employer", "云海热带农业科学院")
    Select(browser.find_element(By.ID, "discipline")).select_by_value("210")
    fill(browser, "researchDirection", "天然橡胶割胶技术")
    fill(browser, "phone", "13812345678")
    fill(browser, "idNumber", "110105194912310021")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    error = browser.find_element(By.ID, "idNumber-error")
    assert "校验位" in error.text
    assert browser.find_element(By.ID, "researchDirection").get_attribute("value") == "天然橡胶割胶技术"
    shot(browser, "profile-error")
    fill(browser, "idNumber", "11010519491231002X")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已保存")
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "138****5678" in body and "1101**********002X" in body
    assert "13812345678" not in browser.page_source
    assert browser.find_element(By.ID, "verification").text == "未核验"
    shot(browser, "profile-saved")
