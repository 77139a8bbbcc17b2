"""What consultations count for the annual report and the scorecards, per agency and year.

Only agencies that keep their consultations in xxgk are counted (one opened by the end of
the year); the others keep their entered figure. Held in Y: opened in Y. With feedback:
of those, the ones whose feedback report has been published (whenever it was).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q

from xxgk.agencies.models import Agency

from .models import Consultation


def counts(agency_ids: Iterable[int], year: int) -> dict[int, dict[str, int]]:
    """``{agency: {consultations, with_feedback}}`` for the agencies in use, in two
    queries."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    held_by_then = Consultation.objects.filter(agency_id=OuterRef("pk"), opened_on__lte=last)
    in_use = (Agency.objects.filter(pk__in=list(agency_ids)).filter(Exists(held_by_then))
              .values_list("pk", flat=True))
    result = {agency_id: {"consultations": 0, "with_feedback": 0} for agency_id in in_use}
    if not result:
        return result
    rows = (Consultation.objects.filter(agency_id__in=list(result), opened_on__range=(first, last))
            .order_by().values_list("agency_id")
            .annotate(n=Count("pk"), with_feedback=Count("pk", filter=Q(feedback__isnull=False))))
    for agency_id, n, with_feedback in rows:
        result[agency_id].update(consultations=n, with_feedback=with_feedback)
    return result
