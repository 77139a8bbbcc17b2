"""Turning applications into response data, one function per audience.

The applicant's view is built from an allow-list: public events only, with only the event
data an applicant may see, and documents only where ``visible_to_applicant`` is set. The
staff view masks every contact detail as the workbench does (``inbox.masked_identity``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.urls import reverse
from django.utils import timezone

from xxgk import taxonomy
from xxgk.agencies.models import Agency
from xxgk.applications import actions, clock, inbox, timing
from xxgk.applications.models import Application, ApplicationEvent, EventKind, Status

# Event data an applicant may see. Left out: the parties consulted (third parties' names),
# the handler's username, the previous outcome of an internal correction.
PUBLIC_EVENT_DATA = frozenset({"channel", "received_on", "deadline", "days", "amount", "method",
                               "outcome", "legal_basis", "responsible_agency", "to_agency"})


def agency(value: Agency) -> dict[str, str]:
    return {"code": value.code, "name": value.name, "name_en": value.name_en}


def _outcome_labels(key: str) -> tuple[str, str]:
    category = taxonomy.OUTCOMES_BY_KEY.get(key)
    if category is None:
        return "", ""
    if category.group_zh:
        return (f"{category.group_zh}·{category.label_zh}",
                f"{category.group_en}: {category.label_en}")
    return category.label_zh, category.label_en


def document_url(application: Application, document_id: int) -> str:
    return reverse("api:application_document",
                   kwargs={"number": application.number, "document_id": document_id})


def for_applicant(application: Application) -> dict[str, Any]:
    """The applicant's view of their application (the lookup response)."""
    result = timing.compute(application)
    outcome_zh, outcome_en = _outcome_labels(application.outcome)
    return {
        "number": application.number,
        "status": application.status,
        "status_label": str(Status(application.status).label),
        "agency": agency(application.agency),
        "arrived_on": timezone.localtime(application.arrived_at).date(),
        "received_on": application.received_on,
        "due_on": result.due if result else application.due_on,
        "clock": None if result is None else {
            "state": result.state.value, "due": result.due, "working_days_left": result.left,
            "headline_zh": result.headline_zh, "headline_en": result.headline_en,
        },
        "outcome": application.outcome,
        "outcome_zh": outcome_zh,
        "outcome_en": outcome_en,
        "closed_on": application.closed_on,
        "events": [
            {"kind": event.kind, "label": str(EventKind(event.kind).label),
             "occurred_on": event.occurred_on, "note": event.note,
             "data": {k: v for k, v in event.data.items() if k in PUBLIC_EVENT_DATA}}
            for event in application.events.all() if event.public
        ],
        "documents": [
            {"id": doc.pk, "kind": doc.kind, "filename": doc.filename,
             "content_type": doc.content_type, "size": doc.size,
             "url": document_url(application, doc.pk)}
            for doc in application.documents.filter(visible_to_applicant=True).defer("sealed")
        ],
    }


# ---- Staff -----------------------------------------------------------------------------


def inbox_item(application: Application, result: clock.ClockResult | None) -> dict[str, Any]:
    """One row of the staff inbox with its clock for today (``result``; the cached
    columns when there is none); needs ``agency`` and ``handler`` selected."""
    return {
        "number": application.number,
        "agency": agency(application.agency),
        "handler": application.handler.get_username() if application.handler else None,
        "applicant_column": application.applicant_column,
        "applicant_name": application.applicant_name,
        "channel": application.channel,
        "arrived_at": application.arrived_at,
        "received_on": application.received_on,
        "status": application.status,
        "clock_state": result.state.value if result else application.clock_state,
        "due_on": result.due if result else application.due_on,
        "working_days_left": result.left if result else application.working_days_left,
        "outcome": application.outcome,
        "closed_on": application.closed_on,
    }


def for_staff(application: Application) -> dict[str, Any]:
    """The staff detail: the whole history, the clock with its explanation, and the
    applicant's contact details masked. Prefetch ``events__actor`` so that the history
    and the clock read the events once."""
    result = timing.compute(application)
    identity = inbox.masked_identity(application)
    return {
        **inbox_item(application, result),
        "addressed_to": agency(application.addressed_to) if application.addressed_to else None,
        "identity": asdict(identity) if identity else None,
        "description": application.description,
        "document_number": application.document_number,
        "provision_form": application.provision_form,
        "delivery": application.delivery,
        "open_consultations": actions.open_consultations(application),
        "clock": result.as_dict() if result else None,
        "events": [
            {"id": event.pk, "kind": event.kind, "label": str(EventKind(event.kind).label),
             "occurred_on": event.occurred_on, "recorded_at": event.recorded_at,
             "actor": event.actor.get_username() if event.actor else None,
             "public": event.public, "note": event.note, "data": event.data}
            for event in application.events.all()
        ],
        "documents": [
            {"id": doc.pk, "kind": doc.kind, "filename": doc.filename,
             "content_type": doc.content_type, "size": doc.size,
             "visible_to_applicant": doc.visible_to_applicant}
            for doc in application.documents.defer("sealed")
        ],
    }


def after_action(application: Application, event: ApplicationEvent) -> dict[str, Any]:
    return {
        "number": application.number,
        "agency": application.agency.code,
        "status": application.status,
        "clock_state": application.clock_state,
        "due_on": application.due_on,
        "event": event.kind,
        "data": event.data,
    }
