"""The day the actions act on, from one place that tests can set.

The law counts dates in Asia/Shanghai; every actions layer takes "today" from
:func:`today` instead of calling ``timezone.localdate()`` itself, so that a test (or the
demo, building past years) can fix the day with :func:`fixed_today` and every rule that
compares with today (a date in the future, a deadline passed) sees the same day.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

_fixed = threading.local()


def today() -> dt.date:
    """The local date of the law (Asia/Shanghai), or the day fixed by :func:`fixed_today`."""
    day = getattr(_fixed, "day", None)
    return day if day is not None else timezone.localdate()


@contextmanager
def fixed_today(day: dt.date) -> Iterator[None]:
    """Within this block (in this thread), :func:`today` is ``day``."""
    previous = getattr(_fixed, "day", None)
    _fixed.day = day
    try:
        yield
    finally:
        _fixed.day = previous
