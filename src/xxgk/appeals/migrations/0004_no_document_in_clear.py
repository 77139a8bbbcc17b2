"""The clear copy of an appeal's files goes, once 0003 has sealed them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_sealed_documents")]

    operations = [
        migrations.RemoveField(model_name="appealdocument", name="content"),
        migrations.AlterField(model_name="appealdocument", name="sealed",
                              field=models.BinaryField()),
    ]
