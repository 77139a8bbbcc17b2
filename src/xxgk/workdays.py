"""The Chinese working-day calendar (工作日), pure Python.

Every statutory period of the Regulation is counted in working days: Monday to Friday,
minus the statutory holidays, plus the make-up working days (调休上班) that the State
Council General Office fixes each year in its holiday notice. A due date computed on the
wrong calendar is a legal error, so this module never guesses: a date in a year the
calendar has no data for raises :class:`UnknownYearError`, unless the caller asked, in so
many words, for the weekends-only fallback (``assume_weekends=True``) and can then show
which years were assumed (:meth:`WorkCalendar.assumed_years`).

The years up to the last notice published before a release come from the
``chinese-calendar`` package; the OGI office adds later years (and corrects shipped ones)
through :meth:`WorkCalendar.extended`, which ``xxgk.holidays`` feeds from the database.

Counting convention (次日起算): a period of N working days "from" a date starts on the
next day, so the start date itself never counts, whether or not it is a working day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

import chinese_calendar
from chinese_calendar import constants as _cc

_ONE_DAY = dt.timedelta(days=1)
MAKE_UP_DAY = "调休上班"


class UnknownYearError(ValueError):
    """A date falls in a year whose holiday notice the calendar does not have."""

    def __init__(self, year: int) -> None:
        self.year = year
        super().__init__(
            f"the working-day calendar has no data for {year}; enter the State Council's "
            f"{year} holiday notice or use the weekends-only fallback"
        )


@dataclass(frozen=True)
class DayOverride:
    """One listed day: a holiday on a weekday or a make-up working day on a weekend.

    ``source`` says where the entry comes from (a notice, or the package that shipped it),
    so that a disputed due date can be traced back to the document behind it.
    """

    date: dt.date
    is_working_day: bool
    name: str = ""
    source: str = ""


def _check_date(d: dt.date) -> None:
    # datetime is a subclass of date, but a datetime key never matches a date key in the
    # override table: it would silently be treated as an ordinary weekday.
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")


@dataclass(frozen=True)
class WorkCalendar:
    """An immutable working-day calendar: known years plus their listed days.

    A date not listed is a working day exactly when it is Monday to Friday; a listed date
    is whatever its :class:`DayOverride` says. Build one with :func:`shipped_calendar` and
    :meth:`extended` rather than by hand.
    """

    known_years: frozenset[int] = frozenset()
    # Excluded from the hash because mappings are unhashable.
    overrides: Mapping[dt.date, DayOverride] = field(default_factory=dict, hash=False)
    assume_weekends: bool = False

    def __post_init__(self) -> None:
        # Copied into read-only containers so that no caller can change a calendar that
        # due dates have already been computed on.
        object.__setattr__(self, "known_years", frozenset(self.known_years))
        object.__setattr__(self, "overrides", MappingProxyType(dict(self.overrides)))
        undeclared = sorted({d.year for d in self.overrides} - self.known_years)
        if undeclared:
            raise ValueError(
                f"days listed for {', '.join(map(str, undeclared))} without declaring the "
                "year known: a year's notice must be entered as a whole"
            )

    def extended(
        self, overrides: Iterable[DayOverride], years: Iterable[int] = ()
    ) -> WorkCalendar:
        """A new calendar with ``years`` declared known and ``overrides`` taking precedence.

        Declaring a year is separate from listing days because a year is complete only
        when its whole notice has been entered; a single listed day must not make the
        remaining days of its year look like ordinary weekdays.
        """
        table = dict(self.overrides)
        for entry in overrides:
            _check_date(entry.date)
            table[entry.date] = entry
        return WorkCalendar(self.known_years | frozenset(years), table, self.assume_weekends)

    def with_assume_weekends(self, assume: bool = True) -> WorkCalendar:
        """The same calendar, treating unknown years as Monday–Friday (or not)."""
        return WorkCalendar(self.known_years, self.overrides, assume)

    def is_working_day(self, d: dt.date) -> bool:
        """Whether ``d`` is a working day; unknown years raise unless weekends are assumed."""
        _check_date(d)
        return self._is_working_day(d)

    def _is_working_day(self, d: dt.date) -> bool:
        entry = self.overrides.get(d)
        if entry is not None:
            return entry.is_working_day
        if d.year not in self.known_years and not self.assume_weekends:
            raise UnknownYearError(d.year)
        return d.weekday() < 5

    def entry(self, d: dt.date) -> DayOverride | None:
        """The listed entry for ``d`` (its name and source), or None for an ordinary day."""
        _check_date(d)
        return self.overrides.get(d)

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date on which the n-th working day after ``start`` falls (次日起算).

        ``n == 0`` returns ``start`` itself, so that a zero-length period ends where it
        begins even when ``start`` is a holiday.
        """
        _check_date(start)
        if n < 0:
            raise ValueError(f"a period cannot have a negative length ({n} working days)")
        d = start
        while n:
            d += _ONE_DAY
            if self._is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The number of working days d with start < d <= end.

        This is the inverse of :meth:`add_working_days` (adding n then measuring gives n
        back). When ``end`` is before ``start`` the count is negated, so that "working days
        left until the due date" goes negative once the due date has passed.
        """
        _check_date(start)
        _check_date(end)
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        d = start
        while d < end:
            d += _ONE_DAY
            if self._is_working_day(d):
                count += 1
        return count

    def assumed_years(self, start: dt.date, end: dt.date) -> tuple[int, ...]:
        """The years from ``start`` to ``end`` (either order) that this calendar does not know.

        With ``assume_weekends`` these are the years whose results rest on the
        weekends-only fallback and must be shown as such.
        """
        low, high = sorted((start.year, end.year))
        return tuple(y for y in range(low, high + 1) if y not in self.known_years)


def _shipped_overrides() -> tuple[frozenset[int], dict[dt.date, DayOverride]]:
    """The base tables of ``chinese-calendar``, read once into xxgk's own shape."""
    chinese_names = {h.value: h.chinese for h in _cc.Holiday}
    source = f"chinese-calendar {chinese_calendar.__version__}"
    table: dict[dt.date, DayOverride] = {}
    for d, holiday in _cc.holidays.items():
        table[d] = DayOverride(d, False, chinese_names.get(holiday, holiday), source)
    for d, holiday in _cc.workdays.items():
        festival = chinese_names.get(holiday, holiday)
        table[d] = DayOverride(d, True, f"{MAKE_UP_DAY}（{festival}）", source)
    # The package's own notion of coverage: every year between its first and last holiday.
    first, last = min(_cc.holidays).year, max(_cc.holidays).year
    return frozenset(range(first, last + 1)), table


