"""RSS and Atom feeds: everything, per agency, per category; public items only."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import etree

from tests.catalog.helpers import published_item
from tests.portal.public_records import SECRET_TITLES, TODAY, build
from xxgk.catalog import actions, bulk
from xxgk.catalog.models import Category
from xxgk.core.today import fixed_today
from xxgk.portal import feeds
from xxgk.portal.cache import default_cache

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def records(world):
    return build(world)


def _rss(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = etree.fromstring(response.content).find("channel")
    return [{child.tag: (child.text or "") for child in entry}
            for entry in channel.findall("item")]


def _atom(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        fields = {child.tag.removeprefix(ATOM): (child.text or "") for child in entry}
        fields["link"] = entry.find(f"{ATOM}link").get("href")
        entries.append(fields)
    return entries


def _item_url(item) -> str:
    return f"http://testserver/xxgk/item/{item.pk}/"


def test_the_all_items_feed_lists_public_items_newest_first_and_nothing_else(records):
    response = Client().get("/feeds/rss/")
    entries = _rss(response)
    assert [e["link"] for e in entries] == [_item_url(i) for i in sorted(
        records.public, key=lambda i: (i.published_on, i.pk), reverse=True)]
    body = response.content.decode()
    for secret in SECRET_TITLES.values():
        assert secret not in body
    for item in records.secrets.values():
        assert f"/xxgk/item/{item.pk}/" not in body


def test_each_item_has_its_date_description_and_agency(records):
    entries = {e["link"]: e for e in _rss(Client().get("/feeds/rss/"))}
    reviewed = entries[_item_url(records.reviewed)]
    assert reviewed["title"] == records.reviewed.title
    assert reviewed["description"] == "部署2025年秋季学期开学工作。"  # the summary
    published = parsedate_to_datetime(reviewed["pubDate"])
    assert published.date() == dt.date(2025, 5, 20)
    assert published.utcoffset() == dt.timedelta(hours=8)  # midnight in Beijing
    assert reviewed["guid"] == records.reviewed.index_no
    # No summary: the start of the text, as plain text, cut with an ellipsis.
    plain = entries[_item_url(records.plain)]["description"]
    assert plain.startswith("为进一步做好义务教育阶段入学工作")
    assert "<" not in plain and plain.endswith("…")
    assert len(plain) == feeds.DESCRIPTION_CHARS + 1


def test_atom_feeds_carry_the_same_entries_with_their_update_time(records):
    rss = _rss(Client().get("/feeds/rss/"))
    atom = _atom(Client().get("/feeds/atom/"))
    assert [e["link"] for e in atom] == [e["link"] for e in rss]
    reviewed = next(e for e in atom if e["link"] == _item_url(records.reviewed))
    records.reviewed.refresh_from_db()
    assert dt.datetime.fromisoformat(reviewed["updated"]) == records.reviewed.changed_at
    assert dt.datetime.fromisoformat(reviewed["published"]).date() == dt.date(2025, 5, 20)


def test_an_agency_feed_holds_that_agency_s_items_only(records, world):
    for suffix, parse in (("rss", _rss), ("atom", _atom)):
        entries = parse(Client().get(f"/feeds/agency/{world.education.code}/{suffix}/"))
        assert {e["link"] for e in entries} == {
            _item_url(records.reviewed), _item_url(records.english)}
    assert _rss(Client().get(f"/feeds/agency/{world.subdistrict.code}/rss/")) == []


def test_a_category_feed_holds_its_items_and_those_below_it(records, world):
    area = Category.objects.get(code="ywjy")
    with fixed_today(TODAY):
        child = actions.create_category("key_area", "ywjy-zs", actions.CategoryText(
            name="招生入学", name_en="Admissions"), parent=area, actor=world.ogi)
        below = actions.publish(actions.create_item(world.education, _text("招生入学工作安排",
                                                                           child)),
                                dt.date(2025, 5, 30))
    entries = _rss(Client().get("/feeds/category/ywjy/rss/"))
    assert {e["link"] for e in entries} == {
        _item_url(records.reviewed), _item_url(records.english), _item_url(below)}
    assert [e["link"] for e in _atom(Client().get("/feeds/category/ywjy-zs/atom/"))] == [
        _item_url(below)]


def _text(title, category):
    from tests.catalog.helpers import text

    return text(title, category=category)


@pytest.mark.parametrize("url", [
    "/feeds/agency/999999/rss/", "/feeds/agency/999999/atom/", "/feeds/agency/abc/rss/",
    "/feeds/agency/110102%00/rss/", "/feeds/category/nosuch/rss/",
    "/feeds/category/nosuch/atom/", "/feeds/category/%E4%B8%AD/rss/",
])
def test_an_unknown_agency_or_category_is_a_404(records, url):
    assert Client().get(url).status_code == 404


def test_a_retired_category_s_feed_is_a_404(records, world):
    category = Category.objects.get(code="sthj")
    with fixed_today(TODAY):
        actions.update_category(category, actions.CategoryText(
            name=category.name, name_en=category.name_en), is_active=False, actor=world.ogi)
    assert Client().get("/feeds/category/sthj/rss/").status_code == 404


def test_an_agency_no_longer_active_keeps_its_feed_while_it_has_public_items(records, world):
    from xxgk.agencies.models import Agency

    Agency.objects.filter(pk__in=[world.education.pk, world.subdistrict.pk]).update(
        is_active=False)
    assert len(_rss(Client().get(f"/feeds/agency/{world.education.code}/rss/"))) == 2
    assert Client().get(f"/feeds/agency/{world.subdistrict.code}/rss/").status_code == 404


def test_in_english_items_are_titled_in_english_or_marked_chinese_only(records):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/feeds/rss/")
    root = etree.fromstring(response.content)
    assert root.find("channel/language").text == "en"
    entries = {e["link"]: e for e in _rss(response)}
    english = entries[_item_url(records.english)]
    assert english["title"] == "Compulsory education enrolment, 2025"
    assert english["description"] == "How children are enrolled in 2025."
    with translation.override("en"):
        marked = feeds.CatalogueFeed().item_title(records.plain)
    assert entries[_item_url(records.plain)]["title"] == marked
    assert records.plain.title in marked and marked != records.plain.title
    assert "Accept-Language" in response["Vary"]
    agency = _rss_channel(client.get("/feeds/agency/110102103/rss/"))
    assert "Xicheng District Education Commission" in agency.find("title").text


def _rss_channel(response):
    return etree.fromstring(response.content).find("channel")


def test_in_chinese_the_feed_says_zh_hans(records):
    channel = _rss_channel(Client().get("/feeds/rss/"))
    assert channel.find("language").text == "zh-hans"
    assert channel.find("link").text == "http://testserver/"


def test_a_feed_holds_the_newest_fifty_in_a_bounded_number_of_queries(
        world, django_assert_max_num_queries):
    with fixed_today(TODAY):
        bulk.publish_history(world.education, [
            bulk.HistoryRecord(title=f"第{n}号通知", published_on=dt.date(2024, 1, 1)
                               + dt.timedelta(days=n)) for n in range(60)])
    with django_assert_max_num_queries(4):
        entries = _rss(Client().get("/feeds/agency/110102103/rss/"))
    assert len(entries) == feeds.FEED_SIZE
    assert entries[0]["title"] == "第59号通知" and entries[-1]["title"] == "第10号通知"


@pytest.mark.django_db(transaction=True)
def test_a_feed_is_served_from_the_page_cache_until_an_item_is_published(world):
    default_cache().clear()
    client = Client()
    with fixed_today(TODAY):
        first = actions.publish(actions.create_item(world.education, _text("第一条通知", None)),
                                dt.date(2025, 5, 1))
    assert [e["link"] for e in _rss(client.get("/feeds/rss/"))] == [_item_url(first)]
    hits = default_cache().hits
    assert [e["link"] for e in _rss(client.get("/feeds/rss/"))] == [_item_url(first)]
    assert default_cache().hits == hits + 1
    with fixed_today(TODAY):
        second = actions.publish(actions.create_item(world.education, _text("第二条通知", None)),
                                 dt.date(2025, 5, 2))
    assert [e["link"] for e in _rss(client.get("/feeds/rss/"))] == [
        _item_url(second), _item_url(first)]


def test_every_listing_names_its_feeds_for_readers_and_for_feed_readers(world, client):
    published_item(world.education, dt.date(2025, 3, 3), dt.date(2025, 3, 4))
    for url, feed in ((reverse("portal:agency", args=[world.education.code]),
                       reverse("machine:agency-rss", args=[world.education.code])),
                      (reverse("portal:all"), reverse("machine:feed-rss"))):
        html = client.get(url).content.decode()
        assert f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{feed}">' in html
        assert f'<a href="{feed}">RSS</a>' in html
        assert client.get(feed).status_code == 200
