"""The public page cache: a page is rendered once and served until what it shows changes.

These tests commit (``transaction=True``): the cache never stores a page rendered inside a
transaction, and the generation it checks is the committed one, read as another worker
would read it. The views below stand for the portal's: each shows catalogue data and counts
its renderings, so a hit is a request that did not render.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.catalog.helpers import published_interpretation, published_item, published_policy, text
from tests.portal.cache_views import CACHE, OTHER_WORKER, RENDERS
from xxgk import taxonomy
from xxgk.catalog import actions
from xxgk.catalog.models import InfoItem, ItemChannel
from xxgk.portal import cache as cache_module
from xxgk.portal.cache import PageCache, RecentGeneration, current_generation

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.portal.cache_views")]

@pytest.fixture(autouse=True)
def _fresh_cache():
    CACHE.clear()
    OTHER_WORKER.clear()
    RENDERS.clear()


def _renders(client, url: str, times: int = 3, **extra) -> int:
    """How many of ``times`` requests of ``url`` rendered the page."""
    before = len(RENDERS)
    for _n in range(times):
        response = client.get(url, **extra)
        assert response.status_code in (200, 404)
    return len(RENDERS) - before


@pytest.fixture
def item(world):
    return published_item(world.education, dt.date(2025, 3, 3), dt.date(2025, 3, 5))


def test_a_page_is_rendered_once_and_then_served_from_memory(client, item):
    url = f"/item/{item.pk}/"
    first = client.get(url)
    assert _renders(client, url, times=5) == 0
    again = client.get(url)
    assert again.content == first.content
    assert again["Content-Type"] == "text/plain; charset=utf-8"
    assert "Cookie" in again["Vary"] and "Accept-Language" in again["Vary"]
    assert CACHE.hits >= 6


def test_head_is_answered_from_the_stored_page(client, item):
    client.get(f"/item/{item.pk}/")
    assert client.head(f"/item/{item.pk}/").status_code == 200
    assert len(RENDERS) == 1


def test_query_order_does_not_matter_but_the_query_does(client, item):
    client.get("/list/?year=2025&kind=rule")
    assert _renders(client, "/list/?kind=rule&year=2025") == 0
    assert _renders(client, "/list/?kind=rule", times=1) == 1


def test_publishing_shows_on_the_listing_at_once(client, world, item):
    assert "关于开展" in client.get("/list/").content.decode()
    draft = actions.create_item(world.finance, text("关于2025年区级预算的公告"))
    assert _renders(client, "/list/", times=2) == 1  # a draft changes the rows: once again
    actions.publish(draft, dt.date(2025, 3, 6))
    assert "关于2025年区级预算的公告" in client.get("/list/").content.decode()


def test_withdrawal_takes_the_page_down(client, item):
    assert client.get(f"/item/{item.pk}/").status_code == 200
    actions.withdraw(item, "内容有误")
    assert client.get(f"/item/{item.pk}/").status_code == 404
    assert client.get(f"/item/{item.pk}/").status_code == 404  # a 404 is never stored
    assert len(RENDERS) == 3


def test_an_approved_correction_replaces_the_page(client, world, item):
    url = f"/item/{item.pk}/"
    client.get(url)
    version = actions.propose_correction(item, text("关于开展2025年学生体质健康监测工作的通知（更正）"),
                                         "标题有误", actor=world.handler)
    assert _renders(client, url, times=2) == 1  # the version's row moved it on, once
    actions.review_correction(version, approve=True, actor=world.reviewer)
    assert "（更正）" in client.get(url).content.decode()


def test_new_interpretation_and_validity_change_show_on_the_policy_page(client, world):
    policy = published_policy(world.district, "normative_documents", dt.date(2024, 5, 6))
    url = f"/item/{policy.pk}/"
    assert "in_force" in client.get(url).content.decode()
    published_interpretation(policy, dt.date(2024, 5, 8))
    assert "政策解读" in client.get(url).content.decode()
    actions.record_validity_change(policy, on=dt.date(2025, 1, 1), validity="repealed")
    assert "repealed" in client.get(url).content.decode()


def test_channels_category_and_agency_edits_show(client, world, item):
    url = f"/item/{item.pk}/"
    branch = taxonomy.CATALOGUE_BRANCHES[0].key
    category = actions.create_category(branch, "perf-test", actions.CategoryText("教育统计"))
    InfoItem.objects.filter(pk=item.pk).update(category=category)  # what bulk writes do
    assert "教育统计" in client.get(url).content.decode()
    actions.set_channels(item, ("weibo",))
    assert "weibo" in client.get(url).content.decode()
    actions.update_category(category, actions.CategoryText("教育统计数据"))
    assert "教育统计数据" in client.get(url).content.decode()
    world.education.name = "北京市西城区教育委员会（新）"
    world.education.save()
    assert "（新）" in client.get(url).content.decode()


def test_bulk_writes_move_the_generation_too(item):
    before = current_generation()
    ItemChannel.objects.bulk_create([ItemChannel(item=item, channel="wechat")])
    assert current_generation() > before


def test_another_worker_never_serves_what_one_worker_saw_change(client, item):
    # Two caches stand for two gunicorn workers: each renders once, both see the change.
    for prefix in ("", "/other"):
        client.get(f"{prefix}/item/{item.pk}/")
    actions.withdraw(item, "撤回")
    for prefix in ("", "/other"):
        assert client.get(f"{prefix}/item/{item.pk}/").status_code == 404


def test_a_change_committed_by_another_process_is_seen(client, item):
    url = f"/item/{item.pk}/"
    client.get(url)
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        database = f"sqlite:///{settings['NAME']}"
    else:
        database = (f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/"
                    f"{settings['NAME']}")
    script = ("import django; django.setup();"
              "from xxgk.catalog.models import InfoItem;"
              f"InfoItem.objects.filter(pk={item.pk}).update(title='另一进程改的标题')")
    env = {**os.environ, "DATABASE_URL": database, "DJANGO_SETTINGS_MODULE": "xxgk.settings"}
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60)
    assert "另一进程改的标题" in client.get(url).content.decode()


def test_logged_in_staff_are_never_served_the_stored_page(client, world, item):
    client.get("/list/")
    client.force_login(world.handler)
    assert _renders(client, "/list/", times=2) == 2
    assert client.get("/list/").content.decode().startswith("handler")
    client.logout()
    client.cookies.pop("sessionid", None)
    assert client.get("/list/").content.decode().startswith("anonymous")


def test_languages_and_display_modes_are_kept_apart(client, item):
    url = f"/item/{item.pk}/"
    chinese = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "首页" in chinese and "Home" in english
    client.cookies["xxgk_display"] = "large"
    large = client.get(url).content.decode()
    assert large.endswith("large") and "首页" in large
    assert _renders(client, url, times=2) == 0
    assert _renders(client, url, times=2, headers={"accept-language": "en"}) == 1
    assert len(RENDERS) == 4


@pytest.mark.parametrize("url", ["/csrf/", "/message/", "/cookie/", "/private/"])
def test_pages_for_one_visitor_are_never_stored(client, url):
    assert _renders(client, url, times=2) == 2


def test_nothing_is_stored_inside_a_transaction(client, item):
    from django.db import transaction

    with transaction.atomic():
        assert _renders(client, f"/item/{item.pk}/", times=2) == 2
    assert len(CACHE) == 0


def test_the_cache_keeps_within_its_size():
    from xxgk.portal.cache import _Page

    small = PageCache(max_bytes=1000)
    for n in range(5):
        small.put(("k", n), _Page(1, b"x" * 400, ()))
    assert len(small) == 2
    assert small.get(("k", 4), 1) is not None and small.get(("k", 0), 1) is None
    assert small.get(("k", 4), 2) is None  # another generation: stale


# ---- How old the generation may be -------------------------------------------------------


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_generation_is_read_again_once_older_than_the_age_allowed():
    numbers, clock = iter(range(1, 100)), _Clock()
    reads: list[int] = []

    def read() -> int:
        reads.append(next(numbers))
        return reads[-1]

    recent = RecentGeneration(read, clock)
    assert recent(0.1) == 1
    clock.now += 0.09
    assert recent(0.1) == 1 and len(reads) == 1
    clock.now += 0.02
    assert recent(0.1) == 2 and len(reads) == 2
    assert recent(0) == 3  # no age allowed: every request reads


def test_a_failed_read_keeps_no_number_and_is_tried_again():
    clock, calls = _Clock(), []

    def read() -> int:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("the database went away")
        return len(calls)

    recent = RecentGeneration(read, clock)
    assert recent(0.1) == 1
    clock.now += 1
    with pytest.raises(OSError):
        recent(0.1)
    assert recent(0.1) == 3


def test_a_change_shows_once_the_number_served_is_older_than_allowed(client, item, settings,
                                                                     monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(cache_module, "_recent_generation", RecentGeneration(clock=clock))
    settings.XXGK_PAGE_GENERATION_MAX_AGE = 0.1
    url = f"/item/{item.pk}/"
    assert client.get(url).status_code == 200
    actions.withdraw(item, "撤回")
    # Within the tenth of a second the page already served may still be served ...
    assert client.get(url).status_code == 200
    clock.now += 0.11
    # ... and no longer.
    assert client.get(url).status_code == 404
