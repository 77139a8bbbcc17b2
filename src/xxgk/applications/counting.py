"""Section 三 of the annual report, counted from the applications themselves.

Nothing is stored for the report: every cell is derived from three columns an application
already has, the confirmed receipt date, the closing date and the (cached) outcome, so a
corrected outcome or a late-confirmed receipt shows in the next computation. Applications
whose receipt was never confirmed (withdrawn at once, say) were never received and count
nowhere.

With year Y running from 1 January (J) to 31 December (D):

- received: received in Y;
- carried over from last year: received before J and not closed before J;
- each outcome row: closed in Y, by its outcome; ``total`` is their sum;
- carried over to next year: received by D and not closed by D.

Since an application closes on or after its receipt, the set "received by D and not closed
before J" splits exactly into "closed in Y" and "carried over to next year", so every column
obeys the national check received + carried over from last year = total + carried over to
next year by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from xxgk import taxonomy

from .models import Application, ApplicationEvent, EventKind

RowCounts = dict[str, dict[str, int]]


def empty_table() -> RowCounts:
    """Every row of section 三 with every column at zero."""
    return {row: dict.fromkeys(taxonomy.REPORT_COLUMN_KEYS, 0)
            for row in taxonomy.APPLICATION_ROW_KEYS}


def application_counts(agency_ids: Iterable[int], year: int) -> RowCounts:
    """``{row_key: {column_key: n}}`` of section 三 for the applications handled by the
    given agencies (the caller passes a whole subtree for a roll-up), in two queries."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    received = Application.objects.filter(agency_id__in=list(agency_ids),
                                          received_on__isnull=False).order_by()
    open_at_start = Q(closed_on__isnull=True) | Q(closed_on__gte=first)
    open_at_end = Q(closed_on__isnull=True) | Q(closed_on__gt=last)
    table = empty_table()

    # Only applications open at some point of the year can count in these three rows.
    by_column = received.filter(Q(received_on__lte=last) & open_at_start).values_list(
        "applicant_column").annotate(
        received=Count("id", filter=Q(received_on__range=(first, last))),
        carried_in=Count("id", filter=Q(received_on__lt=first) & open_at_start),
        carried_out=Count("id", filter=Q(received_on__lte=last) & open_at_end),
    )
    for column, n_received, n_carried_in, n_carried_out in by_column:
        _add(table, taxonomy.RECEIVED, column, n_received)
        _add(table, taxonomy.CARRIED_OVER_FROM_LAST_YEAR, column, n_carried_in)
        _add(table, taxonomy.CARRIED_OVER_TO_NEXT_YEAR, column, n_carried_out)

    closed = (received.filter(closed_on__range=(first, last))
              .values_list("outcome", "applicant_column").annotate(n=Count("id")))
    for outcome, column, n in closed:
        _add(table, outcome, column, n)
        _add(table, taxonomy.TOTAL, column, n)
    return table


def _add(table: RowCounts, row: str, column: str, n: int) -> None:
    if not n:
        return
    table[row][column] += n
    table[row][taxonomy.TOTAL] += n


@dataclass(frozen=True)
class FeeCounts:
    """A year's processing fees of a set of agencies: the fee notices sent, the amount they
    billed, and the amount paid, in yuan (None where nothing was summed)."""

    notices: int
    billed: Decimal | None
    collected: Decimal | None


def fee_counts(agency_ids: Iterable[int], year: int) -> FeeCounts:
    """The fee notices sent in ``year`` and the amount they billed, and the amount paid in
    ``year``, for the applications the given agencies handle, summed in SQL from the
    events (the amounts are stored in the events' data). The applications' own reading of
    their events, so that the annual report (section 六) need not know how they are
    stored."""
    events = ApplicationEvent.objects.filter(
        application__agency_id__in=list(agency_ids),
        occurred_on__range=(dt.date(year, 1, 1), dt.date(year, 12, 31)),
    ).order_by()
    amount = Cast(KeyTextTransform("amount", "data"),
                  DecimalField(max_digits=14, decimal_places=2))
    notified = events.filter(kind=EventKind.FEE_NOTIFIED).aggregate(n=Count("id"),
                                                                     billed=Sum(amount))
    paid = events.filter(kind=EventKind.FEE_PAID).aggregate(collected=Sum(amount))
    return FeeCounts(notices=notified["n"], billed=notified["billed"],
                     collected=paid["collected"])
