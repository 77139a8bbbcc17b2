"""The public forms fuzzed (hypothesis): whatever a visitor or a program types or puts in
a query string, the application form, the follow form, the search page, the suggestions
and the catalogue and policy listings answer with a page or a refusal, never a server error
and never a traceback."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

FORMS = settings(max_examples=100, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture,
                                        HealthCheck.too_slow])

# Any text a browser can send (surrogates cannot be encoded), short and long, with the
# values the forms expect mixed in so that the later checks are reached too.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)


def one_of(*values: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(values), TEXT)


ADDRESS = st.integers(1, 254).map(lambda n: f"198.51.100.{n}")


@pytest.fixture
def site(world, settings):
    """The world, with no limit on submissions or searches: the fuzzer is one address."""
    settings.XXGK_SUBMISSIONS_PER_HOUR = 0
    settings.XXGK_SEARCHES_PER_MINUTE = 0
    return world


def _answered(response) -> None:
    assert response.status_code < 500, response.status_code
    assert b"Traceback" not in response.content


@FORMS
@given(data=st.fixed_dictionaries({
    "applicant_type": one_of("natural_person", "organisation"),
    "name": TEXT, "id_document_type": one_of("resident_id", "passport"),
    "id_number": one_of("11010519491231002X", "110105194912310021"),
    "organisation_name": TEXT, "organisation_kind": one_of("research_institution", "other"),
    "credit_code": one_of("91110102MA01ABCD0L"), "contact_person": TEXT,
    "phone": one_of("13812345678", "010-66012345"), "email": one_of("a@example.cn"),
    "address": TEXT, "postcode": one_of("100032"), "description": TEXT,
    "document_number": TEXT, "agency": one_of("", "110102103"),
    "provision_form": one_of("electronic", "paper"), "delivery": one_of("email", "post"),
    "client_token": TEXT,
}), address=ADDRESS)
def test_the_application_form(site, data, address):
    _answered(Client(REMOTE_ADDR=address).post("/apply/", data))


@FORMS
@given(number=one_of("110102-2026-000001"), code=TEXT, address=ADDRESS)
def test_the_follow_form(site, number, code, address):
    _answered(Client(REMOTE_ADDR=address).post("/apply/follow/",
                                               {"number": number, "query_code": code}))


SEARCH = st.fixed_dictionaries({}, optional={
    "q": TEXT, "field": one_of("title", "body", "doc_no"), "sort": one_of("date"),
    "since": one_of("2025-01-01"), "until": one_of("2025-12-31"),
    "agency": one_of("110102103"), "category": TEXT, "kind": TEXT, "validity": TEXT,
    "page": one_of("2", "0", "-1", "99999999999999999999"),
})


@FORMS
@given(params=SEARCH)
def test_the_search_page(site, params):
    _answered(Client().get("/search/", params))


@FORMS
@given(q=TEXT)
def test_the_suggestions(site, q):
    _answered(Client().get("/search/suggest", {"q": q}))


LISTING = st.fixed_dictionaries({}, optional={
    "kind": TEXT, "agency": one_of("110102103"), "year": one_of("2025", "0", "１２"),
    "validity": one_of("in_force"), "before": one_of("2025-03-10_12"),
    "after": one_of("2025-03-10_12", "9999-99-99_1"),
})


@FORMS
@given(path=st.sampled_from(["/xxgk/list/", "/xxgk/policies/", "/xxgk/agency/110102103/"]),
       params=LISTING)
def test_the_catalogue_and_policy_listings(site, path, params):
    _answered(Client().get(path, params))
