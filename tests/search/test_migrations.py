"""The engines' triggers exist after every migration (SQLite drops a table's triggers
when a later migration rebuilds the table)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

SQLITE = {"search_fts_insert", "search_fts_delete", "search_fts_update",
          *(f"search_pending_{table}_{op}" for table in ("catalog_infoitem",
                                                         "catalog_policydocument")
            for op in ("insert", "update", "delete"))}
POSTGRES = {"search_pending_catalog_infoitem", "search_pending_catalog_policydocument"}


def test_every_trigger_of_the_index_is_in_place():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = POSTGRES
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = SQLITE
        assert expected <= {row[0] for row in cursor.fetchall()}
