"""What the actions layers of the record-keeping apps share: a refused step and its checks.

A step (publish an item, open a consultation, …) either happens whole or is refused with a
message for the user and the form field it belongs to, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .today import today


class StepError(Exception):
    """A step that is not allowed now, in any actions layer: ``message`` is for the user,
    ``field`` the form field it belongs to (None for the whole form), ``failures`` the
    checks that failed (a report that cannot be published). The pages put the message on
    the form; the API answers 409 with it."""

    def __init__(self, message: str, field: str | None = None,
                 failures: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.failures = tuple(failures)


class TooManyRequestsError(StepError):
    """A refusal for going too fast (too many failed look-ups, too many submissions, too
    many searches): its own class, so that the API answers 429 (Too Many Requests) with
    ``Retry-After`` rather than the 409 of a refused step, and the pages do the same."""

    def __init__(self, message: str, wait: dt.timedelta) -> None:
        super().__init__(message)
        self.wait = wait

    @property
    def retry_after(self) -> str:
        """The ``Retry-After`` header's value: whole seconds, at least one."""
        return str(max(int(self.wait.total_seconds() + 0.999), 1))


def wait_text(wait: dt.timedelta) -> str:
    """A wait as people say it: seconds below two minutes, minutes below two hours."""
    seconds = max(int(wait.total_seconds() + 0.999), 1)
    if seconds < 120:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = (seconds + 59) // 60
    if minutes < 120:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = (minutes + 59) // 60
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}


def require_past(day: dt.date, field: str) -> None:
    """Records say what happened: a date after today is refused."""
    if day > today():
        raise StepError(_("The date is in the future."), field)


def user_or_none(actor: Any) -> Any:
    """``actor`` as a user to store, or None for the system (the demo, a command)."""
    return actor if getattr(actor, "is_authenticated", False) else None