@cache
def shipped_calendar(assume_weekends: bool = False) -> WorkCalendar:
    """The calendar of the years xxgk ships, without anything entered in the database."""
    years, table = _shipped_overrides()
    return WorkCalendar(years, table, assume_weekends)


def _or_shipped(calendar: WorkCalendar | None) -> WorkCalendar:
    return shipped_calendar() if calendar is None else calendar


def is_working_day(d: dt.date, *, calendar: WorkCalendar | None = None) -> bool:
    """Whether ``d`` is a working day (on the shipped calendar unless one is given)."""
    return _or_shipped(calendar).is_working_day(d)


def add_working_days(start: dt.date, n: int, *, calendar: WorkCalendar | None = None) -> dt.date:
    """The n-th working day after ``start``, counted from the next day (次日起算)."""
    return _or_shipped(calendar).add_working_days(start, n)


def working_days_between(
    start: dt.date, end: dt.date, *, calendar: WorkCalendar | None = None
) -> int:
    """The number of working days d with start < d <= end (negated if end < start)."""
    return _or_shipped(calendar).working_days_between(start, end)


def holiday_name(d: dt.date, *, calendar: WorkCalendar | None = None) -> str | None:
    """The name of a listed day (e.g. 春节, 调休上班（春节）), or None for an ordinary day."""
    entry = _or_shipped(calendar).entry(d)
    return entry.name if entry else None
