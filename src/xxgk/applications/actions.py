"""The one place that changes applications (Zulip's actions layer).

Views, the API, commands and the demo call these functions; nothing else writes an
``Application`` or an ``ApplicationEvent``. Each action locks the application row, checks
that the step is allowed, appends an event, recomputes the cached clock from all events,
and writes the audit log, all in one transaction: a failure leaves nothing half-written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xxgk import taxonomy
from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency, AuditEntry, StaffRole, top_agency
from xxgk.core import jobs, mail
from xxgk.core.models import Job, JobState
from xxgk.core.periods import first_locked_year, locked_message, period_locked
from xxgk.core.steps import StepError, TooManyRequestsError, wait_text
from xxgk.core.today import today

from . import clock, history, letters, lockout, pii, tasks, timing
from .models import (
    ApplicantIdentity,
    Application,
    ApplicationEvent,
    Channel,
    Document,
    EventKind,
    NumberSequence,
    Status,
)

Role = StaffRole.Role
# Query codes avoid look-alike characters (0/O, 1/I/L) because people copy them by hand.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 10


# ---- Reading ---------------------------------------------------------------------------


def hash_query_code(code: str) -> str:
    """The stored form of a query code: a hash keyed by a key of its own
    (``XXGK_LOOKUP_KEY``), so that neither rotating ``SECRET_KEY`` nor the field key
    breaks the codes applicants hold."""
    normalised = code.strip().upper().replace("-", "").replace(" ", "")
    return hmac.new(settings.XXGK_LOOKUP_KEY.encode(), normalised.encode(),
                    hashlib.sha256).hexdigest()


class LookupLockedError(TooManyRequestsError):
    """Too many failed query-code look-ups (``lockout``)."""


def _recent(action: str, within: dt.timedelta, **where: Any) -> dict[str, Any]:
    """The audit entries of ``action`` within ``within`` (filtered by ``where``): how many
    (``n``), the first and the last time."""
    return AuditEntry.objects.filter(
        action=action, at__gte=timezone.now() - within, **where,
    ).aggregate(n=Count("id"), first=Min("at"), last=Max("at"))


def _failures(**where: Any) -> tuple[int, dt.datetime | None]:
    """How many look-ups failed within ``lockout.MEMORY``, and when the last one did."""
    found = _recent("application.lookup_failed", lockout.MEMORY, **where)
    return found["n"], found["last"]


def access_by_query_code(number: str, code: str, *, request: HttpRequest | None
                         ) -> Application | None:
    """The application with this number, if the query code matches; else None.

    The same answer for a wrong number and a wrong code, so neither can be probed. Every
    failure is written to the audit log under the client's address (and the application,
    when the number exists), and look-ups wait after failures (``lockout``): an address
    that keeps failing waits longer and longer; a number that is guessed at from many
    addresses is slowed for everyone, by a minute at most, so no stranger can lock its
    applicant out. A look-up that must wait is refused before the code is compared
    (:class:`LookupLockedError`), so waiting reveals nothing. The counts live in the
    database, so they hold across app servers.

    ``request`` has no default so that no caller can skip the lockout by leaving it out.
    Without one (a command, a test), or with one that carries no address, the failures are
    counted under the unknown address: together, so the lockout still holds.
    """
    address = audit.client_address(request)
    now = timezone.now()
    wait = lockout.address_wait(*_failures(address=address), now)
    if wait:
        raise LookupLockedError(_("Too many unsuccessful attempts from your network. Try "
                                  "again in %(wait)s.") % {"wait": wait_text(wait)}, wait)
    application = Application.objects.filter(number=number.strip()).first()
    if application is not None:
        wait = lockout.number_wait(*_failures(object_type="applications.application",
                                              object_id=str(application.pk)), now)
        if wait:
            raise LookupLockedError(_(
                "This application number has had many wrong query codes lately, so each "
                "attempt waits a moment. Try again in %(wait)s.") % {"wait": wait_text(wait)},
                wait)
    if application is None or not secrets.compare_digest(application.query_code_hash,
                                                          hash_query_code(code)):
        audit.record("application.lookup_failed", obj=application, request=request)
        return None
    return application


# Who does what with an application, one function per rule, asked by the workbench, the API
# (both through ``steps.STEPS``) and this module's steps. Reading it — its page, history and
# documents — is for every staff role whose agency covers it (``inbox.scoped_applications``:
# the handler, the reviewer, the OGI office and the oversight auditor, who reads everything
# and changes nothing); the applicant's identity in full is ``staff_may_see_identity``'s.


def staff_may_handle(user: Any, application: Application) -> bool:
    """Takes the handling steps (receipt, assignment, transfer, correction, consultation,
    extension request, fee, reply…): the agency's handlers and the OGI office, the roles
    that write an agency's records (``access.WRITER_ROLES``)."""
    return access.has_role(user, application.agency, *access.WRITER_ROLES)


