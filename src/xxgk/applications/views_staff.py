"""Staff pages for disclosure on application: the inbox and an application's page.

Thin: permissions come from ``agencies.access`` and ``actions`` (``staff_may_handle``,
``staff_may_approve``, ``staff_may_see_identity``), reads from ``inbox.py``, and the
handling steps from the table in ``steps.py`` (which the API reads too): each form calls
exactly one function of ``actions.py`` (POST, then redirect back with a message). An
application outside the user's scope does not exist for them (404); every staff role in
scope reads it, and a step their role does not take gets a page saying so (403).
"""

from __future__ import annotations

import io
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
from xxgk.agencies.models import Agency
from xxgk.core.labels import in_page_language
from xxgk.core.steps import StepError
from xxgk.core.templatetags.xxgk import localized
from xxgk.search import related
from xxgk.workbench.access import require_staff

from . import actions, clock, fees, inbox, pii, steps, tasks, timing
from . import staff_forms as sf
from .models import Application, ApplicationEvent, Document

# The numbers of the applications just registered by staff, whose pages show the query code
# once (decrypted from the identity then, so the code itself is never in the session);
# removed as shown, and never put in a URL.
JUST_REGISTERED = "applications_just_registered"


def _application(request: HttpRequest, number: str) -> Application:
    """The application, if in the user's scope, which is what they may read (else 404)."""
    require_staff(request)
    return get_object_or_404(
        inbox.scoped_applications(request.user)
        .select_related("agency", "handler", "addressed_to", "identity"),
        number=number,
    )


def _not_allowed(request: HttpRequest, reason: Any) -> HttpResponse:
    """403: the application is in the user's scope, the step is not their role's."""
    return render(request, "applications/staff/not_allowed.html", {"reason": reason},
                  status=403)


# ---- The inbox ------------------------------------------------------------------------------


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    require_staff(request)
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
    require_staff(request)
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
    state = steps.situation(application, events, request.user)
    forms = []
    for step in steps.STEPS:
        if not step.offered(state):
            continue
        if bound is not None and bound[0] == step.name:
            forms.append((step.name, bound[1]))
        else:
            forms.append((step.name, step.form(application=application, user=request.user,
                                               prefix=step.name)))
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
        "applicant_column": in_page_language(column) if column else "",
        "outcome": sf.outcome_label(category.key) if category else "",
        "masked": inbox.masked_identity(application),
        "may_see_identity": actions.staff_may_see_identity(request.user, application),
        "clock": result,
        "clock_error": clock_error,
        "clock_state": result.state.value if result else application.clock_state,
        "clock_state_label": inbox.state_label(result.state.value if result
                                               else application.clock_state),
        "events": _event_rows(events),
        "documents": list(application.documents.defer("sealed")),
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
        "answering": related.for_application(application),
        "art35": taxonomy.OUTCOMES_BY_KEY["not_processed.excessive"].article,
        "unconfirmed_emails": {job.pk for job in tasks.unconfirmed_emails(application)},
    }


@login_required
def detail(request: HttpRequest, number: str) -> HttpResponse:
    application = _application(request, number)
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
    """Validate one step's form and call its one action (``steps.STEPS``, which the API
    reads too); errors re-render the page."""
    application = _application(request, number)
    step = steps.BY_NAME.get(name)
    if step is None:
        raise Http404
    if not step.permitted(request.user, application):
        return _not_allowed(request, step.permission.refusal)
    try:
        step.require_offered(steps.situation_now(application, request.user))
    except StepError as exc:
        messages.error(request, str(exc))
        return redirect("applications:detail", number=application.number)
    form = step.form(request.POST, request.FILES, application=application, user=request.user,
                     prefix=name)
    if form.is_valid():
        if step.name == "fee_notice" and "preview" in request.POST:
            quote = steps.fee_quote(form.cleaned_data, application)
            return render(request, "applications/staff/detail.html",
                          _detail_context(request, application, (name, form), quote))
        try:
            step.perform(form.cleaned_data, application, request)
        except StepError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, str(step.done))
            application.refresh_from_db()
            if not inbox.scoped_applications(request.user).filter(pk=application.pk).exists():
                # Transferred out of the user's scope: nothing more to see here.
                return redirect("applications:inbox")
            return redirect(reverse("applications:detail", args=[application.number])
                            + "#history")
    return render(request, "applications/staff/detail.html",
                  _detail_context(request, application, (name, form)))


@login_required
@require_POST
def resend_email(request: HttpRequest, number: str, job: int) -> HttpResponse:
    """Send again a letter's email whose delivery is unconfirmed (one action, audited)."""
    application = _application(request, number)
    if not actions.staff_may_handle(request.user, application):
        return _not_allowed(request, actions.NOT_HANDLER)
    try:
        actions.resend_letter_email(application, job, actor=request.user, request=request)
    except StepError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The email will be sent again."))
    return redirect(reverse("applications:detail", args=[application.number]) + "#documents")


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
    application = _application(request, number)
    if not actions.staff_may_see_identity(request.user, application):
        return _not_allowed(request, actions.NOT_IDENTITY)
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
    application = _application(request, number)
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
