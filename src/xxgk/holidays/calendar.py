"""The working-day calendar in force: the shipped years plus those entered in the database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

from xxgk.holidays.models import CalendarDay, CalendarYear
from xxgk.workdays import DayOverride, WorkCalendar, shipped_calendar


def current_calendar(assume_weekends: bool = False) -> WorkCalendar:
    """The shipped calendar extended with every year the OGI office has entered.

    Read from the database on each call rather than cached in the process, so that a
    year entered in the admin takes effect on every app server at once (except within
    :func:`calendar_pinned`).
    """
    pinned = getattr(_pinned, "calendars", None)
    if pinned is not None:
        if assume_weekends not in pinned:
            pinned[assume_weekends] = _read_calendar(assume_weekends)
        return pinned[assume_weekends]
    return _read_calendar(assume_weekends)


_pinned = threading.local()


@contextmanager
def calendar_pinned() -> Iterator[None]:
    """Within this block (in this thread), the calendar is read from the database once:
    for bulk work such as the demo's thousands of steps, each of which would otherwise
    read it again. Nothing edits the calendar meanwhile."""
    outer = getattr(_pinned, "calendars", None)
    _pinned.calendars = {} if outer is None else outer
    try:
        yield
    finally:
        _pinned.calendars = outer


def _read_calendar(assume_weekends: bool) -> WorkCalendar:
    try:
        years = list(CalendarYear.objects.values_list("year", flat=True))
    except DatabaseError:
        # A database not migrated yet (say, `xxgk clock` straight after installing) has
        # entered no years: the shipped calendar is then the whole truth.
        if CalendarYear._meta.db_table in connection.introspection.table_names():
            raise
        return shipped_calendar(assume_weekends)
    days = CalendarDay.objects.select_related("year")
    overrides = [
        DayOverride(day.date, day.is_working_day, day.name, day.year.source) for day in days
    ]
    return shipped_calendar(assume_weekends).extended(overrides, years)
