"""An item's public page offers related documents (``search.related``): its policy family,
then the same topic, then similar ones, as links with why each is offered. Only public
items, and the cached page is current as soon as the catalogue changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.catalog.helpers import published_item
from tests.portal.conftest import HIDDEN_TITLES
from xxgk.catalog import actions, tree
from xxgk.catalog.models import Category
from xxgk.core.today import fixed_today
from xxgk.portal.cache import default_cache

D = dt.date


def related_section(html: str) -> str:
    found = re.search(r'<section aria-labelledby="related-h".*?</section>', html, re.S)
    return found.group(0) if found else ""


@pytest.mark.django_db
def test_a_policy_page_offers_its_interpretation_and_the_rule_it_repealed(catalogue, client):
    html = client.get(catalogue.new_policy.get_absolute_url()).content.decode()
    section = related_section(html)
    assert "<h2 id=\"related-h\">相关文件</h2>" in section
    for document in (catalogue.interpretation, catalogue.old_policy):
        assert f'href="{document.get_absolute_url()}"' in section
    assert section.index(catalogue.interpretation.get_absolute_url()) < section.index(
        catalogue.old_policy.get_absolute_url())
    assert f'href="{catalogue.new_policy.get_absolute_url()}"' not in section


@pytest.mark.django_db
def test_the_validity_links_keep_their_own_heading(catalogue, english):
    html = english.get(catalogue.new_policy.get_absolute_url()).content.decode()
    assert "<h2 id=\"links-h\">Amendments and repeals</h2>" in html
    assert html.count("Related documents") == 1


@pytest.mark.django_db
def test_each_link_says_why_it_is_offered_and_when_it_was_published(catalogue, english):
    section = related_section(english.get(catalogue.old_policy.get_absolute_url())
                              .content.decode())
    assert "policy family" in section
    assert '<time datetime="2025-02-03">2025-02-03</time>' in section
    # The policies have no English titles: shown in Chinese, marked as such.
    assert f'<a href="{catalogue.new_policy.get_absolute_url()}" lang="zh-Hans">' in section


@pytest.mark.django_db
def test_an_item_page_never_offers_what_is_not_public(catalogue, world, client):
    with fixed_today(D(2025, 6, 2)):
        # Every word of the hidden items' titles, in one public item.
        lookalike = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                                   title="内部请示与草稿通知的审核和撤回说明",
                                   topic_words="内部请示 草稿")
    html = client.get(lookalike.get_absolute_url()).content.decode()
    for title in HIDDEN_TITLES:
        assert title not in html


@pytest.mark.django_db
def test_an_item_with_nothing_related_has_no_section(world, client):
    with fixed_today(D(2025, 6, 2)):
        alone = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                               title="什刹海冰场开放时间")
    html = client.get(alone.get_absolute_url()).content.decode()
    assert 'id="related-h"' not in html


@pytest.mark.django_db
def test_the_item_page_reads_a_bounded_number_of_rows(catalogue, client,
                                                      django_assert_max_num_queries):
    # The page's own reads (9 for a policy document) and the related documents' four.
    with django_assert_max_num_queries(13):
        assert client.get(catalogue.new_policy.get_absolute_url()).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_cached_page_offers_an_item_published_after_it_was_stored(world, client):
    tree.install(Category)
    default_cache().clear()
    with fixed_today(D(2025, 6, 2)):
        first = published_item(world.education, D(2025, 3, 3), D(2025, 3, 5),
                               title="什刹海冰场开放时间")
        page = first.get_absolute_url()
        assert 'id="related-h"' not in client.get(page).content.decode()
        second = published_item(world.district, D(2025, 3, 3), D(2025, 3, 6),
                                title="什刹海冰场安全须知")
    assert f'href="{second.get_absolute_url()}"' in related_section(
        client.get(page).content.decode())
    actions.withdraw(second, "内容有误")
    assert 'id="related-h"' not in client.get(page).content.decode()
    default_cache().clear()
