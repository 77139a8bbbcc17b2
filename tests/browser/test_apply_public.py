"""A citizen applies online, keeps the number and query code, and follows the application
from another browser with them."""

import pytest

from tests.factories import build_world
from xxgk.applications.models import Application

pytestmark = pytest.mark.django_db(transaction=True)

RESIDENT_ID = "11010519491231002X"  # a valid check digit
PHONE = "13812345678"


def test_a_citizen_applies_and_follows_the_application(live_server, page, browser):
    build_world()
    page.goto(live_server.url + "/apply/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"

    page.check("input[name=applicant_type][value=natural_person]")
    page.fill("#id_name", "张三")
    page.select_option("#id_id_document_type", "resident_id")
    page.fill("#id_id_number", RESIDENT_ID)
    page.fill("#id_phone", PHONE)
    page.select_option("#id_agency", label="北京市西城区教育委员会")
    page.fill("#id_description", "请公开2023年西城区老旧小区综合整治项目的立项批复文件。")
    page.check("input[name=provision_form][value=electronic]")
    page.check("input[name=delivery][value=online]")
    page.locator("form.apply-form button[type=submit]").click()

    page.wait_for_url(live_server.url + "/apply/submitted/")
    number = page.locator("#application-number").inner_text().strip()
    code = page.locator("#query-code").inner_text().strip()
    application = Application.objects.get()
    assert number == application.number
    assert application.agency.code == "110102103"

    # Another browser, with only the number and the code.
    context = browser.new_context(locale="zh-CN")
    try:
        other = context.new_page()
        other.goto(live_server.url + "/apply/follow/")
        other.fill("#id_number", number)
        other.fill("#id_query_code", code)
        other.locator("main form button[type=submit]").click()
        other.wait_for_url(live_server.url + f"/apply/{number}/")
        assert other.locator("[data-status]").get_attribute("data-status") == "submitted"
        assert other.locator("tr[data-event=submitted]").is_visible()
        assert "北京市西城区教育委员会" in other.locator("main").inner_text()
        html = other.content()
        assert RESIDENT_ID not in html and PHONE not in html
    finally:
        context.close()
