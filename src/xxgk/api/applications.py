"""The applications endpoints: the public side (apply, follow, correct, withdraw,
download) and the staff side (the inbox, the detail, one endpoint per handling step of
``applications.steps.STEPS``, the table the workbench reads too).

Handlers are thin: they find the application the caller may act on, call exactly one
function of ``applications.actions``, and present the result. Everything that changes an
application goes through the actions layer, which locks, checks, appends the event,
recomputes the clock and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.security import django_auth

from xxgk import taxonomy
from xxgk.agencies import access
from xxgk.agencies.models import Agency
from xxgk.applications import actions, pii, steps
from xxgk.applications import inbox as staff_inbox
from xxgk.applications import staff_forms as sf
from xxgk.applications.forms import (
    ORGANISATION,
    ApplicationForm,
    CorrectionForm,
    FollowForm,
    WithdrawForm,
    has_control_characters,
    new_client_token,
)
from xxgk.applications.models import Application, ApplicationEvent, Document
from xxgk.core.steps import StepError

from . import present
from .schemas import (
    INVALID,
    QUERY_CODE_MAX,
    SIGNED_OUT,
    UNREADABLE,
    ActionOut,
    ApplyIn,
    ApplyOut,
    CorrectionIn,
    Credentials,
    ErrorOut,
    InboxFilter,
    InboxOut,
    LookupOut,
    StaffDetailOut,
    WithdrawIn,
)

public = Router()
staff = Router(auth=django_auth)

IDEMPOTENCY_KEY_PATTERN = r"^[A-Za-z0-9._:\-]{16,128}$"
NUMBER_MAX = Application._meta.get_field("number").max_length
DOCUMENT_ID_MAX = 2**63 - 1  # the largest primary key either database stores


def _field_error(location: str, field: str, message: str) -> ValidationError:
    """A 422 in ninja's own format, for a field that only the database can judge."""
    loc = ["body", "payload", field] if location == "body" else [location, field]
    return ValidationError([{"type": "value_error", "loc": loc, "msg": message}])


def _not_found() -> HttpError:
    # One message for a wrong number and a wrong code, so that neither can be probed.
    return HttpError(404, _("No application matches that number and query code."))


def _path_number(number: str, not_found: HttpError) -> str:
    """An application number from a URL; one that no application can have is
    ``not_found`` before it reaches the database (PostgreSQL refuses a NUL in a query)."""
    if len(number) > NUMBER_MAX or has_control_characters(number, multiline=False):
        raise not_found
    return number


# ---- Public ----------------------------------------------------------------------------


# The application form's fields under the names the API gives them.
_FORM_FIELDS = {"applicant_type": "applicant_column", "organisation_kind": "applicant_column",
                "name": "applicant_name", "organisation_name": "applicant_name"}


