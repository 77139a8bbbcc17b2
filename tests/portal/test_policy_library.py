"""The policy library (政策文件库): filters that work without JavaScript, validity on every
document, keyset paging on the issue date."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from tests.catalog.helpers import published_policy
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/xxgk/policies/"


def _rows(html: str) -> list[str]:
    return re.findall(r'<tr>\s*<th scope="row"><a href="(/xxgk/item/\d+/)"', html)


@pytest.fixture
def library(catalogue, world):
    with fixed_today(D(2025, 6, 2)):
        rule = published_policy(world.education, "rules", D(2024, 7, 1))
    return catalogue, rule


def test_the_library_lists_every_public_policy_with_its_validity(library, english,
                                                                 django_assert_max_num_queries):
    catalogue, rule = library
    assert reverse("portal:policies") == URL
    with django_assert_max_num_queries(8):
        html = english.get(URL).content.decode()
    assert _rows(html) == [catalogue.new_policy.get_absolute_url(), rule.get_absolute_url(),
                           catalogue.old_policy.get_absolute_url()]
    assert html.count('class="validity validity-') == 3
    assert '<span class="validity validity-repealed">Repealed</span>' in html
    assert catalogue.interpretation.get_absolute_url() not in html  # not a policy document


@pytest.mark.parametrize(("query", "expected"), [
    ("?kind=rules", ["rule"]),
    ("?kind=normative_documents", ["new", "old"]),
    ("?validity=repealed", ["old"]),
    ("?validity=in_force", ["new", "rule"]),
    ("?year=2019", ["old"]),
    ("?agency=110102103", ["rule"]),
    ("?agency=110102&year=2025&validity=in_force&kind=normative_documents", ["new"]),
])
def test_each_filter_narrows_the_list(library, client, query, expected):
    catalogue, rule = library
    urls = {"new": catalogue.new_policy, "old": catalogue.old_policy, "rule": rule}
    html = client.get(URL + query).content.decode()
    assert _rows(html) == [urls[name].get_absolute_url() for name in expected]


def test_a_bad_filter_is_a_field_error_not_a_500(library, english):
    response = english.get(URL + "?kind=nonsense&year=abc&validity=in_force")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="field-error"') == 2
    assert len(_rows(html)) == 2  # the valid filter (in force) still applies


def test_paging_keeps_the_filters(library, world, client):
    with fixed_today(D(2025, 6, 2)):
        for n in range(22):
            published_policy(world.finance, "normative_documents", D(2020, 1, 1) + dt.timedelta(days=n))
    html = client.get(URL + "?agency=110102109").content.decode()
    older = re.search(r'<a href="(\?[^"]*)" rel="next">', html)[1].replace("&amp;", "&")
    assert "agency=110102109" in older
    second = client.get(URL + older).content.decode()
    assert len(_rows(html)) == 20 and len(_rows(second)) == 2


def test_no_match_says_so(library, english):
    html = english.get(URL + "?year=2019&kind=rules").content.decode()
    assert "No policy document matches these filters." in html
