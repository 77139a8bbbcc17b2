"""The search engines behind one interface, chosen by the database in use.

``SearchBackend`` is what the service asks of an engine: the ranked ids of a page, and the
counts a page's facets show. SQLite answers with FTS5, PostgreSQL with ``tsvector`` and
GIN (``migrations/0002_engines`` builds both). A dedicated engine would be a third class
here, reading the same entries.
"""

from __future__ import annotations

from django.db import connection

from .base import Filters, Matches, SearchBackend

__all__ = ["Filters", "Matches", "SearchBackend", "backend"]


def backend() -> SearchBackend:
    """The engine of the default database."""
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .sqlite import SqliteBackend

    return SqliteBackend()
