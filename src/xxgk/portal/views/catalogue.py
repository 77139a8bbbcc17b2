"""法定主动公开内容: the tree with its counts, and the listings (by class, by agency, all),
newest first and keyset-paged (``paging.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from xxgk.agencies.models import Agency
from xxgk.portal import catalogue, paging, site
from xxgk.portal.cache import cached_public_page
from xxgk.portal.queries import listing, public_items


@require_safe
@cached_public_page
def tree(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/catalogue.html", {
        "tree": catalogue.tree(), "agency_groups": catalogue.agencies_with_counts(),
        "column": site.COLUMN_CATALOGUE,
    })


def _listing(request: HttpRequest, queryset: QuerySet, context: dict[str, Any]
             ) -> HttpResponse:
    page = paging.paginate(listing(queryset), request.GET)
    return render(request, "portal/listing.html", {
        **context, "page": page, "column": site.COLUMN_CATALOGUE,
    })


@require_safe
@cached_public_page
def category_items(request: HttpRequest, code: str) -> HttpResponse:
    """One class of the tree with everything below it. A class in use with nothing public
    yet says so; a retired class with nothing public is gone (404)."""
    node = catalogue.tree(counted=False).by_code.get(code)
    if node is None:
        raise Http404("no such catalogue category")
    ids = catalogue.descendants(node)
    queryset = (public_items().filter(category_id=ids[0]) if len(ids) == 1
                else public_items().filter(category_id__in=ids))
    page = paging.paginate(listing(queryset), request.GET)
    if not node.category.is_active and not page.entries and page.is_first:
        raise Http404("no such catalogue category")
    return render(request, "portal/listing.html", {
        "category": node.category, "page": page, "column": site.COLUMN_CATALOGUE,
    })


@require_safe
@cached_public_page
def agency_items(request: HttpRequest, code: str) -> HttpResponse:
    """One agency's items. An agency no longer active keeps its page while it has public
    items (their pages link to it)."""
    agency = get_object_or_404(Agency, code=code)
    page = paging.paginate(listing(public_items().filter(agency=agency)), request.GET)
    if not agency.is_active and not page.entries and page.is_first:
        raise Http404("no such agency")
    return render(request, "portal/listing.html", {
        "agency": agency, "page": page, "column": site.COLUMN_CATALOGUE,
    })


@require_safe
@cached_public_page
def all_items(request: HttpRequest) -> HttpResponse:
    return _listing(request, public_items(), {})
