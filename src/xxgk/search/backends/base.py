"""What every engine shares: the filters as SQL over ``search_searchentry``, and the
order of a page (relevance with documents in force first, or date; recency and then the
item's id break ties, so paging is stable)."""

from __future__ import annotations

import datetime as dt
import heapq
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from ..query import Query

# An expired or repealed document's relevance counts for this much: it still comes first
# when it is the one asked for (its title or 文号), and after those in force otherwise.
NOT_IN_FORCE_FACTOR = 0.4


@dataclass(frozen=True)
class Filters:
    agency_ids: tuple[int, ...] | None = None
    category_id: int | None = None
    kind: str = ""
    validity: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    exclude_ids: tuple[int, ...] = field(default=())

    def sql(self) -> tuple[str, list[Any]]:
        """``AND …`` conditions on the entry ``e`` and their parameters."""
        parts: list[str] = []
        params: list[Any] = []
        if self.agency_ids is not None:
            parts.append(f"e.agency_id IN ({', '.join(['%s'] * len(self.agency_ids)) or 'NULL'})")
            params.extend(self.agency_ids)
        for column, value in (("category_id", self.category_id), ("kind", self.kind),
                              ("validity", self.validity)):
            if value:
                parts.append(f"e.{column} = %s")
                params.append(value)
        if self.since is not None:
            parts.append("e.published_on >= %s")
            params.append(self.since)
        if self.until is not None:
            parts.append("e.published_on <= %s")
            params.append(self.until)
        if self.exclude_ids:
            parts.append(f"e.item_id NOT IN ({', '.join(['%s'] * len(self.exclude_ids))})")
            params.extend(self.exclude_ids)
        return "".join(f" AND {part}" for part in parts), params


FacetRow = tuple[int, int | None, str, str, int]


