"""The 政府信息公开 column: its entry, the guide, the rules, the tree with its counts and
the listings. Only public items ever appear; no column is blank."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from tests.catalog.helpers import published_item
from tests.portal.conftest import HIDDEN_TITLES
from xxgk.catalog import actions
from xxgk.catalog.models import Category
from xxgk.core.today import fixed_today

pytestmark = pytest.mark.django_db

PAGES = [("portal:home", ()), ("portal:column", ()), ("portal:guide", ()),
         ("portal:rules", ()), ("portal:catalogue", ()), ("portal:all", ()),
         ("portal:category", ("ywjy",)), ("portal:agency", ("110102103",)),
         ("portal:policies", ())]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_opens_in_both_languages_and_shows_nothing_hidden(
        catalogue, client, settings, language, name, args):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse(name, args=args))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{"en" if language == "en" else "zh-Hans"}"' in html
    for hidden in HIDDEN_TITLES:
        assert hidden not in html


def test_the_entry_has_the_four_columns_and_the_application_entry(catalogue, english):
    html = english.get(reverse("portal:column")).content.decode()
    for name in ("portal:guide", "portal:rules", "portal:catalogue", "annual_reports:list",
                 "apply:form"):
        assert f'href="{reverse(name)}"' in html, name


def test_a_column_with_nothing_in_it_says_so_and_is_not_linked(world, english):
    html = english.get(reverse("portal:column")).content.decode()
    assert f'href="{reverse("portal:catalogue")}"' not in html
    assert f'href="{reverse("annual_reports:list")}"' not in html.split("<main")[1]
    assert "No information has been published yet." in html
    assert "No annual report has been published yet." in html


def test_the_tree_counts_public_items_only_by_class_and_by_agency(catalogue, english):
    with translation.override("en"):
        html = english.get(reverse("portal:catalogue")).content.decode()
    # ywjy holds the enrolment item (public) and a withdrawn one (not counted).
    assert (f'<a href="{reverse("portal:category", args=["ywjy"])}">Compulsory education</a>'
            ' <span class="count">(1)</span>') in html
    assert "Budgets and final accounts</a> <span class=\"count\">(1)</span>" in html
    # Education published one public item; the withheld, draft, in-review and withdrawn
    # ones are not counted.
    assert (f'<a href="{reverse("portal:agency", args=["110102103"])}">'
            'Xicheng District Education Commission</a> <span class="count">(1)</span>') in html
    # The district published two policies and an interpretation.
    assert "Xicheng District People&#x27;s Government</a> <span class=\"count\">(3)</span>" in html
    assert "5 items of information published" in html


def test_an_empty_class_is_not_a_link_but_its_page_says_so(catalogue, english):
    html = english.get(reverse("portal:catalogue")).content.decode()
    statistics = reverse("portal:category", args=["tjxx"])
    assert f'href="{statistics}"' not in html
    assert "<span>Statistics</span> <span class=\"empty\">nothing published yet</span>" in html
    page = english.get(statistics)
    assert page.status_code == 200
    assert "No information has been published here yet." in page.content.decode()


def test_a_retired_empty_class_and_an_unknown_one_are_404(catalogue, client):
    Category.objects.filter(code="tjxx").update(is_active=False)
    assert client.get(reverse("portal:category", args=["tjxx"])).status_code == 404
    assert client.get(reverse("portal:category", args=["no-such-class"])).status_code == 404
    assert client.get(reverse("portal:agency", args=["NOSUCH"])).status_code == 404
    html = client.get(reverse("portal:catalogue")).content.decode()
    assert reverse("portal:category", args=["tjxx"]) not in html


def test_a_class_counts_and_lists_what_is_below_it(catalogue, world, client):
    parent = Category.objects.get(code="ywjy")
    child = actions.create_category("key_area", "ywjy-zs", actions.CategoryText("招生入学"),
                                    parent=parent)
    with fixed_today(dt.date(2025, 6, 2)):
        published_item(world.education, dt.date(2025, 4, 1), dt.date(2025, 4, 2),
                       title="西城区2025年小学入学报名须知", category=child)
    html = client.get(reverse("portal:catalogue")).content.decode()
    assert (f'<a href="{reverse("portal:category", args=["ywjy"])}">义务教育</a>'
            ' <span class="count">(2)</span>') in html
    listing = client.get(reverse("portal:category", args=["ywjy"])).content.decode()
    assert "西城区2025年小学入学报名须知" in listing
    assert "2025年西城区义务教育阶段入学工作实施意见" in listing


def test_the_guide_is_complete(catalogue, world, english):
    world.education.address = "西城区教育街1号"
    world.education.office_hours = "工作日 9:00–17:00"
    world.education.phone = "010-12345678"
    world.education.save()
    html = english.get(reverse("portal:guide")).content.decode()
    for text in ("Compulsory education", "Budgets and final accounts",  # the classes
                 "within 20 working days of receiving the application",
                 "one extension of at most 20 working days",
                 "up to 10 applications free", "100 yuan each",
                 "pages 31–100: 10 yuan a page", "from page 201: 40 yuan a page",
                 "administrative reconsideration within 60 days",
                 "administrative lawsuit", "within 6 months",
                 "西城区教育街1号", "工作日 9:00–17:00", "010-12345678", "Office hours"):
        assert text in html, text
    assert f'href="{reverse("apply:form")}"' in html


def test_the_rules_page_lists_the_regulation_and_the_fee_measures(client):
    html = client.get(reverse("portal:rules")).content.decode()
    assert "中华人民共和国国务院令第711号" in html and "2019-05-15" in html
    assert "国办函〔2020〕109号" in html


def test_listings_are_newest_first_and_every_entry_is_dated(catalogue, client):
    html = client.get(reverse("portal:all")).content.decode()
    order = [html.index(t) for t in ("2025年西城区义务教育阶段入学工作实施意见",
                                     "西城区2025年部门预算公开")]
    assert order == sorted(order)
    assert '<time datetime="2025-03-10">2025-03-10</time>' in html
    assert '<time datetime="2025-02-14">2025-02-14</time>' in html


def test_the_home_page_links_the_column_and_shows_the_newest_items(catalogue, client):
    html = client.get(reverse("portal:home")).content.decode()
    main = html[html.index("<main"):]
    assert f'href="{reverse("portal:column")}"' in main
    assert f'href="{catalogue.enrolment.get_absolute_url()}"' in main
    assert catalogue.withdrawn.title not in html


def test_english_listings_show_english_titles_and_mark_chinese_only_ones(catalogue, english):
    html = english.get(reverse("portal:all")).content.decode()
    assert ">Compulsory education enrolment, 2025</a>" in html
    assert (f'<a href="{catalogue.budget.get_absolute_url()}" lang="zh-Hans">'
            "西城区2025年部门预算公开</a> <span class=\"badge\">Chinese only</span>") in html


@pytest.mark.parametrize(("url", "most"), [
    ("/", 5), ("/xxgk/", 6), ("/guide/", 5), ("/xxgk/gkzd/", 3), ("/xxgk/fdzdgknr/", 7),
    ("/xxgk/list/", 5), ("/xxgk/fdzdgknr/ywjy/", 5), ("/xxgk/agency/110102103/", 6),
])
def test_a_page_asks_a_bounded_number_of_queries(catalogue, client, url, most,
                                                 django_assert_max_num_queries):
    with django_assert_max_num_queries(most):
        assert client.get(url).status_code == 200


def test_an_inactive_agency_keeps_its_page_while_it_has_public_items(catalogue, world, client):
    type(world.finance).objects.filter(pk=world.finance.pk).update(is_active=False)
    type(world.subdistrict).objects.filter(pk=world.subdistrict.pk).update(is_active=False)
    assert client.get(reverse("portal:agency", args=[world.finance.code])).status_code == 200
    assert client.get(reverse("portal:agency", args=[world.subdistrict.code])).status_code == 404
    html = client.get(catalogue.budget.get_absolute_url()).content.decode()
    assert f'href="{reverse("portal:agency", args=[world.finance.code])}"' in html
