"""The search tables move the public pages' generation on, as the catalogue's tables do.

A search page is served from ``portal.cache`` while the generation is the one it was
rendered under. What it shows comes from the index and the vocabulary as well as from the
catalogue: the worker writes entries after the catalogue change that queued them (an
import, a rebuild after a dictionary word), a synonym changes what a query matches, and
"did you mean" reads the suggestion terms. Each of these tables gets the portal's
triggers, with the same SQL (``portal/migrations/0001_public_generation.py``).
"""

from importlib import import_module

from django.db import migrations

generation = import_module("xxgk.portal.migrations.0001_public_generation")

TABLES = (
    "search_searchentry",
    "search_dictionaryword",
    "search_synonymgroup",
    "search_suggestionterm",
)


def forwards(apps, schema_editor):
    for table in TABLES:
        generation.add_triggers(schema_editor, table)


def backwards(apps, schema_editor):
    for table in TABLES:
        generation.drop_triggers(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_title_en_key"),
        ("portal", "0001_public_generation"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
