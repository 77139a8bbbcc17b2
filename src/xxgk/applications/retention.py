"""Retention: applicants' identity data is erased once the period it is kept for has passed.

An application closed more than ``XXGK_RETENTION_YEARS`` years ago (default 10; 0 keeps
everything) loses what identifies its applicant:

- the encrypted identity (ID number, phone, email, address, postcode, contact person, the
  query code's copy);
- the applicant's sealed name and its blind index (the name then reads as
  ``models.ERASED_NAME``), and the keyed hash that linked the applicant's applications;
- the files the applicant sent (ID proof, authorisation, other material) and the letters
  addressed to them (which print the name and address).

What the statistics and the record of the case need stays: the applicant type, the dates,
the outcome, the events, the released documents, the audit log. The annual reports already
published are not touched: none of their figures counts a name. Each erasure is audited
(``application.erase_identity``). The worker runs :func:`daily_erasure` every day;
``xxgk retention --dry-run`` lists what is due without erasing it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy

from xxgk.agencies import audit
from xxgk.core import jobs
from xxgk.core.today import today

from .models import ApplicantIdentity, Application, Document

ERASED_DOCUMENTS = (Document.Kind.IDENTITY_PROOF, Document.Kind.AUTHORISATION,
                    Document.Kind.APPLICANT_OTHER, Document.Kind.LETTER)


def cutoff(on: dt.date, years: int) -> dt.date:
    """The last closing day whose applications are past ``years`` years on ``on``."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February, in a year that has none
        return on.replace(year=on.year - years, day=28)


def due(on: dt.date | None = None, years: int | None = None) -> QuerySet[Application]:
    """The closed applications whose identity data is past its period and still held."""
    years = settings.XXGK_RETENTION_YEARS if years is None else years
    if years <= 0:
        return Application.objects.none()
    return (Application.objects.filter(closed_on__lte=cutoff(on or today(), years))
            .exclude(applicant_name_sealed=b"").order_by("closed_on", "pk"))


@dataclass(frozen=True)
class Erased:
    applications: int
    documents: int


def erase(applications: QuerySet[Application],
          progress: Callable[[int], None] | None = None) -> Erased:
    """Erase the identity data of ``applications``, one transaction each (a stop halfway
    leaves each application either whole or erased)."""
    done = documents = 0
    for application in applications.iterator(chunk_size=500):
        with transaction.atomic():
            ApplicantIdentity.objects.filter(application=application).delete()
            removed, _kinds = Document.objects.filter(application=application,
                                                      kind__in=ERASED_DOCUMENTS).delete()
            Application.objects.filter(pk=application.pk).update(
                applicant_name_sealed=b"", applicant_name_index="", applicant_key="")
            audit.record("application.erase_identity", obj=application,
                         detail={"closed_on": application.closed_on.isoformat(),
                                 "documents": removed})
        done, documents = done + 1, documents + removed
        if progress is not None:
            progress(done)
    return Erased(done, documents)


@jobs.task(label=gettext_lazy("Daily erasure of identity data past its retention period"))
def daily_erasure() -> None:
    """The worker's daily task (``settings.XXGK_DAILY_TASKS``)."""
    erase(due())