def staff_may_approve(user: Any, application: Application) -> bool:
    """Art. 33's approval of an extension: a reviewer or the OGI office."""
    return access.has_role(user, application.agency, Role.REVIEWER, Role.OGI_ADMIN)


NOT_IDENTITY = gettext_lazy("Only the handling agency's staff may see the applicant's details.")


def staff_may_see_identity(user: Any, application: Application) -> bool:
    """Only staff of the handling agency itself (not of agencies above it) see personal
    information in full."""
    return any(r.agency_id == application.agency_id and r.role != Role.AUDITOR
               for r in access.roles_of(user))


def view_identity(application: Application, user: Any, request: HttpRequest | None = None
                  ) -> pii.Identity:
    """The applicant's personal information in full, for the handling agency's staff;
    each viewing is written to the audit log."""
    if not staff_may_see_identity(user, application):
        raise StepError(str(NOT_IDENTITY))
    record = ApplicantIdentity.objects.filter(application=application).first()
    if record is None:
        raise StepError(_("The applicant's details were erased once their retention period "
                          "had passed."))
    audit.record("application.identity_viewed", actor=user, obj=application, request=request)
    return pii.decrypt(record.encrypted)


# ---- Submitting ------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """A validated application as the applicant (or the office, for oral ones) gave it."""

    applicant_column: str
    applicant_name: str
    id_document_type: str
    identity: pii.Identity
    description: str
    provision_form: str
    delivery: str
    agency: Agency | None  # None: "not sure", routed by the OGI office
    document_number: str = ""
    channel: str = Channel.ONLINE
    attachments: tuple[tuple[str, str, str, bytes], ...] = field(default=())  # kind, name, type, content


def _next_number(prefix: str, year: int) -> str:
    sequence, _created = NumberSequence.objects.get_or_create(prefix=prefix, year=year)
    sequence = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{prefix}-{year}-{sequence.last:06d}"


def _top_of(agency: Agency) -> Agency:
    top_code = agency.path.split("/", 1)[0]
    return agency if agency.code == top_code else Agency.objects.get(code=top_code)


def ogi_office_agency() -> Agency:
    """Where "not sure" applications go: the top of the tree (the government itself)."""
    top = top_agency()
    if top is None:
        raise StepError(_("No agency has been configured yet."))
    return top


# Channels for which Art. 31 fixes the receipt date at the arrival: handed in (in person,
# or orally, the office filling in the form) the day received; by registered post the day
# signed for. By ordinary letter, fax or online it is the day the office confirms the
# application with the applicant, a step of its own.
RECEIPT_ON_ARRIVAL = frozenset({Channel.IN_PERSON, Channel.ORAL, Channel.REGISTERED_POST})
# The Regulation took effect on 1 May 2008: no application under it arrived earlier.
EARLIEST_ARRIVAL = dt.date(2008, 5, 1)


def too_early_message() -> str:
    return _("Applications under the Regulation arrive on or after %(date)s.") % {
        "date": EARLIEST_ARRIVAL.isoformat()}


def _check_submission_rate(request: HttpRequest) -> None:
    """A public submission (the form or the API: both pass their request) beyond
    ``XXGK_SUBMISSIONS_PER_HOUR`` in the last hour from the same address is refused,
    counted from the audit log, so across app servers. Staff registrations and the demo's
    history (no request) are not public submissions."""
    found = _recent("application.submit", lockout.SUBMISSION_WINDOW,
                    address=audit.client_address(request))
    wait = lockout.submission_wait(found["n"], found["first"], timezone.now(),
                                   settings.XXGK_SUBMISSIONS_PER_HOUR)
    if wait:
        raise TooManyRequestsError(_(
            "%(n)d applications have been submitted from your network in the last hour, the "
            "most accepted. Try again in %(wait)s, or apply by post or in person.")
            % {"n": found["n"], "wait": wait_text(wait)}, wait)


