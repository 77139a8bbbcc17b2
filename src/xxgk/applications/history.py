"""An application's history sealed into the audit log.

The history (``ApplicationEvent``) is append-only: the model refuses to save a row twice and
a trigger refuses UPDATE. Neither stops someone with the database's rights from deleting a
row, editing it with the trigger dropped, or inserting one in SQL. So the audit entry that
records a step carries the seal (``chain.seal``) of each event the step appended, under
``detail["events"]``; the entries are themselves chained, and ``xxgk audit verify`` (through
``integrity.verify``) finds an event deleted, edited or written around the application.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from xxgk.agencies import chain
from xxgk.agencies.models import AuditEntry

from .models import ApplicationEvent

# What an event's seal covers, in this order.
SEALED_FIELDS = ("id", "application_id", "kind", "occurred_on", "recorded_at", "actor_id",
                 "data", "note", "public")


def seals(*events: ApplicationEvent) -> dict[str, str]:
    """The ``detail["events"]`` of the audit entry recording the step that appended
    ``events``: each event's id (as text: a JSON key) → its seal."""
    return {str(event.pk): chain.seal([getattr(event, name) for name in SEALED_FIELDS])
            for event in events}


def first_break() -> chain.Break | None:
    """The first event that is not as its audit entry sealed it, or None."""
    sealed: dict[int, tuple[int, int, str]] = {}
    entries = (AuditEntry.objects.filter(seq__isnull=False, object_type="applications.application",
                                         detail__has_key="events")
               .values_list("seq", "id", "detail").iterator(chunk_size=5000))
    for seq, entry_id, detail in entries:
        for event_id, seal in detail["events"].items():
            sealed[int(event_id)] = (seq, entry_id, seal)
    return chain.first_seal_break(sealed, _events(), "application event")


def _events() -> Iterator[tuple[int, str]]:
    rows: Any = (ApplicationEvent.objects.order_by("id").values_list(*SEALED_FIELDS)
                 .iterator(chunk_size=5000))
    for row in rows:
        yield row[0], chain.seal(list(row))
