"""注册与我的资料: a brand-new person signs up, goes to 我的 through the navigation, fills in the
profile, gets a wrong 身份证号 refused beside the field with the rest of the form kept, corrects it and
sees the numbers masked and the profile waiting for 实名核验."""
import random

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import fill, login, open_nav, shot, wait_text


def test_new_person_signs_up_then_fills_in_the_profile_with_a_wrong_then_a_right_id_number(demo_server, browser):
    # A distinct e-mail per attempt, so a rerun on the same server starts from a clean slate.
    email = "linxiuying%04d@example.com" % random.randrange(10000)
    browser.get(demo_server.base + "/login")
    browser.find_element(By.LINK_TEXT, "注册").click()
    wait_text(browser, "注册账号")
    fill(browser, "displayName", "林秀英")
    fill(browser, "contact", email)
    fill(browser, "password", "Xiuying#2026")
    fill(browser, "confirm", "Xiuying#2026")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    # Forgetting the consent box is refused beside it, the name is kept.
    assert "请阅读并同意" in browser.find_element(By.ID, "consent-error").text
    assert browser.find_element(By.ID, "displayName").get_attribute("value") == "林秀英"
    shot(browser, "signup-error")
    fill(browser, "password", "Xiuying#2026")
    fill(browser, "confirm", "Xiuying#2026")
    browser.find_element(By.ID, "consent").click()
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "您好，林秀英")

    open_nav(browser, "我的")
    wait_text(browser, "我的学会会籍")
    assert "您还没有填写个人资料" in browser.find_element(By.TAG_NAME, "main").text
    shot(browser, "me-empty")
    browser.find_element(By.LINK_TEXT, "填写资料").click()
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
    assert browser.find_element(By.ID, "phone").get_attribute("value") == "13812345678"
    shot(browser, "profile-error")
    fill(browser, "idNumber", "11010519491231002X")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_text(browser, "已保存")
    body = browser.find_element(By.TAG_NAME, "main").text
    assert "138****5678" in body and "1101**********002X" in body
    assert "13812345678" not in browser.page_source
    assert "11010519491231002X" not in browser.page_source
    assert browser.find_element(By.ID, "verification").text == "待核验"
    shot(browser, "profile-saved")

    # 我的 now shows the masked numbers and offers 修改资料 instead of 填写资料.
    open_nav(browser, "我的")
    wait_text(browser, "我的学会会籍")
    assert browser.find_element(By.ID, "my-verification").text == "待核验"
    main = browser.find_element(By.TAG_NAME, "main").text
    assert "138****5678" in main and "修改资料" in main
    assert "13812345678" not in browser.page_source
    shot(browser, "me-with-profile")
