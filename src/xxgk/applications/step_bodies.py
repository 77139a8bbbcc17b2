"""The bodies the API accepts, and those of the staff's handling steps in particular.

They live with the applications, not in ``xxgk.api``, because the step table
(``steps.STEPS``) says which body feeds which workbench form: the API reads the table and
this module, and the domain never imports the API. Every body forbids unknown fields and
bounds every string with the bound of the site's own form for it, so that a typo in a client
is a 422 naming the field rather than silently ignored data, and both channels apply one
set of rules.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any, Literal

from django import forms
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, ConfigDict, field_validator

from xxgk import taxonomy

from . import clock
from . import staff_forms as sf
from .fees import FeeMethod
from .forms import has_control_characters

Outcome = Literal[taxonomy.OUTCOME_KEYS]  # type: ignore[valid-type]
ConsultationKindValue = Literal[tuple(k.value for k in clock.ConsultationKind)]  # type: ignore[valid-type]
FeeMethodValue = Literal[tuple(m.value for m in FeeMethod)]  # type: ignore[valid-type]


def form_max_length(form: type[forms.Form], field: str) -> int:
    """A text field's bound, read from the page's form so that the two never differ."""
    return form.base_fields[field].max_length


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


_ISO_DATE = re.compile(r"\s*\d{4}-\d{2}-\d{2}\s*\Z")


def iso_date(value: Any) -> Any:
    """A date must be written as one (``2026-03-10``): pydantic would otherwise read a
    number (or a string of digits, as a query parameter is) as seconds since 1970, so that
    ``1700000000`` became 14 November 2023."""
    if isinstance(value, dt.date) or (isinstance(value, str) and _ISO_DATE.match(value)):
        return value
    raise ValueError(_("Enter a date as YYYY-MM-DD."))


# A date in a request: a date, never a number taken for one.
IsoDate = Annotated[dt.date, BeforeValidator(iso_date)]


class In(Schema):
    """A request body: unknown fields are refused, surrounding spaces are dropped, text is
    plain text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        return plain_text(value)



# ---- The staff's steps: each body is checked again by the workbench's own form for that
# step, whose bounds it reads; the step table (``steps.STEPS``) says which body feeds which
# form. A date left out is today.


class ConfirmReceiptIn(In):
    received_on: IsoDate


class AssignIn(In):
    handler: str = Field(max_length=150, description="the username of a handler of the agency")


class TransferIn(In):
    to_agency: str = Field(max_length=20,
                           description="the code of another agency of the same government")
    reason: str = Field(max_length=form_max_length(sf.TransferForm, "reason"))


class RequestCorrectionIn(In):
    what: str = Field(max_length=form_max_length(sf.CorrectionForm, "what"))
    deadline: IsoDate
    on: IsoDate | None = None


class ConsultationIn(In):
    party: str = Field(max_length=form_max_length(sf.ConsultationForm, "party"))
    party_kind: ConsultationKindValue
    on: IsoDate | None = None


class ConsultationAnswerIn(In):
    party: str = Field(max_length=form_max_length(sf.ConsultationForm, "party"),
                       description="a party consulted that has not answered yet")
    summary: str = Field("", max_length=form_max_length(sf.ConsultationAnswerForm, "summary"))
    on: IsoDate | None = None


class ExtensionRequestIn(In):
    days: int = Field(ge=sf.ExtensionRequestForm.base_fields["days"].min_value,
                      le=sf.ExtensionRequestForm.base_fields["days"].max_value)
    reason: str = Field(max_length=form_max_length(sf.ExtensionRequestForm, "reason"))


class OnIn(In):
    on: IsoDate | None = None


class FeeNoticeIn(In):
    """The amount, and the basis and standard the notice must state, are computed from
    the fee measures as the workbench computes them; they are not sent."""

    method: FeeMethodValue
    pages: int | None = Field(None, ge=0, description="A4 pages, for by_volume")
    on: IsoDate | None = None


class FeePaymentIn(In):
    amount: Decimal = Field(description="yuan; must equal the notice's amount")
    on: IsoDate | None = None


class FeeWaiverIn(In):
    reason: str = Field(max_length=form_max_length(sf.FeeWaiverForm, "reason"))
    on: IsoDate | None = None


class ReplyIn(In):
    outcome: Outcome
    legal_basis: str = Field("", max_length=form_max_length(sf.ReplyForm, "legal_basis"),
                             description="left empty, the outcome's own article is cited")
    body: str = Field("", max_length=form_max_length(sf.ReplyForm, "body"))
    responsible_agency: str = Field("", max_length=form_max_length(sf.ReplyForm, "responsible_agency"))
    on: IsoDate | None = None


class CorrectOutcomeIn(In):
    outcome: Outcome
    reason: str = Field(max_length=form_max_length(sf.CorrectOutcomeForm, "reason"))
