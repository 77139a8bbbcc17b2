"""Pages for programs rather than people: ``robots.txt`` and the sitemap's XML.

The sitemap is written as it is read (a streamed response in chunks of text), so that a
section of 50,000 addresses never sits in memory as objects or as one string. Addresses
are absolute, on the host the request came to, as the sitemaps protocol requires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from . import sitemaps

XML_TYPE = "application/xml; charset=utf-8"
NAMESPACE = "http://www.sitemaps.org/schemas/sitemap/0.9"
# Text written to the response at a time: large enough that the server makes few writes.
CHUNK_CHARS = 64 * 1024

# Never for crawlers: staff pages, configuration, the API's JSON (its docs are fine), the
# language and display switches (redirects that set a cookie, no content of their own),
# and everything past the application form — the follow page and each application's pages
# open only with a private query code.
DISALLOWED = ("/staff/", "/admin/", "/api/", "/i18n/", "/language/", "/display/",
              "/apply/follow/", "/apply/submitted/", "/apply/*/")
ALLOWED = ("/api/docs", "/api/openapi.json")


@require_safe
@cache_control(public=True, max_age=3600)
def robots(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *"]
    lines += [f"Allow: {path}" for path in ALLOWED]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {request.build_absolute_uri(reverse('machine:sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def _w3c(value: sitemaps.Lastmod, zone: dt.tzinfo) -> str:
    """A lastmod as the protocol's W3C datetime: a date, or a moment in local time
    (``zone`` is read once per response: reading the current zone costs more than the
    conversion)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.astimezone(zone).isoformat(timespec="seconds")
    return value.isoformat()


def _chunked(pieces: Iterable[str]) -> Iterator[bytes]:
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def _urlset(base: str, entries: Iterable[tuple[str, sitemaps.Lastmod]]) -> Iterator[str]:
    zone = timezone.get_current_timezone()
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{NAMESPACE}">\n'
    for path, lastmod in entries:
        modified = f"<lastmod>{_w3c(lastmod, zone)}</lastmod>" if lastmod else ""
        yield f"<url><loc>{base}{escape(path)}</loc>{modified}</url>\n"
    yield "</urlset>\n"


def _sitemapindex(entries: Iterable[tuple[str, sitemaps.Lastmod]]) -> Iterator[str]:
    zone = timezone.get_current_timezone()
    yield f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{NAMESPACE}">\n'
    for location, lastmod in entries:
        modified = f"<lastmod>{_w3c(lastmod, zone)}</lastmod>" if lastmod else ""
        yield f"<sitemap><loc>{escape(location)}</loc>{modified}</sitemap>\n"
    yield "</sitemapindex>\n"


def _xml(pieces: Iterable[str]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_chunked(pieces), content_type=XML_TYPE)
    # The sitemap is for crawlers to read, not a page for search results.
    response["X-Robots-Tag"] = "noindex, noarchive"
    return response


def _base(request: HttpRequest) -> str:
    return escape(request.build_absolute_uri("/")[:-1])


@require_safe
def sitemap(request: HttpRequest) -> StreamingHttpResponse:
    """One ``<urlset>`` of every section while it fits in one file, else the index."""
    maps = sitemaps.sections()
    if sitemaps.fits_in_one_file(maps.values()):
        entries = (entry for section in maps.values() for entry in section.entries(1))
        return _xml(_urlset(_base(request), entries))
    return _xml(_sitemapindex(_index_entries(request, maps)))


def _index_entries(request: HttpRequest, maps: dict[str, sitemaps.Section]
                   ) -> Iterator[tuple[str, sitemaps.Lastmod]]:
    for name, section in maps.items():
        address = request.build_absolute_uri(
            reverse("machine:sitemap-section", kwargs={"section": name}))
        for page, lastmod in sorted(section.page_lastmods().items()):
            yield (address if page == 1 else f"{address}?p={page}"), lastmod


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> StreamingHttpResponse:
    """One page of one section (``?p=N``, from 1); an unknown section or page is a 404."""
    if section not in sitemaps.SECTIONS:
        raise Http404
    chosen = sitemaps.SECTIONS[section]()
    page = request.GET.get("p", "1")
    if len(page) > 12:  # more pages than any catalogue has; don't parse it
        raise Http404
    try:
        entries = chosen.entries(page)
        first = next(entries, None)
    except (EmptyPage, PageNotAnInteger):
        raise Http404 from None
    rest = entries if first is None else _prepend(first, entries)
    return _xml(_urlset(_base(request), rest))


def _prepend(first: tuple[str, sitemaps.Lastmod], rest: Iterator[tuple[str, sitemaps.Lastmod]]
             ) -> Iterator[tuple[str, sitemaps.Lastmod]]:
    yield first
    yield from rest

