"""The audit log as a hash chain: an entry that is edited, deleted, inserted or moved is found.

Each entry carries its place in the log (``seq``: 1, 2, 3 … with no gap), the hash of the
entry before it and its own hash, SHA-256 over the previous hash and the entry's fields in
one canonical form (:func:`digest`). The database refuses UPDATE on the table (a trigger);
anyone who can bypass that, or who deletes or inserts rows in SQL, leaves a chain that no
longer links, and :func:`first_break` names the first entry where it stops linking.

Someone able to rewrite the whole table could also recompute every hash after the entry
they changed. That is why the chain's head (its last ``seq`` and hash) is written out every
day where the database administrator cannot rewrite it (the log ``xxgk.audit.head``, sent
to syslog: docs/operations.md), and ``xxgk audit verify --head SEQ:HASH`` checks that the
chain still holds that entry with that hash.

Other append-only records are *sealed* into the chain: the entry that records a step of an
application carries the hash of each history event the step appended (:func:`seal`), so an
event deleted, edited or slipped in beside the application breaks the chain too
(:func:`first_seal_break`).

Appending is serialised so that two transactions never take the same ``seq``: SQLite's
writers already queue (transactions begin IMMEDIATE), PostgreSQL's take a transaction-level
advisory lock first (:func:`lock_for_append`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The hash the first entry links to.
GENESIS = "0" * 64
# The fields an entry's hash covers, in this order.
FIELDS = ("seq", "at", "actor_id", "actor_name", "action", "object_type", "object_id",
          "object_repr", "agency_id", "address", "detail")
_ADVISORY_LOCK = 0x78786B61  # "xxka": any constant of our own
# Entries are numbered in the order they are written, so their times only grow, but for the
# clocks of several app servers, which may differ by this much.
CLOCK_SKEW = dt.timedelta(minutes=5)


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def digest(previous_hash: str, fields: Mapping[str, Any]) -> str:
    """The hash of one entry: over the hash before it and its fields in canonical JSON
    (keys sorted, times in UTC to the microsecond), so that the value read back from either
    database hashes as the value written."""
    body = json.dumps([previous_hash, *(_canonical(fields[name]) for name in FIELDS)],
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True)
class Break:
    """Where the chain stops linking: the entry (by ``seq`` and id) and what is wrong."""

    seq: int | None
    entry_id: int | None
    problem: str

    def __str__(self) -> str:
        if self.seq is not None:
            return f"entry {self.seq}: {self.problem}"
        if self.entry_id is not None:
            return f"row id {self.entry_id}: {self.problem}"
        return self.problem


def first_break(entries: Iterable[Mapping[str, Any]],
                anchor: tuple[int, str] | None = None) -> Break | None:
    """The first place where ``entries`` (in ``seq`` order, each with the chained fields and
    ``id``, ``previous_hash``, ``entry_hash``) stop forming the chain, or None.

    ``anchor`` is a head exported earlier, ``(seq, hash)``: the chain must still hold it.
    """
    expected_seq, previous, latest = 1, GENESIS, None
    anchored = anchor is None
    for entry in entries:
        seq = entry["seq"]
        if seq is None:
            return Break(None, entry["id"], "not in the chain (written around the application)")
        if seq != expected_seq:
            return Break(expected_seq, None, f"missing (the next entry is {seq}): deleted")
        if entry["previous_hash"] != previous:
            return Break(seq, entry["id"], "does not link to the entry before it: inserted, "
                                           "moved, or the one before it was replaced")
        if digest(previous, entry) != entry["entry_hash"]:
            return Break(seq, entry["id"], "its content is not what was written: edited")
        if latest is not None and entry["at"] < latest - CLOCK_SKEW:
            return Break(seq, entry["id"], "dated before the entries written ahead of it: "
                                           "backdated")
        if anchor is not None and seq == anchor[0]:
            if entry["entry_hash"] != anchor[1]:
                return Break(seq, entry["id"], "differs from the head exported earlier: the "
                                               "log was rewritten from here or before")
            anchored = True
        previous, expected_seq = entry["entry_hash"], seq + 1
        latest = entry["at"] if latest is None else max(latest, entry["at"])
    if not anchored:
        assert anchor is not None
        return Break(anchor[0], None, "the exported head is no longer in the log: the log "
                                      "was cut short")
    return None


def lock_for_append(connection: Any) -> None:
    """Serialise appends for the rest of the transaction (PostgreSQL; SQLite's writers
    queue already)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK])


def seal(fields: Sequence[Any]) -> str:
    """The hash an entry keeps of a record it seals: the record's fields in canonical JSON
    (dates and times as ISO text), so the row read back from either database hashes as the
    row written."""
    values = [value.isoformat() if isinstance(value, dt.date)
              and not isinstance(value, dt.datetime) else _canonical(value)
              for value in fields]
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def first_seal_break(sealed: Mapping[int, tuple[int, int, str]],
                     records: Iterable[tuple[int, str]], what: str) -> Break | None:
    """The first sealed record that is not as its entry sealed it, or None.

    ``sealed``: record id → ``(seq, entry id, seal)`` as the entries recorded them;
    ``records``: ``(id, seal of the row as it is now)`` in id order. Records older than the
    first sealed one were written before sealing began and are not judged.
    """
    first = min(sealed, default=None)
    seen: set[int] = set()
    for record_id, now in records:
        seen.add(record_id)
        if first is None or record_id < first:
            continue
        entry = sealed.get(record_id)
        if entry is None:
            return Break(None, None, f"{what} {record_id} is sealed by no entry: written "
                                     "around the application")
        if entry[2] != now:
            return Break(entry[0], entry[1], f"{what} {record_id} is not what this entry "
                                             "sealed: edited")
    gone = sorted(set(sealed) - seen)
    if gone:
        seq, entry_id, _seal = sealed[gone[0]]
        return Break(seq, entry_id, f"the {what} {gone[0]} it seals is gone: deleted")
    return None
