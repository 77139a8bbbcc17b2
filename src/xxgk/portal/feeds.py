"""RSS 2.0 and Atom feeds of the catalogue: everything, one agency's, one category's.

Built on Django's syndication framework. A feed holds the newest ``FEED_SIZE`` public
items (``InfoItem.is_public``, filtered in SQL on the same two columns), newest first by
publication date, read through the public-listing indexes. An item's description is its
summary, or else the start of its text as plain text; only the first characters of a body
are fetched, since a body may be half a megabyte and a feed shows a few lines of it.

Feeds follow the page's language (the language cookie or ``Accept-Language``, as every
public page): in English an item is titled by its English title, and one that exists only
in Chinese says so after its Chinese title.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from xxgk.agencies.models import Agency
from xxgk.catalog.models import Category, InfoItem
from xxgk.catalog.sanitize import plain_text
from xxgk.portal import catalogue
from xxgk.portal.queries import public_items

FEED_SIZE = 50
# Characters of a description; the body is cut in SQL a little longer, so that the tags
# cut away still leave this many characters of text.
DESCRIPTION_CHARS = 300
BODY_PREFIX_CHARS = 4000
_OPEN_TAG_AT_END = re.compile(r"<[^>]*$")


def english() -> bool:
    return (get_language() or settings.LANGUAGE_CODE) == "en"


def _start_of(html_body: str) -> str:
    """The first words of a (possibly cut) cleaned body as plain text."""
    text = plain_text(_OPEN_TAG_AT_END.sub("", html_body))
    if len(text) <= DESCRIPTION_CHARS:
        return text
    return text[:DESCRIPTION_CHARS].rstrip() + "…"


def _shanghai_midnight(day: dt.date) -> dt.datetime:
    # The law's dates are local dates in Asia/Shanghai; a feed needs a moment in time.
    from zoneinfo import ZoneInfo

    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


class CatalogueFeed(Feed):
    """All public items, newest first (RSS 2.0)."""

    feed_type = Rss201rev2Feed
    language = None  # the request's language, set per request in ``get_feed``

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = super().__call__(request, *args, **kwargs)
        # The same address answers in Chinese or English by the visitor's language.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    # ---- the feed ----

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None

    def filter_items(self, items: QuerySet[InfoItem], obj: Any) -> QuerySet[InfoItem]:
        return items

    def title(self, obj: Any) -> str:
        return _("Open government information: newest items")

    def description(self, obj: Any) -> str:
        return _("The newest items published in the open government information catalogue.")

    def subtitle(self, obj: Any) -> str:
        return self.description(obj)

    def link(self, obj: Any) -> str:
        return reverse("portal:home")

    def items(self, obj: Any) -> list[InfoItem]:
        items = (self.filter_items(public_items(), obj)
                 .select_related("agency", "category")
                 .only("pk", "title", "title_en", "summary", "published_on", "changed_at",
                       "index_no", "agency__name", "agency__name_en", "category__name",
                       "category__name_en")
                 .annotate(body_start=Substr("body", 1, BODY_PREFIX_CHARS),
                           body_en_start=Substr("body_en", 1, BODY_PREFIX_CHARS))
                 .order_by("-published_on", "-pk"))
        return list(items[:FEED_SIZE])

    # ---- each item ----

    def item_title(self, item: InfoItem) -> str:
        if not english():
            return item.title
        if item.title_en:
            return item.title_en
        return _("%(title)s (in Chinese only)") % {"title": item.title}

    def item_description(self, item: InfoItem) -> str:
        if english() and item.body_en_start:
            return _start_of(item.body_en_start)
        return item.summary or _start_of(item.body_start)

    def item_link(self, item: InfoItem) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: InfoItem) -> str:
        return item.index_no

    item_guid_is_permalink = False

    def item_pubdate(self, item: InfoItem) -> dt.datetime:
        return _shanghai_midnight(item.published_on)

    def item_updateddate(self, item: InfoItem) -> dt.datetime:
        return item.changed_at

    def item_author_name(self, item: InfoItem) -> str:
        return _agency_name(item.agency)

    def item_categories(self, item: InfoItem) -> list[str]:
        if item.category is None:
            return []
        return [_category_name(item.category)]


class CatalogueAtomFeed(CatalogueFeed):
    feed_type = Atom1Feed


def _agency_name(agency: Agency) -> str:
    return agency.name_en if english() and agency.name_en else agency.name


def _category_name(category: Category) -> str:
    return category.name_en if english() and category.name_en else category.name


class AgencyFeed(CatalogueFeed):
    """One agency's public items (its own, not those of the agencies below it: each of
    those has its own feed). An agency no longer active keeps its feed while it has public
    items, as it keeps its listing page."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Agency:
        agency = get_object_or_404(Agency.objects.only("pk", "code", "name", "name_en",
                                                       "is_active"), code=kwargs["code"])
        if not agency.is_active and not self.filter_items(public_items(), agency).exists():
            raise Http404
        return agency

    def filter_items(self, items: QuerySet[InfoItem], obj: Agency) -> QuerySet[InfoItem]:
        return items.filter(agency=obj)

    def title(self, obj: Agency) -> str:
        return _("%(agency)s: open government information") % {"agency": _agency_name(obj)}

    def description(self, obj: Agency) -> str:
        return _("The newest items published by %(agency)s.") % {"agency": _agency_name(obj)}

    def link(self, obj: Agency) -> str:
        return reverse("portal:agency", args=[obj.code])


class AgencyAtomFeed(AgencyFeed):
    feed_type = Atom1Feed


class CategoryFeed(CatalogueFeed):
    """One category's public items, with those of the categories below it, as its listing
    page has them; a retired category with nothing public is gone (404), as its page is."""

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> catalogue.Node:
        node = catalogue.tree(counted=False).by_code.get(kwargs["code"])
        if node is None:
            raise Http404
        if not node.category.is_active and not self.filter_items(public_items(), node).exists():
            raise Http404
        return node

    def filter_items(self, items: QuerySet[InfoItem], obj: catalogue.Node
                     ) -> QuerySet[InfoItem]:
        return items.filter(category_id__in=catalogue.descendants(obj))

    def title(self, obj: catalogue.Node) -> str:
        return _("%(category)s: open government information") % {
            "category": _category_name(obj.category)}

    def description(self, obj: catalogue.Node) -> str:
        return _("The newest items published under %(category)s.") % {
            "category": _category_name(obj.category)}

    def link(self, obj: catalogue.Node) -> str:
        return reverse("portal:category", args=[obj.category.code])


class CategoryAtomFeed(CategoryFeed):
    feed_type = Atom1Feed
