"""The search page through the public page cache: a page of results is rendered once and
then served from memory, every search is still counted, and the page is current the moment
the index or the vocabulary changes, whichever path changed it. These tests commit
(``transaction=True``): the cache never stores a page rendered inside a transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.catalog.helpers import published_item
from tests.search.records import askers
from xxgk.catalog import tree
from xxgk.catalog.models import Category, InfoItem
from xxgk.core.today import fixed_today
from xxgk.portal.cache import default_cache
from xxgk.search import actions, indexing, vocabulary
from xxgk.search.models import QueryCount, SynonymGroup

pytestmark = pytest.mark.django_db(transaction=True)
D = dt.date
TODAY = D(2025, 6, 2)


@pytest.fixture(autouse=True)
def _fresh(db):
    tree.install(Category)
    default_cache().clear()
    vocabulary.forget()
    yield
    default_cache().clear()
    vocabulary.forget()


def _search(client, q: str) -> tuple[str, int]:
    """The page's text and how many statements searched the index to answer it."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    searched = sum("search_fts" in s["sql"] or "vector_zh" in s["sql"]
                   for s in queries.captured_queries)
    return response.content.decode(), searched


def _count(q: str) -> int:
    return sum(QueryCount.objects.filter(query=q).values_list("count", flat=True))


def test_a_page_of_results_is_searched_once_and_each_search_is_counted(world, client):
    with fixed_today(TODAY):
        item = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                              title="西城区公共租赁住房申请指南")
        first, searched = _search(client, "公共租赁住房")
        assert item.title in first.replace("<mark>", "").replace("</mark>", "")
        assert searched > 0
        again, searched = _search(client, "公共租赁住房")
        assert (again, searched) == (first, 0)
        assert _count("公共租赁住房") == 2


def test_the_page_carries_its_number_of_results(world, client):
    with fixed_today(TODAY):
        published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                       title="西城区公共租赁住房申请指南")
        assert client.get("/search/", {"q": "公共租赁住房"})["X-Total-Count"] == "1"
        assert client.get("/search/", {"q": "公共租赁住房"})["X-Total-Count"] == "1"
        assert client.get("/search/", {"q": "不存在的词语"})["X-Total-Count"] == "0"


def test_an_item_published_after_the_page_was_stored_is_found_at_once(world, client):
    with fixed_today(TODAY):
        published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                       title="西城区公共租赁住房申请指南")
        _search(client, "公共租赁住房")
        later = published_item(world.finance, D(2025, 4, 1), D(2025, 4, 2),
                               title="公共租赁住房租金补贴发放公示")
        page, searched = _search(client, "公共租赁住房")
    assert later.title in page.replace("<mark>", "").replace("</mark>", "")
    assert searched > 0


def test_an_entry_the_worker_writes_later_moves_the_page_on(world, client):
    """A write that bypasses the actions (``QuerySet.update``, ``catalog.bulk``) is
    indexed by the worker from the durable queue: the page follows when it does."""
    with fixed_today(TODAY):
        item = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                              title="西城区公共租赁住房申请指南")
        InfoItem.objects.filter(pk=item.pk).update(title="西城区人才公寓申请指南")
        before, _ = _search(client, "人才公寓")
        indexing.process_pending()
        after, _ = _search(client, "人才公寓")
    assert "西城区人才公寓申请指南" not in before.replace("<mark>", "").replace("</mark>", "")
    assert "西城区人才公寓申请指南" in after.replace("<mark>", "").replace("</mark>", "")


def test_a_new_synonym_group_changes_the_stored_page_at_once(world, client):
    with fixed_today(TODAY):
        item = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                              title="西城区背街小巷环境整治工作方案")
        before, _ = _search(client, "胡同")
        actions.add_synonyms("胡同 背街小巷", actor=world.ogi)
        after, _ = _search(client, "胡同")
    assert item.title not in before.replace("<mark>", "").replace("</mark>", "")
    assert item.title in after.replace("<mark>", "").replace("</mark>", "")


def test_the_page_without_a_query_shows_todays_hot_searches_and_is_never_stored(world,
                                                                                  client):
    with fixed_today(TODAY):
        published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                       title="西城区公共租赁住房申请指南")
        client.get("/search/")
        # Three people asked (one asking three times is not a hot search).
        for address in askers("公共租赁住房", 3):
            client.get("/search/", {"q": "公共租赁住房"}, REMOTE_ADDR=address)
        assert "公共租赁住房" in client.get("/search/").content.decode()


def test_a_page_is_built_with_the_synonyms_another_process_just_added(world, client):
    """This process built its synonym table a moment ago; another one adds a group (and
    tells only its own cache): the next page rendered here uses the group."""
    with fixed_today(TODAY):
        item = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                              title="西城区背街小巷环境整治工作方案")
        _search(client, "胡同")
        SynonymGroup.objects.create(terms="胡同 背街小巷")
        page, _ = _search(client, "胡同")
    assert item.title in page.replace("<mark>", "").replace("</mark>", "")
