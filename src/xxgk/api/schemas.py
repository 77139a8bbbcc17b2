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
from decimal import Decimal
from typing import Any, Literal

from django import forms
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from xxgk import taxonomy
from xxgk.applications import clock, inbox
from xxgk.applications import staff_forms as sf
from xxgk.applications.fees import FeeMethod
from xxgk.applications.forms import (
    ApplicationForm,
    CorrectionForm,
    FollowForm,
    WithdrawForm,
    has_control_characters,
)
from xxgk.applications.models import Delivery, IdDocument, ProvisionForm, Status

ApplicantColumn = Literal[taxonomy.APPLICANT_COLUMN_KEYS]  # type: ignore[valid-type]
Outcome = Literal[taxonomy.OUTCOME_KEYS]  # type: ignore[valid-type]
IdDocumentType = Literal[tuple(IdDocument.values)]  # type: ignore[valid-type]
ProvisionFormValue = Literal[tuple(ProvisionForm.values)]  # type: ignore[valid-type]
DeliveryValue = Literal[tuple(Delivery.values)]  # type: ignore[valid-type]
StatusValue = Literal[tuple(Status.values)]  # type: ignore[valid-type]
ClockStateValue = Literal[tuple(s.value for s in clock.ClockState)]  # type: ignore[valid-type]
ConsultationKindValue = Literal[tuple(k.value for k in clock.ConsultationKind)]  # type: ignore[valid-type]
FeeMethodValue = Literal[tuple(m.value for m in FeeMethod)]  # type: ignore[valid-type]
ShowValue = Literal[inbox.Show.OPEN, inbox.Show.CLOSED, inbox.Show.ALL]


def plain_text(value: Any) -> Any:
    """A text value with its line breaks normalised; control characters (NUL among them,
    which PostgreSQL cannot store) and bidirectional overrides are refused, as the site's
    forms refuse them. Other values pass unchanged."""
    if not isinstance(value, str):
        return value
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if has_control_characters(value, multiline=True):
        raise ValueError(_("Remove the control characters from this field."))
    return value


class In(Schema):
    """A request body: unknown fields are refused, surrounding spaces are dropped, text is
    plain text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return plain_text(value)


# ---- The public side -------------------------------------------------------------------


def _max(form: type[forms.Form], field: str) -> int:
    """A text field's bound, read from the page's form so that the two never differ."""
    return form.base_fields[field].max_length


QUERY_CODE_MAX = _max(FollowForm, "query_code")


class ApplyIn(In):
    """A disclosure application. It is checked by the site's own application form
    (``applications.forms.ApplicationForm``), so the rules are the same on both channels:
    a natural person gives a name and an ID document (a resident ID's check digit is
    verified); an organisation its name, unified social credit code and contact person; a
    phone number always; an email address to receive by email, a postal address by post.
    There is deliberately no field for the purpose: the Regulation (2019) no longer asks."""

    applicant_column: ApplicantColumn = Field(
        description="natural_person, or the kind of organisation (the report's column)")
    applicant_name: str = Field(max_length=_max(ApplicationForm, "name"),
                                description="the person's or the organisation's name")
    id_document_type: IdDocumentType | None = Field(None, description="natural persons only")
    id_number: str = Field("", max_length=_max(ApplicationForm, "id_number"),
                           description="natural persons only")
    credit_code: str = Field("", max_length=_max(ApplicationForm, "credit_code"),
                             description="organisations only: the unified social credit code")
    contact_person: str = Field("", max_length=_max(ApplicationForm, "contact_person"),
                                description="organisations only")
    phone: str = Field(max_length=_max(ApplicationForm, "phone"))
    email: str = Field("", max_length=_max(ApplicationForm, "email"))
    address: str = Field("", max_length=_max(ApplicationForm, "address"))
    postcode: str = Field("", max_length=_max(ApplicationForm, "postcode"))
    description: str = Field(max_length=_max(ApplicationForm, "description"),
                             description="the information sought")
    document_number: str = Field("", max_length=_max(ApplicationForm, "document_number"))
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

    number: str = Field(max_length=_max(FollowForm, "number"))
    query_code: str = Field(max_length=QUERY_CODE_MAX)


class CorrectionIn(Credentials):
    description: str = Field(max_length=_max(CorrectionForm, "description"),
                             description="the corrected description of the information "
                                         "sought")


class WithdrawIn(Credentials):
    reason: str = Field("", max_length=_max(WithdrawForm, "reason"))


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


# Each step's body is checked again by the workbench's own form for that step
# (``applications.staff_forms``), whose bounds these schemas read; the step table
# (``applications.steps.STEPS``) says which body feeds which form. A date left out is today.


class ConfirmReceiptIn(In):
    received_on: dt.date


class AssignIn(In):
    handler: str = Field(max_length=150, description="the username of a handler of the agency")


class TransferIn(In):
    to_agency: str = Field(max_length=20,
                           description="the code of another agency of the same government")
    reason: str = Field(max_length=_max(sf.TransferForm, "reason"))


class RequestCorrectionIn(In):
    what: str = Field(max_length=_max(sf.CorrectionForm, "what"))
    deadline: dt.date
    on: dt.date | None = None


class ConsultationIn(In):
    party: str = Field(max_length=_max(sf.ConsultationForm, "party"))
    party_kind: ConsultationKindValue
    on: dt.date | None = None


class ConsultationAnswerIn(In):
    party: str = Field(max_length=_max(sf.ConsultationForm, "party"),
                       description="a party consulted that has not answered yet")
    summary: str = Field("", max_length=_max(sf.ConsultationAnswerForm, "summary"))
    on: dt.date | None = None


class ExtensionRequestIn(In):
    days: int = Field(ge=sf.ExtensionRequestForm.base_fields["days"].min_value,
                      le=sf.ExtensionRequestForm.base_fields["days"].max_value)
    reason: str = Field(max_length=_max(sf.ExtensionRequestForm, "reason"))


class OnIn(In):
    on: dt.date | None = None


class FeeNoticeIn(In):
    """The amount, and the basis and standard the notice must state, are computed from
    the fee measures as the workbench computes them; they are not sent."""

    method: FeeMethodValue
    pages: int | None = Field(None, ge=0, description="A4 pages, for by_volume")
    on: dt.date | None = None


class FeePaymentIn(In):
    amount: Decimal = Field(description="yuan; must equal the notice's amount")
    on: dt.date | None = None


class FeeWaiverIn(In):
    reason: str = Field(max_length=_max(sf.FeeWaiverForm, "reason"))
    on: dt.date | None = None


class ReplyIn(In):
    outcome: Outcome
    legal_basis: str = Field("", max_length=_max(sf.ReplyForm, "legal_basis"),
                             description="left empty, the outcome's own article is cited")
    body: str = Field("", max_length=_max(sf.ReplyForm, "body"))
    responsible_agency: str = Field("", max_length=_max(sf.ReplyForm, "responsible_agency"))
    on: dt.date | None = None


class CorrectOutcomeIn(In):
    outcome: Outcome
    reason: str = Field(max_length=_max(sf.CorrectOutcomeForm, "reason"))
