"""What the staff browser tests share: logging in (in English) and the axe check."""

from axe_playwright_python.sync_playwright import Axe

from tests.factories import PASSWORD


def log_in(page, base: str, username: str) -> None:
    """Log in as ``username`` with the interface in English."""
    page.goto(base + "/staff/login/")
    if page.locator("html").get_attribute("lang") != "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(base + "/staff/")


def assert_accessible(page) -> None:
    """axe-core finds no violation on the page as it is now."""
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
