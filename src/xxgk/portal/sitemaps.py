"""The sitemap (sitemaps.org protocol): public items, listing pages, annual reports.

The sections are ``django.contrib.sitemaps.Sitemap`` classes; the views in ``machine.py``
write their XML. ``/sitemap.xml`` is one ``<urlset>`` while everything fits in one file
(≤ ``LIMIT`` URLs); beyond that it is a ``<sitemapindex>`` naming each section's pages
(``/sitemap-<section>.xml?p=N``).

The items section must stay fast and small at a million items, so it differs from the
framework's default in two ways:

- A page is a range of primary keys (page N holds the public items with
  ``(N-1)·LIMIT < pk ≤ N·LIMIT``), not an ``OFFSET`` into a sorted list: a page is one
  range scan of the primary key however deep it is, and its address keeps holding the same
  items when others are published or withdrawn, so a crawler's ``lastmod`` stays true. A
  page may hold fewer than ``LIMIT`` URLs (never more), or none.
- It reads ``(pk, changed_at)`` pairs (``values_list``, fetched in chunks), never model
  instances, and builds each address from the one ``portal:item`` address reversed once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from xxgk.agencies.models import Agency
from xxgk.catalog.models import Category, InfoItem
from xxgk.portal import catalogue
from xxgk.portal.queries import public_items
from xxgk.reports.models import AnnualReport

# The protocol's limit of URLs in one sitemap file (and of files in one index).
LIMIT = 50_000
CHUNK = 5_000
_PLACEHOLDER = 987654321

Lastmod = dt.date | dt.datetime | None


class Section(Sitemap):
    """A sitemap section that lists ``(address, lastmod)`` pairs page by page."""

    limit = LIMIT

    @cached_property
    def _rows(self) -> list[Any]:
        return list(self.items())

    @property
    def paginator(self) -> Paginator:
        # The framework's paginator over rows read once per request (its own reads the
        # items again on every use).
        return Paginator(self._rows, self.limit)

    def num_pages(self) -> int:
        return self.paginator.num_pages

    def entries(self, page: Any) -> Iterator[tuple[str, Lastmod]]:
        """The page's ``(path, lastmod)`` pairs; ``page`` as given in ``?p=`` (a bad or
        empty page raises the paginator's ``PageNotAnInteger`` or ``EmptyPage``)."""
        for item in self.paginator.page(page).object_list:
            yield self.location(item), self.lastmod(item)

    def page_lastmods(self) -> dict[int, Lastmod]:
        """The newest lastmod of each page, for the index (one query)."""
        rows = self._rows
        return {1: max((m for m in map(self.lastmod, rows) if m is not None),
                       default=None)} if rows else {}

    def lastmod(self, item: Any) -> Lastmod:
        return None

    def count_bound(self) -> int:
        """At most how many URLs the section holds (exact for the small sections)."""
        return self.paginator.count


def _page_number(page: Any) -> int:
    # The framework's paginator rules for ``?p=``: an integer, from 1.
    try:
        number = int(page)
    except (TypeError, ValueError):
        raise PageNotAnInteger(page) from None
    if isinstance(page, float) and not page.is_integer():
        raise PageNotAnInteger(page)
    if number < 1:
        raise EmptyPage(page)
    return number