class Matches:
    """A query's matches as read from the engine, a row each (never more than a few
    thousand: a query matching more is broad and read no further than the count it shows):
    counted by facet, and ordered by date or by scores in Python, so the engine's matching,
    the costly part, runs once for the whole page."""

    # The columns of a row, the date last (``SearchBackend.sortable_date``).
    COLUMNS = "e.item_id, e.agency_id, e.category_id, e.kind, e.validity, e.in_force"

    def __init__(self, rows: Sequence[tuple[Any, ...]]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def facet_rows(self) -> list[FacetRow]:
        """The matches counted by (agency, category, kind, validity)."""
        counts = Counter(row[1:5] for row in self.rows)
        return [(*values, count) for values, count in counts.items()]

    def newest(self, offset: int, limit: int) -> list[tuple[int, float]]:
        """The matches ``offset`` to ``offset + limit``, newest first (the id breaks ties,
        as in the engines' order)."""
        rows = heapq.nlargest(offset + limit, self.rows, key=lambda row: (row[6], row[0]))
        return [(row[0], 0.0) for row in rows[offset:]]

    def ranked(self, scores: dict[int, float], offset: int, limit: int
               ) -> list[tuple[int, float]]:
        """The matches ``offset`` to ``offset + limit`` by relevance, ``scores`` being the
        engine's for each item (0 for one it did not score): in the order of the engines'
        ranked pages (documents in force first, then date and id)."""
        def key(row: tuple[Any, ...]) -> tuple[float, Any, int]:
            factor = 1.0 if row[5] else NOT_IN_FORCE_FACTOR
            return (scores.get(row[0], 0.0) * factor, row[6], row[0])

        rows = heapq.nlargest(offset + limit, self.rows, key=key)
        return [(row[0], key(row)[0]) for row in rows[offset:]]


class SearchBackend:
    """An engine: subclasses say how a query matches and how relevant a match is."""

    # The entry's date as the matches are read: compared, never shown.
    sortable_date = "e.published_on"

    def _match(self, query: Query, language: str) -> tuple[str, str, list[Any]]:
        """``FROM`` (with the entry as ``e``), ``WHERE`` and parameters of the matches,
        and (via ``_score``) the relevance expression."""
        raise NotImplementedError

    def _score(self, language: str) -> str:
        raise NotImplementedError

    def _source(self, query: Query, language: str) -> tuple[str, str, list[Any]]:
        if query.terms:
            return self._match(query, language)
        return "search_searchentry e", "1 = 1", []

    def page(self, query: Query, language: str, filters: Filters, *, sort: str,
             offset: int, limit: int, within: Matches | None = None
             ) -> list[tuple[int, float]]:
        """``(item id, score)`` of the matches ``offset`` to ``offset + limit``; ``within``,
        the matches already read, when the caller has them (an engine may order or rank
        them without reading them again)."""
        ranked = query.terms and sort == "relevance"
        if within is not None and not ranked:
            return within.newest(offset, limit)
        source, where, params = self._source(query, language)
        conditions, filter_params = filters.sql()
        if ranked:
            score = (f"({self._score(language)}) * CASE WHEN e.in_force THEN 1.0 "
                     f"ELSE {NOT_IN_FORCE_FACTOR} END")
            order = "score DESC, e.published_on DESC, e.item_id DESC"
        else:
            score = "0.0"
            order = "e.published_on DESC, e.item_id DESC"
        # Fixed fragments only: every value the request holds is a parameter.
        sql = (f"SELECT e.item_id, {score} AS score FROM {source} "  # noqa: S608
               f"WHERE {where}{conditions} ORDER BY {order} LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params, limit, offset])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]

    def matches(self, query: Query, language: str, filters: Filters, *,
                upto: int | None = None) -> Matches:
        """The matches, read once (no further than ``upto``): what the facets count, what
        tells a broad query, and what a page is ranked or ordered within."""
        source, where, params = self._source(query, language)
        conditions, filter_params = filters.sql()
        limit = "" if upto is None else " LIMIT %s"
        sql = (f"SELECT {Matches.COLUMNS}, {self.sortable_date} FROM {source} "  # noqa: S608
               f"WHERE {where}{conditions}{limit}")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params, *([] if upto is None else [upto])])
            return Matches(cursor.fetchall())

    def _probe(self, query: Query, language: str) -> tuple[str, list[Any]]:
        """A condition on the entry ``e`` that holds when it matches (for walking the
        entries in date order rather than reading every match)."""
        raise NotImplementedError

    def count_upto(self, query: Query, language: str, filters: Filters, cap: int) -> int:
        """The number of matches, counted no further than ``cap``: cheap however many
        documents match, as the engine stops at ``cap``."""
        source, where, params = self._source(query, language)
        conditions, filter_params = filters.sql()
        sql = (f"SELECT COUNT(*) FROM (SELECT 1 FROM {source} "  # noqa: S608
               f"WHERE {where}{conditions} LIMIT %s) AS matches")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params, cap])
            return int(cursor.fetchone()[0])

    def newest(self, query: Query, language: str, filters: Filters, *, offset: int,
               limit: int) -> list[tuple[int, float]]:
        """The newest matches, found by walking the entries in date order and asking the
        engine about each: for a query most documents match, where reading (and ranking)
        every match is what costs."""
        probe, params = self._probe(query, language) if query.terms else ("1 = 1", [])
        conditions, filter_params = filters.sql()
        sql = (f"SELECT e.item_id FROM search_searchentry e WHERE {probe}"  # noqa: S608
               f"{conditions} ORDER BY e.published_on DESC, e.item_id DESC LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *filter_params, limit, offset])
            return [(row[0], 0.0) for row in cursor.fetchall()]

    @contextmanager
    def writing(self, item_ids: Sequence[int]) -> Iterator[None]:
        """Around the indexer's writes of the entries of ``item_ids``, in its transaction:
        what the engine must do beside them (nothing where the index is part of the row)."""
        yield

    def optimize(self) -> None:
        """Tidy the engine's index after a rebuild."""
