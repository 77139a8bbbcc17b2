"""The applicant's pages: apply, receive the number and query code, follow, correct,
withdraw, download the replies.

Thin views: forms check the input, ``actions`` changes the application, and the plain
functions below decide who may follow what and what the applicant is shown. An
application opens to a visitor whose session holds it (after the query code was given, or
right after submitting) or to the account that submitted it; the pages show no personal
information beyond the applicant's name (no ID number, phone, address or email).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.core.labels import in_page_language
from xxgk.core.steps import StepError
from xxgk.core.templatetags.xxgk import localized

from . import actions, letters, tasks, timing
from .forms import (
    APPLICANT_COLUMNS_BY_KEY,
    ApplicationForm,
    CorrectionForm,
    FollowForm,
    WithdrawForm,
)
from .models import Application, ApplicationEvent, Document, EventKind, Status

# The applications this browser session may open, by id; bounded so the session stays small.
FOLLOWED = "followed_applications"
MAX_FOLLOWED = 50
# The number and query code of the application just submitted, for the one page that
# shows them; removed as soon as that page is rendered.
JUST_SUBMITTED = "apply_just_submitted"


def follow_in_session(request: HttpRequest, application: Application) -> None:
    followed = [pk for pk in request.session.get(FOLLOWED, []) if pk != application.pk]
    request.session[FOLLOWED] = [*followed, application.pk][-MAX_FOLLOWED:]


def may_follow(request: HttpRequest, application: Application) -> bool:
    """Whether this visitor may see the application: its session follows it, or the
    logged-in account submitted it."""
    if application.pk in request.session.get(FOLLOWED, []):
        return True
    return request.user.is_authenticated and application.account_id == request.user.pk


def followed_application(request: HttpRequest, number: str) -> Application | None:
    """The application with this number if the visitor may follow it; None both when it
    does not exist and when it is not theirs, so that numbers cannot be probed."""
    application = (Application.objects.select_related("agency")
                   .prefetch_related("events").filter(number=number).first())
    if application is None or not may_follow(request, application):
        return None
    return application


@dataclass(frozen=True)
class TimelineEntry:
    """One public step of an application as the applicant sees it."""

    on: dt.date
    kind: str
    label: str
    details: tuple[tuple[str, str], ...]
    note: str


def public_timeline(application: Application) -> list[TimelineEntry]:
    """The events the applicant is shown, each with the facts that concern them.

    Internal events (``public=False``) are left out, and so are the names of consulted
    third parties, which belong to the agency's file, not to the applicant's.
    """
    events = [e for e in application.events.all() if e.public]
    codes = {e.data.get("to_agency") for e in events if e.kind == EventKind.TRANSFERRED}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=codes - {None})}
    return [_entry(event, agencies) for event in events]


def _entry(event: ApplicationEvent, agencies: dict[str, Agency]) -> TimelineEntry:
    data, note = event.data, event.note
    details: list[tuple[str, str]] = []
    match event.kind:
        case EventKind.CORRECTION_REQUESTED:
            details.append((_("What to correct"), note))
            details.append((_("Correct by"), dt.date.fromisoformat(data["deadline"]).isoformat()))
            note = ""
        case EventKind.TRANSFERRED if data.get("to_agency") in agencies:
            details.append((_("Now handled by"), localized(agencies[data["to_agency"]])))
        case EventKind.EXTENDED:
            days = int(data["days"])
            details.append((_("Extended by"), ngettext("%(days)d working day",
                                                       "%(days)d working days", days)
                            % {"days": days}))
        case EventKind.FEE_NOTIFIED | EventKind.FEE_PAID:
            details.append((_("Amount"), _("%(amount)s yuan") % {"amount": data["amount"]}))
        case EventKind.REPLIED if (outcome := taxonomy.OUTCOMES_BY_KEY.get(data.get("outcome"))):
            details.append((_("Outcome"), in_page_language(outcome)))
    return TimelineEntry(on=event.occurred_on, kind=event.kind, label=event.get_kind_display(),
                         details=tuple(details), note=note)


def _detail_context(application: Application, *,
                    correction_form: CorrectionForm | None = None,
                    withdraw_form: WithdrawForm | None = None) -> dict:
    result = timing.compute(application)
    headline = ""
    if result is not None and result.lapse:
        # The clock's own words here are the handler's ("close with outcome …").
        headline = _("The time to correct the application or to pay the fee has passed; "
                     "the agency will close the application.")
    elif result is not None:
        headline = result.headline_en if get_language() == "en" else result.headline_zh
    outcome = application.outcome_category()
    awaiting = application.status == Status.AWAITING_CORRECTION
    timeline = public_timeline(application)
    correction_request = None
    if awaiting:
        correction_request = next(
            (e for e in reversed(timeline) if e.kind == EventKind.CORRECTION_REQUESTED), None)
    return {
        "application": application,
        "clock": result,
        "headline": headline,
        "outcome": in_page_language(outcome) if outcome else "",
        "applicant_type": in_page_language(APPLICANT_COLUMNS_BY_KEY[application.applicant_column]),
        "timeline": timeline,
        "documents": application.documents.filter(visible_to_applicant=True).defer("sealed"),
        "unrendered_letters": letters.unrendered(application, for_applicant=True),
        "correction_request": correction_request,
        # A form sent back with errors is shown even if the step is no longer open (the
        # application changed meanwhile), so that its error explains what happened.
        "correction_form": correction_form or (CorrectionForm() if awaiting else None),
        "withdraw_form": withdraw_form or (None if application.is_closed else WithdrawForm()),
    }


def _to_follow_form(number: str) -> HttpResponse:
    return redirect(f"{reverse('apply:follow')}?{urlencode({'number': number})}")


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest) -> HttpResponse:
    """The application form; a valid submission is stored once, however often it is sent."""
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            application, code = actions.submit_application(
                form.submission(), client_token=form.cleaned_data["client_token"],
                account=request.user, request=request)
        except StepError as exc:
            form.add_error(None, str(exc))
        else:
            follow_in_session(request, application)
            request.session[JUST_SUBMITTED] = {"number": application.number, "code": code}
            return redirect("apply:submitted")
    return render(request, "applications/public/apply.html", {"form": form})


@never_cache
def submitted(request: HttpRequest) -> HttpResponse:
    """Shows the number and the query code once: they leave the session as they are shown."""
    receipt = request.session.pop(JUST_SUBMITTED, None)
    if receipt is None:
        return redirect("apply:follow")
    application = Application.objects.select_related("agency").get(number=receipt["number"])
    return render(request, "applications/public/submitted.html",
                  {"application": application, "query_code": receipt["code"]})


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest) -> HttpResponse:
    """Open an application with its number and query code."""
    if request.method == "POST":
        form = FollowForm(request.POST)
        if form.is_valid():
            try:
                application = actions.access_by_query_code(form.cleaned_data["number"],
                                                           form.cleaned_data["query_code"],
                                                           request=request)
            except StepError as exc:
                form.add_error(None, str(exc))
            else:
                if application is not None:
                    # A new session key on gaining access, as on a login (session fixation).
                    request.session.cycle_key()
                    follow_in_session(request, application)
                    return redirect("apply:detail", number=application.number)
                form.add_error(None, _("No application matches this number and query code. "
                                       "Check both and try again."))
    else:
        form = FollowForm(initial={"number": request.GET.get("number", "")[:30]})
    return render(request, "applications/public/follow.html", {"form": form})


@never_cache
def detail(request: HttpRequest, number: str) -> HttpResponse:
    application = followed_application(request, number)
    if application is None:
        return _to_follow_form(number)
    return render(request, "applications/public/detail.html",
                  _detail_context(application))


@never_cache
@sensitive_post_parameters()
@require_POST
def correct(request: HttpRequest, number: str) -> HttpResponse:
    """The applicant's answer to a correction request (Art. 30)."""
    application = followed_application(request, number)
    if application is None:
        return _to_follow_form(number)
    form = CorrectionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            actions.submit_correction(application, text=form.cleaned_data["description"],
                                      attachments=form.attachment_tuples(), request=request)
        except StepError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your correction has been received. The reply period "
                                        "starts again from today."))
            return redirect("apply:detail", number=application.number)
    return render(request, "applications/public/detail.html",
                  _detail_context(application, correction_form=form))


