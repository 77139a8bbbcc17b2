"""Staff pages for disclosure on application: the inbox and an application's page.

Thin: permissions come from ``agencies.access`` and ``actions.staff_may_handle``, reads
from ``inbox.py``, and every change from exactly one function of ``actions.py`` per form
(POST, then redirect back with a message). An application outside the user's scope does
not exist for them (404); one they can see but not handle gets a page saying so (403).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xxgk import taxonomy
from xxgk.agencies import access
from xxgk.agencies.models import Agency, StaffRole
from xxgk.core.steps import StepError
from xxgk.core.templatetags.xxgk import localized

from . import actions, clock, fees, inbox, pii, timing
from . import staff_forms as sf
from .models import Application, ApplicationEvent, Document, EventKind, Status

Role = StaffRole.Role
# The numbers of the applications just registered by staff, whose pages show the query code
# once (decrypted from the identity then, so the code itself is never in the session);
# removed as shown, and never put in a URL.
JUST_REGISTERED = "applications_just_registered"


class NotAllowedError(Exception):
    """The application is visible to the user, who may not handle it."""


def _require_staff(request: HttpRequest) -> None:
    if not access.is_staff_member(request.user):
        raise PermissionDenied


def _application(request: HttpRequest, number: str) -> Application:
    """The application, if in the user's scope (else 404) and theirs to handle (else
    :class:`NotAllowedError`)."""
    _require_staff(request)
    application = get_object_or_404(
        inbox.scoped_applications(request.user)
        .select_related("agency", "handler", "addressed_to", "identity"),
        number=number,
    )
    if not actions.staff_may_handle(request.user, application):
        raise NotAllowedError
    return application


def _not_allowed(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/staff/not_allowed.html", status=403)


# ---- The inbox ------------------------------------------------------------------------------


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = sf.InboxFilterForm(request.GET, user=request.user)
    result = inbox.inbox_page(request.user, form.filters(), request.GET.get("page") or 1)
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "applications/staff/inbox.html", {
        "form": form,
        "result": result,
        "page": result.page,
        "query": params.urlencode(),
        "may_register": access.writable_agencies(request.user).exists(),
    })


# ---- Registering an application that did not arrive online ---------------------------------


@login_required
@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """An application that came by post, in person, by fax or orally, or one still open from
    before xxgk: the handlers and the OGI office register it with its real dates."""
    _require_staff(request)
    if not access.writable_agencies(request.user).exists():
        raise PermissionDenied
    form = sf.RegisterForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if form.agency_outside_scope():
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                application, _code = actions.submit_application(
                    form.submission(), client_token=data["client_token"],
                    arrived_at=data["arrived_at"], received_on=data["received_on"],
                    actor=request.user, request=request)
            except StepError as exc:
                form.add_error(None, str(exc))
            else:
                request.session[JUST_REGISTERED] = [
                    *request.session.get(JUST_REGISTERED, []), application.number]
                return redirect("applications:detail", number=application.number)
    return render(request, "applications/staff/register.html", {"form": form})


# ---- What the application's history allows now ---------------------------------------------


@dataclass(frozen=True)
class Situation:
    """The facts about an application that decide which action forms make sense."""

    application: Application
    may_approve: bool
    correction_requested: bool
    consultations_waiting: bool
    extension_pending: bool
    extended: bool
    fee_notified: bool
    fee_pending: bool

    @property
    def open(self) -> bool:
        return self.application.status != Status.CLOSED

    @property
    def handling(self) -> bool:
        """Received, not closed, not waiting for the applicant's correction."""
        return self.application.status == Status.IN_PROGRESS


def situation(application: Application, events: list[ApplicationEvent], user: Any) -> Situation:
    kinds = [e.kind for e in events]
    notified = EventKind.FEE_NOTIFIED in kinds
    return Situation(
        application=application,
        may_approve=access.has_role(user, application.agency, Role.REVIEWER, Role.OGI_ADMIN),
        correction_requested=EventKind.CORRECTION_REQUESTED in kinds,
        consultations_waiting=bool(actions.open_consultations(application)),
        extension_pending=kinds.count(EventKind.EXTENSION_REQUESTED) > kinds.count(
            EventKind.EXTENDED),
        extended=EventKind.EXTENDED in kinds,
        fee_notified=notified,
        fee_pending=notified and not {EventKind.FEE_PAID, EventKind.FEE_WAIVED} & set(kinds),
    )


