"""A visitor finds the district's published annual report on the portal and reads its
tables; the page prints without the site's navigation."""

import pytest

from tests.factories import build_world
from tests.reports.helpers import YEAR, build_year, closed, d, finish_narrative
from xxgk.reports import actions

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_published_report_shows_its_tables(live_server, page):
    world = build_world()
    world.district.report_covers_subtree = True
    world.district.save()
    build_year(world)
    report = actions.start_draft(world.district, YEAR, actor=world.ogi)
    finish_narrative(report)
    actions.approve(report, actor=world.ogi)
    actions.publish(report, actor=world.ogi)
    actions.reopen(report, reason="补录漏登的申请", actor=world.ogi)
    closed(world.finance, d(11, 1), d(11, 2))  # after publication: not in the report

    page.goto(live_server.url + "/reports/")
    page.get_by_role("link", name=f"{world.district.name}").first.click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"{world.district.name}{YEAR}年政府信息公开工作年度报告")
    assert page.get_by_role("heading", name="三、收到和处理政府信息公开申请情况").is_visible()

    applications = page.locator("table#nr-applications")
    assert applications.is_visible()
    received = applications.locator("tr", has_text="本年新收政府信息公开申请数量")
    assert received.locator("td").last.inner_text() == "6"  # not 7: the report is frozen
    appeals = page.locator("table#nr-appeals")
    assert appeals.is_visible()
    assert page.locator("table#nr-proactive").is_visible()
    assert "全区共受理政府信息公开申请6件" in page.locator("article").inner_text()

    for name in ("DOCX", "PDF", "XLSX", "JSON"):
        assert page.get_by_role("link", name=name, exact=True).is_visible()
    page.emulate_media(media="print")
    assert not page.locator("nav.site-nav").is_visible()
    assert applications.is_visible()
