"""The public pages' generation: one number that every change to what they show moves on.

``portal.cache`` serves a rendered page for as long as this number is the one it was
rendered under. It is bumped by database triggers on the tables the public pages read, so
that every path that writes them counts: the actions layer, ``catalog.bulk`` (which
bulk-inserts, and sends no model signals), ``QuerySet.update()`` (which the actions use for
corrections, channels, categories and validity, and which sends none either), the admin and
raw SQL. The bump is part of the writing transaction, so a reader never sees the new
number before the new rows.

On PostgreSQL the trigger is a deferred constraint trigger: it runs at commit, takes the
generation row's lock last and holds it only for the commit (a catalogue writer never
waits for the row while holding another lock, so writers cannot deadlock over it), and a
transaction-local flag makes it bump once per transaction however many rows it wrote.
SQLite has one writer at a time, so a plain row trigger does.
"""

from django.db import migrations

# The tables a public page shows something of. A later table that a page shows gets its
# triggers in its own migration, with the same SQL.
TABLES = (
    "agencies_agency",
    "catalog_category",
    "catalog_infoitem",
    "catalog_policydocument",
    "catalog_interpretation",
    "catalog_validitychange",
    "catalog_attachment",
    "catalog_itemchannel",
    "catalog_itemversion",
)

CREATE_TABLE = """
CREATE TABLE portal_generation (id integer PRIMARY KEY, number bigint NOT NULL);
INSERT INTO portal_generation (id, number) VALUES (1, 0);
"""

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_generation_bump() RETURNS trigger AS $$
BEGIN
  IF current_setting('xxgk.generation_bumped', true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config('xxgk.generation_bumped', 'yes', true);
    UPDATE portal_generation SET number = number + 1 WHERE id = 1;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql;
"""


def postgres_triggers(table: str) -> str:
    return f"""
CREATE CONSTRAINT TRIGGER portal_generation_{table} AFTER INSERT OR UPDATE OR DELETE
ON {table} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
EXECUTE FUNCTION portal_generation_bump();
CREATE TRIGGER portal_generation_{table}_truncate AFTER TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION portal_generation_bump();
"""


def sqlite_triggers(table: str) -> list[str]:
    return [f"""
CREATE TRIGGER portal_generation_{table}_{op.lower()} AFTER {op} ON {table}
BEGIN UPDATE portal_generation SET number = number + 1 WHERE id = 1; END;
""" for op in ("INSERT", "UPDATE", "DELETE")]


def forwards(apps, schema_editor):
    for statement in CREATE_TABLE.strip().split(";\n"):
        schema_editor.execute(statement.strip().rstrip(";"))
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        add_triggers(schema_editor, table)


def add_triggers(schema_editor, table: str) -> None:
    """``table``'s writes move the generation on (also used by later apps' migrations)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(postgres_triggers(table))
    else:
        for statement in sqlite_triggers(table):
            schema_editor.execute(statement)


def drop_triggers(schema_editor, table: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_generation_{table} ON {table}")
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS portal_generation_{table}_truncate ON {table}")
    else:
        for op in ("insert", "update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS portal_generation_{table}_{op}")


def backwards(apps, schema_editor):
    for table in TABLES:
        drop_triggers(schema_editor, table)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS portal_generation_bump()")
    schema_editor.execute("DROP TABLE portal_generation")


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_report_scope"),
        ("catalog", "0004_catalogue_workflow"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
