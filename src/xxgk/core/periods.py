"""Reported periods are locked: a published report's year cannot be changed behind it.

Publishing an annual report locks its agency's year (:func:`lock`), reopening it unlocks
the year (:func:`unlock`); both are called by ``reports.actions`` only. Every actions layer
that records something dated in a past year asks :func:`period_locked` (or
:func:`require_unlocked`) and refuses, so a published report stays true to its records.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from xxgk.agencies.models import Agency

from .models import LockedPeriod
from .steps import StepError


def lock(agency: Agency, year: int) -> None:
    LockedPeriod.objects.get_or_create(agency=agency, year=year)
    if (snapshot := _pinned_snapshot()) is not None:
        snapshot.locks.add((agency.pk, year))


def unlock(agency: Agency, year: int) -> None:
    LockedPeriod.objects.filter(agency=agency, year=year).delete()
    if (snapshot := _pinned_snapshot()) is not None:
        snapshot.locks.discard((agency.pk, year))


@dataclass
class _Snapshot:
    locks: set[tuple[int, int]]
    # Each agency's path to its id and whether its report covers its subtree.
    agencies: dict[str, tuple[int, bool]]


_pinned = threading.local()


def _pinned_snapshot() -> _Snapshot | None:
    return getattr(_pinned, "snapshot", None)


@contextmanager
def pinned() -> Iterator[None]:
    """Within this block (in this thread), the locks and the agency tree are read once:
    for bulk work such as the demo's thousands of steps, each of which would otherwise ask
    the database again. :func:`lock` and :func:`unlock` keep the snapshot current; nothing
    else may change locks or agencies meanwhile."""
    outer = _pinned_snapshot()
    if outer is None:
        _pinned.snapshot = _Snapshot(
            set(LockedPeriod.objects.values_list("agency_id", "year")),
            {path: (pk, covers) for pk, path, covers in
             Agency.objects.values_list("pk", "path", "report_covers_subtree")})
    try:
        yield
    finally:
        _pinned.snapshot = outer


def _pinned_years(snapshot: _Snapshot, agency: Agency) -> set[int]:
    covering = {agency.pk} | {snapshot.agencies[path][0] for path in _ancestor_paths(agency)
                              if path in snapshot.agencies and snapshot.agencies[path][1]}
    return {year for agency_id, year in snapshot.locks if agency_id in covering}


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
    if (snapshot := _pinned_snapshot()) is not None:
        return day.year in _pinned_years(snapshot, agency)
    return _covering_locks(agency).filter(year=day.year).exists()


def first_locked_year(agency: Agency, first: int, last: int) -> int | None:
    """The earliest year from ``first`` to ``last`` locked for ``agency``. A receipt dated
    in year R counts in every year from R until the application closes (received, then
    carried over), so back-dating one must leave all those years unlocked."""
    if (snapshot := _pinned_snapshot()) is not None:
        return min((y for y in _pinned_years(snapshot, agency) if first <= y <= last),
                   default=None)
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
