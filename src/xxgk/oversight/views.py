"""Staff pages of oversight: the scorecards, their workbook, the training records.

Thin: the scope comes from ``agencies.access`` (an agency's staff see their own subtree,
the OGI office every agency), the figures from ``scores``, the pictures from ``charts``,
changes from ``actions``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xxgk.agencies import access
from xxgk.agencies.models import Agency
from xxgk.appeals.models import AppealCase
from xxgk.applications.models import Application
from xxgk.core.templatetags.xxgk import localized
from xxgk.reports.models import EnteredFigures
from xxgk.workbench.access import require_staff

from . import actions, charts, scores, xlsx
from .forms import TrainingForm, YearForm
from .models import Training

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def tree_order(agencies: list[Agency]) -> list[Agency]:
    """Parents before children, siblings by their sort order (then code), as the OGI office
    arranged them; ancestors outside the list count as sort order 0."""
    sort_order = {a.code: a.sort_order for a in agencies}

    def key(agency: Agency) -> list[tuple[int, str]]:
        return [(sort_order.get(code, 0), code) for code in agency.path.split("/") if code]

    return sorted(agencies, key=key)


def _scope(request: HttpRequest) -> list[Agency]:
    return tree_order(list(access.visible_agencies(request.user)))


def available_years(agency_ids: list[int], today: dt.date) -> list[int]:
    """From the first year any record of the agencies falls in to this year, newest first."""
    firsts = [
        Application.objects.filter(agency_id__in=agency_ids).aggregate(
            first=Min("received_on"))["first"],
        AppealCase.objects.filter(agency_id__in=agency_ids).aggregate(
            first=Min("filed_on"))["first"],
        Training.objects.filter(Q(agency_id__in=agency_ids)
                                | Q(agencies__in=agency_ids)).aggregate(first=Min("date"))["first"],
    ]
    entered = EnteredFigures.objects.filter(agency_id__in=agency_ids).aggregate(
        first=Min("year"))["first"]
    first = min([d.year for d in firsts if d is not None]
                + ([entered] if entered else []) + [today.year])
    return list(range(today.year, first - 1, -1))


def _chosen_year(request: HttpRequest, years: list[int], today: dt.date) -> tuple[YearForm, int]:
    """The year asked for, else this year (and the form's field error says why)."""
    form = YearForm({"year": request.GET.get("year", today.year)}, years=years)
    return form, form.cleaned_data["year"] if form.is_valid() else today.year


@dataclass(frozen=True)
class Column:
    """A sortable column of the scorecard table, with the link that sorts by it."""

    key: str
    label: Any
    definition: Any
    href: str
    sort: str  # aria-sort: "ascending", "descending" or "none"


def _columns(year: int, sort: str, descending: bool) -> list[Column]:
    columns = []
    entries = [("agency", _("Agency"), ""),
               *((m.key, m.label, m.definition) for m in scores.METRICS)]
    for key, label, definition in entries:
        current = key == sort
        # A first click on a figure puts the highest first (the most overdue, the most on
        # time); a click on the sorted column turns it round.
        next_descending = not descending if current else key != "agency"
        query = {"year": year, "sort": key, "dir": "desc" if next_descending else "asc"}
        columns.append(Column(
            key, label, definition, "?" + urlencode(query),
            ("descending" if descending else "ascending") if current else "none"))
    return columns


@dataclass(frozen=True)
class Line:
    agency: Agency
    figures: scores.Figures
    total: bool = False


def _build(request: HttpRequest) -> dict[str, Any]:
    """Everything the dashboard and the workbook show for the request's year and scope."""
    require_staff(request)
    today = timezone.localdate()
    agencies = _scope(request)
    ids = [a.pk for a in agencies]
    form, year = _chosen_year(request, available_years(ids, today), today)
    card = scores.scorecard({a.pk: a.path for a in agencies}, year, today)
    by_id = {a.pk: a for a in agencies}
    return {"form": form, "year": year, "card": card, "agencies": agencies, "by_id": by_id,
            "today": today}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    built = _build(request)
    card, by_id, year = built["card"], built["by_id"], built["year"]
    sort = request.GET.get("sort", "agency")
    descending = request.GET.get("dir") == "desc"
    if sort != "agency" and sort not in scores.SORT_KEYS:
        sort, descending = "agency", False
    rows = scores.sort_rows(card.rows, sort, descending=descending)
    names = [localized(a) for a in built["agencies"]]
    short = dict(zip([a.pk for a in built["agencies"]], scores.short_names(names), strict=True))
    chart_rows = [(short[row.agency_id], row.figures) for row in card.rows]
    appeal_counts = [(label, {"upheld": f.appeals_upheld, "corrected": f.appeals_corrected,
                              "other": f.appeals_other, "pending": f.appeals_pending})
                     for label, f in chart_rows]
    return render(request, "oversight/dashboard.html", {
        "form": built["form"],
        "year": year,
        "today": built["today"],
        "columns": _columns(year, sort, descending),
        "lines": [Line(by_id[row.agency_id], row.figures) for row in rows],
        "totals": [Line(by_id[row.agency_id], row.figures, total=True) for row in card.totals],
        "charts": [
            charts.on_time_chart([(label, f.on_time) for label, f in chart_rows]),
            charts.monthly_chart(card.months),
            charts.appeals_chart(appeal_counts),
        ],
        "export_url": reverse("oversight:export") + "?" + urlencode({"year": year}),
        "trainings_url": reverse("oversight:trainings") + "?" + urlencode({"year": year}),
        "may_record": actions.staff_may_record_trainings(request.user),
    }, status=400 if built["form"].errors else 200)


@login_required
def export(request: HttpRequest) -> HttpResponse:
    built = _build(request)
    card, by_id, year = built["card"], built["by_id"], built["year"]
    if built["form"].errors:
        return HttpResponse(built["form"].errors["year"].as_text(), status=400,
                            content_type="text/plain; charset=utf-8")
    lines = [xlsx.Line(_("%(agency)s, all agencies") % {"agency": localized(by_id[r.agency_id])},
                       by_id[r.agency_id].code, r.figures, total=True) for r in card.totals]
    lines += [xlsx.Line(localized(by_id[r.agency_id]), by_id[r.agency_id].code, r.figures)
              for r in card.rows]
    response = HttpResponse(xlsx.scorecard_workbook(year, lines), content_type=XLSX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"scorecard-{year}.xlsx")
    return response


@login_required
def trainings(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    today = timezone.localdate()
    agencies = _scope(request)
    ids = [a.pk for a in agencies]
    form, year = _chosen_year(request, available_years(ids, today), today)
    sessions = (Training.objects.filter(date__year=year)
                .filter(Q(agency_id__in=ids) | Q(agencies__in=ids)).distinct()
                .select_related("agency").prefetch_related("agencies"))
    return render(request, "oversight/trainings.html", {
        "form": form, "year": year, "sessions": sessions,
        "may_record": actions.staff_may_record_trainings(request.user),
        "dashboard_url": reverse("oversight:dashboard") + "?" + urlencode({"year": year}),
    }, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def training_create(request: HttpRequest) -> HttpResponse:
    require_staff(request)
    if not actions.staff_may_record_trainings(request.user):
        raise PermissionDenied
    scope = access.visible_agencies(request.user).order_by("path")
    form = TrainingForm(request.POST or None, agencies=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            training = actions.record_training(
                agency=data["agency"], date=data["date"], title=data["title"],
                attendees=data["attendees"], agencies=data["attending"], notes=data["notes"],
                actor=request.user, request=request)
        except actions.TrainingError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The training session has been recorded."))
            return redirect(reverse("oversight:trainings") + "?"
                            + urlencode({"year": training.date.year}))
    status = 422 if request.method == "POST" and form.errors else 200
    return render(request, "oversight/training_form.html", {"form": form}, status=status)
