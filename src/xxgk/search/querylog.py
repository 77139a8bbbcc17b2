"""What people search for, counted per day: the public hot searches and the OGI office's list
of queries that found nothing (what the catalogue lacks, or words the dictionary lacks).

``record`` runs on every public search, so it is one statement (an upsert that both
engines run atomically, so concurrent requests never lose a count or collide on the
unique row) and it never fails the search: the count is worth less than the answer.

A query that holds personal data is never recorded. People paste an ID number, a mobile
number or an e-mail address into a government site's search box (looking for their own
application, or by mistake); the log would keep it and the hot searches could show it.

A query is popular (a hot search, a suggestion) only when several different people asked
it: one person searching a name ten times must not put it before everyone. Who asked is
kept as little as can say that: each search sets one of ``CLIENT_BITS`` bits of its row's
``clients``, chosen by a keyed hash of the query and the client's address. An address is
never stored, nor anything it could be found from without the server's secret key; 62
buckets cannot tell one person from the many who share a bit; and as the bit depends on the
query, the bits of two queries say nothing of whether one person asked both. The number of
bits set counts the clients (two clients that share a bit count as one: an undercount, so a
query is never popular on fewer askers than ``POPULAR_CLIENTS``).
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.db import DatabaseError, connection, transaction
from django.db.models import F, Max, Q, Sum
from django.utils.crypto import salted_hmac

from xxgk.core.today import today

from .models import HiddenQuery, QueryCount
from .text import fold

logger = logging.getLogger(__name__)

QUERY_LENGTH = QueryCount._meta.get_field("query").max_length
_MAX_COUNT = 2**31 - 1

# An 18-character ID number (17 digits and a check digit or X), an 11-digit mobile number
# and any longer run of digits are all runs of at least 7 digits; people type phone
# numbers in groups (138 0013 8000, 010-6601-2345), so a space or a dash may separate them.
_DIGIT_RUN = re.compile(r"\d(?:[\s\-]?\d){6,}")
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")

# ``clients`` is a signed 64-bit integer on both engines: 62 bits keep it positive.
CLIENT_BITS = 62
# Searched at least this often, by at least this many clients (in the window), to be
# offered to everyone.
POPULAR = 3
POPULAR_CLIENTS = 3
# Popular queries are read in pages of this many, most searched first.
_PAGE = 500

# Both engines run this as one atomic statement: two requests counting the same new query
# at once give a count of 2, never a unique-constraint error.
_UPSERT = (
    'INSERT INTO search_querycount (day, query, language, "count", results, clients) '
    "VALUES (%s, %s, %s, 1, %s, %s) "
    "ON CONFLICT (day, query, language) DO UPDATE "
    'SET "count" = search_querycount."count" + 1, results = excluded.results, '
    "clients = search_querycount.clients | excluded.clients")


def normalized(query: str) -> str:
    """``query`` as it is counted: folded, with its spaces collapsed."""
    return " ".join(fold(query).split())


def holds_personal_data(query: str) -> bool:
    """Whether ``query`` (folded) looks like it holds an ID or phone number or an e-mail
    address, and so must not be kept."""
    return bool(_DIGIT_RUN.search(query) or _EMAIL.search(query))


def client_bit(query: str, client: str) -> int:
    """The bit of ``clients`` a search for ``query`` (counted form) from ``client`` (an
    address) sets: a keyed hash, so nobody without the secret key can tell which bit an
    address sets."""
    digest = salted_hmac("xxgk.search.querylog.client", f"{query}\n{client}").digest()
    return 1 << (int.from_bytes(digest[:8], "big") % CLIENT_BITS)


def record(query: str, results: int, *, language: str, client: str) -> None:
    """Count one search for ``query`` today from ``client`` (the request's address, ""
    when it has none), with the number of results it had.

    Never raises: a database error (a locked SQLite file past its timeout, a PostgreSQL
    failover) is logged, without the query, and the search goes on.
    """
    query = normalized(query)
    if not query or holds_personal_data(query):
        return
    query = query[:QUERY_LENGTH]
    params = [connection.ops.adapt_datefield_value(today()), query, language[:10],
              min(max(results, 0), _MAX_COUNT), client_bit(query, client)]
    try:
        # A savepoint: inside a caller's transaction, a failure here must not break it.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(_UPSERT, params)
    except DatabaseError as exc:
        logger.warning("search: a query could not be counted (%s)", type(exc).__name__)


def since(days: int) -> dt.date:
    """The first day of "the last ``days`` days", today included."""
    return today() - dt.timedelta(days=days - 1)


def zero_result_queries(*, days: int = 30, limit: int = 100) -> list[tuple[str, int, dt.date]]:
    """The queries that found nothing in the last ``days`` days, most searched first: each
    with how often it found nothing and the last day it did. A query that found something
    after its last empty day (the item has been published since, or a synonym added) is
    no longer missing anything and is left out."""
    zero, found = Q(results=0), Q(results__gt=0)
    rows = (QueryCount.objects.filter(day__gte=since(days)).values("query")
            .annotate(searched=Sum("count", filter=zero), last_day=Max("day", filter=zero),
                      last_found=Max("day", filter=found))
            .filter(searched__gt=0)
            .filter(Q(last_found__isnull=True) | Q(last_found__lt=F("last_day")))
            .order_by("-searched", "-last_day", "query")[:limit])
    return [(row["query"], row["searched"], row["last_day"]) for row in rows]


def popular_queries(*, language: str, days: int, limit: int | None = None
                    ) -> list[tuple[str, int]]:
    """The queries of the last ``days`` days that found something, searched at least
    ``POPULAR`` times by at least ``POPULAR_CLIENTS`` clients, and not hidden by the OGI
    office: each with how often it was searched, most searched first (at most ``limit``)."""
    window = QueryCount.objects.filter(day__gte=since(days), language=language, results__gt=0)
    searched = (window.exclude(query__in=HiddenQuery.objects.values("query"))
                .values("query").annotate(searched=Sum("count")).filter(searched__gte=POPULAR)
                .order_by("-searched", "query").values_list("query", "searched"))
    found: list[tuple[str, int]] = []
    start = 0
    while limit is None or len(found) < limit:
        page = list(searched[start:start + _PAGE])
        clients: dict[str, int] = {}
        for query, bits in window.filter(query__in=[query for query, _n in page]
                                         ).values_list("query", "clients"):
            clients[query] = clients.get(query, 0) | bits
        found += [(query, n) for query, n in page
                  if clients.get(query, 0).bit_count() >= POPULAR_CLIENTS]
        if len(page) < _PAGE:
            break
        start += _PAGE
    return found[:limit]
