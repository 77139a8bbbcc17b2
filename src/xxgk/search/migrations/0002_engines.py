"""The engines' indexes over ``search_searchentry``, and the triggers that queue changes.

SQLite: an FTS5 table whose external content is ``search_searchentry``, kept equal to it
by row triggers (FTS5 needs a row's old words to remove it; the triggers pass them). The
``porter`` stemmer over ``unicode61`` tokens: Chinese arrives already cut into words
separated by spaces, English is stemmed (housing finds house).

PostgreSQL: two generated ``tsvector`` columns (Chinese with the ``simple`` configuration,
as the words are cut already; English with ``english``), weighted A title, B 文号,
C summary, D body, each with a GIN index. Generated columns follow the row in its own
statement, so there is nothing to keep in step.

On both, triggers on the catalogue's item tables write the changed item's id into
``search_pending`` in the writing transaction, whoever writes (the actions layer,
``catalog.bulk``, ``QuerySet.update()``, the admin, raw SQL): ``indexing.process_pending``
then brings the entries up to date, so no change is lost between a commit and the index.

SQLite drops a table's triggers when Django rebuilds the table in a later migration; a
later migration that alters these tables recreates them with ``sqlite_statements()`` here
(the queue's) and in ``0005_fts_written_by_the_indexer`` (the FTS5 rows', which the
indexer now writes itself) (``tests/search/test_migrations.py`` fails when one is missing).
"""

from django.db import migrations

FTS5_COLUMNS = ("title_words", "doc_no_words", "summary_words", "body_words",
                "title_en_words", "body_en_words")

# The catalogue tables whose rows an entry is made of, and the column holding the item id.
SOURCES = (("catalog_infoitem", "id"), ("catalog_policydocument", "infoitem_ptr_id"))


def sqlite_statements() -> list[str]:
    columns = ", ".join(FTS5_COLUMNS)
    new = ", ".join(f"new.{column}" for column in FTS5_COLUMNS)
    old = ", ".join(f"old.{column}" for column in FTS5_COLUMNS)
    statements = [
        f"""CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5({columns},
            content='search_searchentry', content_rowid='item_id',
            tokenize='porter unicode61 remove_diacritics 2')""",
        f"""CREATE TRIGGER IF NOT EXISTS search_fts_insert AFTER INSERT ON search_searchentry
            BEGIN INSERT INTO search_fts(rowid, {columns}) VALUES (new.item_id, {new}); END""",
        f"""CREATE TRIGGER IF NOT EXISTS search_fts_delete AFTER DELETE ON search_searchentry
            BEGIN INSERT INTO search_fts(search_fts, rowid, {columns})
                  VALUES ('delete', old.item_id, {old}); END""",
        f"""CREATE TRIGGER IF NOT EXISTS search_fts_update AFTER UPDATE ON search_searchentry
            BEGIN INSERT INTO search_fts(search_fts, rowid, {columns})
                  VALUES ('delete', old.item_id, {old});
                  INSERT INTO search_fts(rowid, {columns}) VALUES (new.item_id, {new}); END""",
    ]
    for table, column in SOURCES:
        for op, row in (("INSERT", "new"), ("UPDATE", "new"), ("DELETE", "old")):
            statements.append(
                f"""CREATE TRIGGER IF NOT EXISTS search_pending_{table}_{op.lower()}
                    AFTER {op} ON {table}
                    BEGIN INSERT OR IGNORE INTO search_pending(item_id)
                          VALUES ({row}.{column}); END""")
    return statements


def _vector(config: str, parts: tuple[tuple[str, str], ...]) -> str:
    return " || ".join(f"setweight(to_tsvector('{config}', {column}), '{weight}')"
                       for column, weight in parts)


POSTGRES_STATEMENTS = [
    f"""ALTER TABLE search_searchentry ADD COLUMN vector_zh tsvector GENERATED ALWAYS AS (
        {_vector("simple", (("title_words", "A"), ("doc_no_words", "B"),
                            ("summary_words", "C"), ("body_words", "D")))}) STORED""",
    f"""ALTER TABLE search_searchentry ADD COLUMN vector_en tsvector GENERATED ALWAYS AS (
        {_vector("english", (("title_en_words", "A"), ("body_en_words", "D")))}) STORED""",
    "CREATE INDEX search_entry_vector_zh ON search_searchentry USING gin (vector_zh)",
    "CREATE INDEX search_entry_vector_en ON search_searchentry USING gin (vector_en)",
    """CREATE OR REPLACE FUNCTION search_pending_queue() RETURNS trigger AS $$
       BEGIN
         INSERT INTO search_pending(item_id)
         VALUES (CASE WHEN TG_OP = 'DELETE' THEN (to_jsonb(OLD) ->> TG_ARGV[0])::bigint
                      ELSE (to_jsonb(NEW) ->> TG_ARGV[0])::bigint END)
         ON CONFLICT DO NOTHING;
         RETURN NULL;
       END; $$ LANGUAGE plpgsql""",
    *(f"""CREATE TRIGGER search_pending_{table} AFTER INSERT OR UPDATE OR DELETE ON {table}
          FOR EACH ROW EXECUTE FUNCTION search_pending_queue('{column}')"""
      for table, column in SOURCES),
]


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRES_STATEMENTS if postgres else sqlite_statements():
        schema_editor.execute(statement)
    # A database that had items before search existed: the worker indexes them all.
    schema_editor.execute("INSERT INTO search_pending (item_id) SELECT id FROM catalog_infoitem")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table, _column in SOURCES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS search_pending_{table} ON {table}")
        schema_editor.execute("DROP FUNCTION IF EXISTS search_pending_queue()")
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN vector_zh")
        schema_editor.execute("ALTER TABLE search_searchentry DROP COLUMN vector_en")
        return
    for table, _column in SOURCES:
        for op in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS search_pending_{table}_{op}")
    for op in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS search_fts_{op}")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("catalog", "0006_feeds_public_counts_index"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
