"""The working-day calendar in force: the shipped years plus those entered in the database."""

from __future__ import annotations

from django.db import DatabaseError, connection

from xxgk.holidays.models import CalendarDay, CalendarYear
from xxgk.workdays import DayOverride, WorkCalendar, shipped_calendar


def current_calendar(assume_weekends: bool = False) -> WorkCalendar:
    """The shipped calendar extended with every year the OGI office has entered.

    Read from the database on each call rather than cached in the process, so that a
    year entered in the admin takes effect on every app server at once.
    """
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
