"""``GET /api/search``: the search service as JSON."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.search import records


@pytest.fixture
def catalogue(world):
    return records.build(world)


def test_results_are_the_objects_the_command_prints(catalogue, client):
    answer = client.get("/api/search", {"q": "京西政发[2024]5号"}).json()
    first = answer["results"][0]
    assert first["title"] == catalogue.new_rule.title and first["exact"]
    assert {"index_no", "title", "doc_no", "published_on", "score"} <= set(first)
    assert first["url"].startswith("http")


def test_filters_sort_and_limit(catalogue, client, world):
    answer = client.get("/api/search", {"q": "老旧小区", "validity": "in_force",
                                        "limit": 1}).json()
    assert [r["title"] for r in answer["results"]] == [catalogue.new_rule.title]
    assert answer["facets"]["validity"][0]["key"] == "in_force"


def test_a_malformed_parameter_is_a_422_naming_it(catalogue, client):
    for params, name in (({"limit": 0}, "limit"), ({"since": "x"}, "since"),
                         ({"agency": "a b"}, "agency"), ({"sort": "x"}, "sort")):
        response = client.get("/api/search", params)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"][-1] == name


def test_a_well_formed_code_that_names_nothing_is_an_empty_result(catalogue, client):
    assert client.get("/api/search", {"q": "社会保险", "agency": "999"}).json()["total"] == 0


def test_the_endpoint_is_in_the_openapi_schema(client):
    assert "/api/search" in client.get("/api/openapi.json").json()["paths"]


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60,
          deadline=None)
@given(st.text(max_size=300), st.integers(-5, 10**10))
def test_any_query_and_page_is_answered_without_a_server_error(catalogue, client, q, page):
    assert client.get("/api/search", {"q": q, "page": page}).status_code in (200, 422)
