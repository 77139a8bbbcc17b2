"""SQLite FTS5 over the entries' words (the embedded default).

BM25 with column weights (``query.FTS5_WEIGHTS``: title > 文号 > summary > body). FTS5's
``bm25()`` is lower for a better match, so the score is its negation.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from ..query import FTS5_WEIGHTS, Query, to_fts5
from .base import SearchBackend

_BM25 = f"-bm25(search_fts, {', '.join(str(weight) for weight in FTS5_WEIGHTS)})"


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

    def optimize(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
