"""The clear name and file columns go, now that 0006 sealed what they held.

Reversed, they come back empty for 0006 to fill: the defaults below let them be added to
tables that hold rows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("applications", "0006_seal_names_and_files")]

    operations = [
        migrations.AlterField(model_name="application", name="applicant_name",
                              field=models.CharField(default="", max_length=100,
                                                     verbose_name="applicant")),
        migrations.AlterField(model_name="document", name="content",
                              field=models.BinaryField(default=b"")),
        migrations.RemoveField(model_name="application", name="applicant_name"),
        migrations.RemoveField(model_name="document", name="content"),
    ]
