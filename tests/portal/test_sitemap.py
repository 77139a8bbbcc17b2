"""sitemap.xml (one file, or an index of sections when large) and robots.txt."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from tests.factories import published_report
from tests.portal.public_records import TODAY, build
from xxgk.catalog import bulk
from xxgk.catalog.models import InfoItem
from xxgk.core.today import fixed_today
from xxgk.portal import sitemaps
from xxgk.reports.models import AnnualReport

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
URLSET, INDEX = (f"{{{NS['s']}}}urlset", f"{{{NS['s']}}}sitemapindex")
HOST = "http://testserver"


@pytest.fixture
def records(world):
    records = build(world)
    report = published_report(world.education, 2024)
    AnnualReport.objects.filter(pk=report.pk).update(
        published_at=dt.datetime(2025, 1, 20, 9, 30, tzinfo=dt.UTC))
    AnnualReport.objects.create(agency=world.finance, year=2024)  # a draft: not listed
    return records


def _xml(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert "noindex" in response["X-Robots-Tag"]
    return etree.fromstring(b"".join(response.streaming_content))


def _urls(root) -> dict[str, str | None]:
    assert root.tag == URLSET
    return {url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", namespaces=NS)
            for url in root.findall("s:url", NS)}


def test_a_small_site_is_one_urlset_of_its_public_pages(records, world):
    urls = _urls(_xml(Client().get("/sitemap.xml")))
    items = {f"{HOST}/xxgk/item/{item.pk}/" for item in records.public}
    assert {u for u in urls if "/xxgk/item/" in u} == items
    for item in records.secrets.values():
        assert f"{HOST}/xxgk/item/{item.pk}/" not in urls
    # Listing pages with something on them, the fixed pages and the published report.
    assert {f"{HOST}/", f"{HOST}/xxgk/", f"{HOST}/xxgk/policies/",
            f"{HOST}/xxgk/fdzdgknr/ywjy/", f"{HOST}/xxgk/fdzdgknr/tjxx/",
            f"{HOST}/xxgk/agency/{world.education.code}/", f"{HOST}/reports/",
            f"{HOST}/reports/{world.education.code}/2024/"} <= urls.keys()
    assert f"{HOST}/reports/{world.finance.code}/2024/" not in urls
    # Empty columns are not listed (they have no link on the site either).
    assert f"{HOST}/xxgk/fdzdgknr/sthj/" not in urls
    assert f"{HOST}/xxgk/agency/{world.subdistrict.code}/" not in urls


def test_lastmod_is_when_an_item_changed_and_when_a_listing_last_got_one(records, world):
    urls = _urls(_xml(Client().get("/sitemap.xml")))
    item = InfoItem.objects.get(pk=records.reviewed.pk)
    stamp = urls[f"{HOST}/xxgk/item/{item.pk}/"]
    assert dt.datetime.fromisoformat(stamp) == item.changed_at.replace(microsecond=0)
    assert stamp.endswith("+08:00")
    assert urls[f"{HOST}/xxgk/fdzdgknr/ywjy/"] == "2025-05-20"  # its newest item
    assert urls[f"{HOST}/xxgk/agency/{world.education.code}/"] == "2025-05-20"
    assert urls[f"{HOST}/reports/{world.education.code}/2024/"] == timezone.localtime(
        dt.datetime(2025, 1, 20, 9, 30, tzinfo=dt.UTC)).isoformat()


@pytest.fixture
def small_files(monkeypatch):
    """Sitemap files of 3 addresses, so that a handful of items needs an index."""
    monkeypatch.setattr(sitemaps, "LIMIT", 3)
    monkeypatch.setattr(sitemaps.Section, "limit", 3)


def test_a_large_site_gets_an_index_of_sections_each_within_the_limit(records, small_files):
    root = _xml(Client().get("/sitemap.xml"))
    assert root.tag == INDEX
    files = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
    assert f"{HOST}/sitemap-pages.xml" in files
    assert any(f.startswith(f"{HOST}/sitemap-items.xml") for f in files)
    found: dict[str, str | None] = {}
    for address in files:
        urls = _urls(_xml(Client().get(address.removeprefix(HOST))))
        # A page of items may be empty (its ids are all drafts or withheld), never over.
        assert len(urls) <= 3 and (urls or "sitemap-items" in address), address
        assert not found.keys() & urls.keys()
        found.update(urls)
    items = {u for u in found if "/xxgk/item/" in u}
    assert items == {f"{HOST}/xxgk/item/{item.pk}/" for item in records.public}


def test_item_pages_are_ranges_of_ids_so_an_address_keeps_its_items(records, small_files):
    pks = [item.pk for item in records.public]
    pages = {(pk - 1) // 3 + 1 for pk in pks}
    for page in pages | {min(pages) - 1, max(pages) + 1} - {0}:
        urls = _urls(_xml(Client().get(f"/sitemap-items.xml?p={page}")))
        expected = {pk for pk in pks if (page - 1) * 3 < pk <= page * 3}
        assert {int(re.search(r"/item/(\d+)/", u)[1]) for u in urls} == expected
    # The index names every page of items (without a lastmod: each address has its own).
    root = _xml(Client().get("/sitemap.xml"))
    listed = {s.findtext("s:loc", namespaces=NS): s.findtext("s:lastmod", namespaces=NS)
              for s in root.findall("s:sitemap", NS)}
    item_pages = {int(a.partition("?p=")[2] or 1): lastmod for a, lastmod in listed.items()
                  if "sitemap-items" in a}
    last = -(-InfoItem.objects.order_by("-pk").values_list("pk", flat=True).first() // 3)
    assert item_pages == dict.fromkeys(range(1, last + 1))
    assert listed[f"{HOST}/sitemap-reports.xml"] == timezone.localtime(
        dt.datetime(2025, 1, 20, 9, 30, tzinfo=dt.UTC)).isoformat()


@pytest.mark.parametrize("address", [
    "/sitemap-items.xml?p=0", "/sitemap-items.xml?p=-1", "/sitemap-items.xml?p=abc",
    "/sitemap-items.xml?p=1.5", "/sitemap-items.xml?p=1000000000",
    "/sitemap-items.xml?p=" + "9" * 40, "/sitemap-pages.xml?p=2", "/sitemap-pages.xml?p=x",
    "/sitemap-nothing.xml", "/sitemap-.xml",
])
def test_an_unknown_section_or_page_is_a_404(records, address):
    assert Client().get(address).status_code == 404


def test_a_section_is_read_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    with fixed_today(TODAY):
        bulk.publish_history(world.education, [
            bulk.HistoryRecord(title=f"第{n}号通知", published_on=dt.date(2024, 1, 1))
            for n in range(300)])
    with django_assert_max_num_queries(3):
        urls = _urls(_xml(Client().get("/sitemap-items.xml")))
    assert len(urls) == 300


def test_only_get_and_head_are_answered(records):
    for address in ("/sitemap.xml", "/sitemap-items.xml", "/robots.txt", "/feeds/rss/",
                    "/feeds/category/ywjy/atom/"):
        assert Client().post(address).status_code == 405, address
        assert Client().head(address).status_code == 200, address


# ---- robots.txt -----------------------------------------------------------------------


def _rules(text: str) -> list[tuple[bool, str]]:
    return [(kind.lower() == "allow", value.strip())
            for kind, _, value in (line.partition(":") for line in text.splitlines())
            if kind.lower() in ("allow", "disallow")]


def _allowed(rules: list[tuple[bool, str]], path: str) -> bool:
    """RFC 9309: the longest matching rule wins, allow on a tie; `*` is any characters and
    a final `$` the end of the path."""
    best: tuple[int, bool] | None = None
    for allow, pattern in rules:
        regex = re.escape(pattern).replace(r"\*", ".*")
        if regex.endswith(r"\$"):
            regex = regex[:-2] + "$"
        if re.match(regex, path):
            candidate = (len(pattern), allow)
            if best is None or candidate > best:
                best = candidate
    return True if best is None else best[1]


def test_robots_lets_crawlers_read_the_public_site_and_nothing_else(world):
    response = Client().get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "User-agent: *" in text.splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
    rules = _rules(text)
    for path in ("/", "/xxgk/", "/xxgk/item/1/", "/xxgk/policies/?kind=rules", "/reports/",
                 "/feeds/rss/", "/sitemap.xml", "/apply/", "/guide/", "/api/docs",
                 "/api/openapi.json"):
        assert _allowed(rules, path), path
    for path in ("/staff/", "/staff/login/", "/admin/", "/admin/login/", "/api/catalog/items",
                 "/api/applications/lookup", "/i18n/setlang/", "/apply/follow/",
                 "/language/?language=en", "/display/large/?next=/",
                 "/apply/submitted/", "/apply/110102-2025-000001/",
                 "/apply/110102-2025-000001/letters/3/"):
        assert not _allowed(rules, path), path
    # Where the site has them now, whatever they are called.
    for name, kwargs in (("workbench:login", {}), ("admin:index", {}), ("apply:follow", {}),
                         ("apply:detail", {"number": "110102-2025-000001"}),
                         ("portal:language", {}), ("portal:display", {"mode": "large"})):
        assert not _allowed(rules, reverse(name, kwargs=kwargs)), name
    for name in ("portal:home", "apply:form", "api:openapi-view", "api:openapi-json"):
        assert _allowed(rules, reverse(name)), name


def test_the_sitemap_line_names_the_host_asked_for(world, settings):
    settings.ALLOWED_HOSTS = ["xxgk.example.gov.cn"]
    text = Client().get("/robots.txt", HTTP_HOST="xxgk.example.gov.cn", secure=True
                        ).content.decode()
    assert "Sitemap: https://xxgk.example.gov.cn/sitemap.xml" in text.splitlines()


def test_the_whole_small_sitemap_is_read_in_a_few_queries(records, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert len(_urls(_xml(Client().get("/sitemap.xml")))) > len(records.public)
