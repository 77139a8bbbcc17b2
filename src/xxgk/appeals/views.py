"""Staff pages for appeal cases. Thin: scope from agencies.access, changes from actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xxgk import taxonomy
from xxgk.agencies import access
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core.steps import StepError
from xxgk.workbench.access import require_staff

from . import actions
from .counting import appeal_counts
from .forms import CaseForm, DecisionForm, FilterForm, UploadForm
from .models import AppealCase

Role = StaffRole.Role
PAGE_SIZE = 50
RECORDING_ROLES = (Role.HANDLER, Role.REVIEWER, Role.OGI_ADMIN)


def _recordable_agencies(request: HttpRequest) -> QuerySet[Agency]:
    return access.visible_agencies(request.user, roles=RECORDING_ROLES)


def _visible_case(request: HttpRequest, pk: int) -> AppealCase:
    """The case if it is in the user's scope; a case out of scope does not exist for them."""
    case = get_object_or_404(AppealCase.objects.select_related("agency", "application"), pk=pk)
    if not actions.staff_may_view(request.user, case):
        raise Http404
    return case


def _apply_error(form: UploadForm, error: StepError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    scope = access.visible_agencies(request.user)
    cases = AppealCase.objects.filter(agency__in=scope)
    years = sorted({d.year for d in cases.dates("filed_on", "year")}, reverse=True)
    filters = FilterForm(request.GET or None, years=years)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if year := chosen.get("year"):
        cases = cases.filter(filed_on__year=year)
    if kind := chosen.get("kind"):
        cases = cases.filter(kind=kind)
    if result := chosen.get("result"):
        cases = cases.filter(result=result)
    page = Paginator(cases.select_related("agency", "application"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "appeals/list.html", {
        "filters": filters,
        "page": page,
        "query": query.urlencode(),
        "year": year,
        "summary": _summary(scope, year) if year else None,
        "results": taxonomy.APPEAL_RESULTS,
        "may_record": _recordable_agencies(request).exists(),
    })


def _summary(scope: QuerySet[Agency], year: int) -> list[dict]:
    """Section 四 for the user's scope, as rows the template prints."""
    counts = appeal_counts(scope.values_list("pk", flat=True), year)
    return [{"kind": kind, "cells": [counts[kind.key][key] for key in taxonomy.APPEAL_CELL_KEYS]}
            for kind in taxonomy.APPEAL_KINDS]


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = _recordable_agencies(request)
    if not agencies.exists():
        raise PermissionDenied
    form = CaseForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.record_case(
                agency=data["agency"], kind=data["kind"], case_number=data["case_number"],
                filed_on=data["filed_on"], body=data["body"], application=data["application"],
                notes=data["notes"], documents=form.upload(), actor=request.user,
                request=request,
            )
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The case has been recorded."))
            return redirect("appeals:detail", pk=case.pk)
    return render(request, "appeals/create.html", {"form": form}, status=_status(request, form))


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request)
    case = _visible_case(request, pk)
    may_record = actions.staff_may_record(request.user, case.agency)
    form = None
    if may_record:
        current = {} if case.is_pending else {"result": case.result,
                                               "decided_on": case.decided_on}
        form = DecisionForm(request.POST or None, request.FILES or None, initial=current)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_decision(case, result=data["result"], decided_on=data["decided_on"],
                                    notes=data["notes"], documents=form.upload(),
                                    actor=request.user, request=request)
        except StepError as error:
            _apply_error(form, error)
        else:
            messages.success(request, _("The decision has been recorded."))
            return redirect("appeals:detail", pk=case.pk)
    return render(request, "appeals/detail.html", {
        "case": case, "form": form, "documents": case.documents.defer("sealed"),
    }, status=_status(request, form))


def _status(request: HttpRequest, form: UploadForm | None) -> int:
    """422 for a refused submission, so that tools (and tests) can tell it from success."""
    return 422 if request.method == "POST" and form is not None and form.errors else 200


@login_required
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    require_staff(request)
    case = _visible_case(request, pk)
    document = get_object_or_404(case.documents, pk=document_pk)
    response = HttpResponse(bytes(document.content), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    return response