class ItemSitemap(Section):
    """Every public item's page; lastmod is when anything it shows last changed."""

    changefreq = None

    def _max_pk(self) -> int:
        # The newest row of the table (any state): the primary key's last entry, instant.
        return InfoItem.objects.aggregate(top=Max("pk"))["top"] or 0

    def num_pages(self) -> int:
        return max(1, -(-self._max_pk() // self.limit))

    def count_bound(self) -> int:
        return self._max_pk()

    def _address(self) -> tuple[str, str]:
        template = reverse("portal:item", args=[_PLACEHOLDER])
        before, placeholder, after = template.partition(str(_PLACEHOLDER))
        assert placeholder, template  # noqa: S101 - the item address holds its pk
        return before, after

    def entries(self, page: Any) -> Iterator[tuple[str, Lastmod]]:
        number = _page_number(page)
        if number > self.num_pages():
            raise EmptyPage(page)
        before, after = self._address()
        rows = (public_items().filter(pk__gt=(number - 1) * self.limit,
                                      pk__lte=number * self.limit)
                .order_by("pk").values_list("pk", "changed_at"))
        return (
            (f"{before}{pk}{after}", changed_at)
            for pk, changed_at in rows.iterator(chunk_size=CHUNK))

    def page_lastmods(self) -> dict[int, Lastmod]:
        # Every page, without a lastmod (the protocol makes it optional): the newest change
        # of each page is a scan of every public row (6 s at a million rows on SQLite),
        # while each page's own addresses carry theirs.
        return dict.fromkeys(range(1, self.num_pages() + 1))


def _newest_published(model_field: str) -> Subquery:
    """The newest publication date among the public items of the outer row."""
    return Subquery(public_items().filter(**{model_field: OuterRef("pk")})
                    .order_by("-published_on").values("published_on")[:1])


class CategorySitemap(Section):
    """The listing page of every category that holds public items, itself or below it (a
    column with nothing in it has no link on the site, so it is not listed either); its
    lastmod is the newest publication date on it."""

    def items(self) -> list[tuple[str, dt.date]]:
        newest = dict(Category.objects.annotate(newest=_newest_published("category"))
                      .filter(newest__isnull=False).values_list("pk", "newest"))
        found = []

        def walk(node: catalogue.Node) -> dt.date | None:
            dates = [d for d in (newest.get(node.category.pk), *map(walk, node.children)) if d]
            latest = max(dates, default=None)
            if latest is not None:
                found.append((node.category.code, latest))
            return latest

        for branch in catalogue.tree(counted=False).branches:
            for node in branch.nodes:
                walk(node)
        return found

    def location(self, item: tuple[str, dt.date]) -> str:
        return reverse("portal:category", args=[item[0]])

    def lastmod(self, item: tuple[str, dt.date]) -> dt.date:
        return item[1]


class AgencySitemap(Section):
    """The catalogue page of every agency with public items (one no longer active keeps
    its page while it has them)."""

    def items(self) -> list[tuple[str, dt.date]]:
        return list(Agency.objects
                    .annotate(newest=_newest_published("agency"))
                    .filter(newest__isnull=False)
                    .order_by("path").values_list("code", "newest"))

    def location(self, item: tuple[str, dt.date]) -> str:
        return reverse("portal:agency", args=[item[0]])

    def lastmod(self, item: tuple[str, dt.date]) -> dt.date:
        return item[1]


class PageSitemap(Section):
    """The fixed pages of the public site: home, guide, the 政府信息公开 column and its
    pages, the policy library, the annual reports."""

    names: tuple[str, ...] = ("portal:home", "portal:guide", "portal:column", "portal:rules",
                              "portal:catalogue", "portal:all", "portal:policies",
                              "annual_reports:list")

    def items(self) -> list[str]:
        return list(self.names)

    def location(self, item: str) -> str:
        return reverse(item)

    def page_lastmods(self) -> dict[int, Lastmod]:
        return {1: None}


class ReportSitemap(Section):
    """Every published annual report (its frozen snapshot is what the page shows)."""

    def items(self) -> list[tuple[str, int, dt.datetime | None]]:
        return list(AnnualReport.objects.filter(snapshot__isnull=False)
                    .order_by("-year", "agency__path")
                    .values_list("agency__code", "year", "published_at"))

    def location(self, item: tuple[str, int, Any]) -> str:
        return reverse("annual_reports:detail", args=[item[0], item[1]])

    def lastmod(self, item: tuple[str, int, Any]) -> dt.datetime | None:
        return item[2]


SECTIONS: dict[str, type[Section]] = {
    "pages": PageSitemap,
    "categories": CategorySitemap,
    "agencies": AgencySitemap,
    "reports": ReportSitemap,
    "items": ItemSitemap,
}


def sections() -> dict[str, Section]:
    return {name: cls() for name, cls in SECTIONS.items()}


def fits_in_one_file(maps: Iterable[Section]) -> bool:
    """Whether every URL fits in one ``<urlset>`` (judged by an upper bound for items)."""
    maps = list(maps)
    return (all(m.num_pages() <= 1 for m in maps)
            and sum(m.count_bound() for m in maps) <= LIMIT)
