"""SQLite FTS5 over the entries' words (the embedded default).

BM25 with column weights (``query.FTS5_WEIGHTS``: title > 文号 > summary > body). FTS5's
``bm25()`` is lower for a better match, so the score is its negation.

FTS5's ``bm25()`` counts, for every phrase of the query, the documents holding it (its
inverse document frequency), each time it is asked: a phrase in most documents (关于, 通知,
人民政府) costs a read of most of the index, some 100 ms at a million entries, whatever
the few documents the whole query matches. Such a phrase adds almost nothing to any
document's score (its IDF is near zero), and a word's parts matched near each other (the
alternative that finds a document indexed before the dictionary knew the word) cost the
most. So a page is ranked within the matches the service has read once (``Matches``): in a
large index by the BM25 of the query's *particular* words only, each by itself, for those
matches only (``MATCH particular AND +rowid IN (the matches' ids)``); a match holding none
of them scores 0, and a query of common words only is ordered newest first.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from django.db import connection

from ..query import FTS5_COLUMNS, FTS5_WEIGHTS, Query, Term, to_fts5
from .base import Filters, Matches, SearchBackend

_BM25 = f"-bm25(search_fts, {', '.join(str(weight) for weight in FTS5_WEIGHTS)})"
# The marker table that makes the FTS5 triggers stand aside while the indexer writes the
# index (migration 0005).
_WRITER = "search_fts_writer"
# Below this many entries every phrase is ranked: counting documents costs little.
RANK_EVERY_WORD_BELOW = 50_000
# A word in more than this share of the entries is common, and not ranked by.
COMMON_SHARE = 0.05
# A word more than this share of the entries hold is not required beside others (BM25
# gives it no weight: FTS5 floors the IDF of a word in more than half the documents).
WEIGHTLESS_SHARE = 0.5
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


def _required(query: Query, language: str) -> Query:
    """The query as matched: in a large index, a query whose words must all match does
    not require a word more than half the entries hold, when others remain. BM25 gives
    such a word no weight at all (FTS5 floors its IDF), so it changes no ranking; yet
    requiring it makes FTS5 step through a doclist of most of the index beside the other
    words' (140 ms of the 170 a pasted title took at a million entries). A document lacking
    it is found as one lacking any weightless word would be, as in Lucene's common terms
    query."""
    if query.relaxed or len(query.terms) < 2 or not _counts.large():
        return query
    kept = tuple(term for term in query.terms
                 if _counts.held_by_at_most(query, term, language, WEIGHTLESS_SHARE))
    return replace(query, terms=kept) if kept else query


class SqliteBackend(SearchBackend):
    # An expression, not the column: the driver converts a value by its column's declared
    # type, and turning ten thousand dates into date objects took 9 ms of a broad query.
    sortable_date = "+e.published_on"

    def _match(self, query: Query, language: str) -> tuple[str, str, list[Any]]:
        # The covering index (migration 0008): every column read beside the id is in it.
        return ("search_fts JOIN search_searchentry e INDEXED BY search_entry_matches "
                "ON e.item_id = search_fts.rowid",
                "search_fts MATCH %s", [_expression(_required(query, language), language)])

    def _score(self, language: str) -> str:
        return _BM25

    def page(self, query: Query, language: str, filters: Filters, *, sort: str,
             offset: int, limit: int, within: Matches | None = None
             ) -> list[tuple[int, float]]:
        """Within the matches already read, a ranked page is their order by the BM25 of
        the words worth ranking by (``_ranked``), read for those matches only."""
        if within is None or sort != "relevance" or not query.terms:
            return super().page(query, language, filters, sort=sort, offset=offset,
                                limit=limit, within=within)
        ranked = self._ranked(query, language)
        scores: dict[int, float] = {}
        if ranked is not None and len(within):
            with connection.cursor() as cursor:
                # "+": the ids are a filter on the matches, listed once; a rowid constraint
                # handed to FTS5 would run the query (and its BM25 counts) again for every id.
                cursor.execute(
                    f"SELECT rowid, {_BM25} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
                    "AND +rowid IN (SELECT value FROM json_each(%s))",
                    [_expression(ranked, language), json.dumps([row[0] for row in within.rows])])
                scores = dict(cursor.fetchall())
        return within.ranked(scores, offset, limit)

    def _ranked(self, query: Query, language: str) -> Query | None:
        """The query whose BM25 ranks the matches: in a small index the query itself; in a
        large one its particular words, each by itself alone and any of them enough (a
        word's parts, matched together, are the costliest phrase to count), or None when
        every word is common: no word says which of the matches is more relevant, and the
        newest (documents in force first) come first."""
        if not _counts.large():
            return query
        particular = []
        for term in query.terms:
            single = replace(term, alternatives=tuple(
                alternative for alternative in term.alternatives if len(alternative) == 1))
            if single.alternatives and _counts.held_by_at_most(query, single, language,
                                                              COMMON_SHARE):
                particular.append(single)
        if not particular:
            return None
        return replace(query, terms=tuple(particular), relaxed=True)

    def _probe(self, query: Query, language: str) -> tuple[str, list[Any]]:
        return ("EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "AND search_fts.rowid = e.item_id)",
                [_expression(_required(query, language), language)])

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

    def large(self) -> bool:
        """Whether the index is large enough for counting a phrase's documents to cost
        (``RANK_EVERY_WORD_BELOW``)."""
        return self.entries() >= RANK_EVERY_WORD_BELOW

    def held_by_at_most(self, query: Query, term: Term, language: str, share: float
                        ) -> bool:
        """Whether no more than ``share`` of the entries hold ``term`` (of ``query``),
        counted no further than that."""
        cap = int(self.entries() * share)
        return self.matches(replace(query, terms=(term,)), language, cap) <= cap

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
