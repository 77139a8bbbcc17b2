"""Reading policy documents: validity history, links, successors, interpretation deadlines
and the validity clean-up list. Pure reads over the models; nothing here writes.

The one record of the links between documents is ``ValidityChange.by_document``: a change
of document X to "amended" with ``by_document=Y`` means Y amends X; to "repealed" or
"expired" with ``by_document=Y`` means Y repealed (or replaced) X. Every link below is
derived from those rows, so a page can never show a link the history does not hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from xxgk import taxonomy, workdays
from xxgk.agencies.models import Agency
from xxgk.holidays.calendar import current_calendar

from .models import (
    Interpretation,
    ItemState,
    PolicyDocument,
    ValidityChange,
    ValidityReview,
)

# A document in force this long since it was issued, or amended this long ago, is due for
# a look: normative documents are to be cleaned up regularly (定期清理), and five years is
# the period the State Council sets for the validity of normative documents.
CLEANUP_YEARS = 5
# A document confirmed still in force leaves the clean-up list for this long.
REVIEW_INTERVAL_YEARS = 5
# A change to these, made by another document, is that document repealing or replacing it.
ENDED = ("repealed", "expired")

# The reasons a document is on the clean-up list, with what the page says about each.
REASON_IN_FORCE_LONG = "in_force_long"
REASON_AMENDED_LONG = "amended_long"
REASON_AMENDS_ENDED = "amends_ended"
REASONS: dict[str, object] = {
    REASON_IN_FORCE_LONG: _("In force for over %(years)d years since it was issued"),
    REASON_AMENDED_LONG: _("Amended over %(years)d years ago"),
    REASON_AMENDS_ENDED: _("Amends a document that has since been repealed or has expired"),
}


def reason_label(code: str) -> str:
    """What the clean-up page says about a reason code."""
    return str(REASONS[code]) % {"years": CLEANUP_YEARS}


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def validity_history(document: PolicyDocument) -> list[ValidityChange]:
    """The dated changes of ``document``'s validity, oldest first, with the document that
    made each one (``by_document``, already fetched)."""
    return list(document.validity_changes.select_related("by_document")
                .order_by("changed_on", "pk"))


@dataclass(frozen=True)
class PolicyLinks:
    """A document's links both ways, each list of published documents, oldest first."""

    amends: list[PolicyDocument] = field(default_factory=list)
    repeals: list[PolicyDocument] = field(default_factory=list)
    amended_by: list[PolicyDocument] = field(default_factory=list)
    repealed_by: list[PolicyDocument] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.amends or self.repeals or self.amended_by or self.repealed_by)


def _unique(documents: Iterable[PolicyDocument]) -> list[PolicyDocument]:
    seen: dict[int, PolicyDocument] = {}
    for document in documents:
        seen.setdefault(document.pk, document)
    return sorted(seen.values(), key=lambda d: (d.issued_on, d.pk))


def links(document: PolicyDocument) -> PolicyLinks:
    """What ``document`` amended and repealed, and what amended and repealed it (published
    documents only: a withdrawn one is off every public page, so it is no link). Two
    queries."""
    published = ItemState.PUBLISHED
    made = (ValidityChange.objects.filter(by_document=document, document__state=published)
            .select_related("document"))
    received = (ValidityChange.objects.filter(document=document, by_document__state=published)
                .select_related("by_document"))
    made_rows, received_rows = list(made), list(received)
    return PolicyLinks(
        amends=_unique(c.document for c in made_rows if c.validity == "amended"),
        repeals=_unique(c.document for c in made_rows if c.validity in ENDED),
        amended_by=_unique(c.by_document for c in received_rows if c.validity == "amended"),
        repealed_by=_unique(c.by_document for c in received_rows if c.validity in ENDED),
    )


def successor(document: PolicyDocument) -> PolicyDocument | None:
    """The newest published document that repealed, replaced or amended ``document``: what
    its public page links to at the top when it is expired, repealed or amended. One
    query."""
    by = (ValidityChange.objects.filter(document=document, by_document__isnull=False)
          .exclude(validity="in_force").values("by_document_id"))
    return (PolicyDocument.objects.filter(pk__in=by, state=ItemState.PUBLISHED)
            .exclude(pk=document.pk).order_by("-issued_on", "-published_on", "-pk").first())


def interpretation_deadline(policy: PolicyDocument, *,
                            calendar: workdays.WorkCalendar | None = None) -> dt.date | None:
    """The last day an interpretation of ``policy`` is on time: the
    ``INTERPRETATION_WORKING_DAYS``-th working day after the policy was published (None
    while it is not). A year the calendar does not know counts weekends only, as
    ``actions.publication_deadline`` does; pass ``calendar`` to read it once for many."""
    if policy.published_on is None:
        return None
    return workdays.add_working_days(
        policy.published_on, taxonomy.INTERPRETATION_WORKING_DAYS,
        calendar=calendar or current_calendar(assume_weekends=True))


