"""The only writers of consultations: open one, publish its feedback report.

As for the catalogue: each step checks, writes and audits in one transaction and is refused
whole (``core.steps.StepError``); ``actor=None`` is the system (the demo, a command); only
the agency's handlers and the OGI office write; dates in a locked year are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency
from xxgk.core.periods import require_unlocked
from xxgk.core.steps import StepError, require_past, user_or_none

from .models import Consultation, FeedbackReport

MAX_TITLE = 300


def _require_editor(actor: Any, agency: Agency) -> None:
    if actor is not None and not access.may_write(actor, agency):
        raise StepError(_("Your account may not record consultations of this agency."))


def open_consultation(agency: Agency, *, title: str, opened_on: dt.date, closes_on: dt.date,
                      summary: str = "", actor: Any = None,
                      request: HttpRequest | None = None) -> Consultation:
    """Record that ``agency`` asked the public's opinion from ``opened_on`` to ``closes_on``."""
    _require_editor(actor, agency)
    title = title.strip()
    if not title:
        raise StepError(_("Give the title."), "title")
    if len(title) > MAX_TITLE:
        raise StepError(_("The title is longer than %(n)d characters.") % {"n": MAX_TITLE},
                        "title")
    require_past(opened_on, "opened_on")
    if closes_on < opened_on:
        raise StepError(_("A consultation cannot close before it opens."), "closes_on")
    require_unlocked(agency, opened_on, "opened_on")
    with transaction.atomic():
        consultation = Consultation.objects.create(
            agency=agency, title=title, summary=summary.strip(), opened_on=opened_on,
            closes_on=closes_on, created_by=user_or_none(actor))
        audit.record("consultation.open", actor=actor, obj=consultation, request=request)
    return consultation


def publish_feedback(consultation: Consultation, *, published_on: dt.date, text: str,
                     opinions_received: int, opinions_adopted: int, actor: Any = None,
                     request: HttpRequest | None = None) -> FeedbackReport:
    """Publish the consultation's feedback report: what was received, what was adopted."""
    _require_editor(actor, consultation.agency)
    text = text.strip()
    if not text:
        raise StepError(_("Give the text of the feedback report."), "text")
    if opinions_received < 0 or not 0 <= opinions_adopted <= opinions_received:
        raise StepError(_("The opinions adopted must be between 0 and the opinions "
                          "received."), "opinions_adopted")
    require_past(published_on, "published_on")
    if published_on < consultation.closes_on:
        raise StepError(_("The feedback is published after the consultation closes."),
                        "published_on")
    require_unlocked(consultation.agency, published_on, "published_on")
    with transaction.atomic():
        locked = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if FeedbackReport.objects.filter(consultation=locked).exists():
            raise StepError(_("The feedback report is already published."))
        report = FeedbackReport.objects.create(
            consultation=locked, published_on=published_on, text=text,
            opinions_received=opinions_received, opinions_adopted=opinions_adopted,
            created_by=user_or_none(actor))
        audit.record("consultation.feedback", actor=actor, obj=locked, request=request,
                     detail={"received": opinions_received, "adopted": opinions_adopted})
    return report
