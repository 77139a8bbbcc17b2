"""The audit log becomes a hash chain (``agencies/chain.py``): the entries written so far are
sealed in the order they were written, and the trigger that refuses UPDATE is made again
(SQLite drops a table's triggers when a migration rebuilds the table, as adding these
columns does). From here on ``audit.record`` seals each entry as it appends it.
"""

import django.utils.timezone
from django.db import migrations, models

from xxgk.agencies import chain

SQLITE_DROP = "DROP TRIGGER IF EXISTS agencies_auditentry_no_update;"
SQLITE_CREATE = """
CREATE TRIGGER agencies_auditentry_no_update BEFORE UPDATE ON agencies_auditentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
POSTGRES_DROP = "DROP TRIGGER IF EXISTS agencies_auditentry_no_update ON agencies_auditentry;"
POSTGRES_CREATE = """
CREATE TRIGGER agencies_auditentry_no_update BEFORE UPDATE ON agencies_auditentry
FOR EACH ROW EXECUTE FUNCTION agencies_auditentry_refuse();
"""


def seal(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    schema_editor.execute(POSTGRES_DROP if postgres else SQLITE_DROP)
    entry_model = apps.get_model("agencies", "AuditEntry")
    previous, batch = chain.GENESIS, []
    for seq, entry in enumerate(entry_model.objects.order_by("id").iterator(chunk_size=2000),
                                start=1):
        entry.seq, entry.previous_hash = seq, previous
        entry.entry_hash = previous = chain.digest(
            previous, {name: getattr(entry, name) for name in chain.FIELDS})
        batch.append(entry)
        if len(batch) == 2000:
            entry_model.objects.bulk_update(batch, ["seq", "previous_hash", "entry_hash"])
            batch = []
    entry_model.objects.bulk_update(batch, ["seq", "previous_hash", "entry_hash"])
    schema_editor.execute(POSTGRES_CREATE if postgres else SQLITE_CREATE)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_report_scope")]

    operations = [
        migrations.AddField(
            model_name="auditentry", name="entry_hash",
            field=models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AddField(
            model_name="auditentry", name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64)),
        migrations.AddField(
            model_name="auditentry", name="seq",
            field=models.PositiveBigIntegerField(editable=False, null=True, unique=True,
                                                 verbose_name="number in the log")),
        migrations.AlterField(
            model_name="auditentry", name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now,
                                       verbose_name="time")),
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
