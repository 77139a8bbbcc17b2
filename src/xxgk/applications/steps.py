"""The staff's handling steps, in one table that the workbench and the API both read.

For each step: its name (the workbench form's name and prefix) and its slug (the API's
path), the workbench form and the API body that feed it, the one function of ``actions``
it calls and how the form's cleaned data becomes that function's arguments, when it is
offered (a predicate on the application's :class:`Situation`), who may take it (the
handlers and the OGI office, or for an extension's approval a reviewer or the OGI office),
and the message once it is done. Adding a step here
adds it to both channels; neither wires a step of its own.

The API's body for each step is in ``step_bodies``, beside this table, so the domain
never imports the API.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from ninja import Schema

from xxgk.agencies.models import Agency
from xxgk.core.steps import StepError

from . import actions, fees, inbox, step_bodies
from . import staff_forms as sf
from .models import Application, ApplicationEvent, EventKind, Status

# The refusal of a step the application's situation does not offer, on both channels.
NOT_OFFERED = _("That step is not possible in the application's current state; the page "
                "shows what is.")


# ---- What the application's history allows now ---------------------------------------------


@dataclass(frozen=True)
class Situation:
    """The facts about an application, for one member of staff, that decide which steps
    make sense now."""

    application: Application
    user: Any
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

    @property
    def may_approve(self) -> bool:
        return actions.staff_may_approve(self.user, self.application)


def situation(application: Application, events: list[ApplicationEvent], user: Any) -> Situation:
    """The situation of ``application`` given its ``events`` (oldest first), for ``user``."""
    kinds = [e.kind for e in events]
    notified = EventKind.FEE_NOTIFIED in kinds
    return Situation(
        application=application,
        user=user,
        correction_requested=EventKind.CORRECTION_REQUESTED in kinds,
        consultations_waiting=bool(actions.open_consultations(application)),
        extension_pending=kinds.count(EventKind.EXTENSION_REQUESTED) > kinds.count(
            EventKind.EXTENDED),
        extended=EventKind.EXTENDED in kinds,
        fee_notified=notified,
        fee_pending=notified and not {EventKind.FEE_PAID, EventKind.FEE_WAIVED} & set(kinds),
    )


def situation_now(application: Application, user: Any) -> Situation:
    return situation(application, list(application.events.all()), user)


# ---- The table ---------------------------------------------------------------------------------

Cleaned = dict[str, Any]


@dataclass(frozen=True)
class Permission:
    """Who may take a step, and the reason given to anyone else: one function of
    ``actions``, which the step's action asks again."""

    allows: Callable[[Any, Application], bool]
    refusal: Promise


# Most steps are the handling agency's handlers' and the OGI office's.
HANDLING = Permission(actions.staff_may_handle, actions.NOT_HANDLER)


@dataclass(frozen=True)
class Step:
    """One handling step, as both channels offer it."""

    name: str
    slug: str
    summary: str  # the API operation's summary (the API's texts are English)
    form: type[sf.ActionForm]
    schema: type[Schema]
    action: Callable[..., ApplicationEvent]
    arguments: Callable[[Cleaned, Application, HttpRequest], dict[str, Any]]
    offered_when: Callable[[Situation], bool]
    done: Promise
    permission: Permission = HANDLING
    # The API's values that differ from the form's (a username for the form's user id).
    form_values: Callable[[Any], dict[str, Any]] | None = None
    description: str = ""  # the API operation's description, where the summary is not all

    def permitted(self, user: Any, application: Application) -> bool:
        return self.permission.allows(user, application)

    def offered(self, state: Situation) -> bool:
        """Whether the page shows the step's form now, and either channel accepts it."""
        return self.permitted(state.user, state.application) and self.offered_when(state)

    def require_offered(self, state: Situation) -> None:
        """Refuse (:class:`StepError`, the API's 409) a step not offered now."""
        if not self.offered(state):
            raise StepError(str(NOT_OFFERED))

    def perform(self, cleaned: Cleaned, application: Application,
                request: HttpRequest) -> ApplicationEvent:
        """Call the step's one action with the arguments the cleaned data gives."""
        return self.action(application, **self.arguments(cleaned, application, request))


def _by(request: HttpRequest) -> dict[str, Any]:
    """Who acts, and the request the audit log takes the address from."""
    return {"actor": request.user, "request": request}


def fee_quote(cleaned: Cleaned, application: Application) -> fees.FeeQuote:
    """What the fee measures charge for this notice: the one derivation the notice, its
    preview on the page and the API use."""
    return inbox.fee_quote(application, cleaned["method"], cleaned.get("pages"))


def _confirm_receipt(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"received_on": cd["received_on"], **_by(r)}


def _assign(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"handler": cd["handler"], **_by(r)}


def _transfer(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"to_agency": cd["to_agency"], "reason": cd["reason"], **_by(r)}


def _request_correction(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"what": cd["what"], "deadline": cd["deadline"], "on": cd["on"], **_by(r)}


def _send_consultation(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"party": cd["party"], "party_kind": cd["party_kind"], "on": cd["on"], **_by(r)}


def _consultation_answer(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"party": cd["party"], "summary": cd["summary"], "on": cd["on"], **_by(r)}


def _request_extension(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"days": cd["days"], "reason": cd["reason"], **_by(r)}


def _approve_extension(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"approver": r.user, "on": cd["on"], "request": r}


