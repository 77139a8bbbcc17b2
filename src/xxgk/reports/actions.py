"""The only writers of the annual report's records; each checks, writes and audits at once.

The life of a report: ``start_draft`` (the narrative pre-filled from the year's figures) →
``save_draft`` (staff write) → ``approve`` (the OGI office) → ``publish`` (the OGI office;
refused while a check fails; freezes the snapshot and locks the period) → ``reopen`` (the
OGI office, with a reason; unlocks the period, the public keeps the snapshot until the
report is published again). Entered figures (``enter_figures``, ``import_figures``) and
imported reports (``store_imported_report``) are written here too.

``actor=None`` is the system itself (the demo, a command); people always pass theirs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core import periods
from xxgk.core.periods import period_locked
from xxgk.core.steps import StepError
from xxgk.core.today import today
from xxgk.reports import national_format as nf

from . import compute, files
from .models import AnnualReport, EnteredFigures, ImportedReport, ReportReopening, ReportState
from .proactive import (
    PROACTIVE_LABELS,
    FigureError,
    RowError,
    WorkbookRow,
    clean_figure,
    publishing_figures,
    stored_proactive,
)

Role = StaffRole.Role
EDITING_ROLES = (Role.HANDLER, Role.REVIEWER, Role.OGI_ADMIN)
NARRATIVE_FIELDS = (nf.OVERVIEW, nf.PROBLEMS, nf.OTHER_MATTERS)
MAX_NARRATIVE_CHARS = 50_000


class ImportRefusedError(Exception):
    """A workbook with bad rows: nothing of it was stored."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} bad rows")
        self.errors = errors


# ---- Who may do what ------------------------------------------------------------------


def staff_may_view(user: Any, agency: Agency) -> bool:
    return access.has_role(user, agency)


def staff_may_edit(user: Any, agency: Agency) -> bool:
    """Handlers, reviewers and the OGI office enter figures and write drafts; auditors read."""
    return access.has_role(user, agency, *EDITING_ROLES)


def staff_may_approve(user: Any, agency: Agency) -> bool:
    """Approval, publication and reopening belong to the OGI office: the OGI-office
    administrator role on the agency or above it (the OGI office at the top of the tree
    holds it for every agency)."""
    return access.has_role(user, agency, Role.OGI_ADMIN)


def _require(may: Callable[[Any, Agency], bool], actor: Any, agency: Agency) -> None:
    if actor is not None and not may(actor, agency):
        raise StepError(_("Your account may not do this for this agency."))


def _require_open_period(agency: Agency, year: int) -> None:
    if period_locked(agency, dt.date(year, 12, 31)):
        raise StepError(_("The report for %(year)d is published and its period is locked; "
                            "the OGI office must reopen it first.") % {"year": year})


# ---- Entered figures ------------------------------------------------------------------


def _set_figures(entered: EnteredFigures, values: Mapping[str, Any]) -> None:
    proactive = dict(entered.proactive)
    for key, value in values.items():
        if key in PROACTIVE_LABELS:
            proactive.pop(key, None)
            proactive.update(stored_proactive({key: value}))
        else:
            setattr(entered, key, value)
    entered.proactive = proactive


