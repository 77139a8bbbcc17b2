"""The home page, the 政府信息公开 column's entry, its guide and its rules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xxgk import taxonomy
from xxgk.agencies.models import Agency, top_agency
from xxgk.applications import fees
from xxgk.applications.clock import DEFAULT_RULES
from xxgk.portal import catalogue, site
from xxgk.portal.cache import cached_public_page
from xxgk.portal.queries import listing, public_items
from xxgk.portal.rules import RULES
from xxgk.reports.models import AnnualReport

HOME_ITEMS = 10


@require_safe
@cached_public_page
def home(request: HttpRequest) -> HttpResponse:
    newest = list(listing(public_items()).order_by("-published_on", "-pk")[:HOME_ITEMS])
    return render(request, "portal/home.html", {"top": top_agency(), "newest": newest})


@require_safe
@cached_public_page
def column(request: HttpRequest) -> HttpResponse:
    """The 政府信息公开 entry: the four first-level columns and the application entry."""
    tree = catalogue.tree()
    return render(request, "portal/column.html", {
        "tree": tree,
        "reports": AnnualReport.objects.filter(snapshot__isnull=False).count(),
        "rules": RULES, "column": site.COLUMN_ENTRY,
    })


@require_safe
@cached_public_page
def rules(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/rules.html", {"rules": RULES,
                                                 "column": site.COLUMN_RULES})


@require_safe
@cached_public_page
def guide(request: HttpRequest) -> HttpResponse:
    """The guide (指南, Art. 12): the catalogue's classes, how to obtain information, the
    time limits, fees and remedies, and every agency's office with its contacts."""
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    groups = {kind: [a for a in agencies if a.kind == kind] for kind, _label in Agency.Kind.choices}
    return render(request, "portal/guide.html", {
        "groups": [(label, groups[kind]) for kind, label in Agency.Kind.choices if groups[kind]],
        "tree": catalogue.tree(counted=False),
        "rules": DEFAULT_RULES,
        "publication_days": taxonomy.PROACTIVE_PUBLICATION_WORKING_DAYS,
        "free_applications": fees.FREE_APPLICATIONS,
        "first_paid_last": fees.FIRST_PAID_LAST,
        "first_paid_yuan": fees.FIRST_PAID_BAND.unit_yuan,
        "band_size": fees.BAND_SIZE, "band_step_yuan": fees.BAND_STEP_YUAN,
        "volume_bands": fees.VOLUME_BANDS, "free_pages": fees.FREE_PAGES,
        "column": site.COLUMN_GUIDE,
    })
