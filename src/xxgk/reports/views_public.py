"""Published annual reports on the portal. They read the frozen snapshot only, so a
published report never changes when the records do; nothing here changes state."""

from __future__ import annotations

from itertools import groupby

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xxgk.reports import national_format as nf
from xxgk.reports.render import FORMATS
from xxgk.reports.render import render as render_report
from xxgk.reports.render.html import document_context

from .models import AnnualReport

# What the portal offers to download; the page itself is the HTML.
DOWNLOADS = ("docx", "pdf", "xlsx", "json")


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
        "downloads": [FORMATS[name] for name in DOWNLOADS],
    })


@require_GET
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    report = _report(code, year)
    chosen = FORMATS[fmt]
    data = render_report(nf.NationalReport.from_json_object(report.snapshot), fmt)
    response = HttpResponse(data, content_type=chosen.media_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{report.agency.code}-{year}.{chosen.extension}")
    return response
