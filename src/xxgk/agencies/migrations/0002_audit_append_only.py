"""The database itself refuses to change an audit entry, on both engines.

DELETE is refused by the model and the admin but not by a trigger, because the test
runner empties tables with DELETE on SQLite between transactional tests.
"""

from django.db import migrations

SQLITE = """
CREATE TRIGGER agencies_auditentry_no_update BEFORE UPDATE ON agencies_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS agencies_auditentry_no_update;"

POSTGRES = """
CREATE OR REPLACE FUNCTION agencies_auditentry_refuse() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER agencies_auditentry_no_update BEFORE UPDATE ON agencies_auditentry
FOR EACH ROW EXECUTE FUNCTION agencies_auditentry_refuse();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS agencies_auditentry_no_update ON agencies_auditentry;
DROP FUNCTION IF EXISTS agencies_auditentry_refuse();
"""


def forwards(apps, schema_editor):
    sql = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    schema_editor.execute(sql)


def backwards(apps, schema_editor):
    sql = POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
