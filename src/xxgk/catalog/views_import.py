"""The staff import page: a file of published history checked row by row, then imported
(``catalog.importing``, as ``xxgk catalog import`` does). Thin: reading, planning and
writing are the importing module's."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from xxgk.agencies import access
from xxgk.core.steps import StepError
from xxgk.workbench.access import require_staff

from . import importing
from .forms_import import ImportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The page shows this many lines of the report; the counts are always complete.
SHOWN_PROBLEMS = 500
KIND_LABELS = {importing.INVALID: _("Invalid"), importing.DUPLICATE: _("Duplicate, skipped"),
               importing.WARNING: _("Warning")}
FIELD_LABELS = {key: f"{zh} ({key})" for zh, key in importing.TEMPLATE_HEADERS}


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = access.writable_agencies(request.user).order_by("path")
    if not agencies.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, agencies=agencies)
    plan, result = None, None
    importing_now = request.POST.get("step") == "import"
    if request.method == "POST" and form.is_valid():
        plan = importing.plan_import(form.cleaned_data["agency"], form.cleaned_data["file"])
        if importing_now:
            try:
                result = importing.run_import(
                    plan, skip_invalid=form.cleaned_data["skip_invalid"], actor=request.user,
                    request=request)
            except StepError as error:
                form.add_error(None, error.message)
    counts = result.counts() if result else plan.counts() if plan else None
    problems = [{"row": p.row, "field": FIELD_LABELS.get(p.field, p.field or "—"),
                 "kind": p.kind, "kind_label": KIND_LABELS[p.kind], "reason": p.reason}
                for p in (plan.problems[:SHOWN_PROBLEMS] if plan else [])]
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "catalog/import/upload.html", {
        "form": form, "plan": plan, "result": result, "counts": counts, "problems": problems,
        "more_problems": len(plan.problems) - len(problems) if plan else 0,
        "notes": plan.source.notes if plan else [],
        "blocked": bool(plan and plan.blocked and not form.cleaned_data.get("skip_invalid")),
    }, status=status)


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, "catalog-import.xlsx")
    return response
