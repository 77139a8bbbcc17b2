"""The OGI office opens the agency scorecards in a real browser, with JavaScript off, and
finds the table, its sorting and the charts drawn."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.staff import enter_code
from tests.factories import PASSWORD, build_world
from tests.oversight.helpers import small_year
from tests.signin import confirmed_device

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_the_ogi_office_reads_the_scorecards_without_javascript(live_server, no_script_page):
    page = no_script_page
    world = build_world()
    small_year(world)

    device = confirmed_device(world.ogi)
    page.goto(live_server.url + "/staff/login/")
    page.get_by_label("Username").fill("ogi")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    enter_code(page, live_server.url, device)

    page.goto(live_server.url + "/staff/oversight/")
    page.get_by_label(re.compile(r"^Year\b")).select_option("2023")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Agency scorecards, 2023")

    table = page.locator("table.scorecard")
    expect(table.locator("tbody tr")).to_have_count(4)
    education = table.get_by_role("row").filter(has_text=world.education.name_en)
    expect(education).to_contain_text("50.0%")
    expect(education).to_contain_text("not recorded")
    expect(table.locator("tfoot")).to_contain_text(world.district.name_en)

    table.get_by_role("link", name="Replied on time").click()
    expect(page.locator("th[aria-sort]")).to_contain_text("Replied on time")
    expect(table.locator("tbody tr").first).to_contain_text(world.finance.name_en)

    chart = page.get_by_role("img", name="Applications replied on time, by agency")
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 100
    expect(chart.locator("rect.rect").first).to_be_visible()  # a bar is drawn
    expect(page.get_by_role("img", name="Applications per month")).to_be_visible()
    expect(page.get_by_role("img", name="Appeal results, by agency")).to_be_visible()
    figures = page.locator("figure.chart-pair").first.locator("table")
    expect(figures).to_contain_text("Education Commission")
