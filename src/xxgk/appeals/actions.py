"""The only writers of appeal cases: ``record_case`` and ``record_decision``.

Views, the demo and commands call these; each checks, writes and audits in one
transaction, so a refused step leaves nothing behind. Documents are checked by their
content (``filetype``), never by the name or the type the browser claims.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import filetype
from django.core.exceptions import SuspiciousFileOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from xxgk import taxonomy
from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency, StaffRole
from xxgk.applications.models import Application
from xxgk.core import file_checks
from xxgk.core.periods import locked_message, period_locked
from xxgk.core.steps import StepError
from xxgk.core.today import today

from .models import PENDING, AppealCase, AppealDocument

Role = StaffRole.Role
# What a case file holds in practice: scanned letters and the decisions or judgments.
ALLOWED_DOCUMENT_TYPES: dict[str, str] = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/msword": "DOC",
}
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DECIDED_RESULTS: tuple[str, ...] = tuple(k for k in taxonomy.APPEAL_RESULT_KEYS if k != PENDING)


@dataclass(frozen=True)
class Upload:
    """A file as received: its name (as the sender gave it) and its bytes."""

    filename: str
    content: bytes


def staff_may_record(user: Any, agency: Agency) -> bool:
    """Handlers, reviewers and the OGI office enter cases; auditors only read them."""
    return access.has_role(user, agency, Role.HANDLER, Role.REVIEWER, Role.OGI_ADMIN)


def staff_may_view(user: Any, case: AppealCase) -> bool:
    return access.has_role(user, case.agency)


def _require_recorder(actor: Any, agency: Agency) -> None:
    # ``actor=None`` is the system itself (the demo, a command); people always pass theirs.
    if actor is not None and not staff_may_record(actor, agency):
        raise StepError(_("Your account may not record cases of this agency."), "agency")


def _require_past(day: dt.date, field: str) -> None:
    if day > today():
        raise StepError(_("The date is in the future."), field)


def _checked_documents(documents: Iterable[Upload]) -> list[tuple[str, str, bytes]]:
    """(file name, sniffed content type, content) for each upload, or an error."""
    checked = []
    for upload in documents:
        if not upload.content:
            raise StepError(_("The file is empty."), "document")
        if len(upload.content) > MAX_DOCUMENT_BYTES:
            raise StepError(_("The file is larger than %(mb)d MB.")
                              % {"mb": MAX_DOCUMENT_BYTES // (1024 * 1024)}, "document")
        kind = filetype.guess(upload.content)
        if kind is None or kind.mime not in ALLOWED_DOCUMENT_TYPES:
            raise StepError(_("Upload a PDF, JPEG, PNG or Word file."), "document")
        if refused := file_checks.content_refusal(kind.mime, upload.content):
            raise StepError(refused, "document")
        try:
            name = get_valid_filename(upload.filename.replace("\\", "/").rsplit("/", 1)[-1])
        except SuspiciousFileOperation:
            name = f"document.{kind.extension}"
        checked.append((name[:200], kind.mime, upload.content))
    return checked


def _attach(case: AppealCase, documents: list[tuple[str, str, bytes]]) -> None:
    for name, content_type, content in documents:
        AppealDocument.objects.create(case=case, filename=name, content_type=content_type,
                                      size=len(content), content=content)


def _require_unlocked(agency: Agency, day: dt.date, field: str) -> None:
    """A published annual report freezes the cases of its year (section 四)."""
    if period_locked(agency, day):
        raise StepError(locked_message(day.year), field)


def record_case(
    *,
    agency: Agency,
    kind: str,
    case_number: str,
    filed_on: dt.date,
    body: str,
    application: Application | None = None,
    notes: str = "",
    documents: Iterable[Upload] = (),
    actor: Any = None,
    request: HttpRequest | None = None,
) -> AppealCase:
    """Record a new case against ``agency``, pending until its decision is recorded."""
    _require_recorder(actor, agency)
    if kind not in taxonomy.APPEAL_KIND_KEYS:
        raise StepError(_("Choose reconsideration or one of the two kinds of litigation."),
                          "kind")
    case_number, body = case_number.strip(), body.strip()
    if not case_number:
        raise StepError(_("Give the case number."), "case_number")
    if not body:
        raise StepError(_("Name the reconsideration body or the court."), "body")
    _require_past(filed_on, "filed_on")
    _require_unlocked(agency, filed_on, "filed_on")
    if application is not None:
        if not application.agency.is_within(agency):
            raise StepError(_("The application was not handled by this agency."),
                              "application")
        if filed_on < timezone.localtime(application.arrived_at).date():
            raise StepError(_("The case cannot be filed before the application arrived."),
                              "filed_on")
    checked = _checked_documents(documents)
    try:
        with transaction.atomic():
            case = AppealCase.objects.create(
                agency=agency, application=application, kind=kind, case_number=case_number,
                filed_on=filed_on, body=body, notes=notes.strip(),
            )
            _attach(case, checked)
            audit.record("appeal.record_case", actor=actor, obj=case, request=request,
                         detail={"kind": kind, "filed_on": filed_on.isoformat(),
                                 "application": application.number if application else None,
                                 "documents": len(checked)})
    except IntegrityError:
        if AppealCase.objects.filter(body=body, case_number=case_number).exists():
            raise StepError(_("A case with this number at this body is already recorded."),
                              "case_number") from None
        raise
    return case


def record_decision(
    case: AppealCase,
    *,
    result: str,
    decided_on: dt.date,
    notes: str = "",
    documents: Iterable[Upload] = (),
    actor: Any = None,
    request: HttpRequest | None = None,
) -> AppealCase:
    """Record (or correct) the decision of a case; the previous result goes to the audit."""
    if result not in DECIDED_RESULTS:
        raise StepError(_("Choose upheld, corrected or another result."), "result")
    _require_past(decided_on, "decided_on")
    checked = _checked_documents(documents)
    with transaction.atomic():
        locked = AppealCase.objects.select_for_update(of=("self",)).select_related("agency").get(pk=case.pk)
        _require_recorder(actor, locked.agency)
        if decided_on < locked.filed_on:
            raise StepError(_("The decision cannot be dated before the case was filed."),
                              "decided_on")
        _require_unlocked(locked.agency, decided_on, "decided_on")
        if locked.decided_on is not None:
            _require_unlocked(locked.agency, locked.decided_on, "decided_on")
        previous = locked.result
        locked.result, locked.decided_on = result, decided_on
        if notes.strip():
            locked.notes = f"{locked.notes}\n\n{notes.strip()}".strip()
        locked.save()
        _attach(locked, checked)
        audit.record("appeal.record_decision", actor=actor, obj=locked, request=request,
                     detail={"result": result, "previous": previous,
                             "decided_on": decided_on.isoformat(), "documents": len(checked)})
    case.refresh_from_db()
    return case
