"""What the actions layers of the record-keeping apps share: a refused step and its checks.

A step (publish an item, open a consultation, …) either happens whole or is refused with a
message for the user and the form field it belongs to, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

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


def require_past(day: dt.date, field: str) -> None:
    """Records say what happened: a date after today is refused."""
    if day > today():
        raise StepError(_("The date is in the future."), field)


def user_or_none(actor: Any) -> Any:
    """``actor`` as a user to store, or None for the system (the demo, a command)."""
    return actor if getattr(actor, "is_authenticated", False) else None
