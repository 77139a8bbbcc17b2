"""Staff pages of the annual report. Thin: scope from agencies.access and actions, the
report from compute, changes from actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xxgk.agencies import access
from xxgk.agencies.models import Agency
from xxgk.core.periods import period_locked
from xxgk.core.steps import StepError
from xxgk.documents import MissingFontError
from xxgk.documents.fonts import INSTALL_COMMAND
from xxgk.reports import national_format as nf
from xxgk.reports import presentation
from xxgk.reports.parse import parse_report
from xxgk.reports.render import FORMATS
from xxgk.reports.render import render as render_report
from xxgk.reports.render.html import tables_context
from xxgk.reports.render.tables import HEADINGS
from xxgk.workbench.access import require_staff

from . import actions, compute
from .forms import (
    FIRST_YEAR,
    FiguresForm,
    NarrativeForm,
    ParseForm,
    ReopenForm,
    TemplateForm,
    WorkbookForm,
    YearForm,
    figure_field_name,
    guess_title,
)
from .models import AnnualReport, EnteredFigures, ImportedReport, ReportState
from .proactive import counted_figures, figures_template, read_workbook

XLSX = FORMATS["xlsx"].media_type


def _agency(request: HttpRequest, code: str) -> Agency:
    """The agency if it is in the user's scope; one out of scope does not exist for them."""
    require_staff(request)
    agency = get_object_or_404(Agency, code=code)
    if not actions.staff_may_view(request.user, agency):
        raise Http404
    return agency


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return year


def _editable_agencies(request: HttpRequest) -> QuerySet[Agency]:
    return access.visible_agencies(request.user, roles=actions.EDITING_ROLES)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    form = YearForm(request.GET or None)
    year = form.chosen_year()
    if not request.GET:
        form = YearForm(initial={"year": year})
    agencies = access.visible_agencies(request.user).order_by("path")
    return render(request, "reports/staff/dashboard.html", {
        "form": form,
        "year": year,
        "statuses": compute.report_statuses(agencies, year, timezone.localdate()),
        "may_enter": _editable_agencies(request).exists(),
    })


# ---- One report -----------------------------------------------------------------------


def _displayed(agency: Agency, year: int, report: AnnualReport | None
               ) -> tuple[nf.NationalReport, bool]:
    """The report as the page shows it: the frozen snapshot while the period is locked,
    otherwise computed from the records now (with the narrative, if drafted)."""
    if report is not None and report.locked:
        return nf.NationalReport.from_json_object(report.snapshot), True
    national = compute.compute_report(agency, year)
    if report is not None:
        compute.with_narrative(national, report)
    return national, False


def _report_page(request: HttpRequest, agency: Agency, year: int, *,
                 narrative_form: NarrativeForm | None = None,
                 reopen_form: ReopenForm | None = None,
                 error: StepError | None = None, status: int = 200) -> HttpResponse:
    report = AnnualReport.objects.filter(agency=agency, year=year).first()
    national, frozen = _displayed(agency, year, report)
    may_edit = actions.staff_may_edit(request.user, agency)
    may_approve = actions.staff_may_approve(request.user, agency)
    editable = report is not None and not report.locked and may_edit
    if editable and narrative_form is None:
        narrative_form = NarrativeForm(initial={name: getattr(report, name)
                                                for name in actions.NARRATIVE_FIELDS})
    if report is not None and report.locked and may_approve and reopen_form is None:
        reopen_form = ReopenForm()
    due = compute.deadline(agency, year)
    return render(request, "reports/staff/report.html", {
        "agency": agency,
        "year": year,
        "report": report,
        "frozen": frozen,
        "checks": presentation.report_checks(agency, year, national),
        "tables": tables_context(national)["tables"],
        "fees": national.processing_fees,
        "narrative_form": narrative_form if editable else None,
        "reopen_form": reopen_form if report is not None and report.locked and may_approve
        else None,
        "may_start": report is None and may_edit,
        "may_approve": may_approve and report is not None and report.state == ReportState.DRAFT,
        "may_publish": may_approve and report is not None
        and report.state == ReportState.APPROVED,
        "unfinished": actions.unfinished_sections(report) if report is not None else [],
        "error": error,
        "deadline": due,
        "days_left": (due - timezone.localdate()).days,
        "formats": list(FORMATS.values()),
        "reopenings": report.reopenings.select_related("by") if report is not None else [],
        "has_figures": EnteredFigures.objects.filter(agency=agency, year=year).exists(),
    }, status=status)