# ---- The actions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffAction:
    """One action form: when it is shown, and the one function of ``actions`` it calls."""

    form: type[sf.ActionForm]
    shown: Callable[[Situation], bool]
    perform: Callable[[dict[str, Any], Application, HttpRequest], Any]
    done: Any


def _notify_fee(cd: dict[str, Any], app: Application, request: HttpRequest) -> Any:
    quote = inbox.fee_quote(app, cd["method"], cd.get("pages"))
    return actions.notify_fee(app, method=cd["method"], amount=quote.amount,
                              basis=quote.notice_text, on=cd["on"], actor=request.user,
                              request=request)


ACTIONS: dict[str, StaffAction] = {
    "confirm_receipt": StaffAction(
        sf.ConfirmReceiptForm, lambda s: s.application.status == Status.SUBMITTED,
        lambda cd, app, r: actions.confirm_receipt(
            app, received_on=cd["received_on"], actor=r.user, request=r),
        gettext_lazy("Receipt confirmed; the clock is running.")),
    "assign": StaffAction(
        sf.AssignForm, lambda s: s.open,
        lambda cd, app, r: actions.assign(app, cd["handler"], actor=r.user, request=r),
        gettext_lazy("Handler assigned.")),
    "transfer": StaffAction(
        sf.TransferForm, lambda s: s.open,
        lambda cd, app, r: actions.transfer(app, cd["to_agency"], reason=cd["reason"],
                                            actor=r.user, request=r),
        gettext_lazy("Application transferred.")),
    "request_correction": StaffAction(
        sf.CorrectionForm, lambda s: s.handling and not s.correction_requested,
        lambda cd, app, r: actions.request_correction(
            app, what=cd["what"], deadline=cd["deadline"], on=cd["on"], actor=r.user, request=r),
        gettext_lazy("Correction requested; the clock waits for the corrected application.")),
    "send_consultation": StaffAction(
        sf.ConsultationForm, lambda s: s.handling,
        lambda cd, app, r: actions.send_consultation(
            app, party=cd["party"], party_kind=cd["party_kind"], on=cd["on"], actor=r.user,
            request=r),
        gettext_lazy("Consultation recorded; the clock is paused until the answer.")),
    "consultation_answer": StaffAction(
        sf.ConsultationAnswerForm, lambda s: s.open and s.consultations_waiting,
        lambda cd, app, r: actions.record_consultation_answer(
            app, party=cd["party"], summary=cd["summary"], on=cd["on"], actor=r.user, request=r),
        gettext_lazy("Consultation answer recorded.")),
    "request_extension": StaffAction(
        sf.ExtensionRequestForm,
        lambda s: s.handling and not s.extended and not s.extension_pending,
        lambda cd, app, r: actions.request_extension(
            app, days=cd["days"], reason=cd["reason"], actor=r.user, request=r),
        gettext_lazy("Extension requested; it takes effect when approved.")),
    "approve_extension": StaffAction(
        sf.ExtensionApprovalForm, lambda s: s.open and s.extension_pending and s.may_approve,
        lambda cd, app, r: actions.approve_extension(app, approver=r.user, on=cd["on"],
                                                     request=r),
        gettext_lazy("Extension approved.")),
    "fee_notice": StaffAction(
        sf.FeeNoticeForm, lambda s: s.handling and not s.fee_notified, _notify_fee,
        gettext_lazy("Fee notice recorded; the clock is paused until payment.")),
    "fee_payment": StaffAction(
        sf.FeePaymentForm, lambda s: s.open and s.fee_pending,
        lambda cd, app, r: actions.record_fee_payment(
            app, amount=cd["amount"], on=cd["on"], actor=r.user, request=r),
        gettext_lazy("Payment recorded.")),
    "fee_waiver": StaffAction(
        sf.FeeWaiverForm, lambda s: s.open and s.fee_pending,
        lambda cd, app, r: actions.waive_fee(app, reason=cd["reason"], on=cd["on"],
                                             actor=r.user, request=r),
        gettext_lazy("Fee waived.")),
    "reply": StaffAction(
        sf.ReplyForm, lambda s: s.open and s.application.received_on is not None,
        lambda cd, app, r: actions.reply(
            app, outcome=cd["outcome"], legal_basis=cd["legal_basis"], body=cd["body"],
            on=cd["on"], actor=r.user, request=r, released=cd["released"],
            responsible_agency=cd["responsible_agency"]),
        gettext_lazy("Reply recorded; the application is closed.")),
    "correct_outcome": StaffAction(
        sf.CorrectOutcomeForm, lambda s: not s.open,
        lambda cd, app, r: actions.correct_outcome(
            app, outcome=cd["outcome"], reason=cd["reason"], actor=r.user, request=r),
        gettext_lazy("Outcome corrected.")),
}


