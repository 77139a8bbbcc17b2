"""Reported periods are locked: a published report's year cannot be changed behind it.

Publishing an annual report locks its agency's year (:func:`lock`), reopening it unlocks
the year (:func:`unlock`); both are called by ``reports.actions`` only. Every actions layer
that records something dated in a past year asks :func:`period_locked` (or
:func:`require_unlocked`) and refuses, so a published report stays true to its records.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.translation import gettext as _

from xxgk.agencies.models import Agency

from .models import LockedPeriod
from .steps import StepError


def lock(agency: Agency, year: int) -> None:
    LockedPeriod.objects.get_or_create(agency=agency, year=year)


def unlock(agency: Agency, year: int) -> None:
    LockedPeriod.objects.filter(agency=agency, year=year).delete()


def _ancestor_paths(agency: Agency) -> list[str]:
    """The materialised paths of the agencies strictly above ``agency``."""
    codes = agency.path.rstrip("/").split("/")[:-1]
    return ["".join(f"{code}/" for code in codes[: i + 1]) for i in range(len(codes))]


def _covering_locks(agency: Agency):
    """The locks that cover ``agency``: its own, or those of an agency above it whose
    report covers its subtree."""
    covering = Q(agency_id=agency.pk) | Q(agency__path__in=_ancestor_paths(agency),
                                         agency__report_covers_subtree=True)
    return LockedPeriod.objects.filter(covering)


def period_locked(agency: Agency, day: dt.date) -> bool:
    """Whether a published report covering ``agency`` locks the year of ``day``."""
    return _covering_locks(agency).filter(year=day.year).exists()


def first_locked_year(agency: Agency, first: int, last: int) -> int | None:
    """The earliest year from ``first`` to ``last`` locked for ``agency``. A receipt dated
    in year R counts in every year from R until the application closes (received, then
    carried over), so back-dating one must leave all those years unlocked."""
    return (_covering_locks(agency).filter(year__range=(first, last)).order_by("year")
            .values_list("year", flat=True).first())


def locked_message(year: int) -> str:
    """What a refused step tells its user: why, and who can lift the lock."""
    return (_("The annual report for %(year)d has been published, so records of that year "
              "are locked. The OGI office can reopen it, with a reason.") % {"year": year})


def require_unlocked(agency: Agency, day: dt.date, field: str | None = None) -> None:
    """Refuse a step dated ``day`` when a published report locks that year."""
    if period_locked(agency, day):
        raise StepError(locked_message(day.year), field)