@never_cache
@require_POST
def withdraw(request: HttpRequest, number: str) -> HttpResponse:
    application = followed_application(request, number)
    if application is None:
        return _to_follow_form(number)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            actions.withdraw(application, reason=form.cleaned_data["reason"], request=request)
        except StepError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your application has been withdrawn."))
            return redirect("apply:detail", number=application.number)
    return render(request, "applications/public/detail.html",
                  _detail_context(application, withdraw_form=form))


@never_cache
def letter(request: HttpRequest, number: str, event_id: str) -> HttpResponse:
    """A letter not stored yet: served once it exists; until then it is queued for the
    worker (once) and the page says it is being prepared, with a link to ask again."""
    application = followed_application(request, number)
    if application is None:
        raise Http404
    event = get_object_or_404(ApplicationEvent, pk=event_id, application=application,
                              public=True)
    stored = letters.stored_pdf(event)
    if stored is not None:
        return redirect("apply:document", number=application.number, document_id=stored.pk)
    if event not in letters.unrendered(application, for_applicant=True):
        raise Http404
    with transaction.atomic():
        tasks.queue_letter(event)
    return render(request, "applications/public/letter_preparing.html",
                  {"application": application, "event": event})


def document(request: HttpRequest, number: str, document_id: str) -> HttpResponse:
    """A letter or released document, to a visitor who follows the application."""
    application = followed_application(request, number)
    if application is None:
        raise Http404
    doc = get_object_or_404(Document, pk=document_id, application=application,
                            visible_to_applicant=True)
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["Content-Disposition"] = content_disposition_header(True, doc.filename)
    return response
