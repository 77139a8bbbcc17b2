"""Public pages rendered once and served from memory until anything they show changes.

The commercial platforms most portals run on publish static pages; this does the same
without a publishing step. :func:`cached_public_page` wraps a public GET view: the first
anonymous request renders it, later ones get the stored bytes for as long as the public
pages' *generation* is the one it was rendered under. The generation is one number in the
one-row table ``portal_generation``, moved on by database triggers on every table a public
page shows (``portal/migrations/0001_public_generation.py``): publishing, withdrawal,
corrections, interpretations, validity changes, channels, attachments, the catalogue tree
and the agencies, whichever path wrote them (the actions, ``catalog.bulk``, the admin).
The bump commits with the change, and a request reads the generation before it renders,
so a page is never stored under a number newer than its data.

Each process keeps its own pages (an LRU bounded by ``XXGK_PAGE_CACHE_BYTES``, default
64 MB) and reads the generation again once the number it read is older than
``XXGK_PAGE_GENERATION_MAX_AGE`` (default 0.1 s), so every gunicorn worker and every app
server shows a change within a tenth of a second of its commit; nothing is shared but the
database. A read is one indexed read of one row: on SQLite through a connection kept open
for it (Django opens a new SQLite connection per request, which alone costs more than a
bare view), on PostgreSQL through Django's persistent connection, where the round trip
costs a third of a hit: read on every request, it held the pages to 0.74x a bare view's
rate (``bench/public_pages.py``). A number read earlier is only ever older than the data a
page is then rendered from, so a page is at worst stored under a number that is already
past and rendered again, never served past a change for longer than the age allowed.

What is cached, and for whom:

- GET and HEAD requests without a session cookie or a messages cookie (so never staff or
  anyone logged in, and never a page that has a message to show);
- responses with status 200 that set no cookie, used no CSRF token, left no message and
  wrote nothing to the session, with no ``Cache-Control: private/no-store/no-cache`` and no
  ``Vary`` beyond language and cookies;
- never a page rendered inside a database transaction (a test's, or ``ATOMIC_REQUESTS``):
  its rows may yet be rolled back.

The key is the host, the path, the sorted query string, the language the page is rendered
in (``LocaleMiddleware`` has chosen it) and the display-mode cookies (large text, high
contrast: :data:`DISPLAY_COOKIES`, or the decorator's ``cookies``); nothing else of the
request is read. Responses served from the cache say ``Vary: Cookie`` as the rendered ones
do, and go back out through every middleware as any response does.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_vary_headers

logger = logging.getLogger(__name__)

# The cookies that choose how a public page is displayed (large text, high contrast); part
# of the key. The portal's display-mode switch sets these.
DISPLAY_COOKIES: tuple[str, ...] = ("xxgk_display",)
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
GENERATION_SQL = "SELECT number FROM portal_generation WHERE id = 1"
# Headers that belong to one response, not to the page.
_NOT_KEPT = {"set-cookie", "vary", "content-length"}
_VARY_ALLOWED = {"accept-language", "cookie"}


@dataclass(frozen=True)
class _Page:
    generation: int
    content: bytes
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """Rendered pages of one process, each valid while the generation is its own."""

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._pages: OrderedDict[tuple, _Page] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple, generation: int) -> _Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is None or page.generation != generation:
                self.misses += 1
                return None
            self._pages.move_to_end(key)
            self.hits += 1
            return page

    def put(self, key: tuple, page: _Page) -> None:
        size = len(page.content)
        if size > self.max_bytes:
            return
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self._bytes -= len(old.content)
            self._pages[key] = page
            self._bytes += size
            while self._bytes > self.max_bytes:
                _key, evicted = self._pages.popitem(last=False)
                self._bytes -= len(evicted.content)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


_default_cache: PageCache | None = None
_reader = threading.local()


def default_cache() -> PageCache:
    """This process's page cache (made on first use, so settings are read then)."""
    global _default_cache
    if _default_cache is None:
        _default_cache = PageCache(int(getattr(settings, "XXGK_PAGE_CACHE_BYTES",
                                               DEFAULT_MAX_BYTES)))
    return _default_cache


