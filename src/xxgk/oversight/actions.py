"""The only writer of training records: ``record_training``.

Views, the demo and commands call it; it checks, writes and audits in one transaction, so
a refused record leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from xxgk.agencies import access, audit
from xxgk.agencies.models import Agency
from xxgk.core.steps import StepError
from xxgk.core.today import today

from .models import Training

MAX_ATTENDEES = 100_000


class TrainingError(StepError):
    """A training record that is not allowed."""


def staff_may_record_trainings(user: Any) -> bool:
    """The district OGI office organises and records the trainings (the seed's 监督培训)."""
    return access.is_ogi_office(user)


def record_training(*, agency: Agency, date: dt.date, title: str, attendees: int,
                    agencies: Iterable[Agency], notes: str = "", actor: Any = None,
                    request: HttpRequest | None = None) -> Training:
    """Record a session held on ``date`` by ``agency``, attended by ``attendees`` people
    from ``agencies``; audited as ``oversight.training.record``.

    ``actor=None`` is the system itself (the demo, a command); people always pass theirs.
    """
    attending = sorted(set(agencies), key=lambda a: a.path)
    title = title.strip()
    if actor is not None and not staff_may_record_trainings(actor):
        raise TrainingError(_("Only the OGI office records training sessions."))
    if not title:
        raise TrainingError(_("Give the title of the session."), "title")
    if date > today():
        raise TrainingError(_("The date is in the future: record a session once it is held."),
                            "date")
    if not attending:
        raise TrainingError(_("Choose the agencies whose staff attended."), "agencies")
    if not 1 <= attendees <= MAX_ATTENDEES:
        raise TrainingError(_("Give the number of people who attended (at least 1)."),
                            "attendees")
    if attendees < len(attending):
        raise TrainingError(
            _("%(agencies)d agencies attended, so at least %(agencies)d people did.")
            % {"agencies": len(attending)}, "attendees")
    try:
        with transaction.atomic():
            training = Training.objects.create(
                agency=agency, date=date, title=title, attendees=attendees,
                notes=notes.strip(),
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            training.agencies.set(attending)
            audit.record("oversight.training.record", actor=actor, obj=training,
                         request=request, detail={
                             "date": date.isoformat(), "attendees": attendees,
                             "agencies": [a.code for a in attending],
                         })
    except IntegrityError:
        raise TrainingError(_("This session is already recorded: the organiser held a session "
                              "with this title on this day."), "title") from None
    return training
