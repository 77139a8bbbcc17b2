"""A visitor opens the portal, switches to English, and a staff member logs in."""

import pytest

from tests.factories import PASSWORD, build_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_switch_to_english_and_staff_login(live_server, page):
    build_world()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert "北京市西城区人民政府" in page.locator("h1").inner_text()

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Xicheng District People's Government" in page.locator("h1").inner_text()

    page.get_by_role("link", name="Staff login").click()
    page.get_by_label("Username").fill("handler")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/staff/")
    assert page.get_by_role("heading", name="Staff workbench", level=1).is_visible()
    assert "Xicheng District Education Commission" in page.content()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_role("link", name="Staff login").is_visible()
