"""The clock of an application as the pure :mod:`clock` sees it: the adapter between the
stored events and ``clock.compute_clock``.

Its own module, below ``actions``, ``letters``, ``inbox``, ``reminders`` and the API, so that
each of them computes a clock the same way without importing another (the letters used to
take this from ``actions``, which imports the letters).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings

from xxgk.core.today import today as current_day
from xxgk.holidays.calendar import current_calendar
from xxgk.workdays import WorkCalendar

from . import clock
from .models import Application, ApplicationEvent, EventKind


def clock_events(events: Iterable[ApplicationEvent]) -> list[clock.Event]:
    """The clock's view of an application's history."""
    out: list[clock.Event] = []
    for event in events:
        on, data = event.occurred_on, event.data
        match event.kind:
            case EventKind.CORRECTION_REQUESTED:
                out.append(clock.CorrectionRequested(on, dt.date.fromisoformat(data["deadline"])))
            case EventKind.CORRECTED:
                out.append(clock.CorrectionReceived(on))
            case EventKind.CONSULTATION_SENT:
                out.append(clock.ConsultationSent(on, clock.ConsultationKind(data["party_kind"]),
                                                  data["party"]))
            case EventKind.CONSULTATION_ANSWERED:
                out.append(clock.ConsultationAnswered(on, data["party"]))
            case EventKind.FEE_NOTIFIED:
                out.append(clock.FeeNotified(on))
            case EventKind.FEE_PAID | EventKind.FEE_WAIVED:
                out.append(clock.FeePaid(on))
            case EventKind.EXTENDED:
                out.append(clock.Extended(on, int(data["days"])))
            case EventKind.REPLIED:
                out.append(clock.Replied(on))
            case EventKind.WITHDRAWN:
                out.append(clock.Withdrawn(on))
    return out


def compute(application: Application, today: dt.date | None = None,
            calendar: WorkCalendar | None = None) -> clock.ClockResult | None:
    """The application's clock as of ``today``; None before the receipt is confirmed.

    Dates in a year the calendar does not know are computed on the visible weekends-only
    fallback here (the result lists ``assumed_years``), so that a missing holiday notice
    degrades the workbench instead of breaking it. Pass ``calendar`` to share one calendar
    among many applications (it is read from the database).
    """
    if application.received_on is None:
        return None
    return clock.compute_clock(
        application.received_on, clock_events(application.events.all()),
        today=today or current_day(),
        calendar=calendar or current_calendar(assume_weekends=True),
        rules=clock_rules(),
    )


def clock_rules() -> clock.ClockRules:
    return clock.ClockRules(due_soon_working_days=settings.XXGK_DUE_SOON_WORKING_DAYS)


