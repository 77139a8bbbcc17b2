"""Keeping the index equal to the public items.

An item has an entry exactly while it is public (published and proactive,
``portal.queries.public_items``): ``follow`` writes or removes the entries of the items it
is given, reading their current state, so a draft, a withheld or a withdrawn item is never
in the index, whatever happened before.

Which items to follow is queued by database triggers (``search_pending``, see
``migrations/0002_engines``) in the very transaction that changed an item. The catalogue's
actions follow their item before they commit, so a published item is found at once; what
other writers change (bulk imports, the admin, raw SQL) the worker follows within a
second (``process_pending`` is its idle task). ``rebuild`` (``xxgk reindex``) writes every
entry again from the database.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy

from xxgk.catalog.models import InfoItem
from xxgk.catalog.sanitize import plain_text
from xxgk.core import jobs
from xxgk.docnumbers import doc_no_key
from xxgk.portal.queries import public_items

from .backends import backend
from .models import PendingEntry, SearchEntry
from .segment import Segmenter
from .text import title_key
from .vocabulary import segmenter

logger = logging.getLogger(__name__)

BATCH = 500

_FIELDS = ("pk", "agency_id", "category_id", "published_on", "index_no", "title", "title_en",
           "doc_no", "summary", "topic_words", "body", "body_en", "policydocument__kind",
           "policydocument__validity")
_NOT_IN_FORCE = ("expired", "repealed")


def _words(cut: Segmenter, text: str) -> str:
    return " ".join(cut.index_words(text))


def entry_for(row: dict[str, Any], cut: Segmenter) -> SearchEntry:
    """The entry of a public item, from its ``_FIELDS`` values."""
    validity = row["policydocument__validity"] or ""
    return SearchEntry(
        item_id=row["pk"], agency_id=row["agency_id"], category_id=row["category_id"],
        kind=row["policydocument__kind"] or "", validity=validity,
        in_force=validity not in _NOT_IN_FORCE, published_on=row["published_on"],
        index_no=row["index_no"], doc_no_key=doc_no_key(row["doc_no"])[:80],
        title_key=title_key(row["title"]),
        title_en_key=title_key(row["title_en"]) or None,
        title_words=_words(cut, row["title"]), doc_no_words=_words(cut, row["doc_no"]),
        # Topic words (主题词) are the agency's own summary of what an item is about.
        summary_words=_words(cut, f"{row['topic_words']} {row['summary']}"),
        body_words=_words(cut, plain_text(row["body"])),
        title_en_words=_words(cut, row["title_en"]),
        body_en_words=_words(cut, plain_text(row["body_en"])))


def _write(item_ids: list[int], cut: Segmenter) -> int:
    rows = public_items().filter(pk__in=item_ids).values(*_FIELDS)
    entries = [entry_for(row, cut) for row in rows]
    # Last in the caller's transaction: on SQLite the index's own rows are written after
    # the entries, and a statement after them would make FTS5 flush (SqliteBackend.writing).
    with backend().writing(item_ids):
        SearchEntry.objects.filter(item_id__in=item_ids).delete()
        SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    return len(entries)


def follow(item_ids: Iterable[int]) -> None:
    """Bring the entries of ``item_ids`` up to date, in the caller's transaction.

    The items are locked first (as the catalogue's actions lock an item they change), so
    a concurrent change either committed before and is read, or waits and follows itself.
    A queued id another transaction is processing right now is skipped: that transaction
    reads the item after this one commits.
    """
    ids = sorted(set(item_ids))
    if not ids:
        return
    with transaction.atomic():
        list(InfoItem.objects.select_for_update().filter(pk__in=ids).values_list("pk"))
        queued = list(PendingEntry.objects.select_for_update(skip_locked=True)
                      .filter(item_id__in=ids).values_list("item_id", flat=True))
        PendingEntry.objects.filter(item_id__in=queued).delete()
        _write(ids, segmenter())


def process_pending(*, limit: int | None = None) -> int:
    """Follow the queued items, a batch per transaction; how many were followed.

    The worker calls this when idle. A batch that fails (a concurrent writer won a race)
    stays queued and is tried again on the next call; the error is logged.
    """
    done = 0
    while limit is None or done < limit:
        try:
            with transaction.atomic():
                ids = list(PendingEntry.objects.select_for_update(skip_locked=True)
                           .order_by("item_id").values_list("item_id", flat=True)[:BATCH])
                if not ids:
                    break
                list(InfoItem.objects.select_for_update().filter(pk__in=ids)
                     .values_list("pk"))
                PendingEntry.objects.filter(item_id__in=ids).delete()
                _write(ids, segmenter())
        except DatabaseError:
            logger.warning("search: a batch of queued items could not be indexed; retried "
                           "on the next run", exc_info=True)
            break
        done += len(ids)
    return done


def _chunks(size: int) -> Iterator[list[int]]:
    """The public items' ids in ascending batches of ``size``, each read by its own
    query: a cursor held open across the batches' transactions would keep SQLite from
    checkpointing its write-ahead log, which then grows by the whole index and slows
    every read (a million items: 90 items/s instead of 1,000)."""
    last = 0
    while True:
        chunk = list(public_items().filter(pk__gt=last).order_by("pk")
                     .values_list("pk", flat=True)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Write every public item's entry again and remove every other entry; the number of
    entries. ``progress(done, total)`` is told after each batch.

    Each batch is its own transaction, so search keeps answering (from the entries not yet
    rewritten) while the rebuild runs, and a change made meanwhile is queued and followed.
    """
    cut = segmenter()
    total = public_items().count()
    done = 0
    for chunk in _chunks(BATCH):
        with transaction.atomic():
            done += _write(chunk, cut)
        if progress is not None:
            progress(done, total)
    # Queued ids are left for ``process_pending``: one queued during the rebuild may be of
    # an item rewritten before it changed.
    with transaction.atomic():
        # NOT EXISTS, which both engines run as an anti-join: PostgreSQL runs NOT IN over
        # a million public ids as a nested scan, for hours.
        SearchEntry.objects.exclude(
            Exists(public_items().filter(pk=OuterRef("item_id")))).delete()
    backend().optimize()
    return done


@jobs.task(label=gettext_lazy("Indexing the catalogue for search"))
def index_catalogue() -> None:
    """Follow every queued item, then rebuild the suggestions: queued after a bulk write
    of many items (the demo's years), so that suggestions are made from all of them."""
    from .suggest import rebuild_terms

    process_pending()
    rebuild_terms()
