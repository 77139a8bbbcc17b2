"""Published annual reports on the portal. They read the frozen snapshot only, so a
published report never changes when the records do. The files are rendered by the worker
(``files.py``); nothing here changes a record."""

from __future__ import annotations

from itertools import groupby

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xxgk.reports import national_format as nf
from xxgk.reports.render import FORMATS
from xxgk.reports.render.html import document_context

from . import files
from .models import AnnualReport


def _published():
    return AnnualReport.objects.filter(snapshot__isnull=False).select_related("agency")


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    reports = _published().order_by("-year", "agency__path").defer(
        "snapshot", "overview", "problems", "other_matters")
    return render(request, "reports/public/list.html", {
        "years": [(year, list(group)) for year, group in groupby(reports, key=lambda r: r.year)],
    })


def _report(code: str, year: int) -> AnnualReport:
    return get_object_or_404(_published(), agency__code=code, year=year)


@require_GET
def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    report = _report(code, year)
    national = nf.NationalReport.from_json_object(report.snapshot)
    return render(request, "reports/public/report.html", {
        "report": report,
        "document": document_context(national),
        "downloads": [FORMATS[name] for name in files.PUBLIC_FORMATS],
    })


@require_GET
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The file the worker rendered for this publication; until it exists, a page that
    says it is being prepared, with a link to ask again."""
    if fmt not in files.PUBLIC_FORMATS:
        raise Http404
    report = _report(code, year)
    stored = files.stored(report, fmt)
    if stored is None:
        with transaction.atomic():
            files.queue_render(report)
        return render(request, "reports/public/preparing.html",
                      {"report": report, "format": FORMATS[fmt]})
    chosen = FORMATS[fmt]
    response = HttpResponse(bytes(stored.content), content_type=chosen.media_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{report.agency.code}-{year}.{chosen.extension}")
    return response
