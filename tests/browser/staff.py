"""What the staff browser tests share: logging in (in English, with the second factor) and
the axe check."""

from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model

from tests.factories import PASSWORD
from tests.signin import code, confirmed_device


def log_in(page, base: str, username: str) -> None:
    """Log in as ``username`` with the interface in English: the password, then the code
    of the account's authenticator app (set up for it if it had none)."""
    device = confirmed_device(get_user_model().objects.get(username=username))
    page.goto(base + "/staff/login/")
    if page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    enter_code(page, base, device)


def enter_code(page, base: str, device) -> None:
    """The second step of the login, in whatever language the page is in."""
    page.wait_for_url(base + "/staff/login/code/**")
    page.fill("#id_code", code(device))
    page.locator("main form button.primary").click()
    page.wait_for_url(base + "/staff/")


def assert_accessible(page) -> None:
    """axe-core finds no violation on the page as it is now."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
