"""Addresses for programs: robots.txt, the sitemap and the feeds (mounted at the root by
``xxgk.urls``, before the portal's pages).

Feeds and robots.txt are public pages like any other, served from the page cache until
what they show changes (feed readers poll). The sitemap is streamed, so it is not cached:
it is read a section at a time, by few crawlers.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import path, re_path
from django.views.decorators.http import require_safe

from . import feeds, machine
from .cache import cached_public_page as cached


def feed(view: feeds.Feed) -> Callable[..., HttpResponse]:
    """A feed as a public page: GET and HEAD only, from the page cache."""
    return cached(require_safe(view))


app_name = "machine"
# Agency codes as ``Agency.code`` allows them; anything else is no agency (a 404).
AGENCY = r"(?P<code>[0-9A-Z]{2,20})"

urlpatterns = [
    path("robots.txt", cached(machine.robots), name="robots"),
    path("sitemap.xml", machine.sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", machine.sitemap_section, name="sitemap-section"),
    path("feeds/rss/", feed(feeds.CatalogueFeed()), name="feed-rss"),
    path("feeds/atom/", feed(feeds.CatalogueAtomFeed()), name="feed-atom"),
    re_path(rf"^feeds/agency/{AGENCY}/rss/$", feed(feeds.AgencyFeed()), name="agency-rss"),
    re_path(rf"^feeds/agency/{AGENCY}/atom/$", feed(feeds.AgencyAtomFeed()), name="agency-atom"),
    path("feeds/category/<slug:code>/rss/", feed(feeds.CategoryFeed()), name="category-rss"),
    path("feeds/category/<slug:code>/atom/", feed(feeds.CategoryAtomFeed()), name="category-atom"),
]