@login_required
@require_GET
def report_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _report_page(request, _agency(request, code), _year(year))


def _existing(agency: Agency, year: int) -> AnnualReport:
    return get_object_or_404(AnnualReport.objects.select_related("agency"), agency=agency,
                             year=year)


@login_required
@require_POST
def start(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = _agency(request, code)
    try:
        actions.start_draft(agency, _year(year), actor=request.user, request=request)
    except StepError as error:
        return _report_page(request, agency, year, error=error, status=422)
    messages.success(request, _("The draft has been started from the year's figures."))
    return redirect("reports:report", code=code, year=year)


@login_required
@require_POST
def save_narrative(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = _agency(request, code)
    report = _existing(agency, _year(year))
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            actions.save_draft(report, form.cleaned_data, actor=request.user, request=request)
        except StepError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The text has been saved."))
            return redirect("reports:report", code=code, year=year)
    return _report_page(request, agency, year, narrative_form=form, status=422)


def _step(request: HttpRequest, code: str, year: int, step: Any, done: str) -> HttpResponse:
    agency = _agency(request, code)
    report = _existing(agency, _year(year))
    try:
        step(report, actor=request.user, request=request)
    except StepError as error:
        return _report_page(request, agency, year, error=error, status=422)
    messages.success(request, done)
    return redirect("reports:report", code=code, year=year)


@login_required
@require_POST
def approve(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _step(request, code, year, actions.approve, _("The report has been approved."))


@login_required
@require_POST
def publish(request: HttpRequest, code: str, year: int) -> HttpResponse:
    return _step(request, code, year, actions.publish,
                 _("The report has been published and its period locked."))


@login_required
@require_POST
def reopen(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = _agency(request, code)
    report = _existing(agency, _year(year))
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            actions.reopen(report, reason=form.cleaned_data["reason"], actor=request.user,
                           request=request)
        except StepError as error:
            if error.field in form.fields:
                form.add_error(error.field, error.message)
            else:
                return _report_page(request, agency, year, error=error, status=422)
        else:
            messages.success(request, _("The report has been reopened; its period is unlocked."))
            return redirect("reports:report", code=code, year=year)
    return _report_page(request, agency, year, reopen_form=form, status=422)


@login_required
@require_GET
def download(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    agency = _agency(request, code)
    if fmt not in FORMATS:
        raise Http404
    report = AnnualReport.objects.filter(agency=agency, year=_year(year)).first()
    national, _frozen = _displayed(agency, year, report)
    chosen = FORMATS[fmt]
    try:
        data = render_report(national, fmt)
    except MissingFontError:  # the fonts are missing: say what to install, not a 500
        return render(request, "reports/staff/pdf_unavailable.html",
                      {"code": code, "year": year, "command": INSTALL_COMMAND}, status=503)
    response = HttpResponse(data, content_type=chosen.media_type)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{agency.code}-{year}.{chosen.extension}")
    return response


# ---- Entered figures ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def figures(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = _agency(request, code)
    year = _year(year)
    locked = period_locked(agency, dt.date(year, 12, 31))
    may_edit = actions.staff_may_edit(request.user, agency) and not locked
    if request.method == "POST" and not may_edit:
        raise PermissionDenied
    entered = EnteredFigures.objects.filter(agency=agency, year=year).first()
    form = FiguresForm(request.POST or None, entered=entered,
                       counted=counted_figures([agency.pk], year),
                       counted_below=_counted_below(agency, year))
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_figures(agency, year, form.figures(), actor=request.user,
                                  request=request)
        except StepError as error:
            field = figure_field_name(error.field) if error.field else None
            form.add_error(field if field in form.fields else None, error.message)
        else:
            messages.success(request, _("The figures have been saved."))
            return redirect("reports:figures", code=code, year=year)
    if not may_edit:
        for field in form.fields.values():
            field.disabled = True
    return render(request, "reports/staff/figures.html", {
        "agency": agency, "year": year, "form": form, "may_edit": may_edit, "entered": entered,
        "locked": locked,
        "proactive_heading": HEADINGS["二"],
    }, status=422 if request.method == "POST" else 200)


def _counted_below(agency: Agency, year: int) -> dict[str, int]:
    """For a government whose report covers its subtree, what the agencies below count."""
    if not agency.report_covers_subtree:
        return {}
    below = compute.scope(agency)
    below.remove(agency.pk)
    return counted_figures(below, year)


@login_required
@require_http_methods(["GET", "POST"])
def import_figures(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = _editable_agencies(request)
    if not agencies.exists():
        raise PermissionDenied
    form = WorkbookForm(request.POST or None, request.FILES or None)
    row_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        rows, row_errors = read_workbook(form.cleaned_data["workbook"])
        if not row_errors and not rows:
            form.add_error("workbook", _("The workbook has no figures."))
        elif not row_errors:
            try:
                stored = actions.import_figures(rows, actor=request.user, request=request)
            except actions.ImportRefusedError as refused:
                row_errors = refused.errors
            else:
                messages.success(request, _("%(n)d figures have been stored.") % {"n": stored})
                return redirect("reports:import_figures")
        if row_errors:
            form.add_error("workbook", _("Nothing was stored: correct the rows listed and "
                                         "upload the workbook again."))
    return render(request, "reports/staff/import.html", {
        "form": form,
        "row_errors": row_errors,
        "template_form": TemplateForm(agencies=agencies),
    }, status=422 if request.method == "POST" else 200)


@login_required
@require_GET
def figures_template_download(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = _editable_agencies(request).order_by("path")
    form = TemplateForm(request.GET, agencies=agencies)
    if not form.is_valid():
        raise Http404
    year, chosen = form.cleaned_data["year"], form.cleaned_data["agency"]
    selected = [chosen] if chosen is not None else list(agencies)
    entered = {e.agency_id: e for e in EnteredFigures.objects.filter(
        agency__in=selected, year=year)}
    data = figures_template((a, year, entered.get(a.pk)) for a in selected)
    response = HttpResponse(data, content_type=XLSX)
    name = f"figures-{chosen.code if chosen else 'all'}-{year}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# ---- Reading another agency's published report -----------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def parse_upload(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    agencies = access.visible_agencies(request.user).order_by("path")
    form = ParseForm(request.POST or None, request.FILES or None, agencies=agencies)
    summary, stored, found = None, None, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["document"]
        try:
            result = parse_report(data)
        except Exception:  # the parser's libraries raise many kinds for a broken file
            form.add_error("document", _("The file could not be read as a report."))
        else:
            summary = presentation.parse_reading(result)
            if form.cleaned_data["store"]:
                stored = _store_parsed(request, form, data, result)
    imported = ImportedReport.objects.filter(
        _imported_scope(request)).select_related("agency", "uploaded_by")[:20]
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "reports/staff/parse.html", {
        "form": form, "summary": summary, "found": found, "stored": stored, "imported": imported,
    }, status=status)


def _imported_scope(request: HttpRequest) -> Q:
    """Imported reports the user may see: their own uploads and those of agencies in scope."""
    return Q(uploaded_by=request.user) | Q(agency__in=access.visible_agencies(request.user))


def _store_parsed(request: HttpRequest, form: ParseForm, data: bytes,
                  result: Any) -> ImportedReport | None:
    guessed_name, guessed_year = guess_title(form.files["document"].name, data)
    name = form.cleaned_data["agency_name"] or guessed_name
    year = form.cleaned_data["year"] or guessed_year
    if not name:
        form.add_error("agency_name", _("The title names no agency: give its name."))
    if not year:
        form.add_error("year", _("The title names no year: give the year."))
    if not name or not year:
        return None
    try:
        imported = actions.store_imported_report(
            result.cells, agency_name=name, year=year, report_format=result.format,
            source_filename=form.files["document"].name, agency=form.cleaned_data["agency"],
            actor=request.user, request=request)
    except StepError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None
    messages.success(request, _("The figures read from the report have been kept."))
    return imported
