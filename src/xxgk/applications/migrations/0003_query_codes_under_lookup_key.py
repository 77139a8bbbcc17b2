"""Query-code hashes were keyed by SECRET_KEY; they are now keyed by XXGK_LOOKUP_KEY.

Each application's code is also kept encrypted with its applicant's identity (to show it
again on a repeated submission), so the new hash is computed from it: no applicant's code
stops working.
"""

from django.db import migrations


def rehash(apps, schema_editor):
    from xxgk.applications.actions import hash_query_code
    from xxgk.applications.pii import decrypt

    Application = apps.get_model("applications", "Application")
    ApplicantIdentity = apps.get_model("applications", "ApplicantIdentity")
    for identity in ApplicantIdentity.objects.only("application_id", "encrypted").iterator():
        code = decrypt(identity.encrypted).query_code
        if code:
            Application.objects.filter(pk=identity.application_id).update(
                query_code_hash=hash_query_code(code))


class Migration(migrations.Migration):
    dependencies = [("applications", "0002_report_covering_indexes")]

    operations = [migrations.RunPython(rehash, migrations.RunPython.noop)]