# ---- The application's page ------------------------------------------------------------------

_DATA_LABELS = {
    "received_on": gettext_lazy("Receipt date"),
    "handler": gettext_lazy("Handler"),
    "deadline": gettext_lazy("Correct by"),
    "party": gettext_lazy("Party"),
    "days": gettext_lazy("Working days"),
    "method": gettext_lazy("Method"),
    "amount": gettext_lazy("Amount (yuan)"),
    "legal_basis": gettext_lazy("Legal basis"),
    "responsible_agency": gettext_lazy("Responsible agency"),
}


@dataclass(frozen=True)
class EventRow:
    event: ApplicationEvent
    details: list[tuple[Any, str]]


def _event_rows(events: list[ApplicationEvent]) -> list[EventRow]:
    """Each event with its facts in words: agencies by name, outcomes by label."""
    codes = {e.data.get(k) for e in events for k in ("from_agency", "to_agency")} - {None}
    names = {a.code: a for a in Agency.objects.filter(code__in=codes)} if codes else {}
    kinds = {c.value: label for c, label in (
        (clock.ConsultationKind.THIRD_PARTY, _("third party")),
        (clock.ConsultationKind.AGENCY, _("another agency")))}
    rows = []
    for event in events:
        details: list[tuple[Any, str]] = []
        data = event.data
        if "from_agency" in data:
            details.append((_("From"), _agency_name(names.get(data["from_agency"]),
                                                    data["from_agency"])))
        if "to_agency" in data:
            details.append((_("To"), _agency_name(names.get(data["to_agency"]),
                                                  data["to_agency"])))
        if "outcome" in data:
            details.append((_("Outcome"), sf.outcome_label(data["outcome"])))
        if data.get("previous"):
            details.append((_("Previous outcome"), sf.outcome_label(data["previous"])))
        if "party_kind" in data:
            details.append((_("Kind"), str(kinds.get(data["party_kind"], data["party_kind"]))))
        for key, label in _DATA_LABELS.items():
            if data.get(key) not in (None, ""):
                details.append((label, str(data[key])))
        rows.append(EventRow(event, details))
    return rows


def _agency_name(agency: Agency | None, code: str) -> str:
    return localized(agency) if agency is not None else code


