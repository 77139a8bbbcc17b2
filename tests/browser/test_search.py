"""The search box in a real browser: suggestions as one types, chosen with the keyboard;
and the same search without any script."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.catalog.helpers import text
from tests.factories import build_world
from xxgk.catalog import actions
from xxgk.core.today import fixed_today
from xxgk.search import suggest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(db):
    world = build_world()
    with fixed_today(dt.date(2025, 6, 2)):
        for title in ("西城区公共租赁住房申请指南", "关于公共租赁住房配租工作的通知"):
            actions.publish(actions.create_item(world.district, text(
                title, topic_words="公租房", formed=dt.date(2025, 3, 3))), dt.date(2025, 3, 4))
    suggest.rebuild_terms()


def test_a_suggestion_is_chosen_with_the_keyboard(catalogue, live_server, page):
    page.goto(f"{live_server.url}/search/")
    box = page.get_by_role("combobox")
    box.press_sequentially("公共", delay=50)
    options = page.get_by_role("option")
    options.first.wait_for()
    assert "公共租赁住房" in " ".join(options.all_inner_texts())
    box.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    chosen = options.first.inner_text()
    box.press("Enter")
    page.wait_for_load_state()
    assert "/xxgk/item/" in page.url or chosen in page.input_value("#id_q")


def test_the_form_searches_without_javascript(catalogue, live_server, browser):
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("#site-search", "公租房")
    page.locator("form.header-search button").click()
    page.wait_for_url("**/search/?q=*")
    assert page.locator("li.hit").count() == 2
    context.close()
