"""The locked-period rule moved to ``core.LockedPeriod``: every report published and locked
before the move locks its period there too."""

from django.db import migrations


def copy_locks(apps, schema_editor):
    AnnualReport = apps.get_model("reports", "AnnualReport")
    LockedPeriod = apps.get_model("core", "LockedPeriod")
    for agency_id, year in (AnnualReport.objects.filter(locked=True, state="published")
                            .values_list("agency_id", "year")):
        LockedPeriod.objects.get_or_create(agency_id=agency_id, year=year)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [migrations.RunPython(copy_locks, migrations.RunPython.noop)]