def _checked(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or a 422 listing its errors under the API's field names."""
    if form.is_valid():
        return form.cleaned_data
    refused = [error for field_errors in form.errors.as_data().values()
               for error in field_errors if error.code == sf.STEP_REFUSED]
    if refused:
        # The form refused the step as its action would (e.g. Art. 30's 7 days): a 409.
        raise StepError(refused[0].messages[0])
    errors = []
    for field, field_errors in form.errors.as_data().items():
        loc = ["body", "payload"]
        if field != forms.forms.NON_FIELD_ERRORS:
            loc.append(_FORM_FIELDS.get(field, field))
        errors += [{"type": error.code or "invalid", "loc": loc, "msg": message}
                   for error in field_errors for message in error.messages]
    raise ValidationError(errors)


def _application_form(payload: ApplyIn, token: str) -> ApplicationForm:
    """The site's application form filled in from the API's body."""
    agency = None
    if payload.agency:
        agency = Agency.objects.filter(code=payload.agency, is_active=True).first()
        if agency is None:
            raise _field_error("body", "agency", _("There is no agency with this code."))
    natural = payload.applicant_column == taxonomy.NATURAL_PERSON
    data = payload.model_dump(exclude={"applicant_column", "applicant_name", "agency"})
    data.update({
        "applicant_type": taxonomy.NATURAL_PERSON if natural else ORGANISATION,
        "name" if natural else "organisation_name": payload.applicant_name,
        "organisation_kind": "" if natural else payload.applicant_column,
        "id_document_type": payload.id_document_type or "",
        "agency": str(agency.pk) if agency else "",
        "client_token": token,
    })
    return ApplicationForm(data)


def _client_token(key: str) -> str:
    """The stored idempotency token: a hash in the API's own namespace, so that an API key
    can never coincide with the token of a form submitted on the site."""
    return hashlib.sha256(f"xxgk-api:{key}".encode()).hexdigest()


def _same_submission(application: Application, submission: actions.Submission) -> bool:
    addressed = submission.agency.pk if submission.agency else None
    return (application.applicant_name == submission.applicant_name
            and application.applicant_column == submission.applicant_column
            and application.applicant_key in pii.applicant_keys(submission.id_document_type,
                                                                 submission.identity.id_number)
            and application.description == submission.description
            and application.addressed_to_id == addressed)


@public.post("", response={201: ApplyOut, 200: ApplyOut, **UNREADABLE, **INVALID}, summary="Apply for disclosure")
def apply(request: HttpRequest, payload: ApplyIn,
          idempotency_key: str | None = Header(
              None, alias="Idempotency-Key", pattern=IDEMPOTENCY_KEY_PATTERN,
              description="any unique string of 16–128 characters (e.g. a UUID); a retry "
                          "with the same key and body returns the first application")
          ) -> Status:
    """Submit an application. 201 when created; 200 when the key was seen before and the
    body is the same application (the first application is returned, nothing is
    created); 422 when the key was used for a different application."""
    token = _client_token(idempotency_key) if idempotency_key else None
    form = _application_form(payload, token or new_client_token())
    _checked(form)  # a 422 unless the site's form accepts it
    submission = form.submission()
    replay = token is not None and Application.objects.filter(client_token=token).exists()
    application, code = actions.submit_application(submission, client_token=token,
                                                   request=request)
    if token and not _same_submission(application, submission):
        raise _field_error("header", "Idempotency-Key",
                           _("This key was already used for a different application."))
    return Status(200 if replay else 201, {"number": application.number, "query_code": code,
                                           "agency": application.agency.code})


def _by_credentials(request: HttpRequest, payload: Credentials,
                    number: str | None = None) -> Application:
    """The application the number and query code open (checked as the follow page
    checks them), or the same 404 whichever of the two is wrong; 429 once the caller's
    address has failed too often (the follow page's lockout). ``number``, from the path,
    must be the one in the body."""
    credentials = _checked(FollowForm({"number": payload.number,
                                       "query_code": payload.query_code}))
    if number is not None and credentials["number"] != number.upper():
        raise _not_found()
    application = actions.access_by_query_code(credentials["number"],
                                               credentials["query_code"], request=request)
    if application is None:
        raise _not_found()
    return application


def _for_applicant(application: Application) -> dict[str, Any]:
    fresh = (Application.objects.select_related("agency").prefetch_related("events")
             .get(pk=application.pk))
    return present.for_applicant(fresh)


@public.post("/lookup", response={200: LookupOut, 404: ErrorOut, 429: ErrorOut, **UNREADABLE, **INVALID},
             summary="Follow an application")
def lookup(request: HttpRequest, payload: Credentials) -> dict[str, Any]:
    """The applicant's view: status, agency, dates, the clock's headline, the public
    history and the documents the applicant may download."""
    return _for_applicant(_by_credentials(request, payload))


@public.post("/{number}/correction",
             response={200: LookupOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut,
                       **UNREADABLE, **INVALID},
             summary="Send the correction that was asked for")
def correct(request: HttpRequest, number: str, payload: CorrectionIn) -> dict[str, Any]:
    application = _by_credentials(request, payload, number)
    data = _checked(CorrectionForm({"description": payload.description}))
    actions.submit_correction(application, text=data["description"], request=request)
    return _for_applicant(application)


@public.post("/{number}/withdraw",
             response={200: LookupOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut,
                       **UNREADABLE, **INVALID},
             summary="Withdraw the application")
def withdraw(request: HttpRequest, number: str, payload: WithdrawIn) -> dict[str, Any]:
    application = _by_credentials(request, payload, number)
    # Calling the endpoint is the confirmation that the page asks for with a checkbox.
    data = _checked(WithdrawForm({"confirm": "on", "reason": payload.reason}))
    actions.withdraw(application, reason=data["reason"], request=request)
    return _for_applicant(application)


@public.get("/{number}/documents/{document_id}", response={404: ErrorOut, 429: ErrorOut, **INVALID},
            url_name="application_document", summary="Download a document",
            openapi_extra={"responses": {"200": {
                "description": "the file",
                "content": {"application/octet-stream": {
                    "schema": {"type": "string", "format": "binary"}}}}}})
def document(request: HttpRequest, number: str,
             document_id: int = Path(..., ge=1, le=DOCUMENT_ID_MAX),
             query_code: str = Header(..., alias="X-Query-Code", max_length=QUERY_CODE_MAX),
             ) -> HttpResponse:
    """A letter or released document of the application; the query code goes in the
    ``X-Query-Code`` header, never in the URL."""
    application = actions.access_by_query_code(_path_number(number, _not_found()), query_code,
                                               request=request)
    if application is None:
        raise _not_found()
    doc = Document.objects.filter(application=application, pk=document_id,
                                  visible_to_applicant=True).first()
    if doc is None:
        raise HttpError(404, _("The application has no such document."))
    response = HttpResponse(bytes(doc.content), content_type=doc.content_type)
    response["Content-Disposition"] = content_disposition_header(True, doc.filename)
    response["Cache-Control"] = "private, no-store"
    return response


# ---- Staff: reading --------------------------------------------------------------------


def _staff_member(request: HttpRequest) -> Any:
    user = request.user
    if not access.is_staff_member(user):
        raise HttpError(403, _("Your account has no staff role."))
    return user


def _visible(request: HttpRequest, number: str) -> Application:
    """The application, if it belongs to an agency the caller's roles cover; else 404,
    so that other agencies' numbers cannot be probed."""
    user = _staff_member(request)
    not_found = HttpError(404, _("There is no application with this number in your agencies."))
    application = (staff_inbox.scoped_applications(user).select_related("agency", "handler")
                   .filter(number=_path_number(number, not_found)).first())
    if application is None:
        raise not_found
    return application


@staff.get("", response={200: InboxOut, 403: ErrorOut, **SIGNED_OUT, **INVALID}, summary="The inbox")
def inbox(request: HttpRequest, filters: Query[InboxFilter]) -> dict[str, Any]:
    """Applications of the caller's agencies, as the workbench's inbox lists them (the
    most urgent first), each with its clock recomputed for today."""
    user = _staff_member(request)
    agency = None
    if filters.agency:
        agency = Agency.objects.filter(code=filters.agency).first()
        if agency is None:
            raise _field_error("query", "agency", _("There is no agency with this code."))
    found = staff_inbox.inbox_queryset(user, staff_inbox.InboxFilters(
        status=filters.status or "", clock_state=filters.clock_state or "", agency=agency,
        due_within=filters.due_within, show=filters.show))
    page = list(found.select_related("agency", "handler").prefetch_related("events")
                [filters.offset:filters.offset + filters.limit])
    today = timezone.localdate()
    clocks = staff_inbox.clocks_for(page, today)
    return {"count": found.count(), "limit": filters.limit, "offset": filters.offset,
            "items": [present.inbox_item(a, clocks[a.pk]) for a in page]}


@staff.get("/{number}", response={200: StaffDetailOut, 403: ErrorOut, 404: ErrorOut, **SIGNED_OUT},
           summary="One application")
def detail(request: HttpRequest, number: str) -> dict[str, Any]:
    """As on the workbench, the detail is for every staff role whose agencies cover the
    application (the oversight auditor too: it reads, it changes nothing)."""
    application = _visible(request, number)
    application = (Application.objects.select_related(
        "agency", "handler", "addressed_to", "identity")
        .prefetch_related(Prefetch("events",
                                   queryset=ApplicationEvent.objects.select_related("actor")))
        .get(pk=application.pk))
    return present.for_staff(application)


# ---- Staff: one endpoint per step, from the step table -------------------------------

STEP_RESPONSES = {200: ActionOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, **SIGNED_OUT,
                  **UNREADABLE, **INVALID}


def _form_value(value: Any) -> Any:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else value


def _checked_step(request: HttpRequest, application: Application, step: steps.Step,
                  payload: Schema) -> dict[str, Any]:
    """The body checked by the workbench's form for the same step (the step's
    ``form_values`` replace the values the API names differently); a date left out is
    today."""
    data = {name: _form_value(value) for name, value in payload.model_dump().items()}
    if "on" in step.form.base_fields and not data.get("on"):
        data["on"] = timezone.localdate().isoformat()
    if step.form_values is not None:
        data.update(step.form_values(payload))
    return _checked(step.form(data, application=application, user=request.user))


def _done(event: ApplicationEvent) -> dict[str, Any]:
    application = Application.objects.select_related("agency").get(pk=event.application_id)
    return present.after_action(application, event)


def _step_endpoint(step: steps.Step) -> Callable[..., dict[str, Any]]:
    """The endpoint of one step: who may (403), a body the step's form accepts (422), a
    step the situation offers (409, as the workbench refuses it), then its one action."""

    def endpoint(request: HttpRequest, number: str, payload: Schema) -> dict[str, Any]:
        application = _visible(request, number)
        if not step.permitted(request.user, application):
            raise HttpError(403, str(step.permission.refusal))
        data = _checked_step(request, application, step, payload)
        step.require_offered(steps.situation_now(application, request.user))
        return _done(step.perform(data, application, request))

    # ninja reads the body's type from the annotations and names the operation after the
    # function (operationId ``xxgk_api_applications_<slug>``), as when each was written out.
    endpoint.__annotations__ = {**endpoint.__annotations__, "request": HttpRequest,
                                "number": str, "payload": step.schema}
    endpoint.__name__ = endpoint.__qualname__ = step.slug.replace("-", "_")
    endpoint.__doc__ = step.description or None
    return endpoint


for _step in steps.STEPS:
    staff.post(f"/{{number}}/{_step.slug}", response=STEP_RESPONSES,
               summary=_step.summary)(_step_endpoint(_step))
