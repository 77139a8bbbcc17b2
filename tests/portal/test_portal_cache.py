"""The portal's own pages through the page cache (``portal/cache.py``): rendered once, served
from memory, and current the moment a change commits. These tests commit
(``transaction=True``): the cache never stores a page rendered inside a transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.helpers import published_item
from xxgk.catalog import actions, tree
from xxgk.catalog.models import Category
from xxgk.core.today import fixed_today
from xxgk.portal.cache import default_cache

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date


@pytest.fixture(autouse=True)
def _fresh_cache(db):
    # A committing test starts from empty tables: the shipped tree is installed again.
    tree.install(Category)
    default_cache().clear()
    yield
    default_cache().clear()


def _catalogue_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("catalog_" in q["sql"] for q in queries.captured_queries)


@pytest.mark.parametrize("url", ["/", "/xxgk/", "/xxgk/fdzdgknr/", "/xxgk/list/",
                                 "/xxgk/fdzdgknr/ywjy/", "/xxgk/policies/", "/guide/"])
def test_a_public_page_is_rendered_once(world, client, url):
    with fixed_today(D(2025, 6, 2)):
        published_item(world.education, D(2025, 3, 3), D(2025, 3, 5))
    assert _catalogue_queries(client, url) > 0
    assert _catalogue_queries(client, url) == 0


def test_publishing_and_withdrawing_show_at_once(world, client):
    with fixed_today(D(2025, 6, 2)):
        item = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5))
        page = item.get_absolute_url()
        assert client.get(page).status_code == 200
        assert item.title in client.get("/xxgk/list/").content.decode()
        other = published_item(world.finance, D(2025, 4, 1), D(2025, 4, 2),
                               title="西城区财政局2025年政府采购意向公开")
        assert other.title in client.get("/xxgk/list/").content.decode()
        actions.withdraw(item, "内容有误")
    assert client.get(page).status_code == 404
    assert item.title not in client.get("/xxgk/list/").content.decode()


def test_the_large_text_page_is_kept_apart(world, client):
    assert 'class="large-text"' not in client.get("/xxgk/").content.decode()
    client.cookies["xxgk_display"] = "large"
    assert 'class="large-text"' in client.get("/xxgk/").content.decode()
    del client.cookies["xxgk_display"]
    assert 'class="large-text"' not in client.get("/xxgk/").content.decode()
