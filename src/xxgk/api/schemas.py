"""The shapes of the API's requests and responses.

Every request schema forbids unknown fields and bounds every string, so that a typo in a
client is a 422 naming the field rather than silently ignored data, and a huge value never
reaches the database. Every request is then checked by the site's own form for it (see
``applications.py``), whose bounds these schemas read, so both channels apply one set of
rules. ninja's 422 never repeats the value it rejects, so personal information never
travels back in an error.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator

from xxgk import taxonomy
from xxgk.applications import clock, inbox
from xxgk.applications import staff_forms as sf
from xxgk.applications.forms import (
    ApplicationForm,
    CorrectionForm,
    FollowForm,
    WithdrawForm,
)
from xxgk.applications.models import Delivery, IdDocument, ProvisionForm, Status
from xxgk.applications.step_bodies import In, form_max_length, plain_text

ApplicantColumn = Literal[taxonomy.APPLICANT_COLUMN_KEYS]  # type: ignore[valid-type]
IdDocumentType = Literal[tuple(IdDocument.values)]  # type: ignore[valid-type]
ProvisionFormValue = Literal[tuple(ProvisionForm.values)]  # type: ignore[valid-type]
DeliveryValue = Literal[tuple(Delivery.values)]  # type: ignore[valid-type]
StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
ClockStateValue = Literal[tuple(s.value for s in clock.ClockState)]  # type: ignore[valid-type]
ShowValue = Literal[inbox.Show.OPEN, inbox.Show.CLOSED, inbox.Show.ALL]


# ---- The public side -------------------------------------------------------------------


QUERY_CODE_MAX = form_max_length(FollowForm, "query_code")


class ApplyIn(In):
    """A disclosure application. It is checked by the site's own application form
    (``applications.forms.ApplicationForm``), so the rules are the same on both channels:
    a natural person gives a name and an ID document (a resident ID's check digit is
    verified); an organisation its name, unified social credit code and contact person; a
    phone number always; an email address to receive by email, a postal address by post.
    There is deliberately no field for the purpose: the Regulation (2019) no longer asks."""

    applicant_column: ApplicantColumn = Field(
        description="natural_person, or the kind of organisation (the report's column)")
    applicant_name: str = Field(max_length=form_max_length(ApplicationForm, "name"),
                                description="the person's or the organisation's name")
    id_document_type: IdDocumentType | None = Field(None, description="natural persons only")
    id_number: str = Field("", max_length=form_max_length(ApplicationForm, "id_number"),
                           description="natural persons only")
    credit_code: str = Field("", max_length=form_max_length(ApplicationForm, "credit_code"),
                             description="organisations only: the unified social credit code")
    contact_person: str = Field("", max_length=form_max_length(ApplicationForm, "contact_person"),
                                description="organisations only")
    phone: str = Field(max_length=form_max_length(ApplicationForm, "phone"))
    email: str = Field("", max_length=form_max_length(ApplicationForm, "email"))
    address: str = Field("", max_length=form_max_length(ApplicationForm, "address"))
    postcode: str = Field("", max_length=form_max_length(ApplicationForm, "postcode"))
    description: str = Field(max_length=form_max_length(ApplicationForm, "description"),
                             description="the information sought")
    document_number: str = Field("", max_length=form_max_length(ApplicationForm, "document_number"))
    provision_form: ProvisionFormValue
    delivery: DeliveryValue
    agency: str | None = Field(
        None, max_length=20,
        description="the code of the agency applied to; leave it out when not sure, and "
                    "the OGI office routes the application")


class ApplyOut(Schema):
    number: str
    query_code: str = Field(description="keep it private: with the number it opens the "
                                        "application")
    agency: str = Field(description="the code of the agency now handling it")


class Credentials(In):
    """The application number and its private query code, always sent in a body."""

    number: str = Field(max_length=form_max_length(FollowForm, "number"))
    query_code: str = Field(max_length=QUERY_CODE_MAX)


class CorrectionIn(Credentials):
    description: str = Field(max_length=form_max_length(CorrectionForm, "description"),
                             description="the corrected description of the information "
                                         "sought")


class WithdrawIn(Credentials):
    reason: str = Field("", max_length=form_max_length(WithdrawForm, "reason"))


class AgencyOut(Schema):
    code: str
    name: str
    name_en: str


class PublicEventOut(Schema):
    kind: str
    label: str
    occurred_on: dt.date
    note: str
    data: dict[str, Any]


class PublicDocumentOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    url: str = Field(description="GET it with the X-Query-Code header")


class ClockHeadlineOut(Schema):
    state: str
    due: dt.date | None
    working_days_left: int | None
    headline_zh: str
    headline_en: str


class LookupOut(Schema):
    """What the applicant may see: no personal information at all."""

    number: str
    status: str
    status_label: str
    agency: AgencyOut
    arrived_on: dt.date
    received_on: dt.date | None
    due_on: dt.date | None
    clock: ClockHeadlineOut | None
    outcome: str
    outcome_zh: str
    outcome_en: str
    closed_on: dt.date | None
    events: list[PublicEventOut]
    documents: list[PublicDocumentOut]


class ErrorOut(Schema):
    detail: str


class FieldErrorOut(Schema):
    type: str = Field(description="what is wrong (missing, string_too_long, …)")
    loc: list[str | int] = Field(
        description="where: body, query, path or header, then the field")
    msg: str


class InvalidOut(Schema):
    """A 422: every invalid field of the request, each with its place and its reason (the
    value itself is never repeated)."""

    detail: list[FieldErrorOut]


# The answers an endpoint gives besides its own, declared with each so that the schema
# lists every status the API sends: invalid parameters or body (422), a body that is not
# JSON (400), a staff endpoint called without a session (401).
INVALID = {422: InvalidOut}
UNREADABLE = {400: ErrorOut}
SIGNED_OUT = {401: ErrorOut}


# ---- The staff side --------------------------------------------------------------------


class InboxFilter(Schema):
    status: StatusValue | None = None
    clock_state: ClockStateValue | None = None
    agency: str | None = Field(None, max_length=20,
                               description="an agency code: that agency and those under it")
    due_within: int | None = Field(
        None, ge=0, le=sf.InboxFilterForm.base_fields["due_within"].max_value,
        description="due within this many working days from today (overdue ones included)")
    show: ShowValue = Field(inbox.Show.OPEN, description="ignored when a status is chosen")
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=10_000_000)

    @field_validator("*")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return plain_text(value)


class InboxItemOut(Schema):
    number: str
    agency: AgencyOut
    handler: str | None
    applicant_column: str
    applicant_name: str
    channel: str
    arrived_at: dt.datetime
    received_on: dt.date | None
    status: str
    clock_state: str
    due_on: dt.date | None
    working_days_left: int | None
    outcome: str
    closed_on: dt.date | None


class InboxOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[InboxItemOut]


class MaskedIdentityOut(Schema):
    """Contact details as staff lists show them; the full values are for the handling
    agency's staff through the workbench, where each viewing is audited."""

    id_document_type: str
    id_number: str
    phone: str
    email: str
    address: str


class StaffEventOut(Schema):
    id: int
    kind: str
    label: str
    occurred_on: dt.date
    recorded_at: dt.datetime
    actor: str | None
    public: bool
    note: str
    data: dict[str, Any]


class StaffDocumentOut(Schema):
    id: int
    kind: str
    filename: str
    content_type: str
    size: int
    visible_to_applicant: bool


class StaffDetailOut(InboxItemOut):
    addressed_to: AgencyOut | None
    identity: MaskedIdentityOut | None
    description: str
    document_number: str
    provision_form: str
    delivery: str
    open_consultations: list[str]
    clock: dict[str, Any] | None = Field(
        description="the clock with its explanation (timing.compute(...).as_dict()); "
                    "null before the receipt is confirmed")
    events: list[StaffEventOut]
    documents: list[StaffDocumentOut]


class ActionOut(Schema):
    """The application after a step; it may have left the caller's agencies (a transfer)."""

    number: str
    agency: str
    status: str
    clock_state: str
    due_on: dt.date | None
    event: str = Field(description="the kind of event the step appended")
    data: dict[str, Any] = Field(description="the event's facts (a fee notice's amount, …)")
