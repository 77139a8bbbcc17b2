"""The applicant's name and every stored file are sealed with the field key: the columns
that will hold them (filled by 0006, the clear ones dropped by 0007)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0004_events_append_only")]

    operations = [
        migrations.AddField(
            model_name="application", name="applicant_name_sealed",
            field=models.BinaryField(default=b"", editable=False)),
        migrations.AddField(
            model_name="application", name="applicant_name_index",
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64)),
        migrations.AddField(
            model_name="document", name="sealed",
            field=models.BinaryField(default=b""), preserve_default=False),
    ]
