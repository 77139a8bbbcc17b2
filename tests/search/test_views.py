"""The public search page and the suggestions the search box asks for."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.search import records
from xxgk.search import suggest


@pytest.fixture
def catalogue(world):
    built = records.build(world)
    suggest.rebuild_terms()
    return built


def page(client, **params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    # The page as read: the marks around matched words are not part of the text.
    return response.content.decode().replace("<mark>", "").replace("</mark>", "")


def test_results_show_the_marked_title_the_doc_no_and_the_snippet(catalogue, client):
    html = page(client, q="社会保险")
    assert catalogue.insurance.title in html and catalogue.insurance.index_no in html
    assert "<mark>社会保险</mark>" in client.get("/search/", {"q": "社会保险"}).content.decode()
    assert f"/xxgk/item/{catalogue.insurance.pk}/" in html


def test_facets_link_to_the_filtered_search_and_the_filter_can_be_removed(catalogue, client,
                                                                          world):
    html = page(client, q="老旧小区")
    assert "validity=repealed" in html
    filtered = page(client, q="老旧小区", validity="repealed")
    assert catalogue.old_rule.title in filtered and catalogue.new_rule.title not in filtered
    assert "取消此筛选" in filtered  # the link back to the search without the filter


def test_a_repealed_document_is_marked(catalogue, client):
    assert "badge-old" in page(client, q="老旧小区")


def test_pinyin_is_searched_as_the_word_it_spells(catalogue, client):
    html = page(client, q="shebao")
    assert catalogue.insurance.title in html


def test_paging_keeps_the_query_and_the_filters(catalogue, client, world):
    from xxgk.catalog import actions
    from xxgk.core.today import fixed_today

    with fixed_today(records.TODAY):
        for n in range(12):
            actions.publish(actions.create_item(world.finance, records.text(
                f"西城区财政资金绩效评价报告第{n}号", formed=records.D(2025, 3, 3))),
                records.D(2025, 3, 4))
    html = page(client, q="绩效评价", agency=world.finance.code)
    assert f"agency={world.finance.code}" in html and "page=2" in html
    assert "绩效评价" in page(client, q="绩效评价", agency=world.finance.code, page=2)


def test_an_empty_query_shows_the_popular_searches(catalogue, client):
    from xxgk.search import querylog

    for address in records.askers("公租房", 3):
        querylog.record("公租房", 1, language="zh-hans", client=address)
    assert "?q=%E5%85%AC%E7%A7%9F%E6%88%BF" in page(client)


def test_a_search_is_counted(catalogue, client):
    from xxgk.search.models import QueryCount

    page(client, q="公租房")
    assert QueryCount.objects.get(query="公租房").count == 1


def test_nothing_that_is_not_public_appears(catalogue, client):
    html = page(client, q=records.SECRET)
    for item in catalogue.hidden.values():
        assert item.title not in html and item.index_no not in html


def test_the_english_page_searches_the_english_texts(catalogue, client):
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        html = page(client, q="enrolment")
    assert "Compulsory education enrolment, 2025" in html


def test_suggestions_are_json_with_terms_and_titles(catalogue, client):
    found = client.get("/search/suggest", {"q": "公"}).json()["suggestions"]
    assert {"text", "kind", "url"} <= set(found[0])
    assert client.get("/search/suggest", {"q": ""}).json() == {"suggestions": []}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60,
          deadline=None)
@given(st.dictionaries(
    st.sampled_from(["q", "agency", "category", "kind", "validity", "field", "sort", "since",
                     "until", "page"]),
    st.one_of(st.text(max_size=60), st.sampled_from(
        ['"', "AND OR NOT", "NEAR(社保", "*", "^", "' OR 1=1 --", "🏠", "\x00", "9" * 40,
         "社" * 10_000, "2025-13-45", "-1", "1000000000"]))))
def test_the_page_answers_any_parameters(catalogue, client, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert client.get("/search/suggest", {"q": params.get("q", "")}).status_code == 200
