"""Section 四 of the annual report: appeal cases by kind and result, in one query.

A report states the year as it stood on 31 December, so a case filed in the year counts
with its result only if the decision is dated in the year; a decision that came later
leaves it "pending" in that year's report. The report is therefore the same whenever it
is computed.

That rule is written once, in :func:`year_end_results`: the report's section 四
(:func:`appeal_counts`) and the scorecard's appeal figures (``oversight.scores``) both
count through it, so the two always agree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Value, When

from xxgk import taxonomy

from .models import PENDING, AppealCase


@dataclass(frozen=True)
class ResultCount:
    """``n`` cases against one agency, of one kind, with one result as of 31 December
    (``PENDING`` for a case decided later or not at all)."""

    agency_id: int
    kind: str
    result: str
    n: int


def year_end_results(agency_ids: Iterable[int], year: int) -> list[ResultCount]:
    """The cases filed in ``year`` against the given agencies, counted by agency, kind and
    result as of 31 December of the year, in one query."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        AppealCase.objects.filter(agency_id__in=list(agency_ids), filed_on__range=(first, last))
        .annotate(as_of_year_end=Case(When(decided_on__lte=last, then="result"),
                                      default=Value(PENDING), output_field=CharField()))
        .order_by()
        .values_list("agency_id", "kind", "as_of_year_end")
        .annotate(n=Count("id"))
    )
    return [ResultCount(agency_id, kind, result, n) for agency_id, kind, result, n in rows]


def appeal_counts(agency_ids: Iterable[int], year: int) -> dict[str, dict[str, int]]:
    """``{kind: {upheld, corrected, other, pending, total}}`` for cases filed in ``year``
    against the given agencies (the caller passes a whole subtree for a roll-up)."""
    counts = {kind: dict.fromkeys(taxonomy.APPEAL_CELL_KEYS, 0)
              for kind in taxonomy.APPEAL_KIND_KEYS}
    for row in year_end_results(agency_ids, year):
        counts[row.kind][row.result] += row.n
        counts[row.kind][taxonomy.TOTAL] += row.n
    return counts
