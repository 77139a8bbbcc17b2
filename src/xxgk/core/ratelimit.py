"""A budget of requests per client and minute, shared by every app server and cheap enough
for the hottest path (search: hundreds of requests a second, most of them served from the
page cache, where a database round trip would cost more than the page).

The failed look-ups and the submissions are counted from the audit log (``applications``);
a search writes no audit entry and must not wait for one. Here each process counts the
requests it serves in memory and adds its counts to the shared table ``core_ratecount``
(one upsert per client, which returns the sum over all servers) at most every
``XXGK_RATE_FLUSH_SECONDS`` (default 1 s). A request is refused when the sum last read plus
what this process has counted since exceeds the budget. So a request costs a dictionary
update; the database sees one small write per active client and process a second; and a
client spread over P processes gets at most one flush interval of requests past the budget
in each of the other P − 1. Minutes are fixed windows: a refusal lasts until the minute
ends, which is what ``Retry-After`` says.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection, transaction

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60
CLIENT_LENGTH = 64
_NONE = dt.timedelta(0)
# Both engines run this atomically and return the sum, whichever server wrote before.
_UPSERT = (
    'INSERT INTO core_ratecount (scope, client, "window", "count") VALUES (%s, %s, %s, %s) '
    'ON CONFLICT (scope, client, "window") DO UPDATE '
    'SET "count" = core_ratecount."count" + excluded."count" RETURNING "count"')
_FORGET = 'DELETE FROM core_ratecount WHERE scope = %s AND "window" < %s'


class RateBudget:
    """The requests of one kind (``scope``) that each client may make per minute."""

    def __init__(self, scope: str, clock: Callable[[], float] = time.time) -> None:
        self.scope = scope
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, int], int] = {}  # counted here, not yet added
        self._known: dict[tuple[str, int], int] = {}  # the sums as last read
        self._flushed_at = float("-inf")
        self._forgotten_before = 0

    def hit(self, client: str, allowed: int) -> dt.timedelta:
        """Count one request of ``client``; the wait before its next one is allowed if
        this one is over ``allowed`` per minute, else none (0 allowed is no limit)."""
        if allowed <= 0:
            return _NONE
        now = self._clock()
        window = int(now // WINDOW_SECONDS)
        key = (client[:CLIENT_LENGTH], window)
        with self._lock:
            self._pending[key] = self._pending.get(key, 0) + 1
            due = now - self._flushed_at >= settings.XXGK_RATE_FLUSH_SECONDS
            if due:
                sending, self._pending, self._flushed_at = self._pending, {}, now
        if due:
            self._send(sending, window)
        with self._lock:
            count = self._known.get(key, 0) + self._pending.get(key, 0)
        if count <= allowed:
            return _NONE
        return dt.timedelta(seconds=(window + 1) * WINDOW_SECONDS - now)

    def _send(self, sending: dict[tuple[str, int], int], window: int) -> None:
        totals = {}
        try:
            # A savepoint: inside a caller's transaction, a failure here must not break it.
            with transaction.atomic(), connection.cursor() as cursor:
                for (client, at), n in sending.items():
                    cursor.execute(_UPSERT, [self.scope, client, at, n])
                    totals[(client, at)] = cursor.fetchone()[0]
                if window > self._forgotten_before:
                    cursor.execute(_FORGET, [self.scope, window - 1])
        except DatabaseError as exc:
            # Counted again at the next flush; the request itself goes on.
            logger.warning("rate limit %s: counts not stored (%s)", self.scope,
                           type(exc).__name__)
            with self._lock:
                for key, n in sending.items():
                    self._pending[key] = self._pending.get(key, 0) + n
            return
        with self._lock:
            self._forgotten_before = window
            self._known = {key: n for key, n in self._known.items() if key[1] >= window}
            self._known.update(totals)
