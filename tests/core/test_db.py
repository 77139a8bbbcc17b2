"""SQLite's planner statistics are refreshed by `migrate`, and on demand."""

import datetime as dt

import pytest
from django.db import connection

from tests.catalog.helpers import published_item
from xxgk.core.db import refresh_planner_statistics

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite",
                       reason="PostgreSQL's autovacuum keeps its own statistics"),
]


def _indexed_tables() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl FROM sqlite_stat1")
        return {row[0] for row in cursor.fetchall()}


def test_statistics_cover_the_tables_that_have_rows(world):
    published_item(world.education, dt.date(2025, 3, 3), dt.date(2025, 3, 4))
    refresh_planner_statistics()
    assert {"catalog_infoitem", "agencies_agency"} <= _indexed_tables()