def _sqlite_reader(name: str) -> sqlite3.Connection:
    # One connection per thread and process (gunicorn forks; a connection must not cross a
    # fork), opened on first use and kept: WAL readers in autocommit see every commit.
    key = (os.getpid(), name)
    if getattr(_reader, "key", None) != key:
        reader = sqlite3.connect(name, isolation_level=None, check_same_thread=False,
                                 timeout=30)
        reader.execute("PRAGMA query_only = ON")
        _reader.connection, _reader.key = reader, key
    return _reader.connection


def current_generation() -> int:
    """The public pages' generation now (read outside any transaction)."""
    if connection.vendor == "sqlite":
        row = _sqlite_reader(connection.settings_dict["NAME"]).execute(GENERATION_SQL).fetchone()
    else:
        with connection.cursor() as cursor:
            cursor.execute(GENERATION_SQL)
            row = cursor.fetchone()
    return int(row[0])


class RecentGeneration:
    """The generation as this process last read it, read again once older than
    ``max_age`` seconds (``XXGK_PAGE_GENERATION_MAX_AGE``; 0 reads it on every request)."""

    def __init__(self, read: Callable[[], int] = current_generation,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._read, self._clock = read, clock
        self._number: int | None = None
        self._read_at = 0.0
        self._lock = threading.Lock()

    def __call__(self, max_age: float) -> int:
        now = self._clock()
        with self._lock:
            if self._number is not None and now - self._read_at < max_age:
                return self._number
        # Read outside the lock: a read that fails leaves the last number to expire.
        number = self._read()
        with self._lock:
            self._number, self._read_at = number, now
        return number


_recent_generation = RecentGeneration()


def _key(request: HttpRequest, cookies: tuple[str, ...]) -> tuple:
    query = request.META.get("QUERY_STRING", "")
    if "&" in query:
        query = "&".join(sorted(query.split("&")))
    return (request.get_host(), request.path, query, translation.get_language(),
            tuple(request.COOKIES.get(name, "") for name in cookies))


def _bypass(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return True
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies:
        return True
    if getattr(settings, "MESSAGE_COOKIE_NAME", "messages") in cookies:
        return True
    return connection.in_atomic_block


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token: it is one visitor's
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and (messages.added_new or len(messages)):
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= _VARY_ALLOWED


def _response(page: _Page) -> HttpResponse:
    response = HttpResponse(page.content)
    for name, value in page.headers:
        response[name] = value
    patch_vary_headers(response, ("Cookie",))
    return response


def cached_public_page(view: Callable[..., HttpResponse] | None = None, *,
                       cookies: tuple[str, ...] = DISPLAY_COOKIES,
                       cache: PageCache | None = None) -> Any:
    """Serve ``view``'s anonymous 200 responses from memory until the generation moves.

    ``@cached_public_page`` or ``@cached_public_page(cookies=(...))``; ``cache`` is for
    tests that act as two processes.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if _bypass(request):
                return view(request, *args, **kwargs)
            store = cache if cache is not None else default_cache()
            try:
                # Before rendering: a change that commits while the page renders moves the
                # number past the one the page is stored under.
                generation = _recent_generation(settings.XXGK_PAGE_GENERATION_MAX_AGE)
            except (DatabaseError, sqlite3.Error):
                logger.warning("public page cache: the generation is unreadable; not caching",
                               exc_info=True)
                return view(request, *args, **kwargs)
            key = _key(request, cookies)
            page = store.get(key, generation)
            if page is not None:
                return _response(page)
            response = view(request, *args, **kwargs)
            if getattr(response, "is_rendered", True) is False:
                response.render()  # a TemplateResponse: its CSRF use is known once rendered
            if request.method == "GET" and _storable(request, response):
                store.put(key, _Page(generation, response.content, tuple(
                    (name, value) for name, value in response.items()
                    if name.lower() not in _NOT_KEPT)))
                patch_vary_headers(response, ("Cookie",))
            return response

        return wrapper

    return decorate(view) if view is not None else decorate
