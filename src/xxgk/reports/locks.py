"""Reported periods are locked: a published report's year cannot be changed behind it.

Actions that record something dated in a past year (applications, appeals) call
:func:`period_locked` and refuse when it is locked, so that a published report stays true
to the records. Reopening the report (``actions.reopen``, with a reason) unlocks
the period.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from xxgk.agencies.models import Agency
from xxgk.core.steps import StepError

from .models import AnnualReport, ReportState


def _ancestor_paths(agency: Agency) -> list[str]:
    """The materialised paths of the agencies strictly above ``agency``."""
    codes = agency.path.rstrip("/").split("/")[:-1]
    return ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]


def _locked_reports(agency: Agency):
    """The published, locked reports that cover ``agency``: its own, or the report of an
    agency above it that covers its subtree."""
    covering = Q(agency_id=agency.pk) | Q(agency__path__in=_ancestor_paths(agency),
                                         agency__report_covers_subtree=True)
    return AnnualReport.objects.filter(covering, locked=True, state=ReportState.PUBLISHED)


def period_locked(agency: Agency, day: dt.date) -> bool:
    """Whether a published, locked report covers ``agency`` for the year of ``day``."""
    return _locked_reports(agency).filter(year=day.year).exists()


def first_locked_year(agency: Agency, first: int, last: int) -> int | None:
    """The earliest year from ``first`` to ``last`` whose report covering ``agency`` is
    locked. A receipt dated in year R counts in every year from R until the application
    closes (received, then carried over), so back-dating one must leave all those years
    unlocked."""
    return (_locked_reports(agency).filter(year__range=(first, last)).order_by("year")
            .values_list("year", flat=True).first())


def locked_message(year: int) -> str:
    """What a refused step tells its user: why, and who can lift the lock."""
    return (_("The annual report for %(year)d has been published, so records of that year "
              "are locked. The OGI office can reopen it, with a reason.") % {"year": year})


def require_unlocked(agency: Agency, day: dt.date, field: str) -> None:
    """Refuse a step dated ``day`` when a published report locks that year."""
    if period_locked(agency, day):
        raise StepError(locked_message(day.year), field)
