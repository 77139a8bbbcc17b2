"""Seal the names and files stored in clear until now, under the current field key.

Reversible: going back writes them in clear again (with the key that sealed them). An
application whose name retention erased keeps an empty sealed name (it reads as the erased
name's mark) and no index.
"""

from django.db import migrations

ERASED_NAME = "（已按保存期限删除）"
BATCH = 500


def seal(apps, schema_editor):
    from xxgk.applications import pii

    Application = apps.get_model("applications", "Application")
    Document = apps.get_model("applications", "Document")
    for application in (Application.objects.exclude(applicant_name=ERASED_NAME)
                        .only("pk", "applicant_name").iterator(chunk_size=BATCH)):
        Application.objects.filter(pk=application.pk).update(
            applicant_name_sealed=pii.seal(application.applicant_name.encode()),
            applicant_name_index=pii.name_index(application.applicant_name))
    for document in Document.objects.only("pk", "content").iterator(chunk_size=BATCH):
        Document.objects.filter(pk=document.pk).update(sealed=pii.seal(bytes(document.content)))


def unseal(apps, schema_editor):
    from xxgk.applications import pii

    Application = apps.get_model("applications", "Application")
    Document = apps.get_model("applications", "Document")
    for application in (Application.objects.only("pk", "applicant_name_sealed")
                        .iterator(chunk_size=BATCH)):
        sealed = bytes(application.applicant_name_sealed)
        Application.objects.filter(pk=application.pk).update(
            applicant_name=pii.unseal(sealed).decode() if sealed else ERASED_NAME)
    for document in Document.objects.only("pk", "sealed").iterator(chunk_size=BATCH):
        Document.objects.filter(pk=document.pk).update(content=pii.unseal(document.sealed))


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_sealed_names_and_files")]

    operations = [migrations.RunPython(seal, unseal)]
