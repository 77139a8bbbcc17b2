"""SQLite: the indexer writes the FTS5 rows itself; the triggers stay for every other writer.

FTS5 writes the words it holds in memory out to a new segment of its index at every
statement savepoint, and SQLite opens one for each statement that fires a trigger. Written
by row triggers, the index therefore grew by one segment per entry, each merged into the
rest: at 100,000 entries an entry cost 7 to 14 ms, and rebuilding a million-item catalogue
would have taken over three hours. The indexer (``backends.sqlite.SqliteBackend.writing``)
now writes the entries first and then the FTS5 rows in single-row statements, which need
no savepoint: about 2,100 items a second at a million items.

The triggers of ``0002_engines`` are kept for any other writer (a cascade when an agency
or an item is deleted, a test database being emptied, raw SQL), and skip their work while
the indexer's marker row is in ``search_fts_writer``: the indexer writes that row at the
start of its statements and removes it at the end, in its own transaction, so no other
connection ever sees it. A later migration that rebuilds ``search_searchentry`` recreates
the triggers with :func:`sqlite_statements` of this module.
"""

from importlib import import_module

from django.db import migrations

engines = import_module("xxgk.search.migrations.0002_engines")

WRITER_TABLE = "search_fts_writer"
_SKIP = f"WHEN NOT EXISTS (SELECT 1 FROM {WRITER_TABLE})"


def sqlite_statements() -> list[str]:
    """The FTS5 triggers, each skipped while the indexer writes the index itself."""
    columns = ", ".join(engines.FTS5_COLUMNS)
    new = ", ".join(f"new.{column}" for column in engines.FTS5_COLUMNS)
    old = ", ".join(f"old.{column}" for column in engines.FTS5_COLUMNS)
    insert = f"INSERT INTO search_fts(rowid, {columns}) VALUES (new.item_id, {new});"
    delete = (f"INSERT INTO search_fts(search_fts, rowid, {columns}) "
              f"VALUES ('delete', old.item_id, {old});")
    return [
        *(f"DROP TRIGGER IF EXISTS search_fts_{op}" for op in ("insert", "update", "delete")),
        f"""CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry {_SKIP}
            BEGIN {insert} END""",
        f"""CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry {_SKIP}
            BEGIN {delete} END""",
        f"""CREATE TRIGGER search_fts_update AFTER UPDATE ON search_searchentry {_SKIP}
            BEGIN {delete} {insert} END""",
    ]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(f"CREATE TABLE {WRITER_TABLE} (id integer PRIMARY KEY)")
    for statement in sqlite_statements():
        schema_editor.execute(statement)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for op in ("insert", "update", "delete"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS search_fts_{op}")
    # 0002's statements create what is missing: its unconditional FTS5 triggers.
    for statement in engines.sqlite_statements():
        schema_editor.execute(statement)
    schema_editor.execute(f"DROP TABLE {WRITER_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("search", "0004_public_generation")]
    operations = [migrations.RunPython(forwards, backwards)]
