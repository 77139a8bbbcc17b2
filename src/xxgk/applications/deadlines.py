"""The Art. 30 deadline for asking the applicant to correct an application, as the stored
application and the office's calendar give it.

One rule for the action that refuses a late request and for the form that shows the last
day before the handler tries (and refuses it as a field error): the day itself is the pure
``clock.last_correction_day``; this module adds the calendar read from the database and the
refusal's wording, which cites the article.

When the working-day calendar does not know a year the period reaches (the next year's
holiday notice not entered yet), the day cannot be known: it is given as the weekends-only
estimate, marked as such, and a request is never refused on it. Holidays only ever move
the real day later, so refusing on the estimate could refuse a request that is in time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from xxgk.holidays.calendar import current_calendar
from xxgk.workdays import UnknownYearError

from . import clock, timing
from .models import Application


@dataclass(frozen=True)
class CorrectionDeadline:
    """The last day a correction may be requested; ``known`` is False when it is only the
    weekends-only estimate (a year of the period is missing from the calendar)."""

    last_day: dt.date
    known: bool
    working_days: int  # the 7 of Art. 30, as the clock's rules give it


def correction_deadline(application: Application) -> CorrectionDeadline | None:
    """The Art. 30 deadline of ``application``; None before its receipt is confirmed (the
    7 working days run from the confirmed receipt date)."""
    received = application.received_on
    if received is None:
        return None
    rules = timing.clock_rules()
    days = rules.correction_request_working_days
    try:
        return CorrectionDeadline(
            clock.last_correction_day(received, current_calendar(), rules), True, days)
    except UnknownYearError:
        estimate = clock.last_correction_day(
            received, current_calendar(assume_weekends=True), rules)
        return CorrectionDeadline(estimate, False, days)


def late_correction_message(application: Application, on: dt.date) -> str | None:
    """Why a correction requested on ``on`` is refused as too late (Art. 30), or None when
    it is in time or the deadline cannot be known."""
    deadline = correction_deadline(application)
    if deadline is None or not deadline.known or on <= deadline.last_day:
        return None
    return _(
        "Too late to ask for a correction: under Art. 30 of the Regulation "
        "(《政府信息公开条例》第三十条) the applicant may be asked to correct the application "
        "only within %(days)d working days of receipt, that is by %(last)s at the latest "
        "(received %(received)s)."
    ) % {
        "days": deadline.working_days,
        "last": deadline.last_day.isoformat(),
        "received": application.received_on.isoformat() if application.received_on else "",
    }