def submit_application(
    submission: Submission,
    *,
    client_token: str | None = None,
    arrived_at: dt.datetime | None = None,
    received_on: dt.date | None = None,
    account: Any = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> tuple[Application, str]:
    """Store a new application and return it with its private query code.

    ``client_token`` makes submission idempotent: submitting the same form twice (a double
    click, a refresh, a retry after a timeout) returns the first application and its code.

    With an ``actor``, a member of staff registers an application that arrived another way
    (post, in person, fax, orally) or one still open from before xxgk, with its real
    ``arrived_at``; ``received_on`` then also confirms the receipt in the same step. An
    arrival or receipt in the future is refused, and so is one in a year whose published
    report is locked.
    """
    if client_token:
        replayed = _replay(client_token, actor)
        if replayed is not None:
            return replayed
    if actor is None and request is not None:
        _check_submission_rate(request)
    agency = submission.agency or ogi_office_agency()
    arrived = arrived_at or timezone.now()
    arrived_on = timezone.localtime(arrived).date()
    code = "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))
    identity = pii.Identity(**{**submission.identity.__dict__, "query_code": code})
    try:
        with transaction.atomic():
            _check_submission(submission, agency, arrived_on, received_on, actor)
            application = Application.objects.create(
                number=_next_number(_top_of(agency).code, arrived_on.year),
                query_code_hash=hash_query_code(code),
                client_token=client_token or None,
                agency=agency,
                addressed_to=submission.agency,
                account=account if getattr(account, "is_authenticated", False) else None,
                applicant_column=submission.applicant_column,
                applicant_name=submission.applicant_name,
                applicant_key=pii.applicant_key(submission.id_document_type,
                                                submission.identity.id_number),
                channel=submission.channel,
                arrived_at=arrived,
                description=submission.description,
                document_number=submission.document_number,
                provision_form=submission.provision_form,
                delivery=submission.delivery,
            )
            ApplicantIdentity.objects.create(application=application,
                                             id_document_type=submission.id_document_type,
                                             encrypted=pii.encrypt(identity))
            event = _append(application, EventKind.SUBMITTED, arrived_on,
                            actor=actor, data={"channel": submission.channel})
            for kind, name, content_type, content in submission.attachments:
                Document.objects.create(application=application, event=event, kind=kind,
                                        filename=name, content_type=content_type,
                                        size=len(content), content=content)
            detail: dict[str, Any] = {"channel": submission.channel}
            appended = [event]
            if received_on is not None:
                appended.append(_append(application, EventKind.RECEIPT_CONFIRMED, received_on,
                                        actor=actor,
                                        data={"received_on": received_on.isoformat()}))
                application.received_on = received_on
                application.status = Status.IN_PROGRESS
                detail["received_on"] = received_on.isoformat()
            detail["events"] = history.seals(*appended)
            refresh_clock(application)
            if actor is not None:
                # Registered by staff: who did it is the entry's actor; dates, not people.
                audit.record("application.register", actor=actor, obj=application,
                             request=request,
                             detail={**detail, "arrived_on": arrived_on.isoformat()})
            else:
                audit.record("application.submit", actor=actor, obj=application,
                             request=request, detail=detail)
    except IntegrityError:
        # A simultaneous submission of the same form won the race; return its result.
        if client_token:
            replayed = _replay(client_token, actor)
            if replayed is not None:
                return replayed
        raise
    return application, code


def _replay(client_token: str, actor: Any) -> tuple[Application, str] | None:
    """The application already stored under ``client_token``, with its query code."""
    existing = Application.objects.filter(client_token=client_token).select_related(
        "agency").first()
    if existing is None:
        return None
    if actor is not None and not access.may_write(actor, existing.agency):
        raise StepError(_("Your account may not register applications for this agency."))
    return existing, pii.decrypt(existing.identity.encrypted).query_code


def _check_submission(submission: Submission, agency: Agency, arrived_on: dt.date,
                      received_on: dt.date | None, actor: Any) -> None:
    """What the law and the reported periods allow of a new application."""
    now = today()
    if actor is not None and not access.may_write(actor, agency):
        raise StepError(_("Your account may not register applications for this agency."))
    # By day, as the law counts; the registration form also refuses a later hour of today.
    if arrived_on > now:
        raise StepError(_("An application cannot arrive in the future."))
    if arrived_on < EARLIEST_ARRIVAL:
        raise StepError(too_early_message())
    if arrived_on.year < now.year and period_locked(agency, arrived_on):
        raise StepError(locked_message(arrived_on.year))
    if received_on is None:
        return
    if received_on < arrived_on:
        raise StepError(_("The receipt date cannot be before the application arrived."))
    if received_on > now:
        raise StepError(_("The date is in the future."))
    if submission.channel in RECEIPT_ON_ARRIVAL and received_on != arrived_on:
        raise StepError(_("In person, orally and by registered post, the receipt date is "
                            "the day the application arrived (Art. 31)."))
    _require_receipt_years_open(agency, received_on)


def _require_receipt_years_open(agency: Agency, received_on: dt.date) -> None:
    """An open application received on ``received_on`` counts in that year and is carried
    over into every year after it: none of the past ones may be locked."""
    locked_year = first_locked_year(agency, received_on.year, today().year - 1)
    if locked_year is not None:
        raise StepError(locked_message(locked_year))


# ---- The steps of handling -------------------------------------------------------------


def _append(application: Application, kind: str, on: dt.date, *, actor: Any = None,
            data: dict | None = None, note: str = "", public: bool = True) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        application=application, kind=kind, occurred_on=on,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        data=data or {}, note=note, public=public,
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("agency").get(pk=application.pk)


def _require_open(application: Application) -> None:
    if application.status == Status.CLOSED:
        raise StepError(_("The application is closed; record a correction of the outcome "
                            "instead."))


def _require_received(application: Application) -> None:
    if application.received_on is None:
        raise StepError(_("Confirm the receipt date first."))


NOT_HANDLER = gettext_lazy("Your account may not handle applications of this agency.")
NOT_APPROVER = gettext_lazy("Only a reviewer or the OGI office may approve an extension.")
Permitted = tuple[Callable[[Any, Application], bool], Promise]


def _act(application: Application, action: str, kind: str, on: dt.date | None, *,
         actor: Any, request: HttpRequest | None, data: dict | None = None, note: str = "",
         public: bool = True, check=None, update: dict | None = None,
         permitted: Permitted = (staff_may_handle, NOT_HANDLER)) -> ApplicationEvent:
    """The common shape of a handling step: lock, check, append, update, refresh, audit.
    ``permitted``: who may take it (a staff ``actor``; None is the applicant or the
    system), and the refusal."""
    with transaction.atomic():
        locked = _locked(application)
        if actor is not None and not permitted[0](actor, locked):
            raise StepError(str(permitted[1]))
        if check is not None:
            check(locked)
        day = on or today()
        if locked.received_on and day < locked.received_on:
            raise StepError(_("The date is before the confirmed receipt date."))
        if day > today():
            raise StepError(_("The date is in the future."))
        # A published annual report is frozen; so are the records it was computed from.
        # The closing date counts too: correcting an outcome changes its year's table.
        for affected in {day, locked.closed_on or day}:
            if period_locked(locked.agency, affected):
                raise StepError(locked_message(affected.year))
        event = _append(locked, kind, day, actor=actor, data=data, note=note, public=public)
        for name, value in (update or {}).items():
            setattr(locked, name, value)
        try:
            refresh_clock(locked)
        except clock.ClockError as exc:
            raise StepError(str(exc)) from exc
        audit.record(action, actor=actor, obj=locked, request=request,
                     detail={"event": kind, **{k: v for k, v in (data or {}).items()
                                                 if k in _AUDITABLE_DATA},
                             "events": history.seals(event)})
        _issue_letter(event)
    _copy_state(locked, application)
    return event


def _copy_state(source: Application, target: Application) -> None:
    """Give the caller's instance the row as the action left it, without reading it back
    (what ``refresh_from_db`` would do, one query less on every step)."""
    for model_field in Application._meta.concrete_fields:
        setattr(target, model_field.attname, getattr(source, model_field.attname))
    target._state.fields_cache = dict(source._state.fields_cache)


_letters = threading.local()


@contextmanager
def letters_deferred() -> Iterator[None]:
    """Within this block, actions queue no letters; each is queued when first asked for
    (``letters.attach`` is idempotent). For bulk work such as the demo's historical years,
    where rendering thousands of PDFs would dominate the time."""
    _letters.deferred = True
    try:
        yield
    finally:
        _letters.deferred = False


def _issue_letter(event: ApplicationEvent) -> None:
    """Queue the event's letter (reply, notice) for the worker, in the action's transaction.

    So the letter is queued exactly when the step commits, the request never waits for a
    PDF, and a rendering failure never undoes the legal step: the job is retried, and
    shown to staff with its error if it keeps failing.
    """
    if getattr(_letters, "deferred", False) or letters.key_for_event(event) is None:
        return
    tasks.queue_letter(event)


# Event data that is safe to copy into the audit log (never personal information).
_AUDITABLE_DATA = {"days", "outcome", "to_agency", "from_agency", "handler", "amount",
                   "method", "party_kind", "deadline", "received_on"}


def confirm_receipt(application: Application, *, received_on: dt.date, actor: Any = None,
                    request: HttpRequest | None = None) -> ApplicationEvent:
    """Fix the receipt date the clock runs from (Art. 31): for online applications the day
    both sides confirm, in person the day submitted, by registered post the day signed for."""

    def check(app: Application) -> None:
        if app.status != Status.SUBMITTED:
            raise StepError(_("The receipt has already been confirmed."))
        if received_on < timezone.localtime(app.arrived_at).date():
            raise StepError(_("The receipt date cannot be before the application arrived."))
        _require_receipt_years_open(app.agency, received_on)

    return _act(application, "application.confirm_receipt", EventKind.RECEIPT_CONFIRMED,
                received_on, actor=actor, request=request,
                data={"received_on": received_on.isoformat()}, check=check,
                update={"received_on": received_on, "status": Status.IN_PROGRESS})


def assign(application: Application, handler: Any, *, actor: Any = None,
           request: HttpRequest | None = None) -> ApplicationEvent:
    def check(app: Application) -> None:
        _require_open(app)
        if not access.has_role(handler, app.agency, Role.HANDLER, Role.OGI_ADMIN):
            raise StepError(_("That person is not a handler of this agency."))

    return _act(application, "application.assign", EventKind.ASSIGNED, None, actor=actor,
                request=request, data={"handler": handler.get_username()}, public=False,
                check=check, update={"handler": handler})


def transfer(application: Application, to_agency: Agency, *, reason: str, actor: Any = None,
             request: HttpRequest | None = None) -> ApplicationEvent:
    """Hand the application to another agency of the same government.

    The confirmed receipt date is kept (xxgk convention: the government received it once;
    see docs/architecture.md), so the receiving agency inherits the running clock.
    """

    def check(app: Application) -> None:
        _require_open(app)
        if to_agency.pk == app.agency_id:
            raise StepError(_("The application is already with that agency."))
        if not reason.strip():
            raise StepError(_("Give the reason for the transfer."))
        if _top_of(to_agency).pk != _top_of(app.agency).pk:
            raise StepError(_("Applications can only be transferred within the same government."))

    return _act(application, "application.transfer", EventKind.TRANSFERRED, None, actor=actor,
                request=request, note=reason.strip(),
                data={"from_agency": application.agency.code, "to_agency": to_agency.code},
                check=check, update={"agency": to_agency, "handler": None})


def request_correction(application: Application, *, what: str, deadline: dt.date,
                       on: dt.date | None = None, actor: Any = None,
                       request: HttpRequest | None = None) -> ApplicationEvent:
    """Ask the applicant, once (Art. 30), to correct the application by ``deadline``,
    within 7 working days of receipt (``deadlines.correction_deadline``): a later request
    is refused, citing the article. Older records may hold a late one; the clock still
    reads those, with a warning."""
    from .deadlines import late_correction_message

    def check(app: Application) -> None:
        _require_open(app)
        _require_received(app)
        if not what.strip():
            raise StepError(_("Say what the applicant must correct."))
        if app.events.filter(kind=EventKind.CORRECTION_REQUESTED).exists():
            raise StepError(_("A correction may be requested only once (Art. 30)."))
        if (late := late_correction_message(app, on or today())) is not None:
            raise StepError(late, "on")
        if deadline <= (on or today()):
            raise StepError(_("The deadline for the correction must be after today."))

    return _act(application, "application.request_correction", EventKind.CORRECTION_REQUESTED,
                on, actor=actor, request=request, note=what.strip(),
                data={"deadline": deadline.isoformat()}, check=check,
                update={"status": Status.AWAITING_CORRECTION})


def submit_correction(application: Application, *, text: str, on: dt.date | None = None,
                      attachments: Iterable[tuple[str, str, str, bytes]] = (),
                      request: HttpRequest | None = None) -> ApplicationEvent:
    """The applicant's corrected application; the reply period starts afresh (Art. 30)."""

    def check(app: Application) -> None:
        if app.status != Status.AWAITING_CORRECTION:
            raise StepError(_("No correction has been requested."))
        if not text.strip():
            raise StepError(_("Describe the corrected request."))

    with transaction.atomic():
        event = _act(application, "application.correct", EventKind.CORRECTED, on, actor=None,
                     request=request, note=text.strip(), check=check,
                     update={"status": Status.IN_PROGRESS})
        for kind, name, content_type, content in attachments:
            Document.objects.create(application=application, event=event, kind=kind,
                                    filename=name, content_type=content_type, size=len(content),
                                    content=content)
    return event


def send_consultation(application: Application, *, party: str, party_kind: str,
                      on: dt.date | None = None, actor: Any = None,
                      request: HttpRequest | None = None) -> ApplicationEvent:
    """Consult a third party (Art. 32) or another agency (Art. 34); the time is not counted."""

    def check(app: Application) -> None:
        _require_open(app)
        _require_received(app)
        if not party.strip():
            raise StepError(_("Name the party consulted."))
        if party_kind not in clock.ConsultationKind.__members__.values():
            raise StepError(_("Unknown kind of consultation."))

    return _act(application, "application.consult", EventKind.CONSULTATION_SENT, on,
                actor=actor, request=request, data={"party": party.strip(),
                                                    "party_kind": party_kind}, check=check)


def record_consultation_answer(application: Application, *, party: str, summary: str = "",
                               on: dt.date | None = None, actor: Any = None,
                               request: HttpRequest | None = None) -> ApplicationEvent:
    def check(app: Application) -> None:
        _require_open(app)
        sent = app.events.filter(kind=EventKind.CONSULTATION_SENT, data__party=party).count()
        answered = app.events.filter(kind=EventKind.CONSULTATION_ANSWERED,
                                     data__party=party).count()
        if sent <= answered:
            raise StepError(_("No consultation with that party is awaiting an answer."))

    return _act(application, "application.consultation_answered",
                EventKind.CONSULTATION_ANSWERED, on, actor=actor, request=request,
                data={"party": party}, note=summary, public=False, check=check)


def open_consultations(application: Application) -> list[str]:
    """The parties consulted that have not answered yet."""
    waiting: list[str] = []
    for event in application.events.filter(kind__in=[EventKind.CONSULTATION_SENT,
                                                     EventKind.CONSULTATION_ANSWERED]):
        party = event.data.get("party", "")
        if event.kind == EventKind.CONSULTATION_SENT:
            waiting.append(party)
        elif party in waiting:
            waiting.remove(party)
    return waiting


def request_extension(application: Application, *, days: int, reason: str,
                      actor: Any = None, request: HttpRequest | None = None) -> ApplicationEvent:
    """A handler asks for the one extension (Art. 33); it takes effect when approved."""

    def check(app: Application) -> None:
        _require_open(app)
        _require_received(app)
        _check_extension_allowed(app, days)
        if app.events.filter(kind=EventKind.EXTENSION_REQUESTED).count() > app.events.filter(
                kind=EventKind.EXTENDED).count():
            raise StepError(_("An extension request is already waiting for approval."))
        if not reason.strip():
            raise StepError(_("Give the reason for the extension."))

    return _act(application, "application.request_extension", EventKind.EXTENSION_REQUESTED,
                None, actor=actor, request=request, data={"days": days}, note=reason.strip(),
                public=False, check=check)


def _check_extension_allowed(app: Application, days: int) -> None:
    rules = timing.clock_rules()
    if not 1 <= days <= rules.max_extension_working_days:
        raise StepError(_("An extension is 1 to %(max)d working days (Art. 33).")
                          % {"max": rules.max_extension_working_days})
    if app.events.filter(kind=EventKind.EXTENDED).exists():
        raise StepError(_("The reply period may be extended only once (Art. 33)."))


def approve_extension(application: Application, *, approver: Any, on: dt.date | None = None,
                      request: HttpRequest | None = None) -> ApplicationEvent:
    """A reviewer or the OGI office approves the pending request; the applicant is told."""
    pending = application.events.filter(kind=EventKind.EXTENSION_REQUESTED).last()

    def check(app: Application) -> None:
        _require_open(app)
        if pending is None:
            raise StepError(_("No extension has been requested."))
        _check_extension_allowed(app, pending.data["days"])

    days = pending.data["days"] if pending else 0
    return _act(application, "application.extend", EventKind.EXTENDED, on, actor=approver,
                request=request, data={"days": days}, note=pending.note if pending else "",
                check=check, permitted=(staff_may_approve, NOT_APPROVER))


def notify_fee(application: Application, *, method: str, amount: Decimal, basis: str,
               on: dt.date | None = None, actor: Any = None,
               request: HttpRequest | None = None) -> ApplicationEvent:
    """Send a fee notice (国办函〔2020〕109号); the wait for payment is not counted."""

    def check(app: Application) -> None:
        _require_open(app)
        _require_received(app)
        if amount <= 0:
            raise StepError(_("A fee notice needs an amount above zero."))
        if app.events.filter(kind=EventKind.FEE_NOTIFIED).exists():
            raise StepError(_("A fee notice has already been sent for this application."))

    return _act(application, "application.fee_notice", EventKind.FEE_NOTIFIED, on, actor=actor,
                request=request, data={"method": method, "amount": str(amount)}, note=basis,
                check=check)


def _pending_fee(app: Application) -> ApplicationEvent:
    notice = app.events.filter(kind=EventKind.FEE_NOTIFIED).last()
    if notice is None or app.events.filter(kind__in=[EventKind.FEE_PAID,
                                                     EventKind.FEE_WAIVED]).exists():
        raise StepError(_("No fee is awaiting payment."))
    return notice


def record_fee_payment(application: Application, *, amount: Decimal, on: dt.date | None = None,
                       actor: Any = None, request: HttpRequest | None = None) -> ApplicationEvent:
    def check(app: Application) -> None:
        _require_open(app)
        notice = _pending_fee(app)
        if amount != Decimal(notice.data["amount"]):
            raise StepError(_("The payment must equal the amount of the notice."))

    return _act(application, "application.fee_paid", EventKind.FEE_PAID, on, actor=actor,
                request=request, data={"amount": str(amount)}, check=check)


def waive_fee(application: Application, *, reason: str, on: dt.date | None = None,
              actor: Any = None, request: HttpRequest | None = None) -> ApplicationEvent:
    """The agency's decision to waive the fee, with its reason; handling resumes."""

    def check(app: Application) -> None:
        _require_open(app)
        _pending_fee(app)
        if not reason.strip():
            raise StepError(_("Give the reason for the waiver."))

    return _act(application, "application.fee_waived", EventKind.FEE_WAIVED, on, actor=actor,
                request=request, note=reason.strip(), check=check)


def reply(application: Application, *, outcome: str, legal_basis: str, body: str = "",
          on: dt.date | None = None, actor: Any = None, request: HttpRequest | None = None,
          released: Iterable[tuple[str, str, bytes]] = (),
          responsible_agency: str = "") -> ApplicationEvent:
    """Answer the application with exactly one outcome of the national taxonomy; closes it.

    ``released`` are the documents provided (name, content type, content).
    """
    released = list(released)

    def check(app: Application) -> None:
        _require_open(app)
        _require_received(app)
        if outcome not in taxonomy.OUTCOMES_BY_KEY:
            raise StepError(_("Choose one of the outcomes of the national table."))
        if app.status == Status.AWAITING_CORRECTION and outcome != "other.correction_overdue":
            raise StepError(_("The application awaits the applicant's correction."))
        if outcome == "other.fee_unpaid" and not app.events.filter(
                kind=EventKind.FEE_NOTIFIED).exists():
            raise StepError(_("No fee notice was sent, so the fee cannot be unpaid."))
        if outcome == "unavailable.unclear_after_correction" and not app.events.filter(
                kind=EventKind.CORRECTED).exists():
            raise StepError(_("This outcome needs a correction that was received."))
        if not legal_basis.strip():
            raise StepError(_("State the legal basis of the reply."))

    day = on or today()
    with transaction.atomic():
        event = _act(application, "application.reply", EventKind.REPLIED, day, actor=actor,
                     request=request,
                     data={"outcome": outcome, "legal_basis": legal_basis.strip(),
                           "responsible_agency": responsible_agency.strip()},
                     note=body.strip(), check=check,
                     update={"status": Status.CLOSED, "outcome": outcome, "closed_on": day})
        for name, content_type, content in released:
            Document.objects.create(application=application, event=event,
                                    kind=Document.Kind.RELEASED, filename=name,
                                    content_type=content_type, size=len(content),
                                    content=content, visible_to_applicant=True)
    return event


def withdraw(application: Application, *, reason: str = "", on: dt.date | None = None,
             request: HttpRequest | None = None) -> ApplicationEvent:
    """The applicant withdraws; counted under 其他处理·其他 in the annual report."""

    def check(app: Application) -> None:
        _require_open(app)

    day = on or today()
    return _act(application, "application.withdraw", EventKind.WITHDRAWN, day, actor=None,
                request=request, note=reason.strip(), check=check,
                data={"outcome": WITHDRAWN_OUTCOME},
                update={"status": Status.CLOSED, "outcome": WITHDRAWN_OUTCOME, "closed_on": day})


# A withdrawn application is "other handling: other" in the national table.
WITHDRAWN_OUTCOME = "other.other"


def correct_outcome(application: Application, *, outcome: str, reason: str,
                    actor: Any = None, request: HttpRequest | None = None) -> ApplicationEvent:
    """Correct a closed application's outcome by a new event; the reply event stays."""

    def check(app: Application) -> None:
        if app.status != Status.CLOSED:
            raise StepError(_("Only a closed application's outcome can be corrected."))
        if outcome not in taxonomy.OUTCOMES_BY_KEY:
            raise StepError(_("Choose one of the outcomes of the national table."))
        if outcome == app.outcome:
            raise StepError(_("That is already the outcome."))
        if not reason.strip():
            raise StepError(_("Give the reason for the correction."))

    return _act(application, "application.correct_outcome", EventKind.OUTCOME_CORRECTED, None,
                actor=actor, request=request,
                data={"outcome": outcome, "previous": application.outcome},
                note=reason.strip(), public=False, check=check, update={"outcome": outcome})


# ---- The clock ----------------------------------------------------------------------


def resend_letter_email(application: Application, job_id: int, *, actor: Any,
                        request: HttpRequest | None = None) -> None:
    """Send again, deliberately, a letter's email whose delivery is unconfirmed (its
    worker died after giving it to the mail server: ``tasks.email_letter``), once staff
    have checked with the applicant; audited with the first email's Message-ID, which the
    mail server's log can be searched for."""
    if not staff_may_handle(actor, application):
        raise StepError(str(NOT_HANDLER))
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(
            pk=job_id, subject=jobs.subject_of(application), state=JobState.FAILED,
            task=jobs.task_path(tasks.email_letter)).first()
        forgotten = (mail.forget_unconfirmed(tasks.mail_key(job.args["event_id"]))
                     if job is not None else None)
        if forgotten is None:
            raise StepError(_("This email is not waiting to be sent again."))
        jobs.requeue(job)
        audit.record("application.letter_resent", actor=actor, obj=application,
                     request=request, detail={"event_id": job.args["event_id"],
                                              "message_id": forgotten.message_id})


def refresh_clock(application: Application, on: dt.date | None = None) -> None:
    """Recompute the cached clock columns from the events; the only writer of the cache."""
    result = timing.compute(application, on)
    application.due_on = result.due if result else None
    application.clock_state = result.state.value if result else ""
    application.working_days_left = result.left if result else None
    application.clock_refreshed_on = on or today()
    application.save()