def _detail_context(request: HttpRequest, application: Application,
                    bound: tuple[str, sf.ActionForm] | None = None,
                    fee_preview: fees.FeeQuote | None = None) -> dict[str, Any]:
    events = list(application.events.select_related("actor"))
    state = situation(application, events, request.user)
    forms = []
    for name, spec in ACTIONS.items():
        if not spec.shown(state):
            continue
        if bound is not None and bound[0] == name:
            forms.append((name, bound[1]))
        else:
            forms.append((name, spec.form(application=application, user=request.user,
                                          prefix=name)))
    try:
        result = timing.compute(application)
        clock_error = ""
    except clock.ClockError as exc:
        result, clock_error = None, str(exc)
    ordinal = inbox.month_ordinal(application)
    category = application.outcome_category()
    column = next((c for c in taxonomy.APPLICANT_COLUMNS
                   if c.key == application.applicant_column), None)
    earlier = inbox.earlier_applications(application, request.user)
    return {
        "application": application,
        "applicant_column": sf.category_label(column) if column else "",
        "outcome": sf.outcome_label(category.key) if category else "",
        "masked": inbox.masked_identity(application),
        "may_see_identity": actions.staff_may_see_identity(request.user, application),
        "clock": result,
        "clock_error": clock_error,
        "clock_state": result.state.value if result else application.clock_state,
        "clock_state_label": inbox.state_label(result.state.value if result
                                               else application.clock_state),
        "events": _event_rows(events),
        "documents": list(application.documents.defer("content")),
        "personal_kinds": PERSONAL_KINDS,
        "forms": forms,
        "situation": state,
        "fee_ordinal": ordinal,
        "fee_quote": fees.quote_by_application(ordinal),
        "fee_preview": fee_preview,
        "earlier": [(a, sf.outcome_label(a.outcome) if a.outcome else "") for a in earlier],
        "similar": [(s, sf.outcome_label(s.application.outcome)
                     if s.application.outcome else "") for s in
                    inbox.similar_requests(application, request.user)],
        "volume_hint": inbox.volume_hint(application),
        "art35": taxonomy.OUTCOMES_BY_KEY["not_processed.excessive"].article,
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    try:
        application = _application(request, number)
    except NotAllowedError:
        return _not_allowed(request)
    context = _detail_context(request, application)
    waiting = request.session.get(JUST_REGISTERED, [])
    if application.number in waiting:
        request.session[JUST_REGISTERED] = [n for n in waiting if n != application.number]
        context["registered_code"] = pii.decrypt(application.identity.encrypted).query_code
    response = render(request, "applications/staff/detail.html", context)
    if "registered_code" in context:
        add_never_cache_headers(response)
    return response


@login_required
@require_POST
def act(request: HttpRequest, number: str, name: str) -> HttpResponse:
    """Validate one action form and call its one action; errors re-render the page."""
    try:
        application = _application(request, number)
    except NotAllowedError:
        return _not_allowed(request)
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    events = list(application.events.all())
    if not spec.shown(situation(application, events, request.user)):
        messages.error(request, _("That step is not possible in the application's current "
                                  "state; the page shows what is."))
        return redirect("applications:detail", number=application.number)
    form = spec.form(request.POST, request.FILES, application=application, user=request.user,
                     prefix=name)
    if form.is_valid():
        if name == "fee_notice" and "preview" in request.POST:
            quote = inbox.fee_quote(application, form.cleaned_data["method"],
                               form.cleaned_data.get("pages"))
            return render(request, "applications/staff/detail.html",
                          _detail_context(request, application, (name, form), quote))
        try:
            spec.perform(form.cleaned_data, application, request)
        except StepError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, str(spec.done))
            application.refresh_from_db()
            if not inbox.scoped_applications(request.user).filter(pk=application.pk).exists():
                # Transferred out of the user's scope: nothing more to see here.
                return redirect("applications:inbox")
            return redirect(reverse("applications:detail", args=[application.number])
                            + "#history")
    return render(request, "applications/staff/detail.html",
                  _detail_context(request, application, (name, form)))


# ---- Personal information ---------------------------------------------------------------------

# Documents that carry the applicant's personal information: opened like the full details.
PERSONAL_KINDS = frozenset({Document.Kind.IDENTITY_PROOF, Document.Kind.AUTHORISATION})


@login_required
@require_POST
@never_cache
def identity(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's details in full, for the handling agency's own staff; audited.

    Answered directly (no redirect) so that the details are never in a URL or a session;
    the response is not cached.
    """
    try:
        application = _application(request, number)
    except NotAllowedError:
        return _not_allowed(request)
    try:
        details = actions.view_identity(application, request.user, request)
    except StepError as exc:
        messages.error(request, str(exc))
        return redirect("applications:detail", number=application.number)
    return render(request, "applications/staff/identity.html",
                  {"application": application, "identity": details})


@login_required
@never_cache
def document(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """A document of the application. Identity proofs and authorisations need a POST and
    are opened through ``actions.view_identity``, so each opening is audited."""
    try:
        application = _application(request, number)
    except NotAllowedError:
        return _not_allowed(request)
    doc = get_object_or_404(Document, application=application, pk=pk)
    if doc.kind in PERSONAL_KINDS:
        if request.method != "POST":
            return HttpResponse(status=405, headers={"Allow": "POST"})
        try:
            actions.view_identity(application, request.user, request)
        except StepError as exc:
            messages.error(request, str(exc))
            return redirect("applications:detail", number=application.number)
    return FileResponse(io.BytesIO(bytes(doc.content)), as_attachment=True,
                        filename=doc.filename, content_type=doc.content_type)
