"""Keyset paging for the public listings: stable addresses, as fast on page 50,000 as on
page 1.

A listing is ordered newest first by ``(date, pk)`` descending. A page's address names the
last entry of the page before it (``?before=2025-03-10_1234``) or, going back towards the
newest, the first entry of the page after it (``?after=…``). The database then starts
reading the index at that key instead of counting and skipping rows (``OFFSET``), so a deep
page costs what the first one does, and an address keeps showing the same entries when
new items are published on top. The condition is written ``date <= d AND (date < d OR pk <
p)`` rather than as one ``OR``: the first half is an index range, so both SQLite and
PostgreSQL start the scan at the key; the second only drops the few rows of day ``d``.

There are no page numbers (a number would need an ``OFFSET``); ``?page=`` is ignored, and an
address with a malformed cursor is a 404, never a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict

PAGE_SIZE = 20
_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2})_(\d{1,18})$")


@dataclass(frozen=True)
class Cursor:
    """The key of one entry: its date and its primary key."""

    day: dt.date
    pk: int

    def __str__(self) -> str:
        return f"{self.day.isoformat()}_{self.pk}"


def parse_cursor(value: str) -> Cursor:
    """``2025-03-10_1234`` as a cursor; anything else raises ``Http404``."""
    match = _CURSOR.match(value)
    if not match:
        raise Http404("malformed page address")
    try:
        day = dt.date.fromisoformat(match[1])
    except ValueError:
        raise Http404("malformed page address") from None
    pk = int(match[2])
    if pk > 2**63 - 1:
        raise Http404("malformed page address")
    return Cursor(day, pk)


@dataclass(frozen=True)
class Page:
    """One page of a listing: its entries and the addresses of its neighbours (query
    strings, or None where there is no neighbour)."""

    entries: list[Any]
    newer: str | None
    older: str | None
    # Whether the newest entries are on this page (no "newest" link is needed).
    is_first: bool
    # The query string of the newest page with the same filters ("" without filters).
    newest: str = ""


def _key(entry: Any, field: str) -> Cursor:
    return Cursor(getattr(entry, field), entry.pk)


def _before(field: str, cursor: Cursor) -> Q:
    return Q(**{f"{field}__lte": cursor.day}) & (
        Q(**{f"{field}__lt": cursor.day}) | Q(pk__lt=cursor.pk))


def _after(field: str, cursor: Cursor) -> Q:
    return Q(**{f"{field}__gte": cursor.day}) & (
        Q(**{f"{field}__gt": cursor.day}) | Q(pk__gt=cursor.pk))


def _without_cursor(params: QueryDict) -> QueryDict:
    query = params.copy()
    for key in ("before", "after", "page"):
        query.pop(key, None)
    return query


def _address(params: QueryDict, name: str, cursor: Cursor) -> str:
    query = _without_cursor(params)
    query[name] = str(cursor)
    return "?" + query.urlencode()


def paginate(queryset: QuerySet, params: QueryDict, *, field: str = "published_on",
             size: int = PAGE_SIZE) -> Page:
    """The page of ``queryset`` (newest first by ``field``, then pk) that ``params`` asks
    for. Two queries: the entries (one more than a page, to know whether there is another)
    and whether there is one on the other side."""
    before, after = params.get("before"), params.get("after")
    if before is not None and after is not None:
        raise Http404("a page is before one entry or after one, not both")
    newest_first = queryset.order_by(f"-{field}", "-pk")
    if after is not None:
        cursor = parse_cursor(after)
        rows = list(queryset.filter(_after(field, cursor))
                    .order_by(field, "pk")[: size + 1])
        more_newer = len(rows) > size
        entries = rows[:size][::-1]
        more_older = newest_first.filter(_before(field, cursor)).exists() if entries else True
    else:
        cursor = parse_cursor(before) if before is not None else None
        if cursor is not None:
            newest_first = newest_first.filter(_before(field, cursor))
        rows = list(newest_first[: size + 1])
        more_older = len(rows) > size
        entries = rows[:size]
        more_newer = cursor is not None and queryset.filter(_after(field, cursor)).exists()
    newer = (_address(params, "after", _key(entries[0], field))
             if more_newer and entries else None)
    older = (_address(params, "before", _key(entries[-1], field))
             if more_older and entries else None)
    return Page(entries=entries, newer=newer, older=older,
                is_first=(before is None and after is None)
                or (after is not None and not more_newer and bool(entries)),
                newest=("?" + query.urlencode()) if (query := _without_cursor(params)) else "")
