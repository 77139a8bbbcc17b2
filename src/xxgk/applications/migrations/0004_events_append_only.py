"""An application's history is append-only in the database too: a trigger refuses UPDATE of
an event on both engines, as it does for the audit log. (DELETE stays possible for the
test runner's flush and for erasure; the start-up check ``agencies.integrity`` notices a
dropped trigger.)"""

from django.db import migrations

SQLITE = """
CREATE TRIGGER applications_applicationevent_no_update
BEFORE UPDATE ON applications_applicationevent
BEGIN SELECT RAISE(ABORT, 'an application''s history is append-only'); END;
"""
SQLITE_REVERSE = "DROP TRIGGER IF EXISTS applications_applicationevent_no_update;"
POSTGRES = """
CREATE OR REPLACE FUNCTION applications_applicationevent_refuse() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION 'an application''s history is append-only'; END; $$ LANGUAGE plpgsql;
CREATE TRIGGER applications_applicationevent_no_update
BEFORE UPDATE ON applications_applicationevent
FOR EACH ROW EXECUTE FUNCTION applications_applicationevent_refuse();
"""
POSTGRES_REVERSE = """
DROP TRIGGER IF EXISTS applications_applicationevent_no_update ON applications_applicationevent;
DROP FUNCTION IF EXISTS applications_applicationevent_refuse();
"""


def forwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(POSTGRES if postgres else SQLITE)


def backwards(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(POSTGRES_REVERSE if postgres else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("applications", "0003_query_codes_under_lookup_key")]
    operations = [migrations.RunPython(forwards, backwards)]
