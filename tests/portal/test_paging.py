"""Keyset paging: stable addresses, every entry once, in order, whatever is published on
top meanwhile; bad cursors and page numbers are 404s or the first page, never a 500."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xxgk.catalog import bulk
from xxgk.catalog.models import InfoItem
from xxgk.core.today import fixed_today
from xxgk.portal.paging import PAGE_SIZE

pytestmark = pytest.mark.django_db
D = dt.date
START = D(2024, 1, 1)


def _publish(agency, count: int, start: dt.date = START, *, per_day: int = 3,
             prefix: str = "测试通知") -> None:
    """``count`` items, ``per_day`` on each day (so that ties on the date are paged by pk),
    published as history is (catalog.bulk)."""
    days = [start + dt.timedelta(days=n // per_day) for n in range(count)]
    with fixed_today(D(2025, 6, 2)):
        bulk.publish_history(agency, [
            bulk.HistoryRecord(title=f"{prefix}第{n:04d}号", formed_on=day, published_on=day)
            for n, day in enumerate(days)])


def _titles(html: str) -> list[str]:
    return re.findall(r"测试通知第\d{4}号", html)


def _link(html: str, rel: str) -> str | None:
    match = re.search(rf'<a href="(\?[^"]*)" rel="{rel}">', html)
    return match[1].replace("&amp;", "&") if match else None


def test_paging_walks_every_entry_once_newest_first_and_back(world, client):
    _publish(world.education, 2 * PAGE_SIZE + 5)
    url = reverse("portal:agency", args=[world.education.code])
    expected = list(InfoItem.objects.order_by("-published_on", "-pk")
                    .values_list("title", flat=True))
    seen, pages, query = [], [], ""
    while query is not None:
        html = client.get(url + query).content.decode()
        pages.append(query)
        seen.extend(_titles(html))
        query = _link(html, "next")
    assert seen == expected
    assert len(pages) == 3
    # Back from the last page through the "newer" link: the middle page again.
    back = _link(client.get(url + pages[-1]).content.decode(), "prev")
    assert back is not None
    assert _titles(client.get(url + back).content.decode()) == expected[PAGE_SIZE:2 * PAGE_SIZE]
    # The first page has no "newer" link; the last no "older" one.
    assert _link(client.get(url).content.decode(), "prev") is None


def test_an_address_keeps_its_entries_when_more_is_published_on_top(world, client):
    _publish(world.education, PAGE_SIZE + 5)
    url = reverse("portal:all")
    second = _link(client.get(url).content.decode(), "next")
    before = _titles(client.get(url + second).content.decode())
    _publish(world.finance, 4, start=D(2025, 5, 1), per_day=1, prefix="新发布")
    assert _titles(client.get(url + second).content.decode()) == before


@pytest.mark.parametrize("query", [
    "?before=garbage", "?before=2025-13-01_5", "?before=2025-01-01_", "?after=x_1",
    "?before=2025-01-01_99999999999999999999", "?before=2025-01-01_9999999999999999999",
    "?before=2025-01-01_1&after=2025-01-01_2", "?before=0000-01-01_1",
])
def test_a_malformed_cursor_is_a_404(world, client, query):
    assert client.get(reverse("portal:all") + query).status_code == 404
    assert client.get(reverse("portal:policies") + query).status_code == 404


def test_a_page_number_is_ignored_and_a_cursor_past_the_end_says_so(world, client, settings):
    _publish(world.education, 3)
    response = client.get(reverse("portal:all") + f"?page={10**9}")
    assert response.status_code == 200
    assert len(_titles(response.content.decode())) == 3
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("portal:all") + "?before=1950-01-01_1").content.decode()
    assert "There are no entries on this page." in html
    assert f'href="{reverse("portal:all")}">Go to the newest entries' in html


def test_a_deep_page_reads_from_the_key_without_an_offset(world, client,
                                                          django_assert_max_num_queries):
    _publish(world.finance, 300, start=D(2023, 1, 1), per_day=2)
    deep = InfoItem.objects.order_by("published_on", "pk")[7]
    url = reverse("portal:all") + f"?before={deep.published_on}_{deep.pk}"
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert len(_titles(html)) == 7
    listing = [q["sql"] for q in queries.captured_queries if "catalog_infoitem" in q["sql"]]
    assert listing and not any("OFFSET" in sql.upper() for sql in listing)
    with django_assert_max_num_queries(6):
        client.get(url)
