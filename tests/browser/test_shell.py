"""A visitor opens the portal, switches to English, and a staff member logs in."""

import pytest

from tests.browser.staff import enter_code
from tests.factories import PASSWORD, build_world
from tests.signin import confirmed_device

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


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_staff_pages_fit_a_390_px_phone(live_server, browser):
    import datetime as dt

    from django.utils import timezone

    from tests.applications.helpers import received

    world = build_world()
    for days in (3, 9, 15):
        received(world.education, timezone.localdate() - dt.timedelta(days=days),
                 actor=world.handler)
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    device = confirmed_device(world.ogi)
    try:
        page.goto(live_server.url + "/staff/login/")
        page.get_by_label("用户名").fill("ogi")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        enter_code(page, live_server.url, device)
        _no_sideways_scroll(page)

        page.goto(live_server.url + "/staff/applications/")
        _no_sideways_scroll(page)
        # One card per application: the number, then the clock, due date and days left.
        assert not page.locator("table.inbox thead").is_visible() or \
            page.locator("table.inbox thead").bounding_box()["height"] <= 1
        card = page.locator("table.inbox tbody tr").first
        number = card.locator("th").bounding_box()
        clock = card.locator("td.first").bounding_box()
        applicant = card.locator("td[data-label]").first.bounding_box()
        assert number["y"] < clock["y"] < applicant["y"]
        assert card.bounding_box()["width"] <= 390

        for path in ("/staff/appeals/", "/staff/reports/", "/staff/oversight/"):
            page.goto(live_server.url + path)
            _no_sideways_scroll(page)
    finally:
        context.close()
