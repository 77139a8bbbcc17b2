"""The staff page that audits many published reports at once (``reports/audit.py``): upload
a ZIP of reports or the files, see each report's own checks and each agency's years compared,
with one another and with xxgk's own reports of the agencies in the user's scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from xxgk.agencies import access
from xxgk.reports import audit, compute, presentation
from xxgk.workbench.access import require_staff

from .forms import AuditForm


@login_required
@require_http_methods(["GET", "POST"])
def audit_upload(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    posted = request.method == "POST"  # bound even when nothing was chosen: that is an error
    form = AuditForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        result = compute.audit_reports(form.cleaned_data["documents"],
                                       access.visible_agencies(request.user))
    status = 422 if posted and form.errors else 200
    return render(request, "reports/staff/audit.html", {
        "form": form, "audit": result,
        "counts": result.counts() if result else None,
        "reports": [_report_row(r) for r in result.reports] if result else [],
        "findings": _findings(result) if result else [],
    }, status=status)


def _report_row(report: audit.AuditedReport) -> dict[str, Any]:
    """A report as the page lists it, its failed checks worded as on the parse page."""
    failures, _not_run = presentation.check_lines(
        {"failures": report.failures, "skipped": report.skipped}, report.cells)
    return {"report": report, "failures": failures, "cells_read": len(report.cells),
            "cells_total": len(report.cells) + len(report.missing)}


def _findings(result: audit.Audit) -> list[dict[str, Any]]:
    """Each group of comparisons: those that failed or could not be made, in full; the
    number that passed."""
    groups = []
    for key, group in (("reports", result.cross_year), ("records", result.against_records)):
        shown = [f for f in group if f.status != audit.Status.PASSED]
        groups.append({"key": key, "total": len(group), "passed": len(group) - len(shown),
                       "shown": [{"finding": f, "rule": presentation.RULE_LABELS.get(f.rule, f.rule)}
                                 for f in shown]})
    return groups