def _cleaned(values: Mapping[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for key, value in values.items():
        try:
            cleaned[key] = clean_figure(key, value)
        except FigureError as exc:
            raise StepError(str(exc), key) from None
    return cleaned


def enter_figures(agency: Agency, year: int, values: Mapping[str, Any], *, actor: Any = None,
                  request: HttpRequest | None = None) -> EnteredFigures:
    """Set the given figures of ``agency`` for ``year`` (None clears one); the figures not
    given are left as they are."""
    _require(staff_may_edit, actor, agency)
    cleaned = _cleaned(values)
    with transaction.atomic():
        _require_open_period(agency, year)
        entered = _store_figures(agency, year, cleaned, actor)
        audit.record("report.enter_figures", actor=actor, obj=entered, request=request,
                     detail={"year": year, "figures": sorted(cleaned)})
    return entered


def _store_figures(agency: Agency, year: int, cleaned: Mapping[str, Any],
                   actor: Any) -> EnteredFigures:
    EnteredFigures.objects.get_or_create(agency=agency, year=year)
    entered = EnteredFigures.objects.select_for_update().get(agency=agency, year=year)
    _set_figures(entered, cleaned)
    entered.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    entered.save()
    return entered


def import_figures(rows: list[WorkbookRow], *, actor: Any = None,
                   request: HttpRequest | None = None) -> int:
    """Store the figures of a workbook, all or nothing; returns how many were stored.

    Raises :class:`ImportRefusedError` listing every row whose agency is unknown, outside the
    user's scope or in a locked period.
    """
    agencies = {a.code: a for a in Agency.objects.filter(code__in={r.agency_code for r in rows})}
    errors: list[RowError] = []
    groups: dict[tuple[str, int], dict[str, Any]] = defaultdict(dict)
    locked: dict[tuple[str, int], bool] = {}
    for row in rows:
        agency = agencies.get(row.agency_code)
        if agency is None:
            errors.append(RowError(row.line, _("no agency has the code %(code)s")
                                   % {"code": row.agency_code}))
            continue
        if actor is not None and not staff_may_edit(actor, agency):
            errors.append(RowError(row.line, _("your account may not enter figures of %(agency)s")
                                   % {"agency": agency.name}))
            continue
        group = (row.agency_code, row.year)
        if group not in locked:
            locked[group] = period_locked(agency, dt.date(row.year, 12, 31))
        if locked[group]:
            errors.append(RowError(row.line, _("the %(year)d report of %(agency)s is published "
                                               "and locked") % {"year": row.year,
                                                                "agency": agency.name}))
            continue
        groups[group][row.key] = row.value
    if errors:
        raise ImportRefusedError(errors)
    with transaction.atomic():
        for (code, year), values in groups.items():
            entered = _store_figures(agencies[code], year, values, actor)
            audit.record("report.import_figures", actor=actor, obj=entered, request=request,
                         detail={"year": year, "figures": sorted(values)})
    return sum(len(values) for values in groups.values())


# ---- The report -----------------------------------------------------------------------


def _locked_report(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update(of=("self",)).select_related("agency").get(pk=report.pk)


def start_draft(agency: Agency, year: int, *, actor: Any = None,
                request: HttpRequest | None = None) -> AnnualReport:
    """The report of ``agency`` for ``year``: created with the narrative pre-filled from
    the year's figures, or the existing one unchanged (starting twice is harmless)."""
    _require(staff_may_edit, actor, agency)
    if year > today().year:
        raise StepError(_("A report can only be started for this year or a past one."))
    existing = AnnualReport.objects.filter(agency=agency, year=year).first()
    if existing is not None:
        return existing
    computed = compute.compute_report(agency, year)
    texts = compute.draft_texts(agency, year, computed,
                                publishing_figures(compute.scope(agency), year))
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(agency=agency, year=year, **texts)
            audit.record("report.start_draft", actor=actor, obj=report, request=request,
                         detail={"year": year})
    except IntegrityError:
        # Someone started the same report at the same moment; theirs is the report.
        return AnnualReport.objects.get(agency=agency, year=year)
    return report


def save_draft(report: AnnualReport, texts: Mapping[str, str], *, actor: Any = None,
               request: HttpRequest | None = None) -> AnnualReport:
    """Store the narrative; an approved report goes back to draft, since the approval was
    of the text as it stood."""
    _require(staff_may_edit, actor, report.agency)
    unknown = set(texts) - set(NARRATIVE_FIELDS)
    if unknown:
        raise ValueError(f"unknown sections {sorted(unknown)}")
    cleaned = {name: text.replace("\r\n", "\n").strip() for name, text in texts.items()}
    for name, text in cleaned.items():
        if len(text) > MAX_NARRATIVE_CHARS:
            raise StepError(_("At most %(n)d characters.") % {"n": MAX_NARRATIVE_CHARS}, name)
    with transaction.atomic():
        locked = _locked_report(report)
        if locked.locked:
            raise StepError(_("The report is published and locked; the OGI office must "
                                "reopen it first."))
        withdrawn = locked.state == ReportState.APPROVED
        for name, text in cleaned.items():
            setattr(locked, name, text)
        locked.state = ReportState.DRAFT
        locked.approved_by, locked.approved_at = None, None
        locked.save()
        audit.record("report.save_draft", actor=actor, obj=locked, request=request,
                     detail={"year": locked.year, "sections": sorted(cleaned),
                             "approval_withdrawn": withdrawn})
    report.refresh_from_db()
    return report


def unfinished_sections(report: AnnualReport) -> list[str]:
    """The narrative sections that are empty or still hold a 〔待填…〕 prompt."""
    return [name for name in NARRATIVE_FIELDS
            if not getattr(report, name).strip() or compute.PLACEHOLDER in getattr(report, name)]


def _require_finished(report: AnnualReport) -> None:
    unfinished = unfinished_sections(report)
    if unfinished:
        labels = {nf.OVERVIEW: "一", nf.PROBLEMS: "五", nf.OTHER_MATTERS: "六"}
        raise StepError(
            _("Sections %(sections)s are empty or still have parts to fill in (marked 〔待填〕).")
            % {"sections": "、".join(labels[name] for name in unfinished)})


def approve(report: AnnualReport, *, actor: Any = None,
            request: HttpRequest | None = None) -> AnnualReport:
    """The OGI office approves the draft for publication."""
    _require(staff_may_approve, actor, report.agency)
    with transaction.atomic():
        locked = _locked_report(report)
        if locked.state != ReportState.DRAFT:
            raise StepError(_("Only a draft can be approved."))
        _require_finished(locked)
        locked.state = ReportState.APPROVED
        locked.approved_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.approved_at = timezone.now()
        locked.save()
        audit.record("report.approve", actor=actor, obj=locked, request=request,
                     detail={"year": locked.year})
    report.refresh_from_db()
    return report


def live_report(report: AnnualReport) -> nf.NationalReport:
    """The report as the records give it now, with its narrative."""
    return compute.with_narrative(compute.compute_report(report.agency, report.year), report)


def publish(report: AnnualReport, *, actor: Any = None, request: HttpRequest | None = None,
            published_on: dt.date | None = None) -> AnnualReport:
    """Publish the approved report: every check must pass; the whole report is frozen as
    it stands and its period is locked.

    ``published_on`` records a publication made on an earlier day (the demo building past
    years, an office entering a report it published on paper): it must fall after the
    report's year and not after today, and the audit entry names it.
    """
    _require(staff_may_approve, actor, report.agency)
    published_at = timezone.now()
    if published_on is not None:
        if not report.year < published_on.year or published_on > today():
            raise StepError(_("A report is published after its year ends and not in the "
                              "future."), "published_on")
        published_at = timezone.make_aware(dt.datetime.combine(published_on, dt.time(10)))
    with transaction.atomic():
        locked = _locked_report(report)
        if locked.state != ReportState.APPROVED:
            raise StepError(_("Only an approved report can be published."))
        if locked.year >= today().year:
            raise StepError(_("The year is not over yet."))
        _require_finished(locked)
        national = live_report(locked)
        checks = compute.check_report(locked.agency, locked.year, national)
        if not checks.ok:
            raise StepError(_("The report fails %(n)d checks and cannot be published.")
                              % {"n": len(checks.failures)},
                              failures=[f.message for f in checks.failures])
        locked.snapshot = national.to_json_object()
        locked.state = ReportState.PUBLISHED
        locked.locked = True
        locked.published_at = published_at
        locked.published_by = actor if getattr(actor, "is_authenticated", False) else None
        locked.save()
        periods.lock(locked.agency, locked.year)
        files.queue_render(locked)
        detail: dict[str, Any] = {"year": locked.year, "checks_skipped": len(checks.skipped)}
        if published_on is not None:
            detail["published_on"] = published_on.isoformat()
        audit.record("report.publish", actor=actor, obj=locked, request=request, detail=detail)
    report.refresh_from_db()
    return report


def reopen(report: AnnualReport, *, reason: str, actor: Any = None,
           request: HttpRequest | None = None) -> AnnualReport:
    """Unlock a published report's period so that its records can be corrected; it goes
    back to draft, and the public keeps the published snapshot until it is republished."""
    _require(staff_may_approve, actor, report.agency)
    reason = reason.strip()
    if not reason:
        raise StepError(_("Give the reason for reopening the report."), "reason")
    with transaction.atomic():
        locked = _locked_report(report)
        if not locked.locked:
            raise StepError(_("Only a published, locked report can be reopened."))
        locked.state = ReportState.DRAFT
        locked.locked = False
        locked.approved_by, locked.approved_at = None, None
        locked.save()
        periods.unlock(locked.agency, locked.year)
        reopening = ReportReopening.objects.create(
            report=locked, reason=reason,
            by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record("report.reopen", actor=actor, obj=locked, request=request,
                     detail={"year": locked.year, "reopening": reopening.pk})
    report.refresh_from_db()
    return report


# ---- Imported reports -----------------------------------------------------------------


def store_imported_report(
    cells: Mapping[str, int | Decimal | None],
    *,
    agency_name: str,
    year: int,
    report_format: str,
    source_filename: str,
    agency: Agency | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> ImportedReport:
    """Keep the cells parsed from another agency's published report (for the carry-over
    check of the following year, and for comparison)."""
    if actor is not None and not access.is_staff_member(actor):
        raise StepError(_("Your account may not do this for this agency."))
    if agency is not None:
        _require(staff_may_view, actor, agency)
    agency_name = agency_name.strip()
    if not agency_name:
        raise StepError(_("Give the name of the agency the report belongs to."), "agency_name")
    unknown = set(cells) - set(nf.CELL_KEYS)
    if unknown:
        raise ValueError(f"unknown cells {sorted(unknown)}")
    stored = {key: str(v) if isinstance(v, Decimal) else v for key, v in cells.items()}
    with transaction.atomic():
        imported = ImportedReport.objects.create(
            agency=agency, agency_name=agency_name[:200], year=year, format=report_format,
            cells=stored, source_filename=source_filename[:200],
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        audit.record("report.import", actor=actor, obj=imported, agency=agency, request=request,
                     detail={"year": year, "cells": len(stored)})
    return imported

