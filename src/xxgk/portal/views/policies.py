"""The policy library (政策文件库): every public policy document, filtered by kind, issuing
agency, year and validity, newest issued first, keyset-paged on the issue date (the
library's indexes are on ``(kind, issued_on)`` and ``(validity, issued_on)``)."""

from __future__ import annotations

from django.db.models import Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.catalog.models import PolicyDocument
from xxgk.core.labels import in_page_language
from xxgk.portal import paging, site
from xxgk.portal.cache import cached_public_page
from xxgk.portal.forms import PolicyFilter
from xxgk.portal.queries import public_policies

_FIELDS = ("pk", "title", "title_en", "doc_no", "published_on", "issued_on", "kind",
           "validity", "agency__name", "agency__name_en")
_VALIDITIES = {c.key: c for c in taxonomy.VALIDITIES}
_KINDS = {c.key: c for c in taxonomy.POLICY_KINDS}


def _years() -> list[int]:
    """The years to filter by: from the newest issue date to the oldest. Read from the
    policy table alone (no join with every item), so it stays one quick scan of a small
    table however large the catalogue grows; a year without a public document shows the
    "no match" answer."""
    span = PolicyDocument.objects.order_by().aggregate(first=Min("issued_on"),
                                                       last=Max("issued_on"))
    if span["first"] is None:
        return []
    return list(range(span["last"].year, span["first"].year - 1, -1))


@require_safe
@cached_public_page
def library(request: HttpRequest) -> HttpResponse:
    years = _years()
    agencies = list(Agency.objects.filter(is_active=True).order_by("path"))
    form = PolicyFilter(request.GET, agencies=agencies, years=years)
    queryset = (public_policies().filter(**form.filters()).select_related("agency")
                .only(*_FIELDS))
    page = paging.paginate(queryset, request.GET, field="issued_on")
    entries = [(document, in_page_language(_KINDS[document.kind]),
                in_page_language(_VALIDITIES[document.validity]))
               for document in page.entries]
    return render(request, "portal/policies.html", {
        "form": form, "page": page, "entries": entries, "column": site.COLUMN_POLICIES,
        "filtered": any(request.GET.get(name) for name in form.fields),
    })