def _fee_notice(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    quote = fee_quote(cd, app)
    return {"method": cd["method"], "amount": quote.amount, "basis": quote.notice_text,
            "on": cd["on"], **_by(r)}


def _fee_payment(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"amount": cd["amount"], "on": cd["on"], **_by(r)}


def _fee_waiver(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"reason": cd["reason"], "on": cd["on"], **_by(r)}


def _reply(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    # The API has no files: its form cleans ``released`` to an empty list.
    return {"outcome": cd["outcome"], "legal_basis": cd["legal_basis"], "body": cd["body"],
            "on": cd["on"], "released": cd["released"],
            "responsible_agency": cd["responsible_agency"], **_by(r)}


def _correct_outcome(cd: Cleaned, app: Application, r: HttpRequest) -> dict[str, Any]:
    return {"outcome": cd["outcome"], "reason": cd["reason"], **_by(r)}


def _handler_by_username(payload: Any) -> dict[str, Any]:
    """The API names the handler by username; the form chooses among user ids (a name that
    is no user stays as it is, and the form refuses it)."""
    users = get_user_model().objects
    handler = users.filter(**{users.model.USERNAME_FIELD: payload.handler}).first()
    return {"handler": handler.pk if handler else payload.handler}


def _agency_by_code(payload: Any) -> dict[str, Any]:
    """The API names the agency by code; the form chooses among agency ids."""
    agency = Agency.objects.filter(code=payload.to_agency).first()
    return {"to_agency": agency.pk if agency else payload.to_agency}


STEPS: tuple[Step, ...] = (
    Step("confirm_receipt", "confirm-receipt", "Confirm receipt",
         sf.ConfirmReceiptForm, step_bodies.ConfirmReceiptIn, actions.confirm_receipt,
         _confirm_receipt, lambda s: s.application.status == Status.SUBMITTED,
         _("Receipt confirmed; the clock is running.")),
    Step("assign", "assign", "Assign a handler",
         sf.AssignForm, step_bodies.AssignIn, actions.assign,
         _assign, lambda s: s.open,
         _("Handler assigned."), form_values=_handler_by_username),
    Step("transfer", "transfer", "Transfer to another agency",
         sf.TransferForm, step_bodies.TransferIn, actions.transfer,
         _transfer, lambda s: s.open,
         _("Application transferred."), form_values=_agency_by_code),
    Step("request_correction", "request-correction",
         "Ask the applicant to correct the application (once)",
         sf.CorrectionForm, step_bodies.RequestCorrectionIn, actions.request_correction,
         _request_correction, lambda s: s.handling and not s.correction_requested,
         _("Correction requested; the clock waits for the corrected application.")),
    Step("send_consultation", "consultation", "Consult a third party or another agency",
         sf.ConsultationForm, step_bodies.ConsultationIn, actions.send_consultation,
         _send_consultation, lambda s: s.handling,
         _("Consultation recorded; the clock is paused until the answer.")),
    Step("consultation_answer", "consultation-answer", "Record a consultation's answer",
         sf.ConsultationAnswerForm, step_bodies.ConsultationAnswerIn,
         actions.record_consultation_answer,
         _consultation_answer, lambda s: s.open and s.consultations_waiting,
         _("Consultation answer recorded.")),
    Step("request_extension", "extension-request", "Ask for the one extension",
         sf.ExtensionRequestForm, step_bodies.ExtensionRequestIn, actions.request_extension,
         _request_extension, lambda s: s.handling and not s.extended and not s.extension_pending,
         _("Extension requested; it takes effect when approved.")),
    Step("approve_extension", "extension-approve",
         "Approve the pending extension (reviewer or OGI office)",
         sf.ExtensionApprovalForm, step_bodies.OnIn, actions.approve_extension,
         _approve_extension, lambda s: s.open and s.extension_pending,
         _("Extension approved."),
         permission=Permission(actions.staff_may_approve, actions.NOT_APPROVER)),
    Step("fee_notice", "fee-notice", "Send a fee notice",
         sf.FeeNoticeForm, step_bodies.FeeNoticeIn, actions.notify_fee,
         _fee_notice, lambda s: s.handling and not s.fee_notified,
         _("Fee notice recorded; the clock is paused until payment."),
         description="The amount, basis and standard come from the fee measures; the notice "
                     "states all three."),
    Step("fee_payment", "fee-payment", "Record the payment",
         sf.FeePaymentForm, step_bodies.FeePaymentIn, actions.record_fee_payment,
         _fee_payment, lambda s: s.open and s.fee_pending,
         _("Payment recorded.")),
    Step("fee_waiver", "fee-waiver", "Waive the fee",
         sf.FeeWaiverForm, step_bodies.FeeWaiverIn, actions.waive_fee,
         _fee_waiver, lambda s: s.open and s.fee_pending,
         _("Fee waived.")),
    Step("reply", "reply", "Reply (closes it)",
         sf.ReplyForm, step_bodies.ReplyIn, actions.reply,
         _reply, lambda s: s.open and s.application.received_on is not None,
         _("Reply recorded; the application is closed."),
         description="Released documents are attached on the workbench; the API replies "
                     "without them."),
    Step("correct_outcome", "correct-outcome", "Correct a closed application's outcome",
         sf.CorrectOutcomeForm, step_bodies.CorrectOutcomeIn, actions.correct_outcome,
         _correct_outcome, lambda s: not s.open,
         _("Outcome corrected.")),
)

BY_NAME: dict[str, Step] = {step.name: step for step in STEPS}
