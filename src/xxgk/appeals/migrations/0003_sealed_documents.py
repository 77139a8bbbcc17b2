"""An appeal's files are sealed with the field key, as an application's are (applications
0005 to 0007): the sealed column, filled from the clear one. Reversible."""

from django.db import migrations, models

BATCH = 100  # files of up to 10 MB


def seal(apps, schema_editor):
    from xxgk.applications import pii

    AppealDocument = apps.get_model("appeals", "AppealDocument")
    for document in AppealDocument.objects.only("pk", "content").iterator(chunk_size=BATCH):
        AppealDocument.objects.filter(pk=document.pk).update(
            sealed=pii.seal(bytes(document.content)))


def unseal(apps, schema_editor):
    from xxgk.applications import pii

    AppealDocument = apps.get_model("appeals", "AppealDocument")
    for document in AppealDocument.objects.only("pk", "sealed").iterator(chunk_size=BATCH):
        AppealDocument.objects.filter(pk=document.pk).update(
            content=pii.unseal(bytes(document.sealed)))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_verbose_texts"),
                    ("applications", "0007_no_name_or_file_in_clear")]

    operations = [
        migrations.AddField(model_name="appealdocument", name="sealed",
                            field=models.BinaryField(default=b""), preserve_default=False),
        migrations.RunPython(seal, unseal),
    ]