def is_late(interpretation: Interpretation, *,
            calendar: workdays.WorkCalendar | None = None) -> bool:
    """Whether ``interpretation`` was published after its policy's deadline (an
    unpublished one is not late yet: it is judged when it is published)."""
    if interpretation.published_on is None:
        return False
    deadline = interpretation_deadline(interpretation.policy, calendar=calendar)
    return deadline is not None and interpretation.published_on > deadline


@dataclass(frozen=True)
class Candidate:
    """A document on the validity clean-up list, with why (reason codes, in ``REASONS``
    order) and, for ``amends_ended``, the repealed or expired documents it amends."""

    document: PolicyDocument
    reasons: tuple[str, ...]
    ended_documents: tuple[PolicyDocument, ...] = ()

    @property
    def reason_labels(self) -> list[str]:
        return [reason_label(code) for code in self.reasons]


def cleanup_candidates(agencies: Iterable[Agency] | Sequence[int], today: dt.date, *,
                       limit: int | None = None) -> list[Candidate]:
    """The published policy documents of ``agencies`` (agencies or their ids) to review
    for validity on ``today``, oldest issued first:

    - in force for over ``CLEANUP_YEARS`` years since issued;
    - amended over ``CLEANUP_YEARS`` years ago (its newest change made it amended);
    - in force or amended while a document it amended is now repealed or expired.

    A document confirmed still in force (``ValidityReview``) leaves the list for
    ``REVIEW_INTERVAL_YEARS`` years, except that a document it amends being repealed after
    the review puts it back: that is news the review did not see. Two queries, whatever
    the number of documents.
    """
    ids = [a if isinstance(a, int) else a.pk for a in agencies]
    cutoff = years_before(today, CLEANUP_YEARS)
    review_cutoff = years_before(today, REVIEW_INTERVAL_YEARS)
    newest_change = (ValidityChange.objects.filter(document=OuterRef("pk"))
                     .order_by("-changed_on", "-pk").values("changed_on")[:1])
    amended_by_it = ValidityChange.objects.filter(
        by_document=OuterRef(OuterRef("pk")), validity="amended").values("document_id")
    # The newest day on which a document this one amended was repealed or expired (and
    # still is): the documents' current validity is the newest change's, so this is it.
    ended_on = (ValidityChange.objects
                .filter(document_id__in=amended_by_it, validity__in=ENDED,
                        document__validity__in=ENDED)
                .order_by("-changed_on").values("changed_on")[:1])
    last_review = (ValidityReview.objects.filter(document=OuterRef("pk")).order_by()
                   .values("document").annotate(last=Max("reviewed_on")).values("last")[:1])
    documents = (PolicyDocument.objects
                 .filter(agency_id__in=ids, state=ItemState.PUBLISHED,
                         validity__in=taxonomy.VALIDITIES_IN_FORCE)
                 .annotate(changed_since=Subquery(newest_change),
                           ended_on=Subquery(ended_on), last_review=Subquery(last_review))
                 .filter(Q(validity="in_force", issued_on__lt=cutoff)
                         | Q(validity="amended", changed_since__lt=cutoff)
                         | Q(ended_on__isnull=False))
                 .select_related("agency", "category")
                 .order_by("issued_on", "pk"))
    candidates: list[tuple[PolicyDocument, tuple[str, ...]]] = []
    for document in documents.iterator(chunk_size=500):
        fresh_review = (document.last_review is not None
                        and document.last_review >= review_cutoff)
        reasons: list[str] = []
        if not fresh_review:
            if document.validity == "in_force" and document.issued_on < cutoff:
                reasons.append(REASON_IN_FORCE_LONG)
            if (document.validity == "amended" and document.changed_since is not None
                    and document.changed_since < cutoff):
                reasons.append(REASON_AMENDED_LONG)
        if document.ended_on is not None and (document.last_review is None
                                              or document.ended_on > document.last_review):
            reasons.append(REASON_AMENDS_ENDED)
        if reasons:
            candidates.append((document, tuple(reasons)))
            if limit is not None and len(candidates) >= limit:
                break
    return _with_ended(candidates)


def _with_ended(candidates: list[tuple[PolicyDocument, tuple[str, ...]]]) -> list[Candidate]:
    """Attach the ended documents each ``amends_ended`` candidate amends: one query."""
    wanted = [d.pk for d, reasons in candidates if REASON_AMENDS_ENDED in reasons]
    ended: dict[int, list[PolicyDocument]] = {}
    if wanted:
        rows = (ValidityChange.objects
                .filter(by_document_id__in=wanted, validity="amended",
                        document__validity__in=ENDED)
                .select_related("document").order_by("document__issued_on", "document_id"))
        for row in rows:
            have = ended.setdefault(row.by_document_id, [])
            if all(d.pk != row.document_id for d in have):
                have.append(row.document)
    return [Candidate(d, reasons, tuple(ended.get(d.pk, ()))) for d, reasons in candidates]


__all__ = [
    "CLEANUP_YEARS", "ENDED", "REASONS", "REVIEW_INTERVAL_YEARS", "Candidate", "PolicyLinks",
    "cleanup_candidates", "interpretation_deadline", "is_late", "links", "reason_label",
    "successor", "validity_history", "years_before",
]
