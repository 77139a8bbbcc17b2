"""SQLite FTS5 over the entries' words (the embedded default).

BM25 with column weights (``query.FTS5_WEIGHTS``: title > 文号 > summary > body). FTS5's
``bm25()`` is lower for a better match, so the score is its negation.

FTS5's ``bm25()`` counts, for every phrase of the query, the documents holding it (its
inverse document frequency), each time it is asked: a phrase in most documents (关于, 通知,
人民政府) costs a read of most of the index, some 100 ms at a million entries, whatever
the few documents the whole query matches. Such a phrase adds almost nothing to any
document's score (its IDF is near zero). So in a large index, a query all of whose words
must match is ranked by the BM25 of its *particular* words only, over exactly the same
matches: ``MATCH particular AND +rowid IN (SELECT rowid ... MATCH every word)``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from django.db import connection

from ..query import FTS5_COLUMNS, FTS5_WEIGHTS, Query, to_fts5
from .base import SearchBackend

_BM25 = f"-bm25(search_fts, {', '.join(str(weight) for weight in FTS5_WEIGHTS)})"
# The marker table that makes the FTS5 triggers stand aside while the indexer writes the
# index (migration 0005).
_WRITER = "search_fts_writer"
# Below this many entries every phrase is ranked: counting documents costs little.
RANK_EVERY_WORD_BELOW = 50_000
# A word in more than this share of the entries is common, and not ranked by.
COMMON_SHARE = 0.05
# How long a process keeps what it counted (the index changes slowly in proportion).
COUNTS_SECONDS = 600.0
_MAX_COUNTS = 20_000
# Built from the constants above only.
_LIST = ", ".join(FTS5_COLUMNS)
_PLACES = ", ".join(["%s"] * len(FTS5_COLUMNS))
_WORDS = f"SELECT item_id, {_LIST} FROM search_searchentry WHERE item_id IN "  # noqa: S608
_FTS_DELETE = (f"INSERT INTO search_fts(search_fts, rowid, {_LIST}) "  # noqa: S608
               f"VALUES ('delete', %s, {_PLACES})")
_FTS_INSERT = f"INSERT INTO search_fts(rowid, {_LIST}) VALUES (%s, {_PLACES})"  # noqa: S608

def _expression(query: Query, language: str) -> str:
    return to_fts5(query, "en" if language == "en" else "zh")


class SqliteBackend(SearchBackend):
    def _match(self, query: Query, language: str) -> tuple[str, str, list[Any]]:
        return ("search_fts JOIN search_searchentry e ON e.item_id = search_fts.rowid",
                "search_fts MATCH %s", [_expression(query, language)])

    def _score(self, language: str) -> str:
        return _BM25

    def _ranked_source(self, query: Query, language: str) -> tuple[str, str, list[Any]]:
        source, where, params = self._match(query, language)
        if query.relaxed or len(query.terms) < 2:
            return source, where, params
        entries = _counts.entries()
        if entries < RANK_EVERY_WORD_BELOW:
            return source, where, params
        cap = int(entries * COMMON_SHARE)
        particular = tuple(term for term in query.terms
                           if _counts.matches(replace(query, terms=(term,)), language, cap)
                           <= cap)
        if not particular or len(particular) == len(query.terms):
            return source, where, params
        ranked = replace(query, terms=particular)
        return (source,
                # "+": the matches are listed once; a rowid constraint handed to FTS5
                # would run the whole query again for every row (80 s for one page).
                "search_fts MATCH %s AND +search_fts.rowid IN "
                "(SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
                [_expression(ranked, language), *params])

    def _probe(self, query: Query, language: str) -> tuple[str, list[Any]]:
        return ("EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "AND search_fts.rowid = e.item_id)",
                [_expression(query, language)])

    @contextmanager
    def writing(self, item_ids: Sequence[int]) -> Iterator[None]:
        """The FTS5 rows of ``item_ids`` follow their entries, written after them.

        FTS5 flushes its in-memory words to a new index segment at every statement
        savepoint, and every statement firing a trigger opens one: written by the row
        triggers, each entry cost a segment and its merge (migration 0005). Here the
        triggers stand aside (the marker row), the entries' old words are read before
        the body replaces them, and the FTS5 rows are removed and added after it in
        single-row statements, which open none. Inside the caller's transaction: a failure
        rolls the marker back with everything else.
        """
        if not connection.in_atomic_block:
            raise RuntimeError("search entries are written inside a transaction")
        ids = list(item_ids)
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {_WRITER} (id) VALUES (1)")  # noqa: S608
            old = _words(cursor, ids)
        yield
        with connection.cursor() as cursor:
            new = _words(cursor, ids)
            cursor.executemany(_FTS_DELETE, old)
            cursor.executemany(_FTS_INSERT, new)
            cursor.execute(f"DELETE FROM {_WRITER}")  # noqa: S608

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


def _words(cursor: Any, ids: list[int]) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    # SQLite allows 32,766 parameters in one statement; a batch of the indexer is 500.
    for start in range(0, len(ids), 10_000):
        part = ids[start:start + 10_000]
        cursor.execute(_WORDS + f"({', '.join(['%s'] * len(part))})", part)
        rows += cursor.fetchall()
    return rows


class _Counts:
    """What this process counted: the entries, and each query word's matches up to the
    common share (a word's count reads no further than that)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: tuple[float, int] | None = None
        self._matches: dict[tuple[str, int], tuple[float, int]] = {}

    def entries(self) -> int:
        now = time.monotonic()
        if self._entries is None or now - self._entries[0] > COUNTS_SECONDS:
            with connection.cursor() as cursor:
                cursor.execute("SELECT COUNT(*) FROM search_searchentry")
                self._entries = (now, int(cursor.fetchone()[0]))
        return self._entries[1]

    def matches(self, query: Query, language: str, cap: int) -> int:
        expression = _expression(query, language)
        now = time.monotonic()
        known = self._matches.get((expression, cap))
        if known is not None and now - known[0] <= COUNTS_SECONDS:
            return known[1]
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM (SELECT 1 FROM search_fts "
                           "WHERE search_fts MATCH %s LIMIT %s)", [expression, cap + 1])
            count = int(cursor.fetchone()[0])
        with self._lock:
            if len(self._matches) >= _MAX_COUNTS:
                self._matches.clear()
            self._matches[(expression, cap)] = (now, count)
        return count

    def forget(self) -> None:
        self._entries = None
        self._matches.clear()


_counts = _Counts()
