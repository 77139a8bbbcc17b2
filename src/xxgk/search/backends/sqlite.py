"""SQLite FTS5 over the entries' words (the embedded default).

BM25 with column weights (``query.FTS5_WEIGHTS``: title > 文号 > summary > body). FTS5's
``bm25()`` is lower for a better match, so the score is its negation.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection

from ..query import FTS5_WEIGHTS, Query, to_fts5
from .base import SearchBackend

_BM25 = f"-bm25(search_fts, {', '.join(str(weight) for weight in FTS5_WEIGHTS)})"
# The columns of the FTS5 table (migration 0002) and the marker table that makes its
# triggers stand aside while the indexer writes it (migration 0005).
_COLUMNS = ("title_words", "doc_no_words", "summary_words", "body_words", "title_en_words",
            "body_en_words")
_WRITER = "search_fts_writer"
# Built from the constants above only.
_WORDS = f"SELECT item_id, {', '.join(_COLUMNS)} FROM search_searchentry WHERE item_id IN "  # noqa: S608
_PLACES = ", ".join(["%s"] * len(_COLUMNS))
_FTS_DELETE = (f"INSERT INTO search_fts(search_fts, rowid, {', '.join(_COLUMNS)}) "  # noqa: S608
               f"VALUES ('delete', %s, {_PLACES})")
_FTS_INSERT = f"INSERT INTO search_fts(rowid, {', '.join(_COLUMNS)}) VALUES (%s, {_PLACES})"  # noqa: S608


class SqliteBackend(SearchBackend):
    def _match(self, query: Query, language: str) -> tuple[str, str, list[Any]]:
        return ("search_fts JOIN search_searchentry e ON e.item_id = search_fts.rowid",
                "search_fts MATCH %s", [to_fts5(query, "en" if language == "en" else "zh")])

    def _score(self, language: str) -> str:
        return _BM25

    def _probe(self, query: Query, language: str) -> tuple[str, list[Any]]:
        return ("EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                "AND search_fts.rowid = e.item_id)",
                [to_fts5(query, "en" if language == "en" else "zh")])

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
