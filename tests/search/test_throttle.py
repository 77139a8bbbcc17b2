"""One budget of searches per address and minute, for the search page, the suggestions and
the API alike: over it, a 429 with the reason and ``Retry-After``; under it, nothing
changes; another address has its own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from xxgk.portal.cache import default_cache

pytestmark = pytest.mark.django_db

PAGE, SUGGEST, API = "/search/", "/search/suggest", "/api/search"


@pytest.fixture
def budget(settings):
    settings.XXGK_SEARCHES_PER_MINUTE = 3


def _client(address: str = "203.0.113.7") -> Client:
    return Client(REMOTE_ADDR=address, HTTP_ACCEPT_LANGUAGE="en")


def test_under_the_budget_searches_are_answered_as_ever(world, budget):
    client = _client()
    for url in (PAGE, SUGGEST, API):
        response = client.get(url, {"q": "教育"})
        assert response.status_code == 200
        assert "Retry-After" not in response


def test_over_the_budget_the_page_says_why_and_when_to_come_back(world, budget):
    client = _client()
    for _ in range(3):
        assert client.get(PAGE, {"q": "教育"}).status_code == 200
    with translation.override("en"):
        response = client.get(PAGE, {"q": "教育"})
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Too many searches have come from your network in the last minute" in html
    assert "Try again in" in html


def test_the_suggestions_and_the_api_answer_429_with_the_reason(world, budget):
    client = _client()
    for _ in range(3):
        client.get(SUGGEST, {"q": "教"})
    suggest = client.get(SUGGEST, {"q": "教"})
    api = client.get(API, {"q": "教育"})
    for response in (suggest, api):
        assert response.status_code == 429
        assert int(response["Retry-After"]) >= 1
        assert "Too many searches" in response.json()["detail"]


def test_the_page_the_suggestions_and_the_api_share_one_budget(world, budget):
    client = _client()
    assert [client.get(url, {"q": "教育"}).status_code for url in (PAGE, SUGGEST, API, PAGE)] \
        == [200, 200, 200, 429]


def test_a_page_served_from_the_cache_counts_too(transactional_db, world, budget):
    cache = default_cache()
    cache.clear()
    client = _client()
    statuses = [client.get(PAGE, {"q": "教育"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert cache.hits >= 2


def test_another_address_has_its_own_budget(world, budget):
    first = _client("203.0.113.7")
    for _ in range(4):
        first.get(API, {"q": "教育"})
    assert first.get(API, {"q": "教育"}).status_code == 429
    assert _client("198.51.100.2").get(API, {"q": "教育"}).status_code == 200


def test_no_budget_is_no_limit(world, settings):
    settings.XXGK_SEARCHES_PER_MINUTE = 0
    client = _client()
    assert {client.get(SUGGEST, {"q": "教"}).status_code for _ in range(20)} == {200}


def test_the_api_declares_the_429():
    schema = Client().get("/api/openapi.json").json()
    assert "429" in schema["paths"]["/api/search"]["get"]["responses"]
